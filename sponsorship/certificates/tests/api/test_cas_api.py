"""CAS drafts through the API, as a student records system uses it: from a family name to an
assigned CAS, and every gate on the way (the English level for the course, how far ahead the
course starts, the rating, the allocation, stale versions, bad input, another CAS made
obsolete)."""

import re

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.api.tests.fuzzing import GENERATION_MODES, fuzz_on_certificate
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import Certificate, CertificateStatus
from sponsorship.certificates.sections import CAS_SECTIONS
from sponsorship.certificates.tests.factories import (
    StudyAddressFactory,
    WorkAddressFactory,
    assigned_cas,
    assigned_certificate,
    complete_cas,
    complete_draft,
)
from sponsorship.licences.models import Allocation, Rating, Route
from sponsorship.licences.tests.api.support import token_for
from sponsorship.licences.tests.web.support import rate

from .cas_api_support import (
    ALLOCATION_MESSAGE,
    COMPLETE,
    URL,
    client_for,
    create,
    stored,
    student_allocation,
    teach_students,
)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture(autouse=True)
def _students(sponsor, other_sponsor):
    teach_students(sponsor, other_sponsor)


@pytest.fixture
def allocation(sponsor):
    return student_allocation(sponsor)


@pytest.fixture
def api(level1):
    return client_for(level1)


def _check(api, certificate_id) -> dict:
    response = api.get(f"{URL}/{certificate_id}/check")
    assert response.status_code == 200, response.content[:800]
    return response.json()


def _blocking(check) -> dict:
    return {f["field"]: f["message"] for f in check["findings"] if f["blocking"]}


# The journey


def test_a_family_name_is_enough_for_a_draft_and_the_check_names_what_is_missing(api, allocation):
    draft = create(api, family_name="Nguyễn")
    assert (draft["status"], draft["number"], draft["version"], draft["kind"]) == (
        "DRAFT",
        None,
        1,
        "CAS",
    )
    assert draft["route"] == "STUDENT"
    assert draft["owner"]["user_id"] == "LEVELONE1"
    assert draft["sections"]["personal"]["values"]["family_name"] == "Nguyễn"
    assert draft["sections"]["personal"]["status"] == "Incomplete"
    assert draft["sections"]["course"]["status"] == "Not yet started"

    check = _check(api, draft["id"])
    assert check["ready"] is False
    errors = _blocking(check)
    assert errors["sex"] == "Select the student's sex: female, male or unspecified"
    assert errors["course_title"] == "Enter the course title"
    assert errors["study_address_line_1"] == (
        "Enter the main study address, or pick one of your study addresses"
    )
    assert errors["english_method"] == "Select how the student's English was assessed"
    assert errors["course_fees_first_year"] == (
        "Enter the course fees for the first year in pounds, like 18500 (0 if none)"
    )
    assert "family_name" not in errors
    assert check["allocation"]["remaining"] == 5


def test_full_journey_create_patch_check_assign(api, allocation):
    draft = create(api)
    url = f"{URL}/{draft['id']}"

    changed = api.patch_json(url, {"version": 1, **COMPLETE})
    assert changed.status_code == 200, changed.content[:800]
    body = changed.json()
    assert body["version"] == 2
    assert body["passport_number"] == "C12345678"
    assert (body["student_id"], body["course_title"], body["course_start_date"]) == (
        "S2026-0042",
        "MSc Marine Biology",
        "2027-01-18",
    )
    course = body["sections"]["course"]
    assert course["status"] == "Completed"
    assert course["values"]["weekly_study_hours"] == "20.00"
    assert body["sections"]["study_address"]["values"]["study_postcode"] == "AB24 3FX"
    fees = body["sections"]["fees"]["values"]
    assert (fees["course_fees_first_year"], fees["course_fees_paid"]) == ("24500.00", "5000.50")

    check = _check(api, draft["id"])
    assert check == {
        "ready": True,
        "findings": [],
        "allocation": {
            "route": "STUDENT",
            "limit": 5,
            "used": 0,
            "remaining": 5,
            "year_end": allocation.year_end.isoformat(),
        },
    }

    assigned = api.post_json(f"{url}/assign", {"version": 2})
    assert assigned.status_code == 200, assigned.content[:800]
    cas = assigned.json()
    assert re.fullmatch(r"E[0-9A-HJ-NP-Z]{13}", cas["number"])
    assert cas["status"] == "ASSIGNED"
    # Assigned on Monday 16 November 2026: valid for 6 months.
    assert cas["use_by"] == "2027-05-16"
    allocation.refresh_from_db()
    assert allocation.used == 1
    assert api.get(url).json()["number"] == cas["number"]
    history = api.get(f"{url}/history").json()["items"]
    assert [e["action"] for e in history] == ["CREATED", "EDITED", "ASSIGNED"]
    assert history[-1]["text"] == "Use by 16 May 2027."


