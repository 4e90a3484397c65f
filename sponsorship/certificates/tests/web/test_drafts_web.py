"""A sponsor's journey to a certificate in the web service: create a draft with only a family
name, fill its sections from the task list, check the answers (every problem named, warnings,
the salary verdict, the charges, the allocation) and assign it; copy and delete drafts."""

import re
from datetime import date
from decimal import Decimal

import pytest

from sponsorship.accounts.tests.factories import Level2Factory
from sponsorship.certificates.forms.drafts import section_initial
from sponsorship.certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CosCategory,
    CosDetails,
    SalaryPeriod,
)
from sponsorship.certificates.sections import SECTIONS_BY_KEY, value_of
from sponsorship.certificates.services import EDITABLE_FIELDS
from sponsorship.certificates.tests.factories import (
    PayeFactory,
    WorkAddressFactory,
    assigned_certificate,
    complete_draft,
)
from sponsorship.licences.models import Allocation, LicenceStatus, Nation, Rating, Route
from sponsorship.licences.tests.web.support import field_error, queries_for, rate, text

SALARY_MESSAGE = (
    "Enter the gross salary in pounds, like 35000 or 35000.99, with no commas or pound sign"
)
FAMILY_NAME_MESSAGE = (
    "Enter the worker's family name, as in their passport: a draft needs at least that"
)
STALE_MESSAGE = (
    "Someone changed this since you opened it. Reload the page, check the details and try again."
)
ALLOCATION_MESSAGE = (
    "You have insufficient remaining allocation for Skilled Worker. "
    "Request an increase to your allocation."
)


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


def _new(web, **fields):
    data = {"route": Route.SKILLED_WORKER, "category": CosCategory.CHANGE_OF_EMPLOYMENT, **fields}
    return web.post("/certificates/new/", data)


def _draft_of(level1, family_name="Nowak") -> Certificate:
    """A draft with nothing but a family name, made as the first page makes it."""
    from sponsorship.certificates.services import certificate_create

    return certificate_create(
        actor=level1,
        route=Route.SKILLED_WORKER,
        category=CosCategory.CHANGE_OF_EMPLOYMENT,
        values={"family_name": family_name},
        ip=None,
    )


