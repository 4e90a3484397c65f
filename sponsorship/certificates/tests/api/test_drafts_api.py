"""Certificate drafts through the API: the whole journey from a family name to an assigned
certificate, and every gate on the way (another sponsor, Level 2 ownership, the licence's state,
its rating, the allocation, stale versions, bad input)."""

import json
import re
from decimal import Decimal

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.api.tests.fuzzing import GENERATION_MODES, fuzz_on_certificate
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import Certificate, CertificateStatus, CosCategory
from sponsorship.certificates.sections import COS_SECTIONS
from sponsorship.certificates.tests.factories import (
    WorkAddressFactory,
    assigned_certificate,
    complete_draft,
)
from sponsorship.licences.models import Allocation, LicenceStatus, Rating, Route
from sponsorship.licences.tests.api.support import Api, token_for
from sponsorship.licences.tests.web.support import rate

URL = "/api/v1/certificates"
ALLOCATION_MESSAGE = (
    "You have insufficient remaining allocation for Skilled Worker. "
    "Request an increase to your allocation."
)

# Everything assignment needs, besides the family name, as an HR system sends it.
COMPLETE = {
    "given_names": "Łukasz Marek",
    "nationality": "POL",
    "place_of_birth": "Kraków",
    "country_of_birth": "POL",
    "date_of_birth": "1991-03-14",
    "sex": "M",
    "country_of_residence": "GBR",
    "passport_number": "ep 123 4567",
    "passport_issue_date": "2022-05-01",
    "passport_expiry_date": "2032-04-30",
    "passport_place_of_issue": "Warsaw",
    "home_address_line_1": "14 Wellington Road",
    "home_town": "Leeds",
    "home_postcode": "LS1 4AB",
    "home_country": "GBR",
    "start_date": "2027-01-04",
    "end_date": "2029-12-31",
    "weekly_hours": 37.5,
    "work_address_line_1": "1 High Street",
    "work_town": "London",
    "work_postcode": "SW1A 1AA",
    "work_nation": "ENG",
    "job_title": "Software developer",
    "soc_code": "2134",
    "job_description": "Builds and maintains the company's booking systems.",
    "salary_amount": "55000",
    "salary_period": "YEAR",
    "salary_option": "A",
    "skills_charge": "LIABLE",
    "eligible_occupation_confirmed": True,
    "maintenance_certified": True,
    "paye_reason": "Paid through the payroll of the parent company.",
}


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def api_as(db):
    def _api_as(user) -> Api:
        return Api(token_for(user))

    return _api_as


@pytest.fixture
def api(api_as, level1):
    return api_as(level1)


def _create(api, **fields):
    body = {"route": "SKILLED_WORKER", "category": "CHANGE_OF_EMPLOYMENT", **fields}
    response = api.post_json(URL, body)
    assert response.status_code == 201, response.content[:800]
    return response.json()


def _call(api, method: str, path: str, body):
    return api.call(method, path, None if body is None else json.dumps(body))


def _stored(certificate_id: int) -> Certificate:
    return Certificate.objects.select_related("cos").get(pk=certificate_id)


# The journey


def test_a_family_name_is_enough_for_a_draft_and_the_check_names_what_is_missing(api, allocation):
    draft = _create(api, family_name="Kowalczyk")
    assert draft["status"] == "DRAFT"
    assert draft["number"] is None
    assert draft["version"] == 1
    assert draft["owner"]["user_id"] == "LEVELONE1"
    assert draft["sections"]["personal"]["values"]["family_name"] == "Kowalczyk"
    assert draft["sections"]["personal"]["status"] == "Incomplete"
    assert draft["sections"]["passport"]["status"] == "Not yet started"

    check = api.get(f"{URL}/{draft['id']}/check").json()
    assert check["ready"] is False
    errors = {e["field"]: e["message"] for e in check["errors"]}
    assert errors["sex"] == "Select the worker's sex: female, male or unspecified"
    assert errors["work_address_line_1"] == (
        "Enter the main work address in the UK, or pick one of your work addresses"
    )
    assert errors["salary_amount"] == "Enter the gross salary in pounds, like 35000 or 35000.99"
    assert errors["salary_period"] == (
        "Select what the salary is for: each year, month, week or hour"
    )
    assert "family_name" not in errors
    assert check["allocation"]["remaining"] == 5
    assert check["salary"] is None


