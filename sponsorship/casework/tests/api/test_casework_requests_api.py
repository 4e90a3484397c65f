"""Caseworkers' queues and decisions through the API: waiting time against the queue's target,
assigning, asking for information, granting, partly granting, refusing."""

from datetime import datetime

import pytest

from sponsorship.accounts.models import UserStatus
from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditVerb
from sponsorship.licences.models import (
    KeyPersonRole,
    RequestKind,
    RequestMessage,
    RequestStatus,
)
from sponsorship.licences.tests.api.support import LONDON, events, query_count, recipients
from sponsorship.licences.tests.factories import (
    AllocationFactory,
    KeyPersonFactory,
    LicenceRequestFactory,
    SponsorFactory,
)


def submitted_on(day: int, **fields):
    """A request submitted on that day of November 2026, at 10:00 in London."""
    return LicenceRequestFactory(submitted_at=datetime(2026, 11, day, 10, tzinfo=LONDON), **fields)


@pytest.fixture
def increase(level1):
    """An allocation increase for 5, submitted on Monday 2 November: 10 working days ago."""
    return submitted_on(2, submitted_by=level1)


@pytest.fixture
def ao(sponsor):
    return KeyPersonFactory(
        sponsor=sponsor, role=KeyPersonRole.AUTHORISING_OFFICER, email="ao@harbourview.example"
    )


# Queues


def test_a_queue_with_waiting_time_and_target(casework_api, increase, sponsor, level1):
    later = submitted_on(12, submitted_by=level1, route="CREATIVE_WORKER")
    submitted_on(3, submitted_by=level1, status=RequestStatus.GRANTED)  # decided: not queued
    submitted_on(3, submitted_by=level1, kind=RequestKind.PREMIUM)  # another queue
    body = casework_api.get("/api/v1/casework/queues/allocations").json()
    assert [r["id"] for r in body["items"]] == [increase.pk, later.pk]
    first = body["items"][0]
    assert first["waited_working_days"] == 10
    assert first["target_working_days"] == 90
    assert first["overdue"] is False
    assert first["queue"] == "allocations"
    assert first["sponsor"] == {
        "id": sponsor.pk,
        "name": "Harbour View Care Ltd",
        "licence_number": sponsor.licence_number,
    }
    assert first["submitted_by"]["user_id"] == "LEVELONE1"
    assert first["assigned_to"] is None
    assert body["items"][1]["waited_working_days"] == 2
    assert body["page"]["total_items"] == 2


def test_a_request_past_its_target_is_overdue(casework_api, level1, settings):
    settings.CASEWORK_TARGET_WORKING_DAYS = {**settings.CASEWORK_TARGET_WORKING_DAYS, "users": 5}
    submitted_on(2, submitted_by=level1, kind=RequestKind.LEVEL_1_USER, route="")
    (item,) = casework_api.get("/api/v1/casework/queues/users").json()["items"]
    assert (item["waited_working_days"], item["target_working_days"], item["overdue"]) == (
        10,
        5,
        True,
    )


def test_queue_filters(casework_api, caseworker, level1, other_level1, other_sponsor):
    mine = submitted_on(2, submitted_by=level1, assigned_to=caseworker)
    renewal = submitted_on(3, submitted_by=level1, kind=RequestKind.ALLOCATION_RENEWAL)
    asked = submitted_on(4, submitted_by=other_level1, status=RequestStatus.INFO_REQUESTED)

    def ids(**query) -> list[int]:
        body = casework_api.get("/api/v1/casework/queues/allocations", query).json()
        return [r["id"] for r in body["items"]]

    assert ids() == [mine.pk, renewal.pk, asked.pk]
    assert ids(mine="true") == [mine.pk]
    assert ids(kind="ALLOCATION_RENEWAL") == [renewal.pk]
    assert ids(status="INFO_REQUESTED") == [asked.pk]
    assert ids(search="other sponsor") == [asked.pk]
    assert ids(search=other_sponsor.licence_number.lower()) == [asked.pk]


