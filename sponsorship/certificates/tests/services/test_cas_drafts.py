"""CAS drafts: created with a family name and nothing else, every field checked by its type with
each problem named by its field and nothing half-saved, a study address copied, and stale
edits refused (DOMAIN.md "Confirmation of Acceptance for Studies": drafts can be saved with only
a family name)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.display import sections_for
from sponsorship.certificates.models import (
    AcademicLevel,
    CasDetails,
    CefrLevel,
    Certificate,
    CertificateAction,
    CertificateEvent,
    CertificateKind,
    CertificateStatus,
    EnglishMethod,
)
from sponsorship.certificates.services import cas_create, cas_update
from sponsorship.certificates.tests.factories import (
    StudyAddressFactory,
    WorkAddressFactory,
    assigned_cas,
    complete_cas,
)
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotFound, StaleEdit
from sponsorship.licences.models import Nation, Rating, Route
from sponsorship.licences.tests.web.support import rate

IP = "203.0.113.7"
STALE = (
    "Someone changed this since you opened it. Reload the page, check the details and try again."
)


@pytest.fixture(autouse=True)
def _students(sponsor, other_sponsor):
    for licence in (sponsor, other_sponsor):
        rate(licence, Route.STUDENT, Rating.A)


def create(actor, values=None, route=Route.STUDENT):
    return cas_create(
        actor=actor,
        route=route,
        values={"family_name": "Nguyễn"} if values is None else values,
        ip=IP,
    )


def update(actor, certificate, values, version=None):
    return cas_update(
        actor=actor,
        certificate=certificate,
        version=certificate.version if version is None else version,
        values=values,
        ip=IP,
    )


def stored(certificate) -> Certificate:
    return Certificate.objects.select_related("cas").get(pk=certificate.pk)


def problems(error: ApplicationError) -> dict[str, str]:
    return dict(error.errors)


def refused(actor, certificate, values) -> dict[str, str]:
    """The per-field problems of an update, which must save nothing."""
    before = stored(certificate)
    with pytest.raises(ApplicationError) as caught:
        update(actor, certificate, values)
    after = stored(certificate)
    assert after.version == before.version
    assert [getattr(after.cas, f.attname) for f in CasDetails._meta.concrete_fields] == [
        getattr(before.cas, f.attname) for f in CasDetails._meta.concrete_fields
    ]
    return problems(caught.value)


# Creating


def test_a_family_name_is_enough_for_a_cas_draft(sponsor, level1):
    certificate = create(level1)

    saved = stored(certificate)
    assert (saved.kind, saved.route, saved.status, saved.number) == (
        CertificateKind.CAS,
        Route.STUDENT,
        CertificateStatus.DRAFT,
        None,
    )
    assert (saved.owner, saved.created_by, saved.sponsor) == (level1, level1, sponsor)
    assert saved.family_name == "Nguyễn"
    assert saved.cas.course_title == ""
    assert saved.cas.course_fees_first_year is None
    event = CertificateEvent.objects.get(certificate=certificate)
    assert (event.action, event.status, event.actor) == (
        CertificateAction.CREATED,
        CertificateStatus.DRAFT,
        level1,
    )
    (audit,) = AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_CREATED)
    assert (audit.actor, audit.sponsor, audit.ip_address) == (level1, sponsor, IP)


@pytest.mark.parametrize("values", [{}, {"family_name": "  "}, {"given_names": "Thu"}])
def test_a_cas_draft_needs_a_family_name(level1, values):
    with pytest.raises(ApplicationError) as caught:
        create(level1, values)
    assert problems(caught.value) == {
        "family_name": "Enter the student's family name, as in their passport: a draft needs "
        "at least that"
    }
    assert not Certificate.objects.exists()


def test_a_cas_is_for_a_student_route_of_the_licence(level1):
    with pytest.raises(ApplicationError) as worker:
        create(level1, route=Route.SKILLED_WORKER)
    assert problems(worker.value) == {"route": "Select Student or Child Student"}
    with pytest.raises(ApplicationError) as missing:
        create(level1, route=Route.CHILD_STUDENT)
    assert problems(missing.value) == {
        "route": "Your licence does not include the Child Student route. Select one of your routes"
    }
    assert not Certificate.objects.exists()


def test_a_child_student_cas_when_the_licence_has_that_route(sponsor, level1):
    rate(sponsor, Route.CHILD_STUDENT, Rating.A)
    certificate = create(level1, route=Route.CHILD_STUDENT)
    assert stored(certificate).route == Route.CHILD_STUDENT


def test_a_caseworker_cannot_create_a_cas(caseworker):
    with pytest.raises(NotFound):
        create(caseworker)


def test_every_field_at_once_makes_a_draft_ready_for_the_check(level1):
    certificate = create(
        level1,
        {
            "family_name": " Nguyễn ",
            "given_names": "Thị Thu",
            "nationality": "VNM",
            "student_id": "S2026-0042",
            "existing_student": True,
            "passport_number": "c 1234 5678",
            "course_title": "MSc Marine Biology",
            "academic_level": AcademicLevel.RQF7,
            "course_start_date": date(2027, 1, 18),
            "weekly_study_hours": Decimal("20"),
            "study_postcode": "ab24   3fx",
            "study_nation": Nation.SCOTLAND,
            "english_method": EnglishMethod.SELT,
            "selt_speaking_level": CefrLevel.B2,
            "atas_required": True,
            "atas_reference": "ATAS-2026-123",
            "course_fees_first_year": Decimal("24500"),
            "course_fees_paid": Decimal("0"),
            "accommodation_included": True,
            "accommodation_fees_paid": "1200.50",
        },
    )
    saved = stored(certificate)
    assert (saved.family_name, saved.passport_number) == ("Nguyễn", "C12345678")
    cas = saved.cas
    assert (cas.student_id, cas.existing_student, cas.course_title) == (
        "S2026-0042",
        True,
        "MSc Marine Biology",
    )
    assert (cas.academic_level, cas.course_start_date, cas.weekly_study_hours) == (
        AcademicLevel.RQF7,
        date(2027, 1, 18),
        Decimal("20"),
    )
    assert (cas.study_postcode, cas.study_nation) == ("AB24 3FX", Nation.SCOTLAND)
    assert (cas.english_method, cas.selt_speaking_level) == (EnglishMethod.SELT, CefrLevel.B2)
    assert (cas.atas_required, cas.atas_reference) == (True, "ATAS-2026-123")
    assert (cas.course_fees_first_year, cas.course_fees_paid, cas.accommodation_fees_paid) == (
        Decimal("24500"),
        Decimal("0"),
        Decimal("1200.50"),
    )


# Every field type, checked by the service whoever calls it (web form, API, bulk file)


def test_a_stateless_student_has_the_nationality_xxa(level1):
    certificate = create(level1, {"family_name": "Nguyễn", "nationality": "XXA"})
    saved = stored(certificate)
    assert saved.nationality == "XXA"
    personal = next(view for view in sections_for(saved) if view.section.key == "personal")
    assert {row.field: row.value for row in personal.rows}["nationality"] == "Stateless person"
    with pytest.raises(ApplicationError) as spelled_out:
        create(level1, {"family_name": "Nguyễn", "nationality": "STATELESS"})
    assert problems(spelled_out.value) == {"nationality": "Select a nationality in the list"}
    with pytest.raises(ApplicationError) as as_a_country:
        create(level1, {"family_name": "Nguyễn", "country_of_birth": "XXA"})
    assert problems(as_a_country.value) == {
        "country_of_birth": "Select a country in the list for country of birth"
    }


@pytest.mark.parametrize("name", ["course_fees_first_year", "course_fees_paid"])
@pytest.mark.parametrize("nothing", [0, "0", "0.00", Decimal("0")])
def test_no_fees_is_an_answer(level1, name, nothing):
    certificate = create(level1, {"family_name": "Nguyễn", name: nothing})
    assert getattr(stored(certificate).cas, name) == Decimal("0.00")


FEES_MESSAGES = {
    "course_fees_first_year": "Enter the course fees for the first year in pounds, like 18500 "
    "or 18500.50, with no commas or pound sign (0 if none)",
    "course_fees_paid": "Enter the course fees paid to date in pounds, like 18500 or 18500.50, "
    "with no commas or pound sign (0 if none)",
    "accommodation_fees_paid": "Enter the accommodation fees paid to date in pounds, like 18500 "
    "or 18500.50, with no commas or pound sign (0 if none)",
}


@pytest.mark.parametrize("name", list(FEES_MESSAGES))
@pytest.mark.parametrize(
    "amount", ["-1", Decimal("-0.01"), "12.345", "£18,500", "lots", "10000000", "NaN", "Infinity"]
)
def test_a_negative_or_malformed_amount_is_refused_by_its_field(level1, name, amount):
    certificate = complete_cas(level1)
    assert refused(level1, certificate, {name: amount}) == {name: FEES_MESSAGES[name]}


@pytest.mark.parametrize("amount", ["9999999.99", "0.01", "18500.5"])
def test_amounts_up_to_pence_are_accepted(level1, amount):
    certificate = complete_cas(level1)
    update(level1, certificate, {"course_fees_first_year": amount})
    assert stored(certificate).cas.course_fees_first_year == Decimal(amount)


def test_an_amount_can_be_cleared_on_a_draft(level1):
    certificate = complete_cas(level1)
    update(level1, certificate, {"course_fees_paid": None, "accommodation_fees_paid": ""})
    cas = stored(certificate).cas
    assert (cas.course_fees_paid, cas.accommodation_fees_paid) == (None, None)


@pytest.mark.parametrize("hours", [0, "0", "99.01", 100, "12.345", -5, "many"])
def test_hours_of_study_are_more_than_0_and_up_to_99(level1, hours):
    certificate = complete_cas(level1)
    assert refused(level1, certificate, {"weekly_study_hours": hours}) == {
        "weekly_study_hours": "Enter the hours of study a week as a number up to 99, like 37.5"
    }


@pytest.mark.parametrize("hours", [99, "0.5", Decimal("37.25")])
def test_hours_of_study_within_bounds_are_accepted(level1, hours):
    certificate = complete_cas(level1)
    update(level1, certificate, {"weekly_study_hours": hours})
    assert stored(certificate).cas.weekly_study_hours == Decimal(str(hours))


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("work_placement", "yes", "Includes a work placement must be true or false"),
        pytest.param(
            "existing_student", 1, "Already studying with you in the UK must be true or false"
        ),
        pytest.param("atas_required", None, "ATAS certificate required must be true or false"),
        (
            "accommodation_included",
            "false",
            "Course fees include accommodation must be true or false",
        ),
    ],
)
def test_a_yes_or_no_field_takes_true_or_false(level1, name, value, message):
    certificate = complete_cas(level1)
    assert refused(level1, certificate, {name: value}) == {name: message}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("course_start_date", "2027-01-18", "Course start date must be a date"),
        ("course_end_date", 20280114, "Course end date must be a date"),
        ("passport_expiry_date", "31/01/2033", "Passport expiry date must be a date"),
    ],
)
def test_a_date_field_takes_a_date(level1, name, value, message):
    certificate = complete_cas(level1)
    assert refused(level1, certificate, {name: value}) == {name: message}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("academic_level", "RQF9", "Select one of the options for academic level"),
        (
            "secondary_academic_level",
            "rqf6",
            "Select one of the options for secondary academic level",
        ),
        ("course_type", "ONLINE", "Select one of the options for course type"),
        ("study_mode", "EVENINGS", "Select one of the options for full or part time"),
        ("study_nation", "IRL", "Select one of the options for study nation"),
        ("sex", "female", "Select one of the options for sex"),
        pytest.param(
            "english_method", "INTERVIEW", "Select one of the options for how English was assessed"
        ),
        pytest.param("english_level", "B3", "Select one of the options for English level"),
        pytest.param(
            "selt_reading_level", "b2", "Select one of the options for SELT reading level"
        ),
    ],
)
def test_a_choice_must_be_one_of_its_options(level1, name, value, message):
    certificate = complete_cas(level1)
    assert refused(level1, certificate, {name: value}) == {name: message}


@pytest.mark.parametrize(
    ("name", "longest"),
    [
        ("student_id", 40),
        ("course_title", 200),
        ("partner_institution", 200),
        ("study_address_line_1", 200),
        ("study_postcode", 10),
        ("selt_provider", 100),
        ("selt_reference", 50),
        ("atas_reference", 50),
        ("work_placement_details", 1000),
    ],
)
def test_text_has_a_longest_length(level1, name, longest):
    certificate = complete_cas(level1)
    update(level1, certificate, {name: "x" * longest})
    (message,) = refused(level1, stored(certificate), {name: "x" * (longest + 1)}).values()
    assert message.endswith(f"must be {longest:,} characters or fewer")


def test_text_is_trimmed_and_postcodes_and_passports_normalised(level1):
    certificate = complete_cas(level1)
    update(
        level1,
        certificate,
        {
            "course_title": "  MSc Ecology ",
            "study_postcode": " eh8  9yl ",
            "passport_number": "ab 12 cd",
        },
    )
    saved = stored(certificate)
    assert (saved.cas.course_title, saved.cas.study_postcode, saved.passport_number) == (
        "MSc Ecology",
        "EH8 9YL",
        "AB12CD",
    )


def test_fields_of_a_cos_or_unknown_fields_are_refused(level1):
    certificate = complete_cas(level1)
    with pytest.raises(ApplicationError) as caught:
        update(level1, certificate, {"job_title": "Chef", "work_address_id": 1, "colour": "red"})
    assert caught.value.message == (
        "These are not fields of a CAS: colour, job_title, work_address_id"
    )
    assert stored(certificate).version == 1


def test_every_problem_is_named_at_once_and_nothing_is_saved(level1):
    certificate = complete_cas(level1)
    assert refused(
        level1,
        certificate,
        {
            "course_title": "MSc Ecology",
            "nationality": "ZZZ",
            "academic_level": "RQF9",
            "course_fees_paid": "-5",
            "weekly_study_hours": 0,
            "work_placement": "no",
        },
    ) == {
        "nationality": "Select a nationality in the list",
        "academic_level": "Select one of the options for academic level",
        "course_fees_paid": FEES_MESSAGES["course_fees_paid"],
        "weekly_study_hours": "Enter the hours of study a week as a number up to 99, like 37.5",
        "work_placement": "Includes a work placement must be true or false",
    }


# Study addresses


def test_a_study_address_is_copied_and_forgotten_once_retyped(sponsor, level1):
    address = StudyAddressFactory(sponsor=sponsor, created_by=level1, line_1="1 College Road")
    certificate = create(level1, {"family_name": "Nguyễn", "study_address_id": address.pk})
    cas = stored(certificate).cas
    assert (cas.study_address, cas.study_address_line_1, cas.study_town, cas.study_nation) == (
        address,
        "1 College Road",
        "Aberdeen",
        Nation.SCOTLAND,
    )
    update(level1, stored(certificate), {"study_town": "Old Aberdeen"})
    cas = stored(certificate).cas
    assert (cas.study_address, cas.study_address_line_1) == (None, "1 College Road")


def test_only_the_sponsors_study_addresses_in_use_can_be_copied(
    sponsor, level1, other_sponsor, other_level1
):
    candidates = [
        WorkAddressFactory(sponsor=sponsor, created_by=level1),
        StudyAddressFactory(sponsor=other_sponsor, created_by=other_level1),
        StudyAddressFactory(sponsor=sponsor, created_by=level1, retired_at=timezone.now()),
    ]
    certificate = complete_cas(level1)
    for address in candidates:
        assert refused(level1, certificate, {"study_address_id": address.pk}) == {
            "study_address_id": "Select one of your study addresses in use"
        }


# Changing


def test_changes_are_recorded_with_the_fields_changed(level1):
    certificate = complete_cas(level1)
    update(level1, certificate, {"course_title": "MSc Ecology", "student_id": "S2026-0042"})
    saved = stored(certificate)
    assert (saved.version, saved.cas.course_title) == (2, "MSc Ecology")
    event = CertificateEvent.objects.get(certificate=certificate)
    assert event.action == CertificateAction.EDITED
    (audit,) = AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_EDITED)
    assert audit.payload["fields"] == ["course_title"]


def test_the_route_can_change_between_student_routes_of_the_licence(sponsor, level1):
    certificate = complete_cas(level1)
    with pytest.raises(ApplicationError) as caught:
        update(level1, certificate, {"route": Route.CHILD_STUDENT})
    assert set(problems(caught.value)) == {"route"}
    rate(sponsor, Route.CHILD_STUDENT, Rating.A)
    sponsor.__dict__.pop("_route_ratings", None)
    fresh = Certificate.objects.select_related("cas", "sponsor").get(pk=certificate.pk)
    update(level1, fresh, {"route": Route.CHILD_STUDENT})
    assert stored(certificate).route == Route.CHILD_STUDENT
    assert AuditEvent.objects.get(verb=AuditVerb.CERTIFICATE_EDITED).payload["fields"] == ["route"]


def test_a_stale_change_is_refused_and_nothing_is_saved(level1):
    certificate = complete_cas(level1)
    update(level1, certificate, {"course_title": "MSc Ecology"})
    with pytest.raises(StaleEdit) as caught:
        update(level1, stored(certificate), {"course_title": "MSc Zoology"}, version=1)
    assert caught.value.message == STALE
    assert stored(certificate).cas.course_title == "MSc Ecology"


def test_an_assigned_cas_is_not_changed_as_a_draft(level1):
    certificate = assigned_cas(level1)
    with pytest.raises(InvalidTransition):
        update(level1, certificate, {"course_title": "MSc Ecology"})
    assert stored(certificate).cas.course_title == "MSc Marine Biology"