def test_full_journey_create_patch_check_assign_withdraw(api, allocation):
    draft = _create(api, family_name="Kowalczyk")
    url = f"{URL}/{draft['id']}"

    changed = api.patch_json(url, {"version": 1, **COMPLETE})
    assert changed.status_code == 200, changed.content[:800]
    body = changed.json()
    assert body["version"] == 2
    assert body["passport_number"] == "EP1234567"
    employment = body["sections"]["employment"]
    assert employment["status"] == "Completed"
    assert employment["values"]["salary_amount"] == "55000.00"
    assert body["sections"]["work_dates"]["values"]["start_date"] == "2027-01-04"
    assert body["sections"]["work_dates"]["values"]["weekly_hours"] == "37.50"

    check = api.get(f"{url}/check").json()
    assert check["ready"] is True, check["errors"]
    assert check["errors"] == []
    assert check["salary"]["passes"] is True
    assert check["charges"]["fee_pence"] == 52_500
    assert check["charges"]["total_pence"] == (
        check["charges"]["fee_pence"] + check["charges"]["skills_charge_pence"]
    )
    assert check["allocation"] == {
        "route": "SKILLED_WORKER",
        "limit": 5,
        "used": 0,
        "remaining": 5,
        "year_end": allocation.year_end.isoformat(),
    }

    assigned = api.post_json(f"{url}/assign", {"version": 2})
    assert assigned.status_code == 200, assigned.content[:800]
    certificate = assigned.json()
    assert re.fullmatch(r"C[0-9A-Z]{10}", certificate["number"])
    assert certificate["status"] == "ASSIGNED"
    assert certificate["use_by"] == "2027-02-16"
    assert certificate["fee_pence"] == 52_500
    assert certificate["skills_charge_pence"] == check["charges"]["skills_charge_pence"]
    assert certificate["total_pence"] == check["charges"]["total_pence"]
    allocation.refresh_from_db()
    assert allocation.used == 1
    assert api.get(f"{url}").json()["number"] == certificate["number"]

    withdrawn = api.post_json(
        f"{url}/withdraw",
        {"version": certificate["version"], "reason": "The worker accepted another offer."},
    )
    assert withdrawn.status_code == 200, withdrawn.content[:800]
    assert withdrawn.json()["status"] == "WITHDRAWN"
    assert withdrawn.json()["closed_reason"] == "The worker accepted another offer."
    history = api.get(f"{url}/history").json()["items"]
    assert [e["action"] for e in history] == ["CREATED", "EDITED", "ASSIGNED", "WITHDRAWN"]
    assert all(e["by"] == "Zoë Hartley" for e in history)


def test_a_draft_can_be_created_with_every_field_at_once(api, allocation):
    draft = _create(api, family_name="Kowalczyk", **COMPLETE)
    assert api.get(f"{URL}/{draft['id']}/check").json()["ready"] is True
    assert AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_CREATED).count() == 1


def test_the_output_has_every_field_of_every_section(api, level1):
    draft = complete_draft(level1)
    body = api.get(f"{URL}/{draft.pk}").json()
    assert list(body["sections"]) == [s.key for s in COS_SECTIONS]
    for section in COS_SECTIONS:
        assert body["sections"][section.key]["title"] == section.title
        assert list(body["sections"][section.key]["values"]) == list(section.fields)


def test_a_level_2_user_creates_and_assigns_their_own_draft(api_as, level2, allocation):
    api = api_as(level2)
    draft = _create(api, family_name="Kowalczyk", **COMPLETE)
    assert draft["owner"]["user_id"] == "LEVELTWO1"
    assigned = api.post_json(f"{URL}/{draft['id']}/assign", {"version": draft["version"]})
    assert assigned.status_code == 200, assigned.content[:800]
    assert assigned.json()["status"] == "ASSIGNED"


