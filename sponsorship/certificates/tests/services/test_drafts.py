"""Drafts: create with a family name and nothing else, change any field with every problem named
at once, copy a job for another person, delete, and refuse stale edits (DOMAIN.md "Certificate
of Sponsorship": a draft is saved, editable and deletable)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import (
    Certificate,
    CertificateAction,
    CertificateEvent,
    CertificateKind,
    CertificateStatus,
    CosCategory,
    SalaryPeriod,
    Sex,
    SkillsCharge,
)
from sponsorship.certificates.services import (
    certificate_copy,
    certificate_create,
    certificate_delete,
    certificate_update,
)
from sponsorship.certificates.tests.factories import (
    PayeFactory,
    WorkAddressFactory,
    assigned_certificate,
    complete_draft,
)
from sponsorship.core.errors import ApplicationError, InvalidTransition, StaleEdit
from sponsorship.licences.models import Nation, Route
from sponsorship.licences.tests.factories import SponsorFactory

IP = "203.0.113.7"
FAMILY_NAME_NEEDED = (
    "Enter the worker's family name, as in their passport: a draft needs at least that"
)
STALE = (
    "Someone changed this since you opened it. Reload the page, check the details and try again."
)


def create(actor, values=None, route=Route.SKILLED_WORKER, category=CosCategory.EXTENSION):
    return certificate_create(
        actor=actor,
        route=route,
        category=category,
        values={"family_name": "Kowalczyk"} if values is None else values,
        ip=IP,
    )


def update(actor, certificate, values, version=None):
    return certificate_update(
        actor=actor,
        certificate=certificate,
        version=certificate.version if version is None else version,
        values=values,
        ip=IP,
    )


def stored(certificate) -> Certificate:
    return Certificate.objects.select_related("cos").get(pk=certificate.pk)


def history(certificate) -> list[tuple[str, str]]:
    return [(e.action, e.status) for e in CertificateEvent.objects.filter(certificate=certificate)]


def audits(verb) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb).order_by("pk"))


# Creating.


def test_a_family_name_is_enough_to_save_a_draft(sponsor, level1):
    certificate = create(level1, {"family_name": "  Kowalczyk  "})

    saved = stored(certificate)
    assert saved.family_name == "Kowalczyk"
    assert (saved.status, saved.number, saved.kind) == (
        CertificateStatus.DRAFT,
        None,
        CertificateKind.COS,
    )
    assert (saved.sponsor, saved.owner, saved.created_by) == (sponsor, level1, level1)
    assert (saved.route, saved.cos.category) == (Route.SKILLED_WORKER, CosCategory.EXTENSION)
    assert saved.given_names == "" and saved.passport_number == "" and saved.cos.soc_code == ""
    assert saved.version == 1

    event = CertificateEvent.objects.get(certificate=certificate)
    assert (event.action, event.status, event.actor) == (
        CertificateAction.CREATED,
        CertificateStatus.DRAFT,
        level1,
    )
    (audit,) = audits(AuditVerb.CERTIFICATE_CREATED)
    assert (audit.sponsor, audit.actor, audit.ip_address) == (sponsor, level1, IP)
    assert audit.target_id == str(certificate.pk)
    assert audit.payload == {"status": "DRAFT"}


def test_create_may_fill_more_than_the_family_name(level1):
    certificate = create(
        level1,
        {"family_name": "Kowalczyk", "given_names": "Łukasz", "soc_code": "2134"},
    )
    saved = stored(certificate)
    assert (saved.given_names, saved.cos.soc_code) == ("Łukasz", "2134")


@pytest.mark.parametrize("values", [{}, {"family_name": ""}, {"family_name": "   "}])
def test_a_draft_without_a_family_name_is_refused(level1, values):
    with pytest.raises(ApplicationError) as refused:
        create(level1, values)

    assert refused.value.message == FAMILY_NAME_NEEDED
    assert refused.value.errors == [("family_name", FAMILY_NAME_NEEDED)]
    assert not Certificate.objects.exists()
    assert not audits(AuditVerb.CERTIFICATE_CREATED)


def test_a_route_the_licence_does_not_hold_is_refused(level1):
    with pytest.raises(ApplicationError) as refused:
        create(level1, route=Route.CREATIVE_WORKER)

    assert refused.value.field == "route"
    assert refused.value.message == (
        "Your licence does not include the Creative Worker route. Select one of your routes"
    )
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("route", [Route.STUDENT, Route.CHILD_STUDENT])
def test_a_student_route_is_refused_even_when_held(db, route):
    university = SponsorFactory(routes=[Route.SKILLED_WORKER, Route.STUDENT, Route.CHILD_STUDENT])
    user = Level1Factory(sponsor=university)

    with pytest.raises(ApplicationError) as refused:
        create(user, route=route)

    assert (refused.value.field, refused.value.message) == ("route", "Select a worker route")
    assert not Certificate.objects.exists()


def test_an_unknown_category_is_refused(level1):
    with pytest.raises(ApplicationError) as refused:
        create(level1, category="HOLIDAY")
    assert (refused.value.field, refused.value.message) == (
        "category",
        "Select what the certificate is for",
    )


def test_a_draft_can_be_made_on_another_held_route(level1):
    sponsor = SponsorFactory(routes=[Route.SKILLED_WORKER, Route.CREATIVE_WORKER])
    user = Level1Factory(sponsor=sponsor)
    certificate = create(user, route=Route.CREATIVE_WORKER, category=CosCategory.ENTRY_CLEARANCE)
    assert stored(certificate).route == Route.CREATIVE_WORKER


# Changing.


def test_update_saves_typed_values(sponsor, level1):
    certificate = create(level1)
    values = {
        "given_names": "Łukasz Marek",
        "date_of_birth": date(1991, 3, 14),
        "sex": Sex.MALE,
        "nationality": "POL",
        "country_of_birth": "POL",
        "passport_number": "ep 123 4567",
        "passport_expiry_date": date(2032, 4, 30),
        "home_postcode": "ls1   4ab",
        "uk_ni_number": "ab 12 34 56 c",
        "start_date": date(2027, 1, 4),
        "weekly_hours": Decimal("37.5"),
        "leave_and_reenter": True,
        "soc_code": "2134",
        "salary_amount": Decimal("41700.50"),
        "salary_period": SalaryPeriod.YEAR,
        "new_entrant": True,
        "skills_charge": SkillsCharge.LIABLE,
    }

    update(level1, certificate, values)

    saved = stored(certificate)
    assert saved.given_names == "Łukasz Marek"
    assert saved.date_of_birth == date(1991, 3, 14)
    assert (saved.sex, saved.nationality, saved.country_of_birth) == ("M", "POL", "POL")
    assert saved.passport_number == "EP1234567"
    assert saved.passport_expiry_date == date(2032, 4, 30)
    assert saved.home_postcode == "LS1 4AB"
    cos = saved.cos
    assert cos.uk_ni_number == "AB123456C"
    assert (cos.start_date, cos.weekly_hours) == (date(2027, 1, 4), Decimal("37.50"))
    assert cos.leave_and_reenter is True and cos.new_entrant is True
    assert (cos.soc_code, cos.salary_amount, cos.salary_period) == (
        "2134",
        Decimal("41700.50"),
        "YEAR",
    )
    assert cos.skills_charge == SkillsCharge.LIABLE
    assert saved.version == 2
    assert saved.status == CertificateStatus.DRAFT

    assert history(certificate) == [
        (CertificateAction.CREATED, CertificateStatus.DRAFT),
        (CertificateAction.EDITED, CertificateStatus.DRAFT),
    ]
    (audit,) = audits(AuditVerb.CERTIFICATE_EDITED)
    assert (audit.sponsor, audit.actor, audit.ip_address) == (sponsor, level1, IP)
    assert audit.payload["fields"] == sorted(values)


def test_clearing_a_value_saves_it_empty(level1):
    certificate = complete_draft(level1)
    update(level1, certificate, {"salary_amount": None, "given_names": "", "sex": ""})
    saved = stored(certificate)
    assert (saved.cos.salary_amount, saved.given_names, saved.sex) == (None, "", "")


def test_saving_the_same_values_writes_no_history_line(level1):
    certificate = create(level1, {"family_name": "Kowalczyk", "given_names": "Anna"})
    update(level1, certificate, {"given_names": "Anna"})
    assert history(certificate) == [(CertificateAction.CREATED, CertificateStatus.DRAFT)]
    assert not audits(AuditVerb.CERTIFICATE_EDITED)


def test_every_invalid_value_is_named_at_once_and_nothing_is_saved(level1):
    certificate = create(level1)
    bad = {
        "given_names": "Anna",  # valid, but not saved while anything else is wrong
        "passport_number": "EP-123/4",
        "uk_ni_number": "12345678",
        "soc_code": "213",
        "salary_amount": Decimal("35000.999"),
        "weekly_hours": Decimal(120),
        "sex": "Q",
        "nationality": "QQQ",
        "country_of_residence": "ZZZ",
        "maintenance_certified": "yes",
        "start_date": "2027-01-04",
        "paye_reference": "999/ZZ99999",
    }

    with pytest.raises(ApplicationError) as refused:
        update(level1, certificate, bad)

    expected = [
        (
            "passport_number",
            "Enter the passport number using only letters and numbers, up to 20 characters",
        ),
        (
            "uk_ni_number",
            "Enter a National Insurance number in the right format, like QQ 12 34 56 C",
        ),
        ("soc_code", "Enter the SOC 2020 occupation code as 4 digits, like 2136"),
        (
            "salary_amount",
            "Enter the gross salary in pounds, like 35000 or 35000.99, with no commas or "
            "pound sign",
        ),
        ("weekly_hours", "Enter the weekly working hours as a number up to 99, like 37.5"),
        ("sex", "Select one of the options for sex"),
        ("nationality", "Select a nationality in the list"),
        ("country_of_residence", "Select a country in the list for country of residence"),
        ("maintenance_certified", "Maintenance certified must be true or false"),
        ("start_date", "Start date must be a date"),
        (
            "paye_reference",
            "999/ZZ99999 is not one of your PAYE references. Choose one of yours, or add it "
            "under PAYE references first",
        ),
    ]
    assert refused.value.errors == expected
    assert refused.value.message == expected[0][1]
    assert refused.value.field == "passport_number"

    saved = stored(certificate)
    assert saved.given_names == ""
    assert saved.version == 1
    assert history(certificate) == [(CertificateAction.CREATED, CertificateStatus.DRAFT)]
    assert not audits(AuditVerb.CERTIFICATE_EDITED)


@pytest.mark.parametrize(
    "typed",
    ["ep 123 4567", "EP1234567", " ep1234567 ", "Ep 12\t34 567"],
)
def test_passport_numbers_are_kept_in_capitals_without_spaces(level1, typed):
    certificate = create(level1)
    update(level1, certificate, {"passport_number": typed})
    assert stored(certificate).passport_number == "EP1234567"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("AB 12 34 56 C", "AB123456C"), ("ab123456d", "AB123456D"), ("JG 10 37 59 A", "JG103759A")],
)
def test_national_insurance_numbers_in_the_right_format_are_kept(level1, typed, kept):
    certificate = create(level1)
    update(level1, certificate, {"uk_ni_number": typed})
    assert stored(certificate).cos.uk_ni_number == kept


@pytest.mark.parametrize("typed", ["AO123456A", "GB123456A", "NK123456B", "ZZ123456C"])
def test_national_insurance_prefixes_never_issued_are_refused(level1, typed):
    certificate = create(level1)
    with pytest.raises(ApplicationError) as refused:
        update(level1, certificate, {"uk_ni_number": typed})
    assert refused.value.field == "uk_ni_number"


@pytest.mark.parametrize(
    "typed",
    [
        "AB123456",  # no final letter
        "AB123456E",  # the final letter is A to D
        "DA123456A",  # D is never a first letter
        "AQ123456A",  # nor Q a second one
        "QQ 12 34 56 C",  # the example in the message is never a real number
        "A1234567A",
        "AB12345C",
    ],
)
def test_national_insurance_numbers_in_another_format_are_refused(level1, typed):
    certificate = create(level1)
    with pytest.raises(ApplicationError) as refused:
        update(level1, certificate, {"uk_ni_number": typed})
    assert refused.value.errors == [
        (
            "uk_ni_number",
            "Enter a National Insurance number in the right format, like QQ 12 34 56 C",
        )
    ]
    assert stored(certificate).cos.uk_ni_number == ""


@pytest.mark.parametrize("typed", ["2134", " 2134 "])
def test_a_soc_code_of_four_digits_is_kept(level1, typed):
    certificate = create(level1)
    update(level1, certificate, {"soc_code": typed})
    assert stored(certificate).cos.soc_code == "2134"


@pytest.mark.parametrize("typed", ["213", "21345", "21a4", "SOC1", "2 134"])
def test_a_soc_code_of_anything_else_is_refused(level1, typed):
    certificate = create(level1)
    with pytest.raises(ApplicationError) as refused:
        update(level1, certificate, {"soc_code": typed})
    assert refused.value.errors == [
        ("soc_code", "Enter the SOC 2020 occupation code as 4 digits, like 2136")
    ]
    assert stored(certificate).cos.soc_code == ""


SALARY_FORMAT = (
    "Enter the gross salary in pounds, like 35000 or 35000.99, with no commas or pound sign"
)


@pytest.mark.parametrize(
    "amount",
    [Decimal("35000.999"), "35,000", "£35000", Decimal(0), Decimal(-35000), Decimal(10_000_000)],
)
def test_a_salary_in_another_format_is_refused(level1, amount):
    certificate = create(level1)
    with pytest.raises(ApplicationError) as refused:
        update(level1, certificate, {"salary_amount": amount})
    assert refused.value.errors == [("salary_amount", SALARY_FORMAT)]
    assert stored(certificate).cos.salary_amount is None


@pytest.mark.parametrize(
    ("amount", "kept"),
    [(Decimal(35000), Decimal("35000.00")), ("35000.99", Decimal("35000.99"))],
)
def test_a_salary_in_pounds_or_pounds_and_pence_is_kept(level1, amount, kept):
    certificate = create(level1)
    update(level1, certificate, {"salary_amount": amount})
    assert stored(certificate).cos.salary_amount == kept


def test_a_job_description_of_more_than_1000_characters_is_refused(level1):
    certificate = create(level1)
    update(level1, certificate, {"job_description": "x" * 1000})
    with pytest.raises(ApplicationError) as refused:
        update(level1, stored(certificate), {"job_description": "x" * 1001})
    assert refused.value.errors == [
        ("job_description", "Job description must be 1,000 characters or fewer")
    ]
    assert len(stored(certificate).cos.job_description) == 1000


def test_only_the_sponsors_own_paye_references_are_accepted(
    sponsor, level1, other_sponsor, other_level1
):
    PayeFactory(sponsor=sponsor, added_by=level1, reference="123/AB45678")
    PayeFactory(sponsor=other_sponsor, added_by=other_level1, reference="475/XY12345")
    certificate = create(level1)

    update(level1, certificate, {"paye_reference": "123/AB45678"})
    assert stored(certificate).cos.paye_reference == "123/AB45678"

    with pytest.raises(ApplicationError) as refused:
        update(level1, stored(certificate), {"paye_reference": "475/XY12345"})
    assert refused.value.errors == [
        (
            "paye_reference",
            "475/XY12345 is not one of your PAYE references. Choose one of yours, or add it "
            "under PAYE references first",
        )
    ]
    assert stored(certificate).cos.paye_reference == "123/AB45678"


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"status": CertificateStatus.ASSIGNED}, "status"),
        ({"number": "C2G8H88871U", "fee_pence": 0}, "fee_pence, number"),
        ({"owner": 1}, "owner"),
        ({"sponsor_id": 2}, "sponsor_id"),
    ],
)
def test_fields_outside_the_form_cannot_be_written(level1, values, named):
    certificate = create(level1)
    with pytest.raises(ApplicationError) as refused:
        update(level1, certificate, values)
    assert refused.value.message == f"These are not fields of a certificate: {named}"
    saved = stored(certificate)
    assert (saved.status, saved.number, saved.owner) == (CertificateStatus.DRAFT, None, level1)


def test_the_route_and_category_can_change(sponsor, level1):
    sponsor = SponsorFactory(routes=[Route.SKILLED_WORKER, Route.CREATIVE_WORKER])
    user = Level1Factory(sponsor=sponsor)
    certificate = create(user)

    update(
        user,
        certificate,
        {"route": Route.CREATIVE_WORKER, "category": CosCategory.ENTRY_CLEARANCE},
    )

    saved = stored(certificate)
    assert (saved.route, saved.cos.category) == (
        Route.CREATIVE_WORKER,
        CosCategory.ENTRY_CLEARANCE,
    )
    (audit,) = audits(AuditVerb.CERTIFICATE_EDITED)
    assert audit.payload["fields"] == ["category", "route"]


def test_changing_to_a_route_not_held_is_refused(level1):
    certificate = create(level1)
    with pytest.raises(ApplicationError) as refused:
        update(level1, certificate, {"route": Route.SEASONAL_WORKER, "given_names": "Anna"})
    assert refused.value.message == (
        "Your licence does not include the Seasonal Worker route. Select one of your routes"
    )
    saved = stored(certificate)
    assert (saved.route, saved.given_names) == (Route.SKILLED_WORKER, "")


# Pre-stored work addresses.


def test_a_work_address_is_copied_onto_the_draft(sponsor, level1):
    address = WorkAddressFactory(
        sponsor=sponsor,
        created_by=level1,
        line_1="Unit 4, Harbour Park",
        line_2="Dock Road",
        town="Cardiff",
        postcode="CF10 5AB",
        nation=Nation.WALES,
    )
    certificate = create(level1)

    update(level1, certificate, {"work_address_id": address.pk})

    cos = stored(certificate).cos
    assert cos.work_address == address
    assert (
        cos.work_address_line_1,
        cos.work_address_line_2,
        cos.work_town,
        cos.work_postcode,
        cos.work_nation,
    ) == ("Unit 4, Harbour Park", "Dock Road", "Cardiff", "CF10 5AB", Nation.WALES)


def test_editing_the_work_address_later_leaves_the_certificate_as_it_was(sponsor, level1):
    address = WorkAddressFactory(sponsor=sponsor, created_by=level1, line_1="1 High Street")
    certificate = create(level1)
    update(level1, certificate, {"work_address_id": address.pk})

    address.line_1 = "99 Other Road"
    address.town = "Bristol"
    address.save()

    cos = stored(certificate).cos
    assert (cos.work_address_line_1, cos.work_town) == ("1 High Street", "London")


def test_a_retired_work_address_is_refused(sponsor, level1):
    retired = WorkAddressFactory(sponsor=sponsor, created_by=level1, retired_at=timezone.now())
    certificate = create(level1)

    with pytest.raises(ApplicationError) as refused:
        update(level1, certificate, {"work_address_id": retired.pk})

    assert refused.value.errors == [("work_address_id", "Select one of your work addresses in use")]
    cos = stored(certificate).cos
    assert (cos.work_address, cos.work_address_line_1) == (None, "")


def test_another_sponsors_work_address_is_refused(level1, other_sponsor, other_level1):
    theirs = WorkAddressFactory(sponsor=other_sponsor, created_by=other_level1)
    certificate = create(level1)
    with pytest.raises(ApplicationError) as refused:
        update(level1, certificate, {"work_address_id": theirs.pk})
    assert refused.value.errors == [("work_address_id", "Select one of your work addresses in use")]
    assert stored(certificate).cos.work_address_line_1 == ""


# Copying.


def test_a_copy_takes_the_job_and_the_work_but_not_the_person(sponsor, level1):
    address = WorkAddressFactory(sponsor=sponsor, created_by=level1)
    PayeFactory(sponsor=sponsor, added_by=level1, reference="123/AB45678")
    source = complete_draft(
        level1,
        uk_ni_number="AB123456C",
        employee_number="E-1001",
        national_id="ABC123",
        work_address=address,
        other_work_addresses="2 Station Road, Leeds",
        sourced_through_agent=True,
        agent_name="Global Talent Ltd",
        agent_address="5 Market Street, Manchester",
        paye_reference="123/AB45678",
        care_worker_registration="CQC 1-123456789",
    )

    copy = certificate_copy(actor=level1, source=source, family_name="Nowak", ip=IP)

    saved = stored(copy)
    assert saved.pk != source.pk
    assert (saved.status, saved.number, saved.based_on) == (CertificateStatus.DRAFT, None, source)
    assert (saved.owner, saved.sponsor, saved.route) == (level1, sponsor, Route.SKILLED_WORKER)
    # The person: only the new family name.
    assert saved.family_name == "Nowak"
    for name in (
        "given_names",
        "nationality",
        "place_of_birth",
        "sex",
        "passport_number",
        "passport_place_of_issue",
        "home_address_line_1",
        "home_town",
        "national_id",
    ):
        assert getattr(saved, name) == "", name
    assert saved.date_of_birth is None and saved.passport_expiry_date is None
    assert (saved.cos.uk_ni_number, saved.cos.employee_number) == ("", "")
    # The job and the work: as on the source.
    cos, original = saved.cos, source.cos
    for name in (
        "start_date",
        "end_date",
        "weekly_hours",
        "work_address_line_1",
        "work_town",
        "work_postcode",
        "work_nation",
        "other_work_addresses",
        "sourced_through_agent",
        "agent_name",
        "agent_address",
        "job_title",
        "soc_code",
        "job_description",
        "salary_amount",
        "salary_period",
        "salary_option",
        "eligible_occupation_confirmed",
        "maintenance_certified",
        "skills_charge",
        "paye_reference",
        "paye_reason",
        "care_worker_registration",
    ):
        assert getattr(cos, name) == getattr(original, name), name
    assert cos.work_address == address
    assert cos.category == original.category

    assert history(copy) == [(CertificateAction.CREATED, CertificateStatus.DRAFT)]
    assert len(audits(AuditVerb.CERTIFICATE_CREATED)) == 1
    # The source is untouched.
    assert stored(source).family_name == "Kowalczyk"
    assert stored(source).version == source.version


def test_an_assigned_certificate_can_be_copied_into_a_new_draft(level1):
    source = assigned_certificate(level1, number="C2G8H88871U")
    copy = certificate_copy(actor=level1, source=source, family_name="Nowak", ip=IP)
    saved = stored(copy)
    assert (saved.status, saved.number, saved.cos.job_title) == (
        CertificateStatus.DRAFT,
        None,
        "Software developer",
    )
    assert stored(source).status == CertificateStatus.ASSIGNED


def test_a_copy_needs_a_family_name(level1):
    source = complete_draft(level1)
    with pytest.raises(ApplicationError) as refused:
        certificate_copy(actor=level1, source=source, family_name=" ", ip=IP)
    assert refused.value.errors == [("family_name", FAMILY_NAME_NEEDED)]
    assert Certificate.objects.count() == 1


# Deleting.


def test_a_draft_can_be_deleted(sponsor, level1):
    certificate = create(level1, {"family_name": "Kowalczyk"})

    certificate_delete(actor=level1, certificate=certificate, version=1, ip=IP)

    assert not Certificate.objects.filter(pk=certificate.pk).exists()
    (audit,) = audits(AuditVerb.CERTIFICATE_DELETED)
    assert (audit.sponsor, audit.actor, audit.ip_address) == (sponsor, level1, IP)
    assert audit.target_id == str(certificate.pk)
    assert audit.payload == {"family_name": "Kowalczyk"}


def test_an_assigned_certificate_is_never_deleted_nor_changed(level1):
    certificate = assigned_certificate(level1, number="C2G8H88871U")
    refusal = (
        "Certificate C2G8H88871U is assigned: only a draft can be changed. Add a sponsor note "
        "instead"
    )

    with pytest.raises(InvalidTransition) as refused:
        certificate_delete(
            actor=level1, certificate=certificate, version=certificate.version, ip=IP
        )
    assert refused.value.message == refusal
    with pytest.raises(InvalidTransition) as refused:
        update(level1, certificate, {"given_names": "Anna"})
    assert refused.value.message == refusal

    saved = stored(certificate)
    assert (saved.status, saved.given_names) == (CertificateStatus.ASSIGNED, "Łukasz Marek")
    assert not audits(AuditVerb.CERTIFICATE_DELETED)
    assert not audits(AuditVerb.CERTIFICATE_EDITED)


# Stale edits: another tab or person changed the draft since it was read.


def test_a_stale_update_is_refused_and_saves_nothing(level1, level2):
    certificate = create(level1)
    update(level2, stored(certificate), {"given_names": "Anna"})  # version 1 -> 2

    with pytest.raises(StaleEdit) as refused:
        update(level1, certificate, {"given_names": "Maria", "soc_code": "2136"}, version=1)

    assert refused.value.message == STALE
    assert refused.value.http_status == 409
    saved = stored(certificate)
    assert (saved.given_names, saved.cos.soc_code, saved.version) == ("Anna", "", 2)
    assert len(audits(AuditVerb.CERTIFICATE_EDITED)) == 1


def test_a_stale_delete_is_refused_and_the_draft_stays(level1):
    certificate = create(level1)
    update(level1, stored(certificate), {"given_names": "Anna"})

    with pytest.raises(StaleEdit):
        certificate_delete(actor=level1, certificate=certificate, version=1, ip=IP)

    assert stored(certificate).given_names == "Anna"
    assert not audits(AuditVerb.CERTIFICATE_DELETED)


def test_each_change_takes_the_next_version(level1):
    certificate = create(level1)
    update(level1, certificate, {"given_names": "Anna"})
    update(level1, certificate, {"given_names": "Maria"})
    assert stored(certificate).version == 3
    assert history(certificate) == [
        (CertificateAction.CREATED, CertificateStatus.DRAFT),
        (CertificateAction.EDITED, CertificateStatus.DRAFT),
        (CertificateAction.EDITED, CertificateStatus.DRAFT),
    ]