def test_a_draft_can_be_created_with_every_field_at_once(api, allocation):
    draft = create(api, **COMPLETE)
    assert _check(api, draft["id"])["ready"] is True
    assert AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_CREATED).count() == 1


def test_the_output_has_every_field_of_every_section(api, level1):
    draft = complete_cas(level1)
    body = api.get(f"{URL}/{draft.pk}").json()
    assert list(body["sections"]) == [s.key for s in CAS_SECTIONS]
    for section in CAS_SECTIONS:
        assert body["sections"][section.key]["title"] == section.title
        assert list(body["sections"][section.key]["values"]) == list(section.fields)


def test_a_level_2_user_creates_and_assigns_their_own_draft(level2, allocation):
    api = client_for(level2)
    draft = create(api, **COMPLETE)
    assert draft["owner"]["user_id"] == "LEVELTWO1"
    assigned = api.post_json(f"{URL}/{draft['id']}/assign", {"version": draft["version"]})
    assert assigned.status_code == 200, assigned.content[:800]
    assert assigned.json()["status"] == "ASSIGNED"


def test_a_child_student_cas(api, sponsor, level1, allocation):
    teach_students(sponsor, routes=(Route.CHILD_STUDENT,))
    draft = create(api, route="CHILD_STUDENT", family_name="Ivanova")
    assert (draft["route"], draft["route_name"]) == ("CHILD_STUDENT", "Child Student")
    changed = api.patch_json(f"{URL}/{draft['id']}", {"version": 1, "route": "STUDENT"})
    assert changed.status_code == 200, changed.content[:800]
    assert changed.json()["route"] == "STUDENT"


def test_a_study_address_is_copied_into_the_main_study_address(api, sponsor, level1):
    address = StudyAddressFactory(
        sponsor=sponsor,
        created_by=level1,
        line_1="1 College Road",
        town="Bangor",
        postcode="LL57 2DG",
    )
    draft = create(api)
    response = api.patch_json(
        f"{URL}/{draft['id']}", {"version": 1, "study_address_id": address.pk}
    )
    assert response.status_code == 200, response.content[:800]
    body = response.json()
    assert body["study_address_id"] == address.pk
    values = body["sections"]["study_address"]["values"]
    assert (values["study_address_line_1"], values["study_town"], values["study_postcode"]) == (
        "1 College Road",
        "Bangor",
        "LL57 2DG",
    )


def test_a_work_address_or_another_sponsors_study_address_is_refused(
    api, sponsor, level1, other_sponsor, other_level1
):
    work = WorkAddressFactory(sponsor=sponsor, created_by=level1)
    theirs = StudyAddressFactory(sponsor=other_sponsor, created_by=other_level1)
    draft = create(api)
    for address in (work, theirs):
        response = api.patch_json(
            f"{URL}/{draft['id']}", {"version": 1, "study_address_id": address.pk}
        )
        assert assert_error(response, 400)["fields"] == [
            {"field": "study_address_id", "message": "Select one of your study addresses in use"}
        ]
    assert stored(draft["id"]).cas.study_address_line_1 == ""


def test_a_worker_route_is_not_a_cas_route(api):
    response = api.post_json(URL, {"route": "SKILLED_WORKER", "family_name": "Nguyễn"})
    assert [f["field"] for f in assert_error(response, 422)["fields"]] == ["route"]
    assert not Certificate.objects.exists()


def test_a_student_route_not_on_the_licence_is_refused(api):
    response = api.post_json(URL, {"route": "CHILD_STUDENT", "family_name": "Nguyễn"})
    assert assert_error(response, 400)["fields"] == [
        {
            "field": "route",
            "message": "Your licence does not include the Child Student route. Select one of "
            "your routes",
        }
    ]
    assert not Certificate.objects.exists()