def test_a_work_address_is_copied_into_the_main_work_address(api, sponsor, level1):
    address = WorkAddressFactory(
        sponsor=sponsor, created_by=level1, line_1="2 Dock Road", town="Hull", postcode="HU1 1AA"
    )
    draft = _create(api, family_name="Kowalczyk")
    response = api.patch_json(f"{URL}/{draft['id']}", {"version": 1, "work_address_id": address.pk})
    assert response.status_code == 200, response.content[:800]
    body = response.json()
    assert body["work_address_id"] == address.pk
    assert body["sections"]["work_address"]["values"]["work_address_line_1"] == "2 Dock Road"
    assert body["sections"]["work_address"]["values"]["work_town"] == "Hull"


def test_the_route_and_category_can_change_on_a_draft(api, sponsor, level1):
    rate(sponsor, Route.CREATIVE_WORKER, Rating.A)
    draft = complete_draft(level1)
    response = api.patch_json(
        f"{URL}/{draft.pk}", {"version": 1, "route": "CREATIVE_WORKER", "category": "EXTENSION"}
    )
    assert response.status_code == 200, response.content[:800]
    assert response.json()["route"] == "CREATIVE_WORKER"
    assert response.json()["category"] == "EXTENSION"


def test_a_route_not_on_the_licence_is_refused(api):
    response = api.post_json(
        URL, {"route": "CREATIVE_WORKER", "category": "EXTENSION", "family_name": "Kowalczyk"}
    )
    error = assert_error(response, 400)
    assert error["fields"] == [
        {
            "field": "route",
            "message": "Your licence does not include the Creative Worker route. Select one "
            "of your routes",
        }
    ]
    assert not Certificate.objects.exists()


def test_a_draft_needs_a_family_name(api):
    response = api.post_json(URL, {"route": "SKILLED_WORKER", "category": "EXTENSION"})
    error = assert_error(response, 422)
    assert [f["field"] for f in error["fields"]] == ["family_name"]
    blank = api.post_json(
        URL, {"route": "SKILLED_WORKER", "category": "EXTENSION", "family_name": "   "}
    )
    assert assert_error(blank, 422)["fields"] == [
        {"field": "family_name", "message": "Enter the family name: it cannot be blank"}
    ]
    assert not Certificate.objects.exists()


def test_copy_starts_a_draft_with_the_job_but_not_the_person(api, level1):
    source = assigned_certificate(level1)
    response = api.post_json(f"{URL}/{source.pk}/copy", {"family_name": "Nowak"})
    assert response.status_code == 201, response.content[:800]
    copy = response.json()
    assert copy["id"] != source.pk
    assert copy["status"] == "DRAFT"
    assert copy["based_on_id"] == source.pk
    assert copy["family_name"] == "Nowak"
    assert copy["passport_number"] == ""
    assert copy["sections"]["employment"]["values"]["soc_code"] == "2134"
    assert copy["sections"]["work_address"]["values"]["work_town"] == "London"


def test_delete_removes_a_draft_for_good(api, level1):
    draft = complete_draft(level1)
    response = api.delete(f"{URL}/{draft.pk}?version=1")
    assert response.status_code == 204
    assert not Certificate.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_DELETED).count() == 1


def test_delete_needs_the_version_and_refuses_a_stale_one(api, level1):
    draft = complete_draft(level1)
    assert_error(api.delete(f"{URL}/{draft.pk}"), 422)
    assert_error(api.delete(f"{URL}/{draft.pk}?version=7"), 409, "stale_edit")
    assert Certificate.objects.filter(pk=draft.pk).exists()


def test_an_assigned_certificate_cannot_be_deleted_changed_or_checked(api, level1):
    certificate = assigned_certificate(level1)
    url = f"{URL}/{certificate.pk}"
    assert_error(api.delete(f"{url}?version=1"), 409, "invalid_transition")
    changed = api.patch_json(url, {"version": 1, "job_title": "Chef"})
    assert (
        "only a draft can be changed" in assert_error(changed, 409, "invalid_transition")["message"]
    )
    assert_error(api.get(f"{url}/check"), 409, "invalid_transition")
    assert_error(api.post_json(f"{url}/assign", {"version": 1}), 409, "invalid_transition")
    assert _stored(certificate.pk).cos.job_title == "Software developer"