def _status_on_task_list(response, key: str) -> str:
    found = re.search(
        rf'<div class="govuk-task-list__status" id="status-{key}">(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    assert found, f"no status for {key}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def _fresh(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_related("cos").get(pk=certificate.pk)


PERSONAL = {
    "family_name": "Nowak",
    "given_names": "Anna Maria",
    "other_names": "",
    "nationality": "POL",
    "place_of_birth": "Gdańsk",
    "country_of_birth": "POL",
    "date_of_birth_day": "14",
    "date_of_birth_month": "3",
    "date_of_birth_year": "1991",
    "sex": "F",
    "country_of_residence": "GBR",
}


# ---------------------------------------------------------------- create


def test_a_draft_is_saved_with_only_a_family_name(web, level1):
    page = web.get("/certificates/new/")
    assert page.status_code == 200
    assert "Skilled Worker" in text(page)
    assert "Student" not in text(page)

    response = _new(web, family_name="  Nowak ")

    certificate = Certificate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/{certificate.pk}/draft/"
    assert certificate.family_name == "Nowak"
    assert certificate.status == CertificateStatus.DRAFT
    assert certificate.owner == level1
    assert certificate.cos.category == CosCategory.CHANGE_OF_EMPLOYMENT
    task_list = web.get(response["Location"])
    assert "Draft saved for Nowak" in text(task_list)


def test_a_missing_family_name_is_named_and_nothing_is_saved(web):
    response = _new(web, family_name="   ")
    assert response.status_code == 400
    assert field_error(response, "family_name") == f"Error: {FAMILY_NAME_MESSAGE}"
    assert 'href="#id_family_name"' in response.content.decode()
    assert not Certificate.objects.exists()


def test_a_route_the_licence_does_not_hold_is_refused(web):
    response = _new(web, route=Route.CREATIVE_WORKER, family_name="Nowak")
    assert response.status_code == 400
    assert field_error(response, "route") == (
        "Error: Your licence does not include the Creative Worker route. Select one of your routes"
    )
    student = _new(web, route=Route.STUDENT, family_name="Nowak")
    assert student.status_code == 400
    assert field_error(student, "route") == "Error: Select a worker route"
    assert not Certificate.objects.exists()


def test_only_the_licences_worker_routes_are_offered(web, sponsor):
    rate(sponsor, Route.CREATIVE_WORKER, Rating.A)
    rate(sponsor, Route.STUDENT, Rating.A)
    page = text(web.get("/certificates/new/"))
    assert "Skilled Worker" in page
    assert "Creative Worker" in page
    assert "Student" not in page
    assert "Scale-up" not in page


# ---------------------------------------------------------------- the task list and sections


def test_the_task_list_statuses_change_as_sections_are_saved(web, level1):
    certificate = _draft_of(level1)
    url = f"/certificates/{certificate.pk}/draft/"
    page = web.get(url)
    assert page.status_code == 200
    assert _status_on_task_list(page, "personal") == "Incomplete"
    assert _status_on_task_list(page, "passport") == "Not yet started"
    assert _status_on_task_list(page, "identification") == "Optional"
    assert _status_on_task_list(page, "route") == "Completed"
    assert "You have completed 0 of" in text(page)
    assert f'href="/certificates/{certificate.pk}/check/"' in page.content.decode()
    assert f'href="/certificates/{certificate.pk}/draft/delete/"' in page.content.decode()

    response = web.post(
        f"/certificates/{certificate.pk}/draft/personal/",
        {**PERSONAL, "version": certificate.version},
    )
    assert response.status_code == 302
    assert response["Location"] == url
    page = web.get(url)
    assert "Personal information: saved." in text(page)
    assert _status_on_task_list(page, "personal") == "Completed"
    assert "You have completed 1 of" in text(page)
    saved = _fresh(certificate)
    assert saved.date_of_birth == date(1991, 3, 14)
    assert saved.sex == "F"
    assert saved.place_of_birth == "Gdańsk"

    response = web.post(
        f"/certificates/{certificate.pk}/draft/passport/",
        {"passport_number": "ep 123 4567", "version": saved.version},
    )
    assert response.status_code == 302
    assert _status_on_task_list(web.get(url), "passport") == "Incomplete"
    assert _fresh(certificate).passport_number == "EP1234567"


def test_a_section_page_is_prefilled_and_uses_govuk_controls(web, level1):
    certificate = complete_draft(level1)
    page = web.get(f"/certificates/{certificate.pk}/draft/personal/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="Kowalczyk"' in html
    assert 'id="id_date_of_birth_day"' in html and 'value="14"' in html
    assert 'class="govuk-radios__input" id="id_sex-2"' in html
    assert re.search(r'<option value="POL" selected>Poland</option>', html)
    assert f'name="version" value="{certificate.version}"' in html

    job = web.get(f"/certificates/{certificate.pk}/draft/employment/").content.decode()
    assert 'data-module="govuk-character-count" data-maxlength="1000"' in job
    assert 'data-maxlength="250"' in job
    assert "You can enter up to 1,000 characters" in job
    assert (
        'id="id_salary_amount" name="salary_amount" type="text" inputmode="decimal" value="55000"'
        in job
    )
    assert '<div class="govuk-input__prefix" aria-hidden="true">£</div>' in job


def test_an_unknown_section_is_not_found(web, level1):
    certificate = _draft_of(level1)
    assert web.get(f"/certificates/{certificate.pk}/draft/nonsense/").status_code == 404


def test_a_wrong_date_is_named_on_its_boxes_and_nothing_is_saved(web, level1):
    certificate = _draft_of(level1)
    response = web.post(
        f"/certificates/{certificate.pk}/draft/personal/",
        {**PERSONAL, "date_of_birth_day": "32", "version": certificate.version},
    )
    assert response.status_code == 400
    assert "The day of birth must be a number from 1 to 31" in text(response)
    assert 'href="#id_date_of_birth_day"' in response.content.decode()
    assert _fresh(certificate).given_names == ""


@pytest.mark.parametrize("amount", ["35,000", "£35000", "35000.999", "35k", "0"])
def test_a_salary_in_the_wrong_format_is_refused_with_the_message(web, level1, amount):
    certificate = complete_draft(level1)
    page = web.get(f"/certificates/{certificate.pk}/draft/employment/")
    assert page.status_code == 200
    response = web.post(
        f"/certificates/{certificate.pk}/draft/employment/",
        {
            "job_title": "Software developer",
            "soc_code": "2134",
            "salary_amount": amount,
            "salary_period": SalaryPeriod.YEAR,
            "version": certificate.version,
        },
    )
    assert response.status_code == 400
    assert field_error(response, "salary_amount") == f"Error: {SALARY_MESSAGE}"
    assert 'href="#id_salary_amount"' in response.content.decode()
    assert _fresh(certificate).cos.salary_amount == Decimal("55000")
    assert _fresh(certificate).version == certificate.version


@pytest.mark.parametrize("amount, saved", [("35000", "35000"), ("35000.99", "35000.99")])
def test_a_salary_in_pounds_or_pounds_and_pence_is_saved(web, level1, amount, saved):
    certificate = _draft_of(level1)
    response = web.post(
        f"/certificates/{certificate.pk}/draft/employment/",
        {"salary_amount": amount, "salary_period": "MONTH", "version": certificate.version},
    )
    assert response.status_code == 302
    cos = _fresh(certificate).cos
    assert cos.salary_amount == Decimal(saved)
    assert cos.salary_period == SalaryPeriod.MONTH


def test_a_stale_version_is_refused_and_nothing_is_saved(web, level1):
    certificate = _draft_of(level1)
    opened_at = certificate.version
    first = web.post(
        f"/certificates/{certificate.pk}/draft/identification/",
        {"employee_number": "E-1", "version": opened_at},
    )
    assert first.status_code == 302
    # The same page, opened before that save (another tab).
    second = web.post(
        f"/certificates/{certificate.pk}/draft/identification/",
        {"employee_number": "E-2", "national_id": "X99", "version": opened_at},
    )
    assert second.status_code == 409
    assert STALE_MESSAGE in text(second)
    saved = _fresh(certificate)
    assert saved.cos.employee_number == "E-1"
    assert saved.national_id == ""


def test_a_service_error_is_placed_on_its_field(web, level1):
    certificate = _draft_of(level1)
    response = web.post(
        f"/certificates/{certificate.pk}/draft/identification/",
        {"uk_ni_number": "12345", "version": certificate.version},
    )
    assert response.status_code == 400
    assert field_error(response, "uk_ni_number") == (
        "Error: Enter a National Insurance number in the right format, like QQ 12 34 56 C"
    )
    assert _fresh(certificate).version == certificate.version


def test_a_work_address_can_be_picked_from_the_stored_ones(web, level1, sponsor):
    stored = WorkAddressFactory(
        sponsor=sponsor,
        created_by=level1,
        name="Leeds office",
        line_1="2 Park Row",
        town="Leeds",
        postcode="LS1 5AB",
        nation=Nation.ENGLAND,
    )
    WorkAddressFactory(sponsor=sponsor, created_by=level1, line_1="Old Mill", retired_at=None)
    certificate = _draft_of(level1)
    page = web.get(f"/certificates/{certificate.pk}/draft/work_address/")
    assert "Leeds office, 2 Park Row, Leeds, LS1 5AB" in text(page)

    response = web.post(
        f"/certificates/{certificate.pk}/draft/work_address/",
        {"work_address_id": str(stored.pk), "version": certificate.version},
    )
    assert response.status_code == 302
    cos = _fresh(certificate).cos
    assert (cos.work_address_line_1, cos.work_town, cos.work_postcode, cos.work_nation) == (
        "2 Park Row",
        "Leeds",
        "LS1 5AB",
        Nation.ENGLAND,
    )
    assert cos.work_address_id == stored.pk


def test_another_sponsors_work_address_cannot_be_picked(web, level1, sponsor, other_level1):
    WorkAddressFactory(sponsor=sponsor, created_by=level1)
    theirs = WorkAddressFactory(sponsor=other_level1.sponsor, created_by=other_level1)
    certificate = _draft_of(level1)
    response = web.post(
        f"/certificates/{certificate.pk}/draft/work_address/",
        {"work_address_id": str(theirs.pk), "version": certificate.version},
    )
    assert response.status_code == 400
    assert field_error(response, "work_address_id") == (
        "Error: Select one of your work addresses in use"
    )
    assert _fresh(certificate).cos.work_address_line_1 == ""


def test_the_route_section_changes_the_category(web, level1):
    certificate = _draft_of(level1)
    page = web.get(f"/certificates/{certificate.pk}/draft/route/")
    assert page.status_code == 200
    response = web.post(
        f"/certificates/{certificate.pk}/draft/route/",
        {
            "route": Route.SKILLED_WORKER,
            "category": CosCategory.EXTENSION,
            "version": certificate.version,
        },
    )
    assert response.status_code == 302
    assert _fresh(certificate).cos.category == CosCategory.EXTENSION
    refused = web.post(
        f"/certificates/{certificate.pk}/draft/route/",
        {
            "route": Route.SEASONAL_WORKER,
            "category": CosCategory.EXTENSION,
            "version": _fresh(certificate).version,
        },
    )
    assert refused.status_code == 400
    assert "Your licence does not include the Seasonal Worker route" in text(refused)
    assert _fresh(certificate).route == Route.SKILLED_WORKER


# ---------------------------------------------------------------- check your answers


def test_the_check_page_names_the_fields_most_often_missed(web, level1):
    certificate = _draft_of(level1)
    page = web.get(f"/certificates/{certificate.pk}/check/")
    words = text(page)
    assert page.status_code == 200
    assert "Select the worker's sex: female, male or unspecified" in words
    assert "Enter the main work address in the UK, or pick one of your work addresses" in words
    assert "Enter the gross salary in pounds, like 35000 or 35000.99" in words
    assert "Select what the salary is for: each year, month, week or hour" in words
    html = page.content.decode()
    # Each links from the error summary to its field on the section's page.
    assert f'href="/certificates/{certificate.pk}/draft/personal/?check=1#id_sex"' in html
    assert (
        f'href="/certificates/{certificate.pk}/draft/employment/?check=1#id_salary_period"' in html
    )
    assert (
        f'href="/certificates/{certificate.pk}/draft/work_address/?check=1'
        '#id_work_address_line_1"' in html
    )
    assert f'href="/certificates/{certificate.pk}/draft/personal/#id_sex"' in html  # Change
    assert "Assign certificate" not in words


def test_agent_fields_are_required_once_ticked(web, level1, allocation):
    certificate = complete_draft(level1)
    response = web.post(
        f"/certificates/{certificate.pk}/draft/agent/",
        {"sourced_through_agent": "on", "version": certificate.version},
    )
    assert response.status_code == 302
    check = web.get(f"/certificates/{certificate.pk}/check/")
    words = text(check)
    assert "Agent name: Enter the agent's name, or untick 'sourced through an agent'" in words
    assert "Agent address: Enter the agent's address, or untick 'sourced through an agent'" in (
        words
    )
    assert f'/certificates/{certificate.pk}/draft/agent/?check=1#id_agent_name"' in (
        check.content.decode()
    )
    assert "Assign certificate" not in words
    # Following the link shows the message on the field itself.
    section = web.get(f"/certificates/{certificate.pk}/draft/agent/?check=1")
    assert field_error(section, "agent_name") == (
        "Error: Enter the agent's name, or untick 'sourced through an agent'"
    )
    assert 'href="#id_agent_address"' in section.content.decode()

    web.post(
        f"/certificates/{certificate.pk}/draft/agent/",
        {
            "sourced_through_agent": "on",
            "agent_name": "Global Talent Ltd",
            "agent_address": "1 Agent Street, Leeds",
            "version": _fresh(certificate).version,
        },
    )
    assert "Assign certificate" in text(web.get(f"/certificates/{certificate.pk}/check/"))
    # A section with nothing left to fix shows no problems.
    fixed = web.get(f"/certificates/{certificate.pk}/draft/agent/?check=1")
    assert "There is a problem" not in text(fixed)
    assert "govuk-error-message" not in fixed.content.decode()


def test_client_contract_summary_is_required_once_ticked(web, level1):
    certificate = complete_draft(level1, client_contract=True)
    words = text(web.get(f"/certificates/{certificate.pk}/check/"))
    assert "Summarise the client contract, or untick 'work on a client contract'" in words
    assert "Assign certificate" not in words


def test_the_maintenance_warning_does_not_stop_assignment(web, level1, allocation):
    certificate = complete_draft(level1, maintenance_certified=False)
    page = web.get(f"/certificates/{certificate.pk}/check/")
    words = text(page)
    assert "You have not certified maintenance." in words
    assert 'class="govuk-warning-text"' in page.content.decode()
    assert "Assign certificate" in words
    response = web.post(f"/certificates/{certificate.pk}/check/", {"version": certificate.version})
    assert response.status_code == 302
    assert _fresh(certificate).status == CertificateStatus.ASSIGNED


def test_a_passport_with_a_live_certificate_is_warned_of(web, level1, allocation):
    assigned_certificate(level1, number="C0000000001", passport_number="EP1234567")
    certificate = complete_draft(level1, passport_number="EP1234567")
    words = text(web.get(f"/certificates/{certificate.pk}/check/"))
    assert (
        "Passport EP1234567 already has a live certificate with you (C0000000001). Check you "
        "are not sponsoring the same person twice" in words
    )
    assert "Assign certificate" in words


def test_the_salary_verdict_shows_its_figures(web, level1):
    certificate = complete_draft(level1)
    words = text(web.get(f"/certificates/{certificate.pk}/check/"))
    assert "Meets the salary requirement" in words
    assert "The salary of £55,000 meets the general salary requirement (option A)" in words
    assert "Going rate for the job at these hours £54,700" in words
    assert "General threshold £41,700" in words
    assert "£55,000.00 for each year" in words


def test_a_salary_below_the_going_rate_is_a_warning_with_the_figures(web, level1, allocation):
    certificate = complete_draft(level1, salary_amount=Decimal("45000"))
    words = text(web.get(f"/certificates/{certificate.pk}/check/"))
    assert "Does not meet the salary requirement" in words
    assert "below the going rate of £54,700" in words
    assert "It needs to be at least £54,700" in words
    assert "Assign certificate" in words


def test_the_fee_and_skills_charge_are_shown_with_the_workings(web, level1, allocation):
    certificate = complete_draft(level1)
    words = text(web.get(f"/certificates/{certificate.pk}/check/"))
    assert "Certificate fee £525" in words
    # 4 January 2027 to 31 December 2029: the first year, then 4 further half-years.
    assert "Immigration Skills Charge £3,960" in words
    assert (
        "£1,320 for the first 12 months and £660 for each of 4 further 6 months or part, as a "
        "large sponsor." in words
    )
    assert "Total charged when you assign £4,485" in words
    assert "Remaining now 5 of 5" in words
    assert f"Allocation year ends {allocation.year_end.day} {allocation.year_end:%B %Y}" in words


def test_assigning_uses_one_unit_and_shows_the_certificate(web, level1, allocation):
    certificate = complete_draft(level1)
    response = web.post(f"/certificates/{certificate.pk}/check/", {"version": certificate.version})
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/{certificate.pk}/"
    assigned = _fresh(certificate)
    assert assigned.status == CertificateStatus.ASSIGNED
    assert assigned.number and assigned.number.startswith("C")
    assert assigned.fee_pence == 52500
    assert assigned.skills_charge_pence == 396000
    assert Allocation.objects.get(pk=allocation.pk).used == 1
    # Its draft pages now lead to the certificate.
    assert web.get(f"/certificates/{certificate.pk}/draft/")["Location"] == (
        f"/certificates/{certificate.pk}/"
    )


def test_an_exhausted_allocation_shows_the_message_and_assigns_nothing(web, level1, allocation):
    allocation.used = allocation.limit
    allocation.save()
    certificate = complete_draft(level1)
    page = web.get(f"/certificates/{certificate.pk}/check/")
    assert ALLOCATION_MESSAGE in text(page)
    assert 'href="/licence/allocations/"' in page.content.decode()
    assert "Assign certificate" not in text(page)

    response = web.post(f"/certificates/{certificate.pk}/check/", {"version": certificate.version})
    assert response.status_code == 409
    assert ALLOCATION_MESSAGE in text(response)
    assert f'<a href="/licence/allocations/">{ALLOCATION_MESSAGE}</a>' in response.content.decode()
    assert _fresh(certificate).status == CertificateStatus.DRAFT
    assert Allocation.objects.get(pk=allocation.pk).used == allocation.limit


def test_a_stale_assignment_is_refused_and_nothing_assigned(web, level1, allocation):
    certificate = complete_draft(level1)
    response = web.post(
        f"/certificates/{certificate.pk}/check/", {"version": certificate.version + 1}
    )
    assert response.status_code == 409
    assert STALE_MESSAGE in text(response)
    assert _fresh(certificate).status == CertificateStatus.DRAFT
    assert Allocation.objects.get(pk=allocation.pk).used == 0


def test_an_incomplete_draft_posted_anyway_is_not_assigned(web, level1, allocation):
    certificate = complete_draft(level1, sex="")
    response = web.post(f"/certificates/{certificate.pk}/check/", {"version": certificate.version})
    assert response.status_code == 409
    assert "Select the worker's sex: female, male or unspecified" in text(response)
    assert _fresh(certificate).status == CertificateStatus.DRAFT
    assert Allocation.objects.get(pk=allocation.pk).used == 0


B_RATED = (
    "Your Skilled Worker rating is B: you can only assign certificates to extend the stay of "
    "workers you already sponsor, until your rating is A again."
)


def test_a_b_rated_route_refuses_all_but_extensions(web, level1, sponsor, allocation):
    rate(sponsor, Route.SKILLED_WORKER, Rating.B)
    certificate = complete_draft(level1)
    page = web.get(f"/certificates/{certificate.pk}/check/")
    assert B_RATED in text(page)
    assert f'href="/certificates/{certificate.pk}/draft/route/?check=1#id_category"' in (
        page.content.decode()
    )
    response = web.post(f"/certificates/{certificate.pk}/check/", {"version": certificate.version})
    assert response.status_code == 409
    assert B_RATED in text(response)
    assert _fresh(certificate).status == CertificateStatus.DRAFT

    extension = complete_draft(level1, category=CosCategory.EXTENSION)
    response = web.post(f"/certificates/{extension.pk}/check/", {"version": extension.version})
    assert response.status_code == 302
    assert _fresh(extension).status == CertificateStatus.ASSIGNED
    assert Allocation.objects.get(pk=allocation.pk).used == 1


# ---------------------------------------------------------------- copy and delete


@pytest.mark.parametrize("assigned", [True, False])
def test_a_copy_keeps_the_job_and_takes_the_new_family_name(web, level1, assigned):
    source = (
        assigned_certificate(level1, number="C0000000009") if assigned else complete_draft(level1)
    )
    page = web.get(f"/certificates/{source.pk}/copy/")
    assert page.status_code == 200
    assert "Create a certificate based on this one" in text(page)
    response = web.post(f"/certificates/{source.pk}/copy/", {"family_name": "Silva"})
    copy = Certificate.objects.exclude(pk=source.pk).select_related("cos").get()
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/{copy.pk}/draft/"
    assert copy.family_name == "Silva"
    assert copy.status == CertificateStatus.DRAFT
    assert copy.passport_number == ""
    assert copy.given_names == ""
    assert (copy.cos.job_title, copy.cos.soc_code, copy.cos.salary_amount) == (
        "Software developer",
        "2134",
        Decimal("55000.00"),
    )
    assert copy.cos.category == source.cos.category
    assert copy.owner == level1
    assert _fresh(source).status == source.status


def test_a_copy_needs_a_family_name(web, level1):
    source = complete_draft(level1)
    response = web.post(f"/certificates/{source.pk}/copy/", {"family_name": ""})
    assert response.status_code == 400
    assert field_error(response, "family_name") == f"Error: {FAMILY_NAME_MESSAGE}"
    assert Certificate.objects.count() == 1


def test_delete_asks_first_then_removes_the_draft(web, level1):
    certificate = _draft_of(level1)
    page = web.get(f"/certificates/{certificate.pk}/draft/delete/")
    assert page.status_code == 200
    assert "Delete the draft for Nowak?" in text(page)
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    response = web.post(
        f"/certificates/{certificate.pk}/draft/delete/", {"version": certificate.version}
    )
    assert response.status_code == 302
    assert response["Location"] == "/certificates/"
    assert not Certificate.objects.filter(pk=certificate.pk).exists()
    assert not CosDetails.objects.filter(pk=certificate.pk).exists()


def test_a_stale_delete_is_refused(web, level1):
    certificate = _draft_of(level1)
    response = web.post(
        f"/certificates/{certificate.pk}/draft/delete/", {"version": certificate.version + 1}
    )
    assert response.status_code == 409
    assert STALE_MESSAGE in text(response)
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_an_assigned_certificate_cannot_be_deleted_or_edited(web, level1):
    certificate = assigned_certificate(level1, number="C0000000007")
    for url in (
        f"/certificates/{certificate.pk}/draft/delete/",
        f"/certificates/{certificate.pk}/draft/personal/",
        f"/certificates/{certificate.pk}/check/",
    ):
        response = web.post(url, {"version": certificate.version, **PERSONAL})
        assert response.status_code == 302
        assert response["Location"] == f"/certificates/{certificate.pk}/"
    saved = _fresh(certificate)
    assert saved.status == CertificateStatus.ASSIGNED
    assert saved.family_name == "Kowalczyk"
    assert not CertificateEvent.objects.filter(certificate=certificate).exists()


# ---------------------------------------------------------------- who may see what


def _urls(certificate: Certificate) -> list[str]:
    pk = certificate.pk
    return [
        f"/certificates/{pk}/draft/",
        f"/certificates/{pk}/draft/personal/",
        f"/certificates/{pk}/draft/route/",
        f"/certificates/{pk}/check/",
        f"/certificates/{pk}/draft/delete/",
        f"/certificates/{pk}/copy/",
    ]


def _posts(certificate: Certificate) -> dict:
    return {"version": certificate.version, "family_name": "Changed", **PERSONAL}


def _unchanged(certificate: Certificate) -> None:
    saved = _fresh(certificate)
    assert saved.version == certificate.version
    assert saved.status == CertificateStatus.DRAFT
    assert Certificate.objects.count() == 1


def test_a_level2_user_cannot_open_another_users_draft(signed_in, level1, level2, allocation):
    certificate = complete_draft(level1)
    client = signed_in(level2)
    for url in _urls(certificate):
        assert client.get(url).status_code == 404, url
        assert client.post(url, _posts(certificate)).status_code == 404, url
    _unchanged(certificate)


def test_a_level2_user_works_on_their_own_drafts(signed_in, level2, allocation):
    client = signed_in(level2)
    response = client.post(
        "/certificates/new/",
        {
            "route": Route.SKILLED_WORKER,
            "category": CosCategory.EXTENSION,
            "family_name": "Osei",
        },
    )
    assert response.status_code == 302
    mine = complete_draft(level2)
    for url in _urls(mine):
        assert client.get(url).status_code == 200, url
    response = client.post(f"/certificates/{mine.pk}/check/", {"version": mine.version})
    assert response.status_code == 302
    assert _fresh(mine).status == CertificateStatus.ASSIGNED


def test_another_sponsors_draft_is_not_found(web, other_level1):
    theirs = complete_draft(other_level1)
    for url in _urls(theirs):
        assert web.get(url).status_code == 404, url
        assert web.post(url, _posts(theirs)).status_code == 404, url
    _unchanged(theirs)


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.DORMANT])
def test_a_suspended_licence_is_refused(signed_in, level1, sponsor, allocation, status):
    certificate = complete_draft(level1)
    sponsor.status = status
    sponsor.save()
    client = signed_in(level1)
    for url in ["/certificates/new/", *_urls(certificate)]:
        assert client.get(url).status_code == 409, url
        response = client.post(url, _posts(certificate))
        assert response.status_code == 409, url
        assert f"Not available while your licence is {status.label.lower()}" in text(response)
    _unchanged(certificate)
    assert Allocation.objects.get(pk=allocation.pk).used == 0