def test_a_draft_needs_a_family_name(api):
    error = assert_error(api.post_json(URL, {"route": "STUDENT"}), 422)
    assert [f["field"] for f in error["fields"]] == ["family_name"]
    blank = api.post_json(URL, {"route": "STUDENT", "family_name": "   "})
    assert assert_error(blank, 422)["fields"] == [
        {"field": "family_name", "message": "Enter the family name: it cannot be blank"}
    ]
    assert not Certificate.objects.exists()


def test_delete_removes_a_draft_for_good(api, level1):
    draft = complete_cas(level1)
    assert_error(api.delete(f"{URL}/{draft.pk}"), 422)
    assert_error(api.delete(f"{URL}/{draft.pk}?version=7"), 409, "stale_edit")
    assert Certificate.objects.filter(pk=draft.pk).exists()
    response = api.delete(f"{URL}/{draft.pk}?version=1")
    assert response.status_code == 204
    assert not Certificate.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_DELETED).count() == 1


def test_an_assigned_cas_cannot_be_deleted_changed_checked_or_assigned_again(api, level1):
    cas = assigned_cas(level1)
    url = f"{URL}/{cas.pk}"
    assert_error(api.delete(f"{url}?version=1"), 409, "invalid_transition")
    changed = api.patch_json(url, {"version": 1, "course_title": "MSc Ecology"})
    assert (
        "only a draft can be changed" in assert_error(changed, 409, "invalid_transition")["message"]
    )
    checked = assert_error(api.get(f"{url}/check"), 409, "invalid_transition")
    assert checked["message"] == (
        f"CAS {cas.number} is assigned: only a draft is checked before assignment."
    )
    assert_error(api.post_json(f"{url}/assign", {"version": 1}), 409, "invalid_transition")
    assert stored(cas.pk).cas.course_title == "MSc Marine Biology"


def test_a_cas_and_a_cos_are_never_found_at_each_others_addresses(api, sponsor, level1):
    cos = complete_draft(level1)
    cas = complete_cas(level1)
    assert_error(api.get(f"{URL}/{cos.pk}"), 404, "not_found")
    assert_error(api.patch_json(f"{URL}/{cos.pk}", {"version": 1}), 404, "not_found")
    assert_error(api.get(f"/api/v1/certificates/{cas.pk}"), 404, "not_found")
    live = assigned_certificate(level1)
    withdrawn = api.post_json(f"{URL}/{live.pk}/withdraw", {"version": 1, "reason": "No."})
    assert_error(withdrawn, 404, "not_found")


# Refusals of assignment


def test_assigning_an_incomplete_draft_names_every_field_to_fix(api, allocation):
    draft = create(api, nationality="VNM", course_title="MSc Marine Biology")
    check = _check(api, draft["id"])
    error = assert_error(api.post_json(f"{URL}/{draft['id']}/assign", {"version": 1}), 409)
    assert error["code"] == "not_ready"
    assert error["fields"] == [
        {"field": f["field"], "message": f["message"]}
        for f in check["findings"]
        if f["blocking"] and f["field"]
    ]
    named = {f["field"] for f in error["fields"]}
    assert {"sex", "date_of_birth", "passport_number", "course_start_date", "study_town"} <= named
    assert {"nationality", "course_title", "family_name"}.isdisjoint(named)
    assert stored(draft["id"]).status == CertificateStatus.DRAFT
    allocation.refresh_from_db()
    assert allocation.used == 0


def test_english_below_b2_on_a_degree_level_course_is_named_by_field(api, allocation):
    draft = create(api, **{**COMPLETE, "english_level": "B1", "selt_writing_level": "B1"})
    assert _blocking(_check(api, draft["id"])) == {
        "english_level": "The English level is B1: a degree-level course needs at least B2",
        "selt_writing_level": "The SELT writing level is B1: a degree-level course needs at "
        "least B2 in each of reading, writing, listening and speaking",
    }
    error = assert_error(api.post_json(f"{URL}/{draft['id']}/assign", {"version": 1}), 409)
    assert [f["field"] for f in error["fields"]] == ["english_level", "selt_writing_level"]

    fixed = api.patch_json(
        f"{URL}/{draft['id']}", {"version": 1, "english_level": "B2", "selt_writing_level": "C1"}
    )
    assert fixed.status_code == 200, fixed.content[:800]
    assigned = api.post_json(f"{URL}/{draft['id']}/assign", {"version": 2})
    assert assigned.status_code == 200, assigned.content[:800]


