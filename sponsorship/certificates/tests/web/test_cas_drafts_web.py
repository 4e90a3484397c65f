"""A university's journey to a CAS in the web service: start a draft with Student or Child
Student and a family name, fill its sections from the task list (picking a stored study
address), check the answers (every problem named by its field, with a link to it; warnings such
as the CAS it makes obsolete), assign it and see its 14-character number; delete drafts; the
list of drafts. Another sponsor's CAS is not found, a Level 2 user works only on their own, a
suspended licence is refused."""

import re
from datetime import date
from decimal import Decimal

import pytest

from sponsorship.accounts.tests.factories import Level1Factory, Level2Factory
from sponsorship.certificates.models import (
    AcademicLevel,
    CefrLevel,
    Certificate,
    CertificateKind,
    CertificateStatus,
    EnglishMethod,
)
from sponsorship.certificates.services import cas_create
from sponsorship.certificates.tests.factories import (
    StudyAddressFactory,
    WorkAddressFactory,
    assigned_cas,
    complete_cas,
    complete_draft,
)
from sponsorship.licences.models import Allocation, LicenceStatus, Nation, Rating, Route
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory
from sponsorship.licences.tests.web.support import field_error, queries_for, rate, text

STALE_MESSAGE = (
    "Someone changed this since you opened it. Reload the page, check the details and try again."
)
ALLOCATION_MESSAGE = (
    "You have insufficient remaining allocation for Student. Request an increase to your "
    "allocation."
)
FAMILY_NAME_MESSAGE = (
    "Enter the student's family name, as in their passport: a draft needs at least that"
)
B1_ON_DEGREE = "The English level is B1: a degree-level course needs at least B2"


@pytest.fixture
def students(sponsor):
    """The sponsor holds the Student route (and Skilled Worker, as SponsorFactory gives)."""
    rate(sponsor, Route.STUDENT, Rating.A)
    return sponsor


@pytest.fixture
def allocation(students):
    return AllocationFactory(sponsor=students, route=Route.STUDENT, limit=5, used=0)


@pytest.fixture
def web(signed_in, level1, students):
    return signed_in(level1)


def _draft_of(user, family_name="Nguyễn", route=Route.STUDENT) -> Certificate:
    """A CAS draft with nothing but a family name, made as the first page makes it."""
    return cas_create(actor=user, route=route, values={"family_name": family_name}, ip=None)


