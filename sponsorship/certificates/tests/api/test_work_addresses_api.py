"""Work addresses through the API: list, add, read, change and retire, for Level 1 users."""

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import WorkAddress
from sponsorship.certificates.services import certificate_update
from sponsorship.certificates.tests.factories import WorkAddressFactory, complete_draft
from sponsorship.licences.models import LicenceStatus, Nation
from sponsorship.licences.tests.api.support import Api, query_count, token_for

BASE = "/api/v1/work-addresses"

LEEDS = {
    "name": "Leeds office",
    "line_1": "2 Park Row",
    "town": "Leeds",
    "postcode": "ls1 5hd",
    "nation": "ENG",
}


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def api(level1):
    return Api(token_for(level1))


@pytest.fixture
def address(level1):
    return WorkAddressFactory(
        sponsor=level1.sponsor,
        created_by=level1,
        identifier="WA0001",
        name="Head office",
        line_1="1 High Street",
        town="London",
        postcode="SW1A 1AA",
        nation=Nation.ENGLAND,
    )


def url(address, action: str = "") -> str:
    return f"{BASE}/{address.pk}{action}"


# ---------------------------------------------------------------- who may call


def test_level2_is_refused_everywhere(level2, address):
    api = Api(token_for(level2))
    assert_error(api.get(BASE), 403)
    assert_error(api.post_json(BASE, LEEDS), 403)
    assert_error(api.get(url(address)), 403)
    assert_error(api.patch_json(url(address), {"version": 1, "line_1": "Mine"}), 403)
    assert_error(api.post_json(url(address, "/retire"), {"version": 1}), 403)
    address.refresh_from_db()
    assert (address.line_1, address.retired_at) == ("1 High Street", None)
    assert WorkAddress.objects.count() == 1


def test_without_a_token_nothing_is_shown(address):
    assert_error(Api(None).get(BASE), 401)


def test_another_sponsors_address_is_not_found(api, other_level1):
    theirs = WorkAddressFactory(
        sponsor=other_level1.sponsor, created_by=other_level1, identifier="WA0001", line_1="Theirs"
    )
    assert_error(api.get(url(theirs)), 404, "not_found")
    assert_error(api.patch_json(url(theirs), {"version": 1, "line_1": "Mine"}), 404)
    assert_error(api.post_json(url(theirs, "/retire"), {"version": 1}), 404)
    assert api.get(BASE).json()["items"] == []
    theirs.refresh_from_db()
    assert (theirs.line_1, theirs.retired_at) == ("Theirs", None)


def test_a_suspended_licence_still_keeps_its_addresses(api, sponsor, address):
    """Suspension blocks certificates (DOMAIN.md), not the sponsor's own records."""
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert api.get(BASE).status_code == 200
    assert api.post_json(BASE, LEEDS).status_code == 201


# ---------------------------------------------------------------- list and read


def test_the_list_and_one_address(api, level1, address):
    WorkAddressFactory(
        sponsor=level1.sponsor,
        created_by=level1,
        identifier="WA0002",
        retired_at="2026-10-01T09:00:00Z",
    )
    body = api.get(BASE).json()
    assert [(a["identifier"], a["in_use"]) for a in body["items"]] == [
        ("WA0001", True),
        ("WA0002", False),
    ]
    assert body["page"]["total_items"] == 2
    in_use = api.get(BASE, {"in_use": "true"}).json()
    assert [a["identifier"] for a in in_use["items"]] == ["WA0001"]

    one = api.get(url(address)).json()
    assert one == {
        "id": address.pk,
        "identifier": "WA0001",
        "name": "Head office",
        "line_1": "1 High Street",
        "line_2": "",
        "town": "London",
        "postcode": "SW1A 1AA",
        "nation": "ENG",
        "nation_name": "England",
        "in_use": True,
        "retired_at": None,
        "created_at": one["created_at"],
        "created_by": {"id": level1.pk, "user_id": "LEVELONE1", "name": "Zoë Hartley"},
        "version": 1,
    }


def test_the_list_is_paginated(api, level1):
    for n in range(1, 4):
        WorkAddressFactory(sponsor=level1.sponsor, created_by=level1, identifier=f"WA{n:04d}")
    body = api.get(BASE, {"page": 2, "page_size": 2}).json()
    assert [a["identifier"] for a in body["items"]] == ["WA0003"]
    assert body["page"] == {"page": 2, "page_size": 2, "total_items": 3, "total_pages": 2}


def test_the_lists_queries_do_not_grow_with_its_rows(api, level1, level2):
    def call():
        return api.get(BASE, {"page_size": 100})

    # Made by different users, so a lookup per row would show.
    for n in range(1, 4):
        WorkAddressFactory(sponsor=level1.sponsor, created_by=level1, identifier=f"WA{n:04d}")
    few = query_count(call)
    for n in range(4, 31):
        WorkAddressFactory(sponsor=level1.sponsor, created_by=level2, identifier=f"WA{n:04d}")
    assert query_count(call) == few


# ---------------------------------------------------------------- add