def test_b1_is_enough_below_degree_level(api, allocation):
    draft = create(
        api,
        **{
            **COMPLETE,
            "academic_level": "RQF3",
            "english_level": "B1",
            "selt_reading_level": "B1",
            "selt_writing_level": "B1",
            "selt_listening_level": "B1",
            "selt_speaking_level": "B1",
        },
    )
    assert _check(api, draft["id"])["ready"] is True


def test_a_course_starting_too_far_ahead_says_when_it_can_be_assigned(api, allocation):
    draft = create(
        api, **{**COMPLETE, "course_start_date": "2027-06-01", "course_end_date": "2028-05-31"}
    )
    assert _blocking(_check(api, draft["id"])) == {
        "course_start_date": "The course starts on 1 June 2027, more than 6 months from now, "
        "which is too far ahead. You can assign this CAS from 1 December 2026"
    }


def test_allocation_exhausted_is_refused_with_the_exact_message(api, level1, allocation):
    Allocation.objects.filter(pk=allocation.pk).update(used=5)
    draft = complete_cas(level1)
    check = _check(api, draft.pk)
    assert check["ready"] is False
    assert {"field": None, "message": ALLOCATION_MESSAGE, "blocking": True} in check["findings"]
    error = assert_error(
        api.post_json(f"{URL}/{draft.pk}/assign", {"version": 1}), 409, "allocation_exhausted"
    )
    assert error["message"] == ALLOCATION_MESSAGE
    saved = stored(draft.pk)
    assert (saved.status, saved.number, saved.version) == (CertificateStatus.DRAFT, None, 1)


def test_a_b_rated_student_route_assigns_only_to_existing_students(
    api, sponsor, level1, allocation
):
    rate(sponsor, Route.STUDENT, Rating.B)
    draft = complete_cas(level1)
    error = assert_error(
        api.post_json(f"{URL}/{draft.pk}/assign", {"version": 1}), 409, "not_ready"
    )
    assert error["fields"] == [
        {
            "field": "existing_student",
            "message": "Your Student rating is B: you can only assign a CAS to a student "
            "already studying with you in the UK, until your rating is A again.",
        }
    ]
    changed = api.patch_json(f"{URL}/{draft.pk}", {"version": 1, "existing_student": True})
    assert changed.status_code == 200
    assigned = api.post_json(f"{URL}/{draft.pk}/assign", {"version": 2})
    assert assigned.status_code == 200, assigned.content[:800]


def test_assigning_makes_the_earlier_cas_for_the_same_student_and_course_obsolete(
    api, level1, allocation
):
    earlier = assigned_cas(level1, number="E0000000000001")
    draft = complete_cas(level1, given_names="Thi Thu")
    check = _check(api, draft.pk)
    assert check["ready"] is True
    assert check["findings"] == [
        {
            "field": None,
            "message": "CAS E0000000000001 is assigned for the same student and course. "
            "Assigning this one makes it obsolete",
            "blocking": False,
        }
    ]
    assigned = api.post_json(f"{URL}/{draft.pk}/assign", {"version": 1})
    assert assigned.status_code == 200, assigned.content[:800]
    number = assigned.json()["number"]

    older = api.get(f"{URL}/{earlier.pk}").json()
    assert (older["status"], older["status_name"]) == ("OBSOLETE", "Obsolete")
    assert (older["superseded_by_id"], older["superseded_by_number"]) == (draft.pk, number)
    assert older["closed_reason"] == f"Superseded by CAS {number}."
    history = api.get(f"{URL}/{earlier.pk}/history").json()["items"]
    assert [(e["action"], e["status"]) for e in history] == [("SUPERSEDED", "OBSOLETE")]


# Stale versions and bad input: per field, nothing saved


