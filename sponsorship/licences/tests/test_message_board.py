"""The Home Office message board as a Level 1 user sees it: targeting by route, the active and
archived views, reading a message, and what Level 2 users and other sponsors get."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import MessageRead, Route
from sponsorship.licences.tests.factories import MessageFactory, MessageReadFactory


def archived(**kwargs):
    return MessageFactory(
        archived_at=timezone.now(), archive_on=timezone.localdate() - timedelta(days=1), **kwargs
    )


def mark_all_read(user, *messages):
    """Read already, so the sign-in step does not stand between the user and the board."""
    for message in messages:
        MessageReadFactory(message=message, user=user)


@pytest.fixture
def board(level1):
    """Messages published for every route, for the sponsor's route, and for another route."""
    everyone = MessageFactory(title="Service outage on Saturday")
    skilled = MessageFactory(
        title="Skilled Worker salary thresholds", routes=[Route.SKILLED_WORKER]
    )
    both = MessageFactory(
        title="Worker and student fees", routes=[Route.STUDENT, Route.SKILLED_WORKER]
    )
    students = MessageFactory(title="CAS deadlines for September", routes=[Route.STUDENT])
    old = archived(title="Last year's renewal window")
    mark_all_read(level1, everyone, skilled, both)
    return {
        "everyone": everyone,
        "skilled": skilled,
        "both": both,
        "students": students,
        "old": old,
    }


def test_level1_sees_messages_for_all_routes_and_for_their_routes(signed_in, level1, board):
    response = signed_in(level1).get("/messages/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Service outage on Saturday" in page
    assert "Skilled Worker salary thresholds" in page
    assert page.count("Worker and student fees") == 1  # addressed to two routes, shown once
    assert "CAS deadlines for September" not in page
    assert "Last year&#x27;s renewal window" not in page


def test_newest_messages_come_first(signed_in, level1):
    now = timezone.now()
    older = MessageFactory(title="Older notice", published_at=now - timedelta(days=3))
    newer = MessageFactory(title="Newer notice", published_at=now - timedelta(days=1))
    mark_all_read(level1, older, newer)
    page = signed_in(level1).get("/messages/").content.decode()
    assert page.index("Newer notice") < page.index("Older notice")


def test_archived_view_shows_only_archived_messages(signed_in, level1, board):
    response = signed_in(level1).get("/messages/?view=archived")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Last year&#x27;s renewal window" in page
    assert "Service outage on Saturday" not in page
    assert "Skilled Worker salary thresholds" not in page


def test_archived_view_respects_route_targeting(signed_in, level1):
    archived(title="Old student notice", routes=[Route.STUDENT])
    archived(title="Old worker notice", routes=[Route.SKILLED_WORKER])
    page = signed_in(level1).get("/messages/?view=archived").content.decode()
    assert "Old worker notice" in page
    assert "Old student notice" not in page


def test_board_shows_which_messages_were_read(signed_in, level1):
    read = archived(title="Read before")
    archived(title="Never read")
    mark_all_read(level1, read)
    page = signed_in(level1).get("/messages/?view=archived").content.decode()
    row_read = page[page.index("Read before") :]
    row_unread = page[page.index("Never read") :]
    assert row_read.index("Read</strong>") < row_read.index("</tr>")
    assert row_unread.index("Unread</strong>") < row_unread.index("</tr>")


def test_empty_board_says_so(signed_in, level1):
    client = signed_in(level1)
    assert "There are no active messages." in client.get("/messages/").content.decode()
    archived_page = client.get("/messages/?view=archived").content.decode()
    assert "There are no archived messages." in archived_page


def test_level1_reads_one_message(signed_in, level1, board):
    response = signed_in(level1).get(f"/messages/{board['skilled'].pk}/")
    assert response.status_code == 200
    assert "Skilled Worker salary thresholds" in response.content.decode()
    assert "Please read this." in response.content.decode()


def test_archived_message_can_still_be_opened(signed_in, level1, board):
    response = signed_in(level1).get(f"/messages/{board['old'].pk}/")
    assert response.status_code == 200


def test_message_for_another_route_is_not_found(signed_in, level1, board):
    response = signed_in(level1).get(f"/messages/{board['students'].pk}/")
    assert response.status_code == 404
    assert "CAS deadlines" not in response.content.decode()


def test_archived_message_for_another_route_is_not_found(signed_in, level1):
    hidden = archived(title="Old student notice", routes=[Route.STUDENT])
    assert signed_in(level1).get(f"/messages/{hidden.pk}/").status_code == 404


def test_message_that_does_not_exist_is_not_found(signed_in, level1):
    assert signed_in(level1).get("/messages/999999/").status_code == 404


def test_marking_a_message_for_another_route_is_not_found_and_records_nothing(
    signed_in, level1, board
):
    response = signed_in(level1).post(f"/messages/{board['students'].pk}/read/")
    assert response.status_code == 404
    assert not MessageRead.objects.filter(message=board["students"]).exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.MESSAGE_READ).exists()


