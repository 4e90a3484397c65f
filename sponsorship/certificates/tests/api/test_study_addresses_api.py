"""Study addresses through the API (/api/v1/study-addresses): list, add, read, change and retire,
for Level 1 users of a licence with the Student route. A CAS keeps its own copy of an address."""

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import AddressPurpose, Certificate, WorkAddress
from sponsorship.certificates.services import cas_update, certificate_assign
from sponsorship.certificates.tests.factories import (
    StudyAddressFactory,
    WorkAddressFactory,
    complete_cas,
)
from sponsorship.licences.models import LicenceStatus, Nation, Rating, Route
from sponsorship.licences.tests.api.support import Api, query_count, token_for
from sponsorship.licences.tests.factories import AllocationFactory
from sponsorship.licences.tests.web.support import rate

BASE = "/api/v1/study-addresses"

CAMPUS = {
    "name": "King's Buildings",
    "line_1": "Mayfield Road",
    "town": "Edinburgh",
    "postcode": "eh9 3jl",
    "nation": "SCT",
}


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def students(sponsor):
    rate(sponsor, Route.STUDENT, Rating.A)
    return sponsor


@pytest.fixture
def api(level1, students):
    return Api(token_for(level1))


@pytest.fixture
def address(level1, students):
    return StudyAddressFactory(
        sponsor=students,
        created_by=level1,
        identifier="SA0001",
        name="Main campus",
        line_1="University Avenue",
        town="Aberdeen",
        postcode="AB24 3FX",
        nation=Nation.SCOTLAND,
    )


def url(address, action: str = "") -> str:
    return f"{BASE}/{address.pk}{action}"


# ---------------------------------------------------------------- who may call


def test_level2_is_refused_everywhere(level2, address):
    api = Api(token_for(level2))
    assert_error(api.get(BASE), 403)
    assert_error(api.post_json(BASE, CAMPUS), 403)
    assert_error(api.get(url(address)), 403)
    assert_error(api.patch_json(url(address), {"version": 1, "line_1": "Mine"}), 403)
    assert_error(api.post_json(url(address, "/retire"), {"version": 1}), 403)
    address.refresh_from_db()
    assert (address.line_1, address.retired_at) == ("University Avenue", None)


def test_a_licence_without_the_student_route_is_refused(level1):
    assert_error(Api(token_for(level1)).get(BASE), 403)


def test_another_sponsors_address_or_a_work_address_is_not_found(api, level1, other_level1):
    theirs = StudyAddressFactory(
        sponsor=other_level1.sponsor, created_by=other_level1, identifier="SA0001", line_1="Theirs"
    )
    work = WorkAddressFactory(sponsor=level1.sponsor, created_by=level1, line_1="The Office")
    for other in (theirs, work):
        assert_error(api.get(url(other)), 404, "not_found")
        assert_error(api.patch_json(url(other), {"version": 1, "line_1": "Mine"}), 404)
        assert_error(api.post_json(url(other, "/retire"), {"version": 1}), 404)
        other.refresh_from_db()
        assert other.retired_at is None and other.line_1 != "Mine"
    assert api.get(BASE).json()["items"] == []
    # Nor is a study address found among the work addresses.
    rate(level1.sponsor, Route.SKILLED_WORKER, Rating.A)
    mine = StudyAddressFactory(sponsor=level1.sponsor, created_by=level1)
    assert_error(api.get(f"/api/v1/work-addresses/{mine.pk}"), 404)


def test_a_suspended_licence_still_keeps_its_addresses(api, students, address):
    students.status = LicenceStatus.SUSPENDED
    students.save()
    assert api.get(BASE).status_code == 200
    assert api.post_json(BASE, CAMPUS).status_code == 201


# ---------------------------------------------------------------- list, read, add


