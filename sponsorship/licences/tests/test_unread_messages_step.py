"""A Level 1 user reads every new Home Office message before doing anything else."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sponsorship.accounts.tests.factories import PASSWORD
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import MessageRead, Route
from sponsorship.licences.tests.factories import MessageFactory, MessageReadFactory

UNREAD = "/messages/new/"


@pytest.fixture
def sign_in_by_hand(client, django_capture_on_commit_callbacks):
    """Password then e-mailed passcode; returns the response to the passcode, so the test sees
    where the service sends the user next."""

    def _sign_in(user, next_url=""):
        mail.outbox.clear()
        data = {"user_id": user.username, "password": PASSWORD}
        if next_url:
            data["next"] = next_url
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/sign-in/", data)
        assert response["Location"].startswith("/sign-in/passcode/")
        code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/sign-in/passcode/", {"passcode": code, "method": "email"})

    return _sign_in


@pytest.fixture
def two_new_messages(level1):
    now = timezone.now()
    first = MessageFactory(title="First notice", published_at=now - timedelta(days=2))
    second = MessageFactory(
        title="Second notice", published_at=now - timedelta(days=1), routes=[Route.SKILLED_WORKER]
    )
    return first, second


def read_step(client, message):
    return client.post(UNREAD, {"message_id": message.pk})


def test_after_the_passcode_a_level1_user_is_sent_to_new_messages(
    client, sign_in_by_hand, level1, two_new_messages
):
    response = sign_in_by_hand(level1)
    assert response.status_code == 302
    assert response["Location"] == UNREAD


def test_without_new_messages_the_user_goes_home(client, sign_in_by_hand, level1):
    response = sign_in_by_hand(level1)
    assert response["Location"] == "/home/"


@pytest.mark.parametrize(
    "url", ["/home/", "/licence/", "/messages/", "/audit-trail/", "/api-tokens/", "/account/"]
)
def test_nothing_else_can_be_reached_until_the_messages_are_read(
    signed_in, level1, two_new_messages, url
):
    response = signed_in(level1).get(url)
    assert response.status_code == 302
    assert response["Location"] == UNREAD


def test_messages_are_shown_oldest_first_one_at_a_time(signed_in, level1, two_new_messages):
    first, second = two_new_messages
    client = signed_in(level1)
    page = client.get(UNREAD).content.decode()
    assert "First notice" in page
    assert "Second notice" not in page
    assert "1 of 2 unread" in page

    response = read_step(client, first)
    assert response.status_code == 302
    assert response["Location"] == UNREAD
    assert client.get("/home/")["Location"] == UNREAD  # one still unread

    page = client.get(UNREAD).content.decode()
    assert "Second notice" in page
    assert "First notice" not in page

    response = read_step(client, second)
    assert client.get(UNREAD)["Location"] == "/home/"
    assert client.get("/home/").status_code == 200


def test_each_read_is_recorded_with_an_audit_event(signed_in, level1, two_new_messages):
    client = signed_in(level1)
    for message in two_new_messages:
        read_step(client, message)
    assert set(MessageRead.objects.filter(user=level1).values_list("message_id", flat=True)) == {
        m.pk for m in two_new_messages
    }
    events = AuditEvent.objects.filter(verb=AuditVerb.MESSAGE_READ, actor=level1)
    assert sorted(int(e.target_id) for e in events) == sorted(m.pk for m in two_new_messages)
    assert {e.sponsor_id for e in events} == {level1.sponsor_id}


def test_marking_the_same_message_twice_creates_one_read(signed_in, level1, two_new_messages):
    first, _ = two_new_messages
    client = signed_in(level1)
    read_step(client, first)
    read_step(client, first)
    assert MessageRead.objects.filter(user=level1, message=first).count() == 1
    assert (
        AuditEvent.objects.filter(verb=AuditVerb.MESSAGE_READ, target_id=str(first.pk)).count() == 1
    )
    assert "Second notice" in client.get(UNREAD).content.decode()


def test_after_reading_the_user_goes_where_they_were_going(
    client, sign_in_by_hand, level1, two_new_messages
):
    response = sign_in_by_hand(level1, next_url="/licence/")
    assert response["Location"] == UNREAD
    read_step(client, two_new_messages[0])
    response = read_step(client, two_new_messages[1])
    assert client.get(UNREAD)["Location"] == "/licence/"


def test_a_message_for_another_route_does_not_stop_the_user(signed_in, level1):
    MessageFactory(title="Students only", routes=[Route.STUDENT])
    client = signed_in(level1)
    assert client.get("/home/").status_code == 200
    assert client.get(UNREAD)["Location"] == "/home/"


def test_a_message_for_another_route_cannot_be_marked_read_from_the_step(
    signed_in, level1, two_new_messages
):
    hidden = MessageFactory(title="Students only", routes=[Route.STUDENT])
    client = signed_in(level1)
    assert read_step(client, hidden).status_code == 404
    assert not MessageRead.objects.filter(message=hidden).exists()


def test_archived_and_already_read_messages_do_not_stop_the_user(signed_in, level1):
    MessageFactory(archived_at=timezone.now(), archive_on=timezone.localdate())
    MessageReadFactory(message=MessageFactory(), user=level1)
    assert signed_in(level1).get("/home/").status_code == 200


def test_a_message_published_during_the_session_is_read_next(signed_in, level1):
    client = signed_in(level1)
    assert client.get("/home/").status_code == 200
    MessageFactory(title="Just published")
    assert client.get("/home/")["Location"] == UNREAD
    assert "Just published" in client.get(UNREAD).content.decode()


def test_signing_out_is_possible_before_reading(signed_in, level1, two_new_messages):
    client = signed_in(level1)
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert response["Location"] == "/signed-out/"
    assert client.get("/home/")["Location"].startswith("/sign-in/")
    assert AuditEvent.objects.filter(verb=AuditVerb.SIGN_OUT, actor=level1).exists()


def test_level2_users_are_not_stopped_by_messages(signed_in, level2, two_new_messages):
    client = signed_in(level2)
    assert client.get("/home/").status_code == 200
    assert client.get(UNREAD)["Location"] == "/home/"
    assert not MessageRead.objects.filter(user=level2).exists()


def test_caseworkers_are_not_stopped_by_messages(signed_in, caseworker, two_new_messages):
    client = signed_in(caseworker)
    assert client.get("/casework/").status_code == 200


def test_one_sponsors_reads_do_not_release_another_sponsors_user(
    signed_in, level1, other_level1, two_new_messages
):
    for message in two_new_messages:
        MessageReadFactory(message=message, user=other_level1)
    assert signed_in(level1).get("/home/")["Location"] == UNREAD


@pytest.mark.parametrize("value", ["abc", "1.5"])
def test_a_message_id_that_is_not_a_number_is_not_found(signed_in, level1, two_new_messages, value):
    client = signed_in(level1)
    client.raise_request_exception = False
    assert client.post(UNREAD, {"message_id": value}).status_code == 404
    assert not MessageRead.objects.exists()


@pytest.mark.parametrize("value", ["", "0", "-1", "99999999999999999999999"])
def test_a_message_id_that_matches_nothing_is_not_found(signed_in, level1, two_new_messages, value):
    client = signed_in(level1)
    assert client.post(UNREAD, {"message_id": value}).status_code == 404
    assert not MessageRead.objects.exists()
    assert client.get("/home/")["Location"] == UNREAD