@pytest.mark.parametrize(
    ("path", "query", "status", "field"),
    [
        ("allocations", {"kind": "PREMIUM"}, 400, "kind"),
        ("allocations", {"kind": "PIZZA"}, 422, "kind"),
        ("allocations", {"status": "LOST"}, 422, "status"),
        ("allocations", {"search": "x" * 201}, 422, "search"),
        ("inbox", {}, 422, "queue"),
    ],
)
def test_bad_queue_queries_name_the_field(casework_api, path, query, status, field):
    response = casework_api.get(f"/api/v1/casework/queues/{path}", query)
    assert [f["field"] for f in assert_error(response, status)["fields"]] == [field]


def test_queue_queries_do_not_grow_with_the_rows(casework_api, caseworker, level1):
    def call():
        return casework_api.get("/api/v1/casework/queues/allocations", {"page_size": 100})

    for _ in range(3):
        submitted_on(2, submitted_by=level1, assigned_to=caseworker)
    few = query_count(call)
    for _ in range(27):
        sponsor = SponsorFactory()
        submitted_on(2, submitted_by=Level1Factory(sponsor=sponsor), assigned_to=caseworker)
    assert query_count(call) == few


# One request


def test_a_request_with_questions_answers_and_evidence(casework_api, api, increase, caseworker):
    casework_api.post_json(
        f"/api/v1/casework/requests/{increase.pk}/information-requests", {"question": "Why?"}
    )
    from sponsorship.licences.tests.api.support import pdf

    api.post_form(
        f"/api/v1/requests/{increase.pk}/answer", {"body": "Growth.", "evidence": [pdf()]}
    )
    body = casework_api.get(f"/api/v1/casework/requests/{increase.pk}").json()
    assert [(m["from_home_office"], m["author"], m["body"]) for m in body["messages"]] == [
        (True, "Samira Haddad", "Why?"),
        (False, "Zoë Hartley", "Growth."),
    ]
    assert body["evidence"][0]["download_url"] == f"/evidence/{body['evidence'][0]['id']}/"
    assert body["status"] == "SUBMITTED"


def test_an_unknown_request_is_not_found(casework_api):
    assert_error(casework_api.get("/api/v1/casework/requests/999999"), 404, "not_found")
    assert_error(casework_api.post("/api/v1/casework/requests/999999/assign"), 404, "not_found")


def test_assigning_a_request(casework_api, caseworker, increase):
    response = casework_api.post(f"/api/v1/casework/requests/{increase.pk}/assign")
    assert response.status_code == 200, response.content
    assert response.json()["assigned_to"]["user_id"] == "CASEWORK1"
    increase.refresh_from_db()
    assert increase.assigned_to == caseworker
    assert [e.actor for e in events(AuditVerb.REQUEST_ASSIGNED)] == [caseworker]


