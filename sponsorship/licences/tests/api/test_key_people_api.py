"""Key personnel through the API: read them, change the Authorising Officer or Key Contact."""

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditVerb
from sponsorship.licences.models import KeyPerson, KeyPersonRole, LicenceRequest, RequestStatus
from sponsorship.licences.tests.factories import KeyPersonFactory

from .support import events, recipients

NEW_AO = {
    "given_names": "Margaret",
    "family_name": "Oduya",
    "job_title": "Managing Director",
    "email": "m.oduya@harbourview.example",
    "phone": "020 7946 0001",
    "address_line_1": "1 High Street",
    "town": "London",
    "postcode": "sw1a1aa",  # the head office's postcode, written another way
    "change_date": "2026-11-13",
    "replace": True,
}


@pytest.fixture
def ao(sponsor):
    return KeyPersonFactory(
        sponsor=sponsor,
        role=KeyPersonRole.AUTHORISING_OFFICER,
        given_names="Amira",
        family_name="Okafor",
        email="amira.okafor@harbourview.example",
    )


def test_key_people(api, ao, sponsor, other_sponsor):
    KeyPersonFactory(sponsor=other_sponsor, role=KeyPersonRole.KEY_CONTACT)
    body = api.get("/api/v1/key-people").json()
    assert body == [
        {
            "role": "AUTHORISING_OFFICER",
            "role_name": "Authorising Officer",
            "name": "Amira Okafor",
            "given_names": "Amira",
            "family_name": "Okafor",
            "job_title": "Chief Executive",
            "email": "amira.okafor@harbourview.example",
            "phone": "",
            "address_line_1": "1 High Street",
            "town": "London",
            "postcode": "SW1A 1AA",
            "is_legal_representative": False,
        }
    ]


def test_a_change_the_licence_qualifies_for_applies_at_once(api, ao, level1):
    response = api.post_json("/api/v1/key-people/authorising-officer/changes", NEW_AO)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "KEY_PERSON"
    assert body["status"] == "GRANTED"
    assert body["fulfilled_at_once"] is True
    assert body["report_due"] == "2026-12-11"
    assert body["reported_late"] is False
    ao.refresh_from_db()
    assert (ao.given_names, ao.family_name, ao.email) == (
        "Margaret",
        "Oduya",
        "m.oduya@harbourview.example",
    )
    assert events(AuditVerb.KEY_PERSON_CHANGED)[0].payload["role"] == "AUTHORISING_OFFICER"
    assert recipients("request_decided") == [level1.email]


def test_a_change_elsewhere_waits_for_a_caseworker(api, ao):
    response = api.post_json(
        "/api/v1/key-people/key-contact/changes",
        {**NEW_AO, "postcode": "EH1 1YZ", "is_legal_representative": True},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "SUBMITTED"
    assert body["key_person_role"] == "KEY_CONTACT"
    assert body["details"]["is_legal_representative"] is True
    assert not KeyPerson.objects.filter(role=KeyPersonRole.KEY_CONTACT).exists()
    assert LicenceRequest.objects.get(pk=body["id"]).status == RequestStatus.SUBMITTED


def test_the_authorising_officer_cannot_be_a_representative(api, ao):
    response = api.post_json(
        "/api/v1/key-people/authorising-officer/changes",
        {**NEW_AO, "is_legal_representative": True},
    )
    error = assert_error(response, 400)
    assert error["fields"][0]["field"] == "is_legal_representative"
    assert not LicenceRequest.objects.exists()


@pytest.mark.parametrize(
    ("path", "change", "status", "field"),
    [
        ("authorising-officer", {"change_date": "2026-11-17"}, 400, "change_date"),
        ("authorising-officer", {"change_date": "17/11/2026"}, 422, "change_date"),
        ("authorising-officer", {"given_names": " "}, 422, "given_names"),
        ("authorising-officer", {"replace": None}, 422, "replace"),
        ("chief-executive", {}, 422, "role"),
    ],
)
def test_bad_changes_name_the_field(api, ao, path, change, status, field):
    response = api.post_json(f"/api/v1/key-people/{path}/changes", {**NEW_AO, **change})
    error = assert_error(response, status)
    assert field in [f["field"] for f in error["fields"]]
    assert not LicenceRequest.objects.exists()