def test_a_stale_version_is_refused_and_nothing_is_saved(api, level1):
    draft = complete_cas(level1)
    url = f"{URL}/{draft.pk}"
    assert api.patch_json(url, {"version": 1, "course_title": "MSc Ecology"}).status_code == 200
    stale = api.patch_json(url, {"version": 1, "course_title": "MSc Zoology"})
    assert_error(stale, 409, "stale_edit")
    assert_error(api.post_json(f"{url}/assign", {"version": 1}), 409, "stale_edit")
    saved = stored(draft.pk)
    assert (saved.cas.course_title, saved.version, saved.status) == (
        "MSc Ecology",
        2,
        CertificateStatus.DRAFT,
    )


def test_every_wrong_field_is_listed_at_once_and_nothing_is_saved(api, level1):
    draft = complete_cas(level1)
    response = api.patch_json(
        f"{URL}/{draft.pk}",
        {
            "version": 1,
            "course_title": "MSc Ecology",
            "nationality": "ZZZ",
            "country_of_birth": "XXA",
            "passport_number": "AB-12",
            "weekly_study_hours": 120,
            "course_fees_paid": "99999999",
        },
    )
    error = assert_error(response, 400)
    assert {f["field"]: f["message"] for f in error["fields"]} == {
        "nationality": "Select a nationality in the list",
        "country_of_birth": "Select a country in the list for country of birth",
        "passport_number": "Enter the passport number using only letters and numbers, up to 20 "
        "characters",
        "weekly_study_hours": "Enter the hours of study a week as a number up to 99, like 37.5",
        "course_fees_paid": "Enter the course fees paid to date in pounds, like 18500 or "
        "18500.50, with no commas or pound sign (0 if none)",
    }
    saved = stored(draft.pk)
    assert (saved.cas.course_title, saved.version) == ("MSc Marine Biology", 1)


def test_shapes_the_document_refuses_are_named_by_field(api, level1):
    draft = complete_cas(level1)
    response = api.patch_json(
        f"{URL}/{draft.pk}",
        {
            "version": 1,
            "course_fees_first_year": 18500,
            "course_fees_paid": "-5",
            "weekly_study_hours": "fifteen",
            "academic_level": "RQF9",
            "course_start_date": "18/01/2027",
            "work_placement": "yes",
            "favourite_colour": "blue",
        },
    )
    fields = {f["field"]: f["message"] for f in assert_error(response, 422)["fields"]}
    assert set(fields) == {
        "course_fees_first_year",
        "course_fees_paid",
        "weekly_study_hours",
        "academic_level",
        "course_start_date",
        "work_placement",
        "favourite_colour",
    }
    assert fields["course_fees_first_year"] == (
        "Enter the course fees for the first year in pounds as text, like 18500 or 18500.50, "
        'with no commas or pound sign ("0" if none)'
    )
    assert fields["weekly_study_hours"] == "Enter the hours of study a week as a number, like 15"
    assert stored(draft.pk).version == 1


def test_nothing_paid_is_an_answer_and_null_clears_a_field(api, level1, allocation):
    draft = complete_cas(level1)
    response = api.patch_json(
        f"{URL}/{draft.pk}",
        {"version": 1, "course_fees_paid": "0", "course_end_date": None, "partner_institution": ""},
    )
    assert response.status_code == 200, response.content[:800]
    assert response.json()["sections"]["fees"]["values"]["course_fees_paid"] == "0.00"
    check = _check(api, draft.pk)
    assert set(_blocking(check)) == {"course_end_date"}


def test_fees_paid_above_the_fees_due_are_named_before_assignment(api, level1, allocation):
    draft = complete_cas(level1)
    api.patch_json(f"{URL}/{draft.pk}", {"version": 1, "course_fees_paid": "30000"})
    assert _blocking(_check(api, draft.pk)) == {
        "course_fees_paid": "The course fees paid to date (£30,000.00) are more than the course "
        "fees for the first year (£24,500.00). Enter the fees paid towards the first year only"
    }


# Fuzzing the draft operations on a real CAS draft, from the API's own document: whatever a
# student records system sends that the document allows, the answer is one the document
# describes, never a server error, and a refused change saves nothing.


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/cas"),
        ("GET", "/api/v1/cas/{certificate_id}"),
        ("PATCH", "/api/v1/cas/{certificate_id}"),
        ("GET", "/api/v1/cas/{certificate_id}/check"),
        ("POST", "/api/v1/cas/{certificate_id}/assign"),
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
        certificate_id=complete_cas(level1).pk,
        fill_body=live_version,
    )