# Refusals of assignment


def test_assigning_an_incomplete_draft_names_every_field_to_fix(api, allocation):
    draft = _create(api, family_name="Kowalczyk", nationality="POL")
    check = api.get(f"{URL}/{draft['id']}/check").json()
    response = api.post_json(f"{URL}/{draft['id']}/assign", {"version": 1})
    error = assert_error(response, 409, "not_ready")
    assert error["fields"] == [
        {"field": e["field"], "message": e["message"]} for e in check["errors"] if e["field"]
    ]
    named = {f["field"] for f in error["fields"]}
    assert {"sex", "date_of_birth", "passport_number", "work_address_line_1"} <= named
    assert "nationality" not in named
    assert _stored(draft["id"]).status == CertificateStatus.DRAFT
    allocation.refresh_from_db()
    assert allocation.used == 0


def test_allocation_exhausted_is_refused_with_the_exact_message(api, level1, allocation):
    Allocation.objects.filter(pk=allocation.pk).update(used=5)
    draft = complete_draft(level1)
    check = api.get(f"{URL}/{draft.pk}/check").json()
    assert check["ready"] is False
    assert {"field": None, "message": ALLOCATION_MESSAGE} in check["errors"]
    error = assert_error(
        api.post_json(f"{URL}/{draft.pk}/assign", {"version": 1}), 409, "allocation_exhausted"
    )
    assert error["message"] == ALLOCATION_MESSAGE
    stored = _stored(draft.pk)
    assert (stored.status, stored.number, stored.version) == (CertificateStatus.DRAFT, None, 1)


def test_a_b_rated_route_assigns_extensions_only(api, sponsor, level1, allocation):
    rate(sponsor, Route.SKILLED_WORKER, Rating.B)
    draft = complete_draft(level1, category=CosCategory.CHANGE_OF_EMPLOYMENT)
    error = assert_error(
        api.post_json(f"{URL}/{draft.pk}/assign", {"version": 1}), 409, "not_ready"
    )
    assert error["fields"] == [
        {
            "field": "category",
            "message": "Your Skilled Worker rating is B: you can only assign certificates to "
            "extend the stay of workers you already sponsor, until your rating is A again.",
        }
    ]
    assert _stored(draft.pk).status == CertificateStatus.DRAFT

    changed = api.patch_json(f"{URL}/{draft.pk}", {"version": 1, "category": "EXTENSION"})
    assert changed.status_code == 200
    assigned = api.post_json(f"{URL}/{draft.pk}/assign", {"version": 2})
    assert assigned.status_code == 200, assigned.content[:800]
    assert assigned.json()["status"] == "ASSIGNED"


def test_a_stale_version_is_refused_and_nothing_is_saved(api, level1, allocation):
    draft = complete_draft(level1)
    url = f"{URL}/{draft.pk}"
    assert api.patch_json(url, {"version": 1, "job_title": "Lead developer"}).status_code == 200

    stale = api.patch_json(url, {"version": 1, "job_title": "Chef", "given_names": "Jan"})
    assert_error(stale, 409, "stale_edit")
    stored = _stored(draft.pk)
    assert (stored.cos.job_title, stored.given_names, stored.version) == (
        "Lead developer",
        "Łukasz Marek",
        2,
    )

    assert_error(api.post_json(f"{url}/assign", {"version": 1}), 409, "stale_edit")
    stored = _stored(draft.pk)
    assert (stored.status, stored.number) == (CertificateStatus.DRAFT, None)
    allocation.refresh_from_db()
    assert allocation.used == 0


# Bad input


def test_a_salary_with_a_comma_is_refused_naming_the_field(api, level1):
    draft = complete_draft(level1)
    response = api.patch_json(f"{URL}/{draft.pk}", {"version": 1, "salary_amount": "35,000"})
    error = assert_error(response, 422)
    assert error["fields"] == [
        {
            "field": "salary_amount",
            "message": "Enter the gross salary in pounds as text, like 35000 or 35000.99, with "
            "no commas or pound sign",
        }
    ]
    stored = _stored(draft.pk)
    assert (stored.cos.salary_amount, stored.version) == (55000, 1)