def test_a_student_sponsor_sees_student_messages_not_worker_ones(signed_in, db):
    from sponsorship.accounts.tests.factories import Level1Factory
    from sponsorship.licences.tests.factories import SponsorFactory

    university = SponsorFactory(routes=[Route.STUDENT])
    student_user = Level1Factory(sponsor=university)
    for_students = MessageFactory(title="For students", routes=[Route.STUDENT])
    for_workers = MessageFactory(title="For workers", routes=[Route.SKILLED_WORKER])
    mark_all_read(student_user, for_students)
    client = signed_in(student_user)
    assert "For workers" not in client.get("/messages/").content.decode()
    assert client.get(f"/messages/{for_workers.pk}/").status_code == 404
    assert client.get(f"/messages/{for_students.pk}/").status_code == 200


def test_mark_as_read_records_one_read_and_one_audit_event(signed_in, level1):
    message = archived(title="Archived, unread")
    client = signed_in(level1)
    for _ in range(2):  # the second click, or another tab, changes nothing
        response = client.post(f"/messages/{message.pk}/read/")
        assert response.status_code == 302
        assert response["Location"] == f"/messages/{message.pk}/"
    assert MessageRead.objects.filter(message=message, user=level1).count() == 1
    events = AuditEvent.objects.filter(verb=AuditVerb.MESSAGE_READ, sponsor=level1.sponsor)
    assert events.count() == 1
    assert events.get().target_id == str(message.pk)
    assert events.get().actor == level1


def test_mark_as_read_needs_post(signed_in, level1, board):
    response = signed_in(level1).get(f"/messages/{board['old'].pk}/read/")
    assert response.status_code == 405
    assert not MessageRead.objects.filter(message=board["old"]).exists()


def test_one_users_read_is_not_anothers(signed_in, level1, sponsor):
    from sponsorship.accounts.tests.factories import Level1Factory

    colleague = Level1Factory(sponsor=sponsor)
    message = archived(title="Archived notice")
    mark_all_read(colleague, message)
    page = signed_in(level1).get("/messages/?view=archived").content.decode()
    assert "Unread</strong>" in page


def test_level2_cannot_use_the_board(signed_in, level2, board):
    client = signed_in(level2)
    assert client.get("/messages/").status_code == 403
    assert client.get("/messages/?view=archived").status_code == 403
    assert client.get(f"/messages/{board['everyone'].pk}/").status_code == 403
    assert client.post(f"/messages/{board['everyone'].pk}/read/").status_code == 403
    assert not MessageRead.objects.filter(user=level2).exists()


def test_board_is_paginated(signed_in, level1):
    now = timezone.now()
    messages = [
        MessageFactory(title=f"Notice number {i:02d}", published_at=now - timedelta(minutes=i))
        for i in range(30)
    ]
    mark_all_read(level1, *messages)
    client = signed_in(level1)
    first = client.get("/messages/").content.decode()
    second = client.get("/messages/?page=2").content.decode()
    assert "Notice number 00" in first
    assert "Notice number 24" in first
    assert "Notice number 25" not in first
    assert "Notice number 25" in second
    assert "Notice number 29" in second


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("view", ["active", "archived"])
def test_board_query_count_does_not_grow_with_messages(signed_in, level1, view):
    make = MessageFactory if view == "active" else archived
    client = signed_in(level1)
    url = f"/messages/?view={view}"
    mark_all_read(level1, *[make(routes=[Route.SKILLED_WORKER]) for _ in range(3)])
    client.get(url)  # the first request after signing in may touch the session
    few = _queries_for(client, url)
    mark_all_read(level1, *[make() for _ in range(27)])
    many = _queries_for(client, url)
    assert few == many


def test_a_scheduled_message_stays_off_the_board_until_its_time(signed_in, level1):
    scheduled = MessageFactory(
        title="From next week", published_at=timezone.now() + timedelta(days=7)
    )
    client = signed_in(level1)
    assert "From next week" not in client.get("/messages/").content.decode()
    assert client.get(f"/messages/{scheduled.pk}/").status_code == 404
    # Nor does it stop the user at sign-in as an unread message.
    assert client.get("/home/").status_code == 200
