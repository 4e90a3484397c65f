"""The daily sweep moves messages past their archive date to the archived view, once."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core.sweep import daily_sweep
from sponsorship.licences.models import Message
from sponsorship.licences.tests.factories import MessageFactory, MessageReadFactory

STEP = "sponsorship.licences.services.message_archive_expired"
TODAY = date(2026, 11, 16)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2026, 11, 16, 2, 30, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture
def messages(db, frozen):
    return {
        "past": MessageFactory(title="Past", archive_on=TODAY - timedelta(days=5)),
        "today": MessageFactory(title="Today", archive_on=TODAY),
        "tomorrow": MessageFactory(title="Tomorrow", archive_on=TODAY + timedelta(days=1)),
    }


def refreshed(message):
    message.refresh_from_db()
    return message


def test_sweep_archives_messages_whose_date_has_come(messages):
    results = daily_sweep(TODAY)
    assert results[STEP] == 2
    assert refreshed(messages["past"]).archived_at is not None
    assert refreshed(messages["today"]).archived_at is not None
    assert refreshed(messages["tomorrow"]).archived_at is None


def test_archived_at_is_when_the_sweep_ran(messages):
    daily_sweep(TODAY)
    assert refreshed(messages["past"]).archived_at == datetime(2026, 11, 16, 2, 30, tzinfo=LONDON)


def test_sweep_is_idempotent(messages, frozen):
    assert daily_sweep(TODAY)[STEP] == 2
    first_archived_at = refreshed(messages["past"]).archived_at
    frozen.shift(timedelta(hours=1))
    assert daily_sweep(TODAY)[STEP] == 0
    assert refreshed(messages["past"]).archived_at == first_archived_at
    assert AuditEvent.objects.filter(verb=AuditVerb.MESSAGES_ARCHIVED).count() == 1


def test_next_days_sweep_archives_the_next_message(messages, frozen):
    daily_sweep(TODAY)
    frozen.move_to(datetime(2026, 11, 17, 2, 30, tzinfo=LONDON))
    assert daily_sweep(TODAY + timedelta(days=1))[STEP] == 1
    assert refreshed(messages["tomorrow"]).archived_at is not None


def test_sweep_without_a_date_uses_today(messages):
    assert daily_sweep()[STEP] == 2


def test_sweep_with_nothing_due_changes_nothing(db, frozen):
    MessageFactory(archive_on=TODAY + timedelta(days=30))
    assert daily_sweep(TODAY)[STEP] == 0
    assert not AuditEvent.objects.filter(verb=AuditVerb.MESSAGES_ARCHIVED).exists()


def test_sweep_records_which_messages_it_archived(messages):
    daily_sweep(TODAY)
    event = AuditEvent.objects.get(verb=AuditVerb.MESSAGES_ARCHIVED)
    assert sorted(event.payload["message_ids"]) == sorted(
        [messages["past"].pk, messages["today"].pk]
    )
    assert event.sponsor_id is None
    assert event.actor_label == "daily sweep"


def test_already_archived_messages_keep_their_date(db, frozen):
    earlier = datetime(2026, 10, 1, 9, 0, tzinfo=LONDON)
    old = MessageFactory(archive_on=date(2026, 10, 1), archived_at=earlier)
    assert daily_sweep(TODAY)[STEP] == 0
    assert refreshed(old).archived_at == earlier


def test_swept_messages_move_to_the_archived_view(signed_in, level1, frozen):
    message = MessageFactory(title="Renewal window closes", archive_on=TODAY)
    MessageReadFactory(message=message, user=level1)
    client = signed_in(level1)
    assert "Renewal window closes" in client.get("/messages/").content.decode()
    daily_sweep(TODAY)
    assert "Renewal window closes" not in client.get("/messages/").content.decode()
    archived = client.get("/messages/?view=archived").content.decode()
    assert "Renewal window closes" in archived


def test_swept_messages_no_longer_hold_up_sign_in(signed_in, level1, frozen):
    MessageFactory(title="Unread and due", archive_on=TODAY)
    client = signed_in(level1)
    assert client.get("/home/")["Location"] == "/messages/new/"
    daily_sweep(TODAY)
    assert client.get("/home/").status_code == 200


def test_sweep_archives_every_due_message_in_one_go(db, frozen):
    for _ in range(40):
        MessageFactory(archive_on=TODAY - timedelta(days=1))
    assert daily_sweep(TODAY)[STEP] == 40
    assert not Message.objects.filter(archived_at__isnull=True).exists()