@pytest.mark.parametrize("salary", ["£35000", "35000.999", "-1", 35000, ""])
def test_other_salary_formats_are_refused(api, level1, salary):
    draft = complete_draft(level1)
    response = api.patch_json(f"{URL}/{draft.pk}", {"version": 1, "salary_amount": salary})
    assert [f["field"] for f in assert_error(response, 422)["fields"]] == ["salary_amount"]


def test_weekly_hours_may_be_a_number_or_text(api, level1):
    draft = complete_draft(level1)
    url = f"{URL}/{draft.pk}"
    assert api.patch_json(url, {"version": 1, "weekly_hours": "20.5"}).status_code == 200
    assert _stored(draft.pk).cos.weekly_hours == Decimal("20.5")
    assert api.patch_json(url, {"version": 2, "weekly_hours": 30}).status_code == 200
    assert _stored(draft.pk).cos.weekly_hours == 30
    too_many = api.patch_json(url, {"version": 3, "weekly_hours": 120})
    assert assert_error(too_many, 400)["fields"] == [
        {
            "field": "weekly_hours",
            "message": "Enter the weekly working hours as a number up to 99, like 37.5",
        }
    ]
    assert_error(api.patch_json(url, {"version": 3, "weekly_hours": True}), 422)


def test_an_unknown_field_is_refused_by_name(api, level1):
    draft = complete_draft(level1)
    response = api.patch_json(f"{URL}/{draft.pk}", {"version": 1, "favourite_colour": "blue"})
    error = assert_error(response, 422)
    assert [f["field"] for f in error["fields"]] == ["favourite_colour"]
    assert _stored(draft.pk).version == 1


def test_every_wrong_field_is_listed_at_once_and_nothing_is_saved(api, level1):
    draft = complete_draft(level1)
    response = api.patch_json(
        f"{URL}/{draft.pk}",
        {
            "version": 1,
            "job_title": "Lead developer",
            "nationality": "ZZZ",
            "soc_code": "21",
            "uk_ni_number": "123",
        },
    )
    error = assert_error(response, 400)
    assert {f["field"]: f["message"] for f in error["fields"]} == {
        "nationality": "Select a nationality in the list",
        "soc_code": "Enter the SOC 2020 occupation code as 4 digits, like 2136",
        "uk_ni_number": "Enter a National Insurance number in the right format, like QQ 12 34 56 C",
    }
    stored = _stored(draft.pk)
    assert (stored.cos.job_title, stored.version) == ("Software developer", 1)


def test_a_choice_must_be_one_of_its_values(api, level1):
    draft = complete_draft(level1)
    response = api.patch_json(f"{URL}/{draft.pk}", {"version": 1, "sex": "female"})
    assert [f["field"] for f in assert_error(response, 422)["fields"]] == ["sex"]


def test_null_clears_a_date_and_an_empty_string_clears_text(api, level1):
    draft = complete_draft(level1)
    response = api.patch_json(
        f"{URL}/{draft.pk}", {"version": 1, "date_of_birth": None, "place_of_birth": ""}
    )
    assert response.status_code == 200, response.content[:800]
    stored = _stored(draft.pk)
    assert (stored.date_of_birth, stored.place_of_birth) == (None, "")
    check = api.get(f"{URL}/{draft.pk}/check").json()
    assert {e["field"] for e in check["errors"]} >= {"date_of_birth", "place_of_birth"}


def test_a_work_address_of_another_sponsor_is_refused(api, level1, other_sponsor, other_level1):
    theirs = WorkAddressFactory(sponsor=other_sponsor, created_by=other_level1)
    draft = complete_draft(level1)
    response = api.patch_json(f"{URL}/{draft.pk}", {"version": 1, "work_address_id": theirs.pk})
    assert assert_error(response, 400)["fields"] == [
        {"field": "work_address_id", "message": "Select one of your work addresses in use"}
    ]


# Who may call: every operation of this router, on a certificate in the state it works on.