# ---------------------------------------------------------------- speed


@pytest.mark.parametrize("page", ["draft/", "check/", "draft/employment/"])
def test_query_counts_do_not_grow_with_other_certificates(web, level1, allocation, page):
    certificate = complete_draft(level1)
    url = f"/certificates/{certificate.pk}/{page}"
    for n in range(3):
        assigned_certificate(level1, number=f"C{n:010d}")
    few = queries_for(web, url)
    for n in range(3, 30):
        assigned_certificate(level1, number=f"C{n:010d}")
    many = queries_for(web, url)
    assert few == many


def test_a_level2_user_is_not_offered_the_allocation_page(signed_in, sponsor, allocation):
    user = Level2Factory(sponsor=sponsor, username="LEVELTWO2")
    allocation.used = allocation.limit
    allocation.save()
    certificate = complete_draft(user)
    page = signed_in(user).get(f"/certificates/{certificate.pk}/check/")
    words = text(page)
    assert ALLOCATION_MESSAGE in words
    assert "A Level 1 user of your licence can request an increase to your allocation." in words
    assert "/licence/allocations/" not in page.content.decode()


def test_the_paye_reference_is_chosen_from_the_licences_list(web, level1, sponsor):
    PayeFactory(sponsor=sponsor, added_by=level1, reference="123/AB45678")
    certificate = _draft_of(level1)
    url = f"/certificates/{certificate.pk}/draft/paye/"
    assert '<option value="123/AB45678">123/AB45678</option>' in web.get(url).content.decode()
    refused = web.post(url, {"paye_reference": "999/ZZ1", "version": certificate.version})
    assert refused.status_code == 400
    assert field_error(refused, "paye_reference") == "Error: Select one of your PAYE references"
    response = web.post(url, {"paye_reference": "123/AB45678", "version": certificate.version})
    assert response.status_code == 302
    assert _fresh(certificate).cos.paye_reference == "123/AB45678"