def test_asking_for_information(casework_api, caseworker, increase, level1):
    response = casework_api.post_json(
        f"/api/v1/casework/requests/{increase.pk}/information-requests",
        {"question": "Which roles?"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "INFO_REQUESTED"
    assert body["messages"][-1]["body"] == "Which roles?"
    increase.refresh_from_db()
    assert increase.paused_since is not None
    assert RequestMessage.objects.get(request=increase).from_home_office
    assert recipients("request_info_requested") == [level1.email]
    assert events(AuditVerb.INFO_REQUESTED)[0].payload == {"question": "Which roles?"}


def test_an_empty_question_names_the_field(casework_api, increase):
    response = casework_api.post_json(
        f"/api/v1/casework/requests/{increase.pk}/information-requests", {"question": "  "}
    )
    assert assert_error(response, 422)["fields"][0]["field"] == "question"


# Decisions


def test_a_partial_grant_adds_to_the_allocation(
    casework_api, api, caseworker, sponsor, level1, increase, ao
):
    AllocationFactory(sponsor=sponsor, limit=10, used=4)
    response = casework_api.post_json(
        f"/api/v1/casework/requests/{increase.pk}/decision",
        {
            "outcome": "PARTLY_GRANTED",
            "reasons": "Three roles shown.",
            "number_granted": 3,
            "version": 1,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["number_granted"], body["reasons"]) == (
        "PARTLY_GRANTED",
        3,
        "Three roles shown.",
    )
    assert body["decided_by"]["user_id"] == "CASEWORK1"
    assert body["waited_working_days"] == 10
    (line,) = api.get("/api/v1/allocations").json()
    assert (line["current"]["limit"], line["current"]["remaining"]) == (13, 9)
    assert recipients("request_decided") == [level1.email, ao.email]
    decided = events(AuditVerb.REQUEST_DECIDED)[0]
    assert decided.payload["number_granted"] == 3
    assert decided.actor == caseworker
    mine = api.get(f"/api/v1/requests/{increase.pk}").json()
    assert (mine["status"], mine["number_granted"]) == ("PARTLY_GRANTED", 3)


def test_granting_a_level_1_user(casework_api, api):
    requested = api.post_json(
        "/api/v1/users/level-1-requests",
        {"given_names": "Aisha", "family_name": "Bello", "email": "aisha@harbourview.example"},
    ).json()
    response = casework_api.post_json(
        f"/api/v1/casework/requests/{requested['id']}/decision",
        {"outcome": "GRANTED", "version": requested["version"]},
    )
    assert response.status_code == 200, response.content
    user = api.get(f"/api/v1/users/{requested['subject_user']['id']}").json()
    assert user["status"] == UserStatus.ACTIVE
    assert recipients("new_user") == ["aisha@harbourview.example"]


def test_a_stale_decision_is_refused(casework_api, increase):
    casework_api.post_json(
        f"/api/v1/casework/requests/{increase.pk}/information-requests", {"question": "Why?"}
    )
    response = casework_api.post_json(
        f"/api/v1/casework/requests/{increase.pk}/decision",
        {"outcome": "REFUSED", "reasons": "Not shown.", "version": 1},
    )
    assert_error(response, 409, "stale_edit")
    increase.refresh_from_db()
    assert increase.status == RequestStatus.INFO_REQUESTED


def test_a_decided_request_cannot_be_decided_again(casework_api, increase):
    url = f"/api/v1/casework/requests/{increase.pk}/decision"
    casework_api.post_json(url, {"outcome": "REFUSED", "reasons": "No.", "version": 1})
    response = casework_api.post_json(url, {"outcome": "GRANTED", "version": 2})
    assert_error(response, 409, "invalid_transition")


@pytest.mark.parametrize(
    ("decision", "status", "field"),
    [
        ({"outcome": "PARTLY_GRANTED", "reasons": "Some."}, 400, "number_granted"),
        (
            {"outcome": "PARTLY_GRANTED", "reasons": "Some.", "number_granted": 5},
            400,
            "number_granted",
        ),
        ({"outcome": "REFUSED"}, 400, "reasons"),
        ({"outcome": "MAYBE"}, 422, "outcome"),
        ({"outcome": "GRANTED", "number_granted": 0}, 422, "number_granted"),
    ],
)
def test_bad_decisions_name_the_field(casework_api, increase, decision, status, field):
    response = casework_api.post_json(
        f"/api/v1/casework/requests/{increase.pk}/decision", {"version": 1, **decision}
    )
    assert [f["field"] for f in assert_error(response, status)["fields"]] == [field]
    increase.refresh_from_db()
    assert increase.status == RequestStatus.SUBMITTED


def test_only_allocations_are_partly_granted(casework_api, level1):
    premium = submitted_on(2, submitted_by=level1, kind=RequestKind.PREMIUM, route="")
    response = casework_api.post_json(
        f"/api/v1/casework/requests/{premium.pk}/decision",
        {"outcome": "PARTLY_GRANTED", "reasons": "Half.", "number_granted": 1, "version": 1},
    )
    assert assert_error(response, 400)["fields"][0]["field"] == "outcome"


def test_granting_premium_shows_on_the_sponsors_status(casework_api, api, level1):
    created = api.post("/api/v1/sponsor-status/premium/applications").json()
    casework_api.post_json(
        f"/api/v1/casework/requests/{created['id']}/decision", {"outcome": "GRANTED", "version": 1}
    )
    premium, _ = api.get("/api/v1/sponsor-status").json()
    assert premium["held_since"] == "2026-11-16"
    assert api.get("/api/v1/licence").json()["premium_since"] == "2026-11-16"