OPERATIONS = [
    ("PATCH", "", {"version": 1, "job_title": "Chef"}),
    ("DELETE", "?version=1", None),
    ("GET", "/check", None),
    ("POST", "/assign", {"version": 1}),
    ("POST", "/copy", {"family_name": "Nowak"}),
]
IDS = [f"{method} {suffix or '/'}" for method, suffix, _ in OPERATIONS]


def _unchanged(certificate: Certificate) -> None:
    stored = _stored(certificate.pk)
    assert (stored.status, stored.version, stored.cos.job_title) == (
        CertificateStatus.DRAFT,
        1,
        "Software developer",
    )
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize(("method", "suffix", "body"), OPERATIONS, ids=IDS)
def test_another_sponsors_draft_is_not_found(
    api_as, level1, other_level1, allocation, method, suffix, body
):
    draft = complete_draft(level1)
    response = _call(api_as(other_level1), method, f"{URL}/{draft.pk}{suffix}", body)
    assert_error(response, 404, "not_found")
    _unchanged(draft)


@pytest.mark.parametrize(("method", "suffix", "body"), OPERATIONS, ids=IDS)
def test_a_level_2_user_cannot_find_a_draft_they_do_not_own(
    api_as, level1, level2, allocation, method, suffix, body
):
    draft = complete_draft(level1)
    response = _call(api_as(level2), method, f"{URL}/{draft.pk}{suffix}", body)
    assert_error(response, 404, "not_found")
    _unchanged(draft)


@pytest.mark.parametrize(
    ("status", "code"),
    [(LicenceStatus.SUSPENDED, "licence_suspended"), (LicenceStatus.DORMANT, "licence_dormant")],
)
@pytest.mark.parametrize(("method", "suffix", "body"), OPERATIONS, ids=IDS)
def test_a_suspended_or_dormant_licence_refuses_every_draft_operation(
    api, sponsor, level1, allocation, status, code, method, suffix, body
):
    draft = complete_draft(level1)
    sponsor.status = status
    sponsor.save()
    response = _call(api, method, f"{URL}/{draft.pk}{suffix}", body)
    error = assert_error(response, 409, code)
    assert error["message"] == f"Not available while your licence is {status.label.lower()}."
    _unchanged(draft)


def test_a_suspended_licence_cannot_create_a_draft(api, sponsor):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    response = api.post_json(
        URL, {"route": "SKILLED_WORKER", "category": "EXTENSION", "family_name": "Kowalczyk"}
    )
    assert_error(response, 409, "licence_suspended")
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(("method", "suffix", "body"), OPERATIONS, ids=IDS)
def test_a_caseworker_token_cannot_work_on_drafts(api_as, level1, caseworker, method, suffix, body):
    draft = complete_draft(level1)
    response = _call(api_as(caseworker), method, f"{URL}/{draft.pk}{suffix}", body)
    assert_error(response, 403, "not_permitted")
    _unchanged(draft)


def test_a_caseworker_token_cannot_create_a_draft(api_as, caseworker):
    response = api_as(caseworker).post_json(
        URL, {"route": "SKILLED_WORKER", "category": "EXTENSION", "family_name": "Kowalczyk"}
    )
    assert_error(response, 403, "not_permitted")
    assert not Certificate.objects.exists()


# Fuzzing the draft operations on a real draft, from the API's own document: whatever an HR
# system sends that the document allows, the answer is one the document describes, never a
# server error, and a refused change saves nothing.


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PATCH", "/api/v1/certificates/{certificate_id}"),
        ("POST", "/api/v1/certificates"),
        ("POST", "/api/v1/certificates/{certificate_id}/assign"),
        ("GET", "/api/v1/certificates/{certificate_id}/check"),
        ("POST", "/api/v1/certificates/{certificate_id}/copy"),
    ],
)
@pytest.mark.parametrize("mode", GENERATION_MODES)
def test_fuzzed_requests_on_a_real_draft_get_documented_answers(
    wsgi_app, level1, allocation, method, path, mode
):
    def live_version(body, current):
        if "version" in body:
            body["version"] = current.version

    fuzz_on_certificate(
        wsgi_app,
        method,
        path,
        mode,
        token=token_for(level1),
        certificate_id=complete_draft(level1).pk,
        fill_body=live_version,
    )