def test_hours_and_a_long_job_description_are_named(web, level1):
    certificate = _draft_of(level1)
    hours = web.post(
        f"/certificates/{certificate.pk}/draft/work_dates/",
        {"weekly_hours": "forty", "version": certificate.version},
    )
    assert hours.status_code == 400
    assert field_error(hours, "weekly_hours") == (
        "Error: Enter the weekly working hours as a number up to 99, like 37.5"
    )
    job = web.post(
        f"/certificates/{certificate.pk}/draft/employment/",
        {"job_description": "x" * 1001, "version": certificate.version},
    )
    assert job.status_code == 400
    assert field_error(job, "job_description") == (
        "Error: Describe the job in 1,000 characters or fewer"
    )
    saved = web.post(
        f"/certificates/{certificate.pk}/draft/work_dates/",
        {
            "start_date_day": "4",
            "start_date_month": "1",
            "start_date_year": "2027",
            "weekly_hours": "37.5",
            "leave_and_reenter": "on",
            "version": certificate.version,
        },
    )
    assert saved.status_code == 302
    cos = _fresh(certificate).cos
    assert (cos.start_date, cos.weekly_hours, cos.leave_and_reenter) == (
        date(2027, 1, 4),
        Decimal("37.5"),
        True,
    )


@pytest.mark.parametrize("key", [*SECTIONS_BY_KEY, "route"])
def test_every_section_saves_its_prefilled_answers_unchanged(web, level1, sponsor, key):
    """Each section page opens, and saving it as shown changes no answer."""
    PayeFactory(sponsor=sponsor, added_by=level1, reference="123/AB45678")
    certificate = complete_draft(
        level1,
        paye_reference="123/AB45678",
        sourced_through_agent=True,
        agent_name="Global Talent Ltd",
        agent_address="1 Agent Street",
        uk_ni_number="AB123456C",
        registration_details="NMC 12A3456B",
    )
    url = f"/certificates/{certificate.pk}/draft/{key}/"
    assert web.get(url).status_code == 200
    assert web.get(f"/certificates/{_draft_of(level1, 'Empty').pk}/draft/{key}/").status_code == 200
    before = {name: value_of(certificate, name) for name in EDITABLE_FIELDS}
    shown = (
        {"route": certificate.route, "category": certificate.cos.category}
        if key == "route"
        else section_initial(certificate, SECTIONS_BY_KEY[key])
    )
    response = web.post(url, {**shown, "version": certificate.version})
    assert response.status_code == 302, text(response)[:500]
    saved = _fresh(certificate)
    assert {name: value_of(saved, name) for name in EDITABLE_FIELDS} == before
    assert (saved.route, saved.cos.category) == (certificate.route, certificate.cos.category)
