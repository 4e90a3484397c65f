"""The licence and the message board through the API, scoped to the token's sponsor and level."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import KeyPersonRole, MessageRead, Rating, Route, SponsorRoute
from sponsorship.licences.tests.factories import (
    KeyPersonFactory,
    MessageFactory,
    MessageReadFactory,
    SponsorFactory,
)

from .api_client import assert_error


@pytest.fixture
def api(api_as, level1):
    return api_as(level1)


@pytest.fixture
def board(sponsor):
    """Our sponsor holds Skilled Worker and Creative Worker; the other sponsor only Skilled."""
    SponsorRoute.objects.create(sponsor=sponsor, route=Route.CREATIVE_WORKER, rating=Rating.B)
    now = timezone.now()
    return {
        "everyone": MessageFactory(title="For everyone", published_at=now - timedelta(hours=3)),
        "creative": MessageFactory(
            title="For creative sponsors",
            routes=[Route.CREATIVE_WORKER],
            published_at=now - timedelta(hours=2),
        ),
        "students": MessageFactory(
            title="For student sponsors",
            routes=[Route.STUDENT],
            published_at=now - timedelta(hours=1),
        ),
        "old": MessageFactory(
            title="Archived notice",
            archived_at=now,
            archive_on=timezone.localdate(),
            published_at=now - timedelta(days=40),
        ),
    }


# Licence


def test_licence(api, sponsor):
    sponsor.licence_number = "T83VF9QR4"
    sponsor.licence_granted_on = date(2021, 3, 4)
    sponsor.save()
    SponsorRoute.objects.create(sponsor=sponsor, route=Route.STUDENT, rating=Rating.B)
    KeyPersonFactory(
        sponsor=sponsor,
        role=KeyPersonRole.AUTHORISING_OFFICER,
        given_names="Margaret",
        family_name="Oduya",
        email="m.oduya@example.org",
    )
    body = api.get("/api/v1/licence").json()
    assert body["name"] == "Harbour View Care Ltd"
    assert body["licence_number"] == "T83VF9QR4"
    assert body["status"] == "ACTIVE"
    assert body["licence_granted_on"] == "2021-03-04"
    assert body["licence_expires_on"] is None
    assert sorted((r["route"], r["rating"], r["group"]) for r in body["routes"]) == [
        ("SKILLED_WORKER", "A", "WORKER"),
        ("STUDENT", "B", "STUDENT"),
    ]
    assert {r["name"] for r in body["routes"]} == {"Skilled Worker", "Student"}
    assert body["key_people"] == [
        {
            "role": "AUTHORISING_OFFICER",
            "name": "Margaret Oduya",
            "email": "m.oduya@example.org",
            "is_legal_representative": False,
        }
    ]


def test_another_sponsors_token_sees_its_own_licence(api_as, other_level1, sponsor):
    body = api_as(other_level1).get("/api/v1/licence").json()
    assert body["name"] == "Other Sponsor Ltd"
    assert body["licence_number"] != sponsor.licence_number


def test_level2_token_cannot_read_the_licence(api_as, level2):
    error = assert_error(api_as(level2).get("/api/v1/licence"), 403, "not_permitted")
    assert "access" in error["message"]


# Messages


def test_messages_lists_those_for_every_route_and_the_sponsors_routes(api, board):
    body = api.get("/api/v1/messages").json()
    assert [m["title"] for m in body["items"]] == ["For creative sponsors", "For everyone"]
    assert body["page"] == {"page": 1, "page_size": 25, "total_items": 2, "total_pages": 1}
    item = body["items"][0]
    assert set(item) == {"id", "title", "body", "published_at", "archived", "is_read"}
    assert item["archived"] is False
    assert item["is_read"] is False


def test_archived_messages(api, board):
    body = api.get("/api/v1/messages", {"view": "archived"}).json()
    assert [m["title"] for m in body["items"]] == ["Archived notice"]
    assert body["items"][0]["archived"] is True


def test_an_unknown_view_is_refused(api, board):
    error = assert_error(api.get("/api/v1/messages", {"view": "everything"}), 422)
    assert [f["field"] for f in error["fields"]] == ["view"]


def test_messages_show_what_this_user_has_read(api, board, level1, sponsor):
    from sponsorship.accounts.tests.factories import Level1Factory

    MessageReadFactory(message=board["everyone"], user=level1)
    MessageReadFactory(message=board["creative"], user=Level1Factory(sponsor=sponsor))
    items = {m["title"]: m["is_read"] for m in api.get("/api/v1/messages").json()["items"]}
    assert items == {"For everyone": True, "For creative sponsors": False}


def test_messages_are_paginated(api, level1):
    now = timezone.now()
    for n in range(7):
        MessageFactory(title=f"Notice {n}", published_at=now - timedelta(minutes=n))
    first = api.get("/api/v1/messages", {"page": 1, "page_size": 3}).json()
    third = api.get("/api/v1/messages", {"page": 3, "page_size": 3}).json()
    beyond = api.get("/api/v1/messages", {"page": 9, "page_size": 3}).json()
    assert [m["title"] for m in first["items"]] == ["Notice 0", "Notice 1", "Notice 2"]
    assert first["page"] == {"page": 1, "page_size": 3, "total_items": 7, "total_pages": 3}
    assert [m["title"] for m in third["items"]] == ["Notice 6"]
    assert beyond["items"] == []
    assert beyond["page"]["total_items"] == 7


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 101}, "page_size"),
        ({"page_size": 1000}, "page_size"),
    ],
)
def test_out_of_range_paging_is_a_422_naming_the_field(api, query, field):
    error = assert_error(api.get("/api/v1/messages", query), 422, "invalid_request")
    assert [f["field"] for f in error["fields"]] == [field]


@pytest.mark.parametrize(
    ("query", "field"), [({"page": "abc"}, "page"), ({"page_size": "1.5"}, "page_size")]
)
def test_paging_that_is_not_a_number_is_a_422(api, query, field):
    error = assert_error(api.get("/api/v1/messages", query), 422, "invalid_request")
    assert [f["field"] for f in error["fields"]] == [field]


def test_one_message(api, board):
    message = board["creative"]
    body = api.get(f"/api/v1/messages/{message.pk}").json()
    assert body["id"] == message.pk
    assert body["title"] == "For creative sponsors"
    assert body["body"] == "Please read this."


def test_an_archived_message_can_be_read(api, board):
    assert api.get(f"/api/v1/messages/{board['old'].pk}").json()["archived"] is True


def test_a_message_for_another_route_is_not_found(api, board):
    assert_error(api.get(f"/api/v1/messages/{board['students'].pk}"), 404, "not_found")
    assert "For student sponsors" not in api.get("/api/v1/messages").content.decode()


def test_a_message_that_does_not_exist_is_not_found(api):
    assert_error(api.get("/api/v1/messages/999999"), 404, "not_found")


def test_another_sponsors_token_does_not_see_this_sponsors_route_messages(
    api_as, other_level1, board
):
    theirs = api_as(other_level1)
    titles = [m["title"] for m in theirs.get("/api/v1/messages").json()["items"]]
    assert titles == ["For everyone"]
    assert_error(theirs.get(f"/api/v1/messages/{board['creative'].pk}"), 404, "not_found")
    assert_error(theirs.post(f"/api/v1/messages/{board['creative'].pk}/read"), 404, "not_found")
    assert not MessageRead.objects.filter(message=board["creative"]).exists()


def test_mark_a_message_read(api, board, level1):
    message = board["creative"]
    response = api.post(f"/api/v1/messages/{message.pk}/read")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert MessageRead.objects.filter(message=message, user=level1).count() == 1
    event = AuditEvent.objects.get(verb=AuditVerb.MESSAGE_READ)
    assert event.actor == level1
    assert event.target_id == str(message.pk)


def test_marking_twice_creates_one_read(api, board, level1):
    message = board["everyone"]
    for _ in range(2):
        assert api.post(f"/api/v1/messages/{message.pk}/read").status_code == 200
    assert MessageRead.objects.filter(message=message, user=level1).count() == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.MESSAGE_READ).count() == 1


def test_marking_a_message_for_another_route_is_not_found(api, board):
    assert_error(api.post(f"/api/v1/messages/{board['students'].pk}/read"), 404, "not_found")
    assert not MessageRead.objects.exists()


def test_reading_through_the_api_releases_the_web_sign_in_step(api, signed_in, level1, board):
    client = signed_in(level1)
    assert client.get("/home/")["Location"] == "/messages/new/"
    for key in ("everyone", "creative"):
        api.post(f"/api/v1/messages/{board[key].pk}/read")
    assert client.get("/home/").status_code == 200


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/messages"),
        ("get", "/api/v1/messages/{id}"),
        ("post", "/api/v1/messages/{id}/read"),
        ("get", "/api/v1/licence"),
        ("get", "/api/v1/tokens"),
    ],
)
def test_level2_token_cannot_use_level1_operations(api_as, level2, board, method, url):
    api = api_as(level2)
    response = getattr(api, method)(url.format(id=board["everyone"].pk))
    assert_error(response, 403, "not_permitted")
    assert not MessageRead.objects.exists()


def test_level2_token_can_say_who_it_is(api_as, level2):
    body = api_as(level2).get("/api/v1/me").json()
    assert body["user_id"] == "LEVELTWO1"
    assert body["level"] == "LEVEL_2"


def test_student_only_sponsor_sees_student_messages(api_as, board):
    from sponsorship.accounts.tests.factories import Level1Factory

    university = Level1Factory(sponsor=SponsorFactory(routes=[Route.STUDENT]))
    titles = {m["title"] for m in api_as(university).get("/api/v1/messages").json()["items"]}
    assert titles == {"For everyone", "For student sponsors"}


def test_messages_query_count_does_not_grow(api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        MessageFactory()
    api.get("/api/v1/messages")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/messages").status_code == 200
        return len(queries)

    few = count()
    for _ in range(40):
        MessageFactory()
    assert count() == few
