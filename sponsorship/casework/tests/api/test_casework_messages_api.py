"""Caseworkers post, edit (before it goes live) and archive board messages through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditVerb
from sponsorship.licences.models import Message
from sponsorship.licences.tests.api.support import events, query_count
from sponsorship.licences.tests.factories import MessageFactory

NOTICE = {
    "title": "Skilled Worker changes",
    "body": "The going rates change on 1 April.",
    "routes": ["SKILLED_WORKER", "SKILLED_WORKER", "STUDENT"],
    "active_from": "2026-11-20T09:00:00",
    "active_to": "2026-12-31",
}


def test_posting_a_message(casework_api, caseworker):
    response = casework_api.post_json("/api/v1/casework/messages", NOTICE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["routes"] == ["SKILLED_WORKER", "STUDENT"]
    assert body["for_all_routes"] is False
    assert body["active_from"] == "2026-11-20T09:00:00Z"  # UK time, GMT in November
    assert body["active_to"] == "2026-12-31"
    assert body["is_live"] is False
    message = Message.objects.get(pk=body["id"])
    assert message.title == "Skilled Worker changes"
    assert [e.actor for e in events(AuditVerb.MESSAGE_POSTED)] == [caseworker]


def test_a_message_for_everyone_goes_live_for_sponsors(casework_api, api):
    notice = {**NOTICE, "routes": [], "active_from": "2026-11-16T09:00:00+00:00"}
    posted = casework_api.post_json("/api/v1/casework/messages", notice).json()
    assert posted["for_all_routes"] is True
    assert posted["is_live"] is True
    board = api.get("/api/v1/messages").json()["items"]
    assert [m["id"] for m in board] == [posted["id"]]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"title": " "}, 422, "title"),
        ({"body": ""}, 422, "body"),
        ({"routes": ["MOON"]}, 422, "routes.0"),
        ({"active_from": "soon"}, 422, "active_from"),
        ({"active_to": "2026-11-19"}, 400, "active_to"),
        ({"active_from": "0001-01-01T00:00:00+05:00"}, 400, "active_from"),
        ({"active_to": "9999-12-31"}, 400, "active_to"),
        ({"archived": True}, 422, "archived"),
    ],
)
def test_bad_messages_name_the_field(casework_api, change, status, field):
    response = casework_api.post_json("/api/v1/casework/messages", {**NOTICE, **change})
    assert [f["field"] for f in assert_error(response, status)["fields"]] == [field]
    assert not Message.objects.exists()


def test_messages(casework_api):
    old = MessageFactory(title="Old", published_at=timezone.now() - timedelta(days=3))
    new = MessageFactory(title="New", routes=["STUDENT"])
    body = casework_api.get("/api/v1/casework/messages").json()
    assert [(m["id"], m["routes"]) for m in body["items"]] == [(new.pk, ["STUDENT"]), (old.pk, [])]
    assert body["page"]["total_items"] == 2


def test_message_list_queries_do_not_grow_with_the_rows(casework_api):
    def call():
        return casework_api.get("/api/v1/casework/messages", {"page_size": 100})

    for _ in range(3):
        MessageFactory(routes=["STUDENT", "SKILLED_WORKER"])
    few = query_count(call)
    for _ in range(27):
        MessageFactory(routes=["STUDENT", "SKILLED_WORKER"])
    assert query_count(call) == few


def test_editing_a_message_before_it_goes_live(casework_api, caseworker):
    posted = casework_api.post_json("/api/v1/casework/messages", NOTICE).json()
    response = casework_api.put_json(
        f"/api/v1/casework/messages/{posted['id']}",
        {**NOTICE, "title": "Going rates", "routes": []},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["for_all_routes"], body["routes"]) == ("Going rates", True, [])
    assert Message.objects.get(pk=posted["id"]).title == "Going rates"
    assert [e.actor for e in events(AuditVerb.MESSAGE_EDITED)] == [caseworker]


def test_a_live_message_cannot_be_edited(casework_api):
    live = MessageFactory(title="Live")
    response = casework_api.put_json(f"/api/v1/casework/messages/{live.pk}", NOTICE)
    assert_error(response, 409, "invalid_transition")
    assert Message.objects.get(pk=live.pk).title == "Live"


def test_archiving_a_message(casework_api, caseworker):
    live = MessageFactory()
    response = casework_api.post(f"/api/v1/casework/messages/{live.pk}/archive")
    assert response.status_code == 200, response.content
    assert response.json()["archived_at"] is not None
    assert response.json()["is_live"] is False
    assert Message.objects.get(pk=live.pk).archived_at is not None
    assert [e.actor for e in events(AuditVerb.MESSAGE_ARCHIVED)] == [caseworker]
    again = casework_api.post(f"/api/v1/casework/messages/{live.pk}/archive")
    assert_error(again, 409, "invalid_transition")


def test_an_unknown_message_is_not_found(casework_api):
    assert_error(casework_api.put_json("/api/v1/casework/messages/999999", NOTICE), 404)
    assert_error(casework_api.post("/api/v1/casework/messages/999999/archive"), 404)