def test_adding_an_address(api, level1, other_level1):
    WorkAddressFactory(sponsor=other_level1.sponsor, created_by=other_level1, identifier="WA0007")
    response = api.post_json(BASE, LEEDS)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["identifier"], body["postcode"], body["in_use"], body["version"]) == (
        "WA0001",
        "LS1 5HD",
        True,
        1,
    )
    assert api.post_json(BASE, {**LEEDS, "name": "Second"}).json()["identifier"] == "WA0002"
    event = AuditEvent.objects.filter(verb=AuditVerb.WORK_ADDRESS_ADDED).order_by("pk").first()
    assert (event.actor, event.target_id) == (level1, str(body["id"]))


def test_an_invalid_postcode_names_the_field(api):
    error = assert_error(api.post_json(BASE, {**LEEDS, "postcode": "LS1"}), 400)
    assert error["fields"] == [
        {
            "field": "postcode",
            "message": "Enter a real UK postcode for the work address, like SW1A 2AA",
        }
    ]
    assert not WorkAddress.objects.exists()


def test_missing_fields_are_named(api):
    error = assert_error(api.post_json(BASE, {"name": "Only a name"}), 422, "invalid_request")
    assert {f["field"] for f in error["fields"]} == {"line_1", "town", "postcode", "nation"}
    assert not WorkAddress.objects.exists()


def test_an_unknown_part_of_the_uk_and_unknown_fields_are_refused(api):
    error = assert_error(api.post_json(BASE, {**LEEDS, "nation": "FRA"}), 422)
    assert [f["field"] for f in error["fields"]] == ["nation"]
    error = assert_error(api.post_json(BASE, {**LEEDS, "identifier": "WA0100"}), 422)
    assert [f["field"] for f in error["fields"]] == ["identifier"]
    assert not WorkAddress.objects.exists()


# ---------------------------------------------------------------- change


def test_changing_only_the_fields_sent_keeps_the_identifier(api, level1, address):
    response = api.patch_json(url(address), {"version": 1, "line_1": "2 Park Row", "name": ""})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["identifier"], body["line_1"], body["name"], body["town"], body["version"]) == (
        "WA0001",
        "2 Park Row",
        "",
        "London",
        2,
    )
    assert AuditEvent.objects.get(verb=AuditVerb.WORK_ADDRESS_CHANGED).actor == level1


def test_a_change_does_not_touch_a_certificate_that_has_the_address(api, level2, address):
    draft = complete_draft(level2)
    certificate_update(
        actor=level2,
        certificate=draft,
        version=draft.version,
        values={"work_address_id": address.pk},
        ip=None,
    )
    api.patch_json(url(address), {"version": 1, "line_1": "2 Park Row", "nation": "WLS"})
    draft.cos.refresh_from_db()
    assert (draft.cos.work_address_line_1, draft.cos.work_nation) == ("1 High Street", "ENG")


def test_a_stale_change_is_refused(api, address):
    api.patch_json(url(address), {"version": 1, "line_1": "First"})
    assert_error(
        api.patch_json(url(address), {"version": 1, "line_1": "Second"}), 409, "stale_edit"
    )
    address.refresh_from_db()
    assert address.line_1 == "First"


def test_a_change_needs_the_version(api, address):
    error = assert_error(api.patch_json(url(address), {"line_1": "First"}), 422)
    assert [f["field"] for f in error["fields"]] == ["version"]


def test_a_bad_change_names_the_field_and_saves_nothing(api, address):
    error = assert_error(api.patch_json(url(address), {"version": 1, "postcode": "nope"}), 400)
    assert [f["field"] for f in error["fields"]] == ["postcode"]
    address.refresh_from_db()
    assert (address.postcode, address.version) == ("SW1A 1AA", 1)


# ---------------------------------------------------------------- retire


def test_retiring_an_address(api, level1, address):
    response = api.post_json(url(address, "/retire"), {"version": 1})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["in_use"], body["version"]) == (False, 2)
    assert body["retired_at"] is not None
    assert api.get(BASE, {"in_use": "true"}).json()["items"] == []
    assert AuditEvent.objects.get(verb=AuditVerb.WORK_ADDRESS_RETIRED).actor == level1


def test_retiring_twice_is_refused(api, address):
    api.post_json(url(address, "/retire"), {"version": 1})
    error = assert_error(api.post_json(url(address, "/retire"), {"version": 2}), 409)
    assert error["code"] == "work_address_retired"
    assert error["message"] == "Work address WA0001 is already retired."
    assert AuditEvent.objects.filter(verb=AuditVerb.WORK_ADDRESS_RETIRED).count() == 1


def test_a_retired_address_cannot_be_changed(api, address):
    api.post_json(url(address, "/retire"), {"version": 1})
    error = assert_error(api.patch_json(url(address), {"version": 2, "line_1": "New"}), 409)
    assert error["code"] == "work_address_retired"
    address.refresh_from_db()
    assert address.line_1 == "1 High Street"


def test_a_stale_retire_is_refused(api, address):
    api.patch_json(url(address), {"version": 1, "line_1": "First"})
    assert_error(api.post_json(url(address, "/retire"), {"version": 1}), 409, "stale_edit")
    address.refresh_from_db()
    assert address.retired_at is None