def test_the_list_and_one_address(api, level1, address, students):
    StudyAddressFactory(
        sponsor=students,
        created_by=level1,
        identifier="SA0002",
        retired_at="2026-10-01T09:00:00Z",
    )
    body = api.get(BASE).json()
    assert [(a["identifier"], a["in_use"]) for a in body["items"]] == [
        ("SA0001", True),
        ("SA0002", False),
    ]
    assert [a["identifier"] for a in api.get(BASE, {"in_use": "true"}).json()["items"]] == [
        "SA0001"
    ]
    one = api.get(url(address)).json()
    assert one == {
        "id": address.pk,
        "identifier": "SA0001",
        "name": "Main campus",
        "line_1": "University Avenue",
        "line_2": "",
        "town": "Aberdeen",
        "postcode": "AB24 3FX",
        "nation": "SCT",
        "nation_name": "Scotland",
        "in_use": True,
        "retired_at": None,
        "created_at": one["created_at"],
        "created_by": {"id": level1.pk, "user_id": "LEVELONE1", "name": "Zoë Hartley"},
        "version": 1,
    }


def test_the_lists_queries_do_not_grow_with_its_rows(api, level1, level2, students):
    def call():
        return api.get(BASE, {"page_size": 100})

    for n in range(1, 4):
        StudyAddressFactory(sponsor=students, created_by=level1, identifier=f"SA{n:04d}")
    few = query_count(call)
    for n in range(4, 31):
        StudyAddressFactory(sponsor=students, created_by=level2, identifier=f"SA{n:04d}")
    assert query_count(call) == few


def test_adding_a_study_address(api, level1):
    response = api.post_json(BASE, CAMPUS)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["identifier"], body["postcode"], body["in_use"]) == ("SA0001", "EH9 3JL", True)
    assert WorkAddress.objects.get().purpose == AddressPurpose.STUDY
    assert api.post_json(BASE, {**CAMPUS, "name": "Second"}).json()["identifier"] == "SA0002"
    event = AuditEvent.objects.filter(verb=AuditVerb.STUDY_ADDRESS_ADDED).order_by("pk").first()
    assert (event.actor, event.target_id) == (level1, str(body["id"]))


def test_wrong_input_names_the_field(api):
    error = assert_error(api.post_json(BASE, {**CAMPUS, "postcode": "EH9"}), 400)
    assert error["fields"] == [
        {
            "field": "postcode",
            "message": "Enter a real UK postcode for the study address, like SW1A 2AA",
        }
    ]
    error = assert_error(api.post_json(BASE, {"name": "Only a name"}), 422, "invalid_request")
    assert {f["field"] for f in error["fields"]} == {"line_1", "town", "postcode", "nation"}
    error = assert_error(api.post_json(BASE, {**CAMPUS, "identifier": "SA0100"}), 422)
    assert [f["field"] for f in error["fields"]] == ["identifier"]
    assert not WorkAddress.objects.exists()


# ---------------------------------------------------------------- change and retire


def test_changing_only_the_fields_sent(api, address):
    response = api.patch_json(url(address), {"version": 1, "line_1": "Mayfield Road"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["identifier"], body["line_1"], body["town"], body["version"]) == (
        "SA0001",
        "Mayfield Road",
        "Aberdeen",
        2,
    )
    assert AuditEvent.objects.filter(verb=AuditVerb.STUDY_ADDRESS_CHANGED).count() == 1
    stale = api.patch_json(url(address), {"version": 1, "town": "Elsewhere"})
    assert_error(stale, 409, "stale_edit")


def test_retiring_and_then_changing_is_refused(api, address):
    retired = api.post_json(url(address, "/retire"), {"version": 1})
    assert retired.status_code == 200
    assert retired.json()["in_use"] is False
    assert_error(
        api.post_json(url(address, "/retire"), {"version": 2}), 409, "study_address_retired"
    )
    assert_error(
        api.patch_json(url(address), {"version": 2, "town": "Elsewhere"}),
        409,
        "study_address_retired",
    )


def test_changing_never_reaches_an_assigned_cas(api, level1, address, students):
    AllocationFactory(sponsor=students, route=Route.STUDENT, limit=1)
    draft = complete_cas(level1)
    cas_update(
        actor=level1,
        certificate=draft,
        version=draft.version,
        values={"study_address_id": address.pk},
        ip=None,
    )
    certificate_assign(actor=level1, certificate=draft, version=None, ip=None)
    assert api.patch_json(url(address), {"version": 1, "line_1": "Elsewhere"}).status_code == 200
    assert api.post_json(url(address, "/retire"), {"version": 2}).status_code == 200
    cas = Certificate.objects.select_related("cas").get(pk=draft.pk).cas
    assert cas.study_address_line_1 == "University Avenue"