def _fresh(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_related("cas").get(pk=certificate.pk)


def _status_on_task_list(response, key: str) -> str:
    found = re.search(
        rf'<div class="govuk-task-list__status" id="status-{key}">(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    assert found, f"no status for {key}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


STUDENT = {
    "family_name": "Nguyễn",
    "given_names": "Thị Lan",
    "other_names": "",
    "nationality": "VNM",
    "place_of_birth": "Hà Nội",
    "country_of_birth": "VNM",
    "date_of_birth_day": "2",
    "date_of_birth_month": "9",
    "date_of_birth_year": "2001",
    "sex": "F",
    "country_of_residence": "VNM",
    "student_id": "S2026-0099",
}
PASSPORT = {
    "passport_number": "c 1234567",
    "passport_issue_date_day": "1",
    "passport_issue_date_month": "6",
    "passport_issue_date_year": "2022",
    "passport_expiry_date_day": "1",
    "passport_expiry_date_month": "6",
    "passport_expiry_date_year": "2032",
    "passport_place_of_issue": "Hà Nội",
}
COURSE = {
    "course_title": "MSc Data Science",
    "academic_level": AcademicLevel.RQF7,
    "course_type": "TAUGHT",
    "course_start_date_day": "18",
    "course_start_date_month": "1",
    "course_start_date_year": "2027",
    "course_end_date_day": "14",
    "course_end_date_month": "1",
    "course_end_date_year": "2028",
    "weekly_study_hours": "20",
    "study_mode": "FULL_TIME",
}
ENGLISH_B1 = {
    "english_method": EnglishMethod.SPONSOR_ASSESSED,
    "english_level": CefrLevel.B1,
}
FEES = {"course_fees_first_year": "24500", "course_fees_paid": "0"}


def _save(web, certificate, section, data):
    return web.post(
        f"/cas/{certificate.pk}/draft/{section}/",
        {**data, "version": _fresh(certificate).version},
    )


# ---------------------------------------------------------------- create


def test_a_draft_is_saved_with_only_a_family_name(web, level1):
    page = web.get("/cas/new/")
    assert page.status_code == 200
    words = text(page)
    assert "Create a Confirmation of Acceptance for Studies (CAS)" in words
    assert "Student" in words
    # Only the routes the licence holds: no Child Student, no worker route.
    assert "Child Student" not in words
    assert "Skilled Worker" not in words

    response = web.post("/cas/new/", {"route": Route.STUDENT, "family_name": "  Nguyễn "})

    certificate = Certificate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cas/{certificate.pk}/draft/"
    assert (certificate.kind, certificate.route, certificate.family_name) == (
        CertificateKind.CAS,
        Route.STUDENT,
        "Nguyễn",
    )
    assert certificate.status == CertificateStatus.DRAFT
    assert certificate.owner == level1
    assert certificate.cas.course_title == ""
    assert "Draft CAS saved for Nguyễn" in text(web.get(response["Location"]))


def test_both_student_routes_are_offered_when_the_licence_holds_both(web, sponsor):
    rate(sponsor, Route.CHILD_STUDENT, Rating.A)
    words = text(web.get("/cas/new/"))
    assert "Student" in words and "Child Student" in words
    response = web.post("/cas/new/", {"route": Route.CHILD_STUDENT, "family_name": "Tan"})
    assert response.status_code == 302
    assert Certificate.objects.get().route == Route.CHILD_STUDENT


def test_a_missing_family_name_is_named_and_nothing_is_saved(web):
    response = web.post("/cas/new/", {"route": Route.STUDENT, "family_name": "   "})
    assert response.status_code == 400
    assert field_error(response, "family_name") == f"Error: {FAMILY_NAME_MESSAGE}"
    assert 'href="#id_family_name"' in response.content.decode()
    assert text(response).startswith("Error:")
    assert not Certificate.objects.exists()


def test_a_route_the_licence_does_not_hold_or_a_worker_route_is_refused(web):
    child = web.post("/cas/new/", {"route": Route.CHILD_STUDENT, "family_name": "Tan"})
    assert child.status_code == 400
    assert field_error(child, "route") == (
        "Error: Your licence does not include the Child Student route. Select one of your routes"
    )
    worker = web.post("/cas/new/", {"route": Route.SKILLED_WORKER, "family_name": "Tan"})
    assert worker.status_code == 400
    assert field_error(worker, "route") == "Error: Select Student or Child Student"
    missing = web.post("/cas/new/", {"family_name": "Tan"})
    assert field_error(missing, "route") == "Error: Select Student or Child Student"
    assert not Certificate.objects.exists()


def test_a_licence_without_the_student_route_has_no_cas_pages(signed_in, level1):
    client = signed_in(level1)
    for url in ("/cas/new/", "/cas/drafts/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/cas/new/", {"route": Route.STUDENT, "family_name": "Tan"}).status_code == (
        403
    )
    assert not Certificate.objects.exists()


# ---------------------------------------------------------------- the task list and sections


def test_the_task_list_statuses_change_as_sections_are_saved(web, level1):
    certificate = _draft_of(level1)
    url = f"/cas/{certificate.pk}/draft/"
    page = web.get(url)
    assert page.status_code == 200
    assert "Draft CAS for Nguyễn" in text(page)
    assert _status_on_task_list(page, "personal") == "Incomplete"
    assert _status_on_task_list(page, "course") == "Not yet started"
    assert _status_on_task_list(page, "atas") == "Optional"
    assert _status_on_task_list(page, "route") == "Completed"
    assert "You have completed 0 of" in text(page)
    html = page.content.decode()
    assert f'href="/cas/{certificate.pk}/check/"' in html
    assert f'href="/cas/{certificate.pk}/draft/delete/"' in html

    response = _save(web, certificate, "personal", STUDENT)
    assert response.status_code == 302
    assert response["Location"] == url
    page = web.get(url)
    assert "Student details: saved." in text(page)
    assert _status_on_task_list(page, "personal") == "Completed"
    assert "You have completed 1 of" in text(page)
    saved = _fresh(certificate)
    assert (saved.date_of_birth, saved.sex, saved.place_of_birth) == (
        date(2001, 9, 2),
        "F",
        "Hà Nội",
    )
    assert saved.cas.student_id == "S2026-0099"

    assert _save(web, certificate, "passport", PASSPORT).status_code == 302
    assert _fresh(certificate).passport_number == "C1234567"
    assert (
        _save(web, certificate, "course", {"course_title": "MSc Data Science"}).status_code == 302
    )
    assert _status_on_task_list(web.get(url), "course") == "Incomplete"


def test_a_section_page_is_prefilled_and_uses_govuk_controls(web, level1, students):
    certificate = complete_cas(level1)
    course = web.get(f"/cas/{certificate.pk}/draft/course/")
    html = course.content.decode()
    assert course.status_code == 200
    assert 'value="MSc Marine Biology"' in html
    assert 'id="id_course_start_date_day"' in html and 'value="18"' in html
    assert re.search(r'<input[^>]*value="RQF7"[^>]*checked', html)
    assert 'data-module="govuk-character-count" data-maxlength="1000"' in html
    assert (
        'id="id_weekly_study_hours" name="weekly_study_hours" type="text" inputmode="decimal" '
        'value="20"' in html
    )
    assert f'name="version" value="{certificate.version}"' in html

    fees = web.get(f"/cas/{certificate.pk}/draft/fees/").content.decode()
    assert '<div class="govuk-input__prefix" aria-hidden="true">£</div>' in fees
    assert 'value="24500"' in fees
    english = web.get(f"/cas/{certificate.pk}/draft/english/").content.decode()
    assert re.search(r'<option value="B2" selected>B2</option>', english)
    assert "A degree-level course (RQF 6 and above) needs at least B2" in english


def test_an_unknown_section_is_not_found(web, level1):
    certificate = _draft_of(level1)
    assert web.get(f"/cas/{certificate.pk}/draft/employment/").status_code == 404
    assert web.get(f"/cas/{certificate.pk}/draft/nonsense/").status_code == 404


def test_wrong_dates_and_numbers_are_named_on_their_fields_and_nothing_is_saved(web, level1):
    certificate = _draft_of(level1)
    response = _save(
        web,
        certificate,
        "course",
        {**COURSE, "course_start_date_month": "13", "weekly_study_hours": "twenty"},
    )
    assert response.status_code == 400
    assert "The month of the start of the course must be a number from 1 to 12" in text(response)
    assert 'href="#id_course_start_date_day"' not in response.content.decode()
    assert 'href="#id_course_start_date_month"' in response.content.decode()
    assert field_error(response, "weekly_study_hours") == (
        "Error: Enter the hours of study a week as a number up to 99, like 37.5"
    )
    saved = _fresh(certificate)
    assert saved.cas.course_title == ""
    assert saved.version == certificate.version


@pytest.mark.parametrize("amount", ["18,500", "£18500", "18500.999", "-1", "lots"])
def test_fees_in_the_wrong_format_are_refused_with_the_message(web, level1, amount):
    certificate = _draft_of(level1)
    response = _save(web, certificate, "fees", {"course_fees_first_year": amount})
    assert response.status_code == 400
    assert field_error(response, "course_fees_first_year") == (
        "Error: Enter the course fees for the first year in pounds, like 18500 or 18500.50, "
        "with no commas or pound sign (0 if none)"
    )
    assert _fresh(certificate).cas.course_fees_first_year is None


def test_no_fees_paid_yet_is_an_answer(web, level1):
    certificate = _draft_of(level1)
    response = _save(web, certificate, "fees", FEES)
    assert response.status_code == 302
    cas = _fresh(certificate).cas
    assert (cas.course_fees_first_year, cas.course_fees_paid) == (Decimal("24500"), Decimal(0))
    assert _status_on_task_list(web.get(f"/cas/{certificate.pk}/draft/"), "fees") == "Completed"


def test_a_stale_version_is_refused_and_nothing_is_saved(web, level1):
    certificate = _draft_of(level1)
    opened_at = certificate.version
    first = web.post(
        f"/cas/{certificate.pk}/draft/atas/",
        {"atas_required": "on", "atas_reference": "ATAS-1", "version": opened_at},
    )
    assert first.status_code == 302
    # The same page, opened before that save (another tab).
    second = web.post(
        f"/cas/{certificate.pk}/draft/atas/", {"atas_reference": "ATAS-2", "version": opened_at}
    )
    assert second.status_code == 409
    assert STALE_MESSAGE in text(second)
    assert _fresh(certificate).cas.atas_reference == "ATAS-1"


def test_the_route_section_changes_the_route(web, level1, sponsor):
    rate(sponsor, Route.CHILD_STUDENT, Rating.A)
    certificate = _draft_of(level1)
    page = web.get(f"/cas/{certificate.pk}/draft/route/")
    assert page.status_code == 200
    response = _save(web, certificate, "route", {"route": Route.CHILD_STUDENT})
    assert response.status_code == 302
    assert _fresh(certificate).route == Route.CHILD_STUDENT
    refused = _save(web, certificate, "route", {"route": Route.SKILLED_WORKER})
    assert refused.status_code == 400
    assert field_error(refused, "route") == "Error: Select Student or Child Student"
    assert _fresh(certificate).route == Route.CHILD_STUDENT


# ---------------------------------------------------------------- study addresses


def test_a_stored_study_address_can_be_picked(web, level1, sponsor):
    stored = StudyAddressFactory(
        sponsor=sponsor,
        created_by=level1,
        name="King's Buildings",
        line_1="Mayfield Road",
        town="Edinburgh",
        postcode="EH9 3JL",
        nation=Nation.SCOTLAND,
    )
    StudyAddressFactory(
        sponsor=sponsor, created_by=level1, line_1="Old Campus", retired_at="2026-01-01T00:00Z"
    )
    WorkAddressFactory(sponsor=sponsor, created_by=level1, line_1="The Head Office")
    certificate = _draft_of(level1)
    page = text(web.get(f"/cas/{certificate.pk}/draft/study_address/"))
    assert "Choose one of your study addresses" in page
    assert "King's Buildings, Mayfield Road, Edinburgh, EH9 3JL" in page
    assert "Old Campus" not in page
    assert "The Head Office" not in page

    response = _save(web, certificate, "study_address", {"study_address_id": str(stored.pk)})
    assert response.status_code == 302
    cas = _fresh(certificate).cas
    assert (cas.study_address_line_1, cas.study_town, cas.study_postcode, cas.study_nation) == (
        "Mayfield Road",
        "Edinburgh",
        "EH9 3JL",
        Nation.SCOTLAND,
    )
    assert cas.study_address_id == stored.pk


def test_without_stored_study_addresses_the_address_is_typed(web, level1):
    certificate = _draft_of(level1)
    page = text(web.get(f"/cas/{certificate.pk}/draft/study_address/"))
    assert "Choose one of your study addresses" not in page
    assert "A Level 1 user can store your study addresses" in page
    response = _save(
        web,
        certificate,
        "study_address",
        {
            "study_address_line_1": "University Avenue",
            "study_town": "Aberdeen",
            "study_postcode": "ab24 3fx",
            "study_nation": "SCT",
        },
    )
    assert response.status_code == 302
    assert _fresh(certificate).cas.study_postcode == "AB24 3FX"


def test_another_sponsors_or_a_work_address_cannot_be_picked(web, level1, sponsor, other_level1):
    StudyAddressFactory(sponsor=sponsor, created_by=level1)
    theirs = StudyAddressFactory(sponsor=other_level1.sponsor, created_by=other_level1)
    work = WorkAddressFactory(sponsor=sponsor, created_by=level1)
    certificate = _draft_of(level1)
    for wrong in (theirs, work):
        response = _save(web, certificate, "study_address", {"study_address_id": str(wrong.pk)})
        assert response.status_code == 400
        assert field_error(response, "study_address_id") == (
            "Error: Select one of your study addresses in use"
        )
    assert _fresh(certificate).cas.study_address_line_1 == ""


# ---------------------------------------------------------------- check and assign


def test_the_journey_from_a_family_name_to_a_cas_number(web, level1, allocation):
    """Create, fill each section, see the English level named on the check page as too low for
    a master's, fix it, assign, and get the 14-character CAS number."""
    created = web.post("/cas/new/", {"route": Route.STUDENT, "family_name": "Nguyễn"})
    certificate = Certificate.objects.get()
    assert created["Location"] == f"/cas/{certificate.pk}/draft/"
    for section, data in (
        ("personal", STUDENT),
        ("passport", PASSPORT),
        (
            "home_address",
            {"home_address_line_1": "12 Lý Thái Tổ", "home_town": "Hà Nội", "home_country": "VNM"},
        ),
        ("course", COURSE),
        (
            "study_address",
            {
                "study_address_line_1": "University Avenue",
                "study_town": "Aberdeen",
                "study_postcode": "AB24 3FX",
                "study_nation": "SCT",
            },
        ),
        ("english", ENGLISH_B1),
        ("fees", FEES),
    ):
        response = _save(web, certificate, section, data)
        assert response.status_code == 302, (section, text(response)[:600])

    check = web.get(f"/cas/{certificate.pk}/check/")
    words = text(check)
    assert check.status_code == 200
    assert words.startswith("Error:")
    assert "Before you can assign this CAS" in words
    assert f"English level: {B1_ON_DEGREE}" in words
    english_link = f'href="/cas/{certificate.pk}/draft/english/?check=1#id_english_level"'
    assert english_link in check.content.decode()
    assert "Assign CAS" not in words
    assert "Remaining now 5 of 5" in words
    # Following the link shows the message on the field itself.
    section = web.get(f"/cas/{certificate.pk}/draft/english/?check=1")
    assert field_error(section, "english_level") == f"Error: {B1_ON_DEGREE}"
    assert 'href="#id_english_level"' in section.content.decode()

    assert _save(
        web, certificate, "english", {**ENGLISH_B1, "english_level": "B2"}
    ).status_code == (302)
    check = web.get(f"/cas/{certificate.pk}/check/")
    assert B1_ON_DEGREE not in text(check)
    assert "Assign CAS" in text(check)
    assert "6 months from today" in text(check)

    response = web.post(f"/cas/{certificate.pk}/check/", {"version": _fresh(certificate).version})
    assert response.status_code == 302
    assert response["Location"] == f"/cas/{certificate.pk}/assigned/"
    assigned = _fresh(certificate)
    assert assigned.status == CertificateStatus.ASSIGNED
    assert assigned.number and len(assigned.number) == 14 and assigned.number.startswith("E")
    assert assigned.use_by == date(2027, 5, 16)
    assert Allocation.objects.get(pk=allocation.pk).used == 1
    confirmation = web.get(response["Location"])
    words = text(confirmation)
    assert "CAS assigned" in words
    assert f"CAS number {assigned.number}" in words
    assert "They must use it by 16 May 2027" in words
    assert f'href="/cas/{certificate.pk}/"' in confirmation.content.decode()
    # Its draft pages now lead to the CAS's own page.
    for url in ("draft/", "draft/course/", "check/", "draft/delete/"):
        assert web.get(f"/cas/{certificate.pk}/{url}")["Location"] == f"/cas/{certificate.pk}/"


def test_every_missing_field_is_named_with_a_link_to_its_section(web, level1):
    certificate = _draft_of(level1)
    page = web.get(f"/cas/{certificate.pk}/check/")
    words = text(page)
    html = page.content.decode()
    for message, section, field in (
        ("Select the student's sex: female, male or unspecified", "personal", "sex"),
        ("Enter the course title", "course", "course_title"),
        ("Enter the date the course starts", "course", "course_start_date_day"),
        (
            "Enter the main study address, or pick one of your study addresses",
            "study_address",
            "study_address_line_1",
        ),
        ("Select how the student's English was assessed", "english", "english_method"),
        (
            "Enter the course fees for the first year in pounds, like 18500 (0 if none)",
            "fees",
            "course_fees_first_year",
        ),
    ):
        assert message in words
        assert f'href="/cas/{certificate.pk}/draft/{section}/?check=1#id_{field}"' in html
    assert f'href="/cas/{certificate.pk}/draft/personal/#id_sex"' in html  # Change
    assert "Assign CAS" not in words


def test_the_selt_components_and_atas_are_checked(web, level1, allocation):
    certificate = complete_cas(level1, selt_speaking_level=CefrLevel.B1, atas_required=True)
    words = text(web.get(f"/cas/{certificate.pk}/check/"))
    assert (
        "SELT speaking level: The SELT speaking level is B1: a degree-level course needs at least "
        "B2 in each of reading, writing, listening and speaking" in words
    )
    assert "Enter the ATAS certificate reference, or untick 'ATAS certificate required'" in words
    response = web.post(f"/cas/{certificate.pk}/check/", {"version": certificate.version})
    assert response.status_code == 409
    assert "The CAS was not assigned" in text(response)
    assert _fresh(certificate).status == CertificateStatus.DRAFT
    assert Allocation.objects.get(pk=allocation.pk).used == 0


def test_fees_paid_over_the_fees_due_are_named_on_the_fees(web, level1):
    certificate = complete_cas(level1, course_fees_paid=Decimal("30000"))
    page = web.get(f"/cas/{certificate.pk}/check/")
    assert "The course fees paid to date (£30,000.00) are more than the course fees" in text(page)
    assert (
        f'href="/cas/{certificate.pk}/draft/fees/?check=1#id_course_fees_paid"'
        in page.content.decode()
    )


def test_a_cas_for_the_same_student_and_course_is_warned_of_and_made_obsolete(
    web, level1, allocation
):
    older = assigned_cas(level1, number="E0000000000042")
    certificate = complete_cas(level1)
    page = web.get(f"/cas/{certificate.pk}/check/")
    words = text(page)
    assert "Read before you assign" in words
    assert (
        "CAS E0000000000042 is assigned for the same student and course. Assigning this one "
        "makes it obsolete" in words
    )
    assert "Assign CAS" in words
    response = web.post(f"/cas/{certificate.pk}/check/", {"version": certificate.version})
    assert response.status_code == 302
    older.refresh_from_db()
    assert older.status == CertificateStatus.OBSOLETE


def test_an_exhausted_allocation_shows_the_message_and_assigns_nothing(web, level1, allocation):
    allocation.used = allocation.limit
    allocation.save()
    certificate = complete_cas(level1)
    page = web.get(f"/cas/{certificate.pk}/check/")
    assert ALLOCATION_MESSAGE in text(page)
    assert 'href="/licence/allocations/"' in page.content.decode()
    assert "Assign CAS" not in text(page)

    response = web.post(f"/cas/{certificate.pk}/check/", {"version": certificate.version})
    assert response.status_code == 409
    assert f'<a href="/licence/allocations/">{ALLOCATION_MESSAGE}</a>' in response.content.decode()
    assert _fresh(certificate).status == CertificateStatus.DRAFT
    assert Allocation.objects.get(pk=allocation.pk).used == allocation.limit


def test_a_level_2_user_is_told_who_can_ask_for_more_allocation(signed_in, level2, students):
    certificate = complete_cas(level2)
    page = signed_in(level2).get(f"/cas/{certificate.pk}/check/")
    assert ALLOCATION_MESSAGE in text(page)
    assert "A Level 1 user of your licence can request an increase" in text(page)
    assert 'href="/licence/allocations/"' not in page.content.decode()


def test_a_stale_assignment_is_refused_and_nothing_assigned(web, level1, allocation):
    certificate = complete_cas(level1)
    response = web.post(f"/cas/{certificate.pk}/check/", {"version": certificate.version + 1})
    assert response.status_code == 409
    assert STALE_MESSAGE in text(response)
    assert _fresh(certificate).status == CertificateStatus.DRAFT
    assert Allocation.objects.get(pk=allocation.pk).used == 0


def test_a_b_rated_route_assigns_only_to_existing_students(web, level1, sponsor, allocation):
    rate(sponsor, Route.STUDENT, Rating.B)
    certificate = complete_cas(level1)
    page = web.get(f"/cas/{certificate.pk}/check/")
    assert "Your Student rating is B: you can only assign a CAS to a student already" in text(page)
    assert (
        f'href="/cas/{certificate.pk}/draft/personal/?check=1#id_existing_student"'
        in page.content.decode()
    )
    existing = complete_cas(level1, existing_student=True, student_id="S-2")
    response = web.post(f"/cas/{existing.pk}/check/", {"version": existing.version})
    assert response.status_code == 302
    assert _fresh(existing).status == CertificateStatus.ASSIGNED


def test_the_confirmation_of_a_draft_goes_back_to_its_check(web, level1):
    certificate = _draft_of(level1)
    response = web.get(f"/cas/{certificate.pk}/assigned/")
    assert response["Location"] == f"/cas/{certificate.pk}/check/"


# ---------------------------------------------------------------- delete


def test_a_draft_is_deleted_after_a_confirmation(web, level1):
    certificate = _draft_of(level1)
    page = web.get(f"/cas/{certificate.pk}/draft/delete/")
    assert "Delete the draft CAS for Nguyễn?" in text(page)
    stale = web.post(f"/cas/{certificate.pk}/draft/delete/", {"version": certificate.version + 1})
    assert stale.status_code == 409
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    response = web.post(f"/cas/{certificate.pk}/draft/delete/", {"version": certificate.version})
    assert response.status_code == 302
    assert response["Location"] == "/cas/drafts/"
    assert not Certificate.objects.filter(pk=certificate.pk).exists()
    assert "The draft CAS for Nguyễn was deleted." in text(web.get("/cas/drafts/"))


# ---------------------------------------------------------------- the list of drafts


def test_the_list_shows_the_drafts_only(web, level1, level2):
    mine = complete_cas(level1, family_name="Okafor", given_names="Chiamaka")
    theirs = _draft_of(level2, family_name="Haddad")
    assigned_cas(level1, family_name="Assigned")
    complete_draft(level1, family_name="Worker")
    page = web.get("/cas/drafts/")
    words = text(page)
    assert page.status_code == 200
    assert "Chiamaka Okafor" in words and "MSc Marine Biology" in words
    assert "student ID S2026-0042" in words
    assert "Ready to check" in words
    assert "Haddad" in words and "Priya Raman" in words  # Level 1 sees every draft
    assert "Assigned" not in words
    assert "Worker" not in words
    html = page.content.decode()
    assert f'href="/cas/{mine.pk}/draft/"' in html
    assert f'href="/cas/{theirs.pk}/draft/"' in html


def test_the_list_is_paginated(web, level1):
    for n in range(27):
        _draft_of(level1, family_name=f"Student{n:02d}")
    first = text(web.get("/cas/drafts/"))
    assert "Page 1 of 2" in first
    assert "Student26" in first and "Student01" not in first
    second = text(web.get("/cas/drafts/?page=2"))
    assert "Student01" in second and "Student00" in second and "Student26" not in second


def test_the_lists_queries_do_not_grow_with_its_rows(web, level1):
    def drafts(count):
        Certificate.objects.all().delete()
        for n in range(count):
            complete_cas(level1, family_name=f"Student{n}", student_id=f"S{n}")

    drafts(3)
    few = queries_for(web, "/cas/drafts/")
    drafts(30)
    many = queries_for(web, "/cas/drafts/")
    assert few == many


def test_the_list_says_when_there_are_none(web):
    assert "There are no CAS drafts." in text(web.get("/cas/drafts/"))


# ---------------------------------------------------------------- who may see what


def _urls(certificate) -> list[str]:
    return [
        f"/cas/{certificate.pk}/draft/",
        f"/cas/{certificate.pk}/draft/personal/",
        f"/cas/{certificate.pk}/draft/route/",
        f"/cas/{certificate.pk}/check/",
        f"/cas/{certificate.pk}/draft/delete/",
        f"/cas/{certificate.pk}/assigned/",
    ]


def test_another_sponsors_cas_is_not_found(web, level1, allocation):
    other = SponsorFactory(routes=[Route.STUDENT])
    AllocationFactory(sponsor=other, route=Route.STUDENT, limit=5)
    theirs = complete_cas(Level1Factory(sponsor=other), family_name="Theirs")
    for url in _urls(theirs):
        assert web.get(url).status_code == 404, url
    assert web.post(f"/cas/{theirs.pk}/check/", {"version": theirs.version}).status_code == 404
    assert _save(web, theirs, "personal", STUDENT).status_code == 404
    assert web.post(f"/cas/{theirs.pk}/draft/delete/", {"version": theirs.version}).status_code == (
        404
    )
    theirs = _fresh(theirs)
    assert (theirs.status, theirs.given_names) == (CertificateStatus.DRAFT, "Łukasz Marek")
    assert "Theirs" not in text(web.get("/cas/drafts/"))


def test_a_cos_is_not_a_cas_and_a_cas_is_not_a_cos(web, level1):
    cos = complete_draft(level1)
    for url in _urls(cos):
        assert web.get(url).status_code == 404, url
    cas = _draft_of(level1)
    assert web.get(f"/certificates/{cas.pk}/draft/").status_code == 404
    assert web.get(f"/certificates/{cas.pk}/check/").status_code == 404


def test_a_level_2_user_works_only_on_their_own(signed_in, level1, level2, allocation):
    theirs = complete_cas(level1, family_name="Level-one's")
    mine = complete_cas(level2, family_name="Mine", student_id="S-9", passport_number="P9")
    client = signed_in(level2)
    for url in _urls(theirs):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/cas/{theirs.pk}/check/", {"version": theirs.version}).status_code == 404
    assert _fresh(theirs).status == CertificateStatus.DRAFT
    words = text(client.get("/cas/drafts/"))
    assert "Mine" in words and "Level-one's" not in words

    assert client.get(f"/cas/{mine.pk}/draft/").status_code == 200
    response = client.post(f"/cas/{mine.pk}/check/", {"version": mine.version})
    assert response.status_code == 302
    assert _fresh(mine).status == CertificateStatus.ASSIGNED


def test_a_level_2_user_of_another_level_2_user_is_not_found(signed_in, level2, students):
    colleague = Level2Factory(sponsor=students, username="LEVELTWO2")
    theirs = _draft_of(colleague)
    assert signed_in(level2).get(f"/cas/{theirs.pk}/draft/").status_code == 404


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.DORMANT])
def test_a_suspended_or_dormant_licence_is_refused(web, level1, sponsor, allocation, status):
    certificate = complete_cas(level1)
    sponsor.status = status
    sponsor.save()
    for url in ["/cas/new/", "/cas/drafts/", *_urls(certificate)]:
        response = web.get(url)
        assert response.status_code == 409, url
        assert f"Not available while your licence is {status.label.lower()}." in text(response)
    assert web.post(
        f"/cas/{certificate.pk}/check/", {"version": certificate.version}
    ).status_code == (409)
    assert web.post("/cas/new/", {"route": Route.STUDENT, "family_name": "Tan"}).status_code == 409
    assert _fresh(certificate).status == CertificateStatus.DRAFT
    assert Certificate.objects.count() == 1
    assert Allocation.objects.get(pk=allocation.pk).used == 0


def test_a_caseworker_is_refused(signed_in, caseworker, level1, students):
    certificate = _draft_of(level1)
    client = signed_in(caseworker)
    assert client.get("/cas/drafts/").status_code == 403
    assert client.get(f"/cas/{certificate.pk}/draft/").status_code == 403
