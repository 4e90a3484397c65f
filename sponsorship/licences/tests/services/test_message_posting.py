"""Caseworkers post messages to every sponsor or to the sponsors of some routes, edit them
only before they go live, and archive them once."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.audit.models import AuditVerb
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotFound
from sponsorship.licences.models import Message, MessageRoute, Route
from sponsorship.licences.selectors import (
    message_get_for_user,
    message_list_for_user,
    message_unread_for_user,
)
from sponsorship.licences.services import (
    MessageDraft,
    message_archive,
    message_edit,
    message_post,
)
from sponsorship.licences.tests.factories import SponsorFactory

from .support import LONDON, at, events

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)


def draft(**overrides: Any) -> MessageDraft:
    values: dict[str, Any] = {
        "title": "Changes to the Skilled Worker salary thresholds",
        "body": "From 22 July 2025 the general threshold is £41,700.",
        "routes": [],
        "active_from": NOW,
        "active_to": date(2026, 12, 31),
    }
    values.update(overrides)
    return MessageDraft(**values)


def post(caseworker, **overrides) -> Message:
    return message_post(caseworker=caseworker, draft=draft(**overrides), ip=None)


@pytest.fixture
def student_sponsor_user(db):
    return Level1Factory(sponsor=SponsorFactory(routes=[Route.STUDENT]))


@pytest.fixture
def creative_sponsor_user(db):
    return Level1Factory(sponsor=SponsorFactory(routes=[Route.CREATIVE_WORKER]))


def board(user) -> list[int]:
    return list(message_list_for_user(user=user, archived=False).values_list("pk", flat=True))


def archive(user) -> list[int]:
    return list(message_list_for_user(user=user, archived=True).values_list("pk", flat=True))


def test_a_message_for_every_sponsor(caseworker, level1, other_level1, student_sponsor_user):
    message = post(caseworker, title="  Bank holiday opening hours  ", body="  Closed.  ")
    message.refresh_from_db()
    assert message.title == "Bank holiday opening hours"
    assert message.body == "Closed."
    assert message.for_all_routes
    assert message.published_at == NOW
    assert message.archive_on == date(2026, 12, 31)
    assert message.archived_at is None
    assert not MessageRoute.objects.filter(message=message).exists()
    for user in (level1, other_level1, student_sponsor_user):
        assert board(user) == [message.pk]
    (event,) = events(AuditVerb.MESSAGE_POSTED)
    assert event.actor == caseworker
    assert event.sponsor is None  # on the Home Office's trail
    assert event.payload["routes"] == []


def test_a_message_for_some_routes(caseworker, level1, student_sponsor_user, creative_sponsor_user):
    message = post(caseworker, routes=[Route.STUDENT, Route.CREATIVE_WORKER, Route.STUDENT])
    message.refresh_from_db()
    assert not message.for_all_routes
    assert sorted(MessageRoute.objects.filter(message=message).values_list("route", flat=True)) == [
        "CREATIVE_WORKER",
        "STUDENT",
    ]
    assert board(student_sponsor_user) == [message.pk]
    assert board(creative_sponsor_user) == [message.pk]
    assert board(level1) == []  # a Skilled Worker sponsor is not addressed
    with pytest.raises(NotFound):
        message_get_for_user(user=level1, message_id=message.pk)
    assert message_get_for_user(user=student_sponsor_user, message_id=message.pk) == message


def test_a_sponsor_holding_several_routes_sees_a_message_once(caseworker, db):
    user = Level1Factory(sponsor=SponsorFactory(routes=[Route.STUDENT, Route.CHILD_STUDENT]))
    message = post(caseworker, routes=[Route.STUDENT, Route.CHILD_STUDENT])
    assert board(user) == [message.pk]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"body": ""}, "body"),
        ({"routes": [Route.STUDENT, "SPACE_TOURISM"]}, "routes"),
        ({"active_to": date(2026, 11, 15)}, "active_to"),
        ({"active_from": NOW + timedelta(days=10), "active_to": date(2026, 11, 20)}, "active_to"),
    ],
)
def test_a_draft_is_checked(caseworker, overrides, field):
    with pytest.raises(ApplicationError) as refused:
        post(caseworker, **overrides)
    assert refused.value.field == field
    assert not Message.objects.exists()
    assert not events(AuditVerb.MESSAGE_POSTED)


def test_a_message_may_last_just_its_first_day(caseworker):
    assert post(caseworker, active_to=date(2026, 11, 16)).archive_on == date(2026, 11, 16)


def test_a_long_title_is_cut_to_the_column(caseworker):
    message = post(caseworker, title="T" * 250)
    message.refresh_from_db()
    assert message.title == "T" * 200


def test_a_message_goes_live_on_its_date(caseworker, level1, frozen):
    message = post(caseworker, active_from=NOW + timedelta(days=2))
    assert board(level1) == []
    assert not message_unread_for_user(user=level1).exists()
    frozen.move_to(NOW + timedelta(days=2))
    assert board(level1) == [message.pk]


# Editing.


def test_a_message_can_be_edited_before_it_goes_live(caseworker, student_sponsor_user, level1):
    message = post(caseworker, routes=[Route.STUDENT], active_from=NOW + timedelta(days=1))
    edited = message_edit(
        caseworker=caseworker,
        message_id=message.pk,
        draft=draft(
            title="Corrected title",
            routes=[],
            active_from=NOW + timedelta(days=2),
            active_to=date(2027, 1, 31),
        ),
        ip=None,
    )
    edited.refresh_from_db()
    assert edited.pk == message.pk
    assert edited.title == "Corrected title"
    assert edited.for_all_routes
    assert not MessageRoute.objects.filter(message=message).exists()
    assert edited.published_at == NOW + timedelta(days=2)
    assert edited.archive_on == date(2027, 1, 31)
    (event,) = events(AuditVerb.MESSAGE_EDITED)
    assert event.actor == caseworker


def test_editing_can_narrow_the_routes(caseworker):
    message = post(caseworker, active_from=NOW + timedelta(days=1))
    message_edit(
        caseworker=caseworker,
        message_id=message.pk,
        draft=draft(routes=[Route.SEASONAL_WORKER], active_from=NOW + timedelta(days=1)),
        ip=None,
    )
    message.refresh_from_db()
    assert not message.for_all_routes
    assert list(message.routes.values_list("route", flat=True)) == ["SEASONAL_WORKER"]


def test_a_live_message_cannot_be_edited(caseworker, level1):
    message = post(caseworker, title="As sponsors read it")
    with pytest.raises(InvalidTransition, match="already live"):
        message_edit(
            caseworker=caseworker, message_id=message.pk, draft=draft(title="Changed"), ip=None
        )
    message.refresh_from_db()
    assert message.title == "As sponsors read it"
    assert not events(AuditVerb.MESSAGE_EDITED)


def test_a_message_becomes_uneditable_when_its_time_comes(caseworker, frozen):
    message = post(caseworker, active_from=NOW + timedelta(hours=1))
    frozen.move_to(NOW + timedelta(hours=1))
    with pytest.raises(InvalidTransition):
        message_edit(caseworker=caseworker, message_id=message.pk, draft=draft(), ip=None)


def test_an_archived_message_cannot_be_edited(caseworker):
    message = post(caseworker, active_from=NOW + timedelta(days=1))
    message_archive(caseworker=caseworker, message_id=message.pk, ip=None)
    with pytest.raises(InvalidTransition):
        message_edit(
            caseworker=caseworker,
            message_id=message.pk,
            draft=draft(active_from=NOW + timedelta(days=1)),
            ip=None,
        )


def test_an_edit_is_checked_like_a_post(caseworker):
    message = post(caseworker, active_from=NOW + timedelta(days=1))
    with pytest.raises(ApplicationError) as refused:
        message_edit(
            caseworker=caseworker,
            message_id=message.pk,
            draft=draft(title="", active_from=NOW + timedelta(days=1)),
            ip=None,
        )
    assert refused.value.field == "title"


def test_an_unknown_message_is_not_found(caseworker, db):
    with pytest.raises(NotFound):
        message_edit(caseworker=caseworker, message_id=424_242, draft=draft(), ip=None)
    with pytest.raises(NotFound):
        message_archive(caseworker=caseworker, message_id=424_242, ip=None)


# Archiving.


def test_archiving_moves_a_message_to_the_archived_view(caseworker, level1, frozen):
    message = post(caseworker)
    frozen.move_to(at(date(2026, 11, 18)))
    archived = message_archive(caseworker=caseworker, message_id=message.pk, ip="192.0.2.8")
    assert archived.archived_at == at(date(2026, 11, 18))
    assert board(level1) == []
    assert archive(level1) == [message.pk]
    (event,) = events(AuditVerb.MESSAGE_ARCHIVED)
    assert (event.actor, event.ip_address) == (caseworker, "192.0.2.8")


def test_a_message_is_archived_once(caseworker, frozen):
    message = post(caseworker)
    message_archive(caseworker=caseworker, message_id=message.pk, ip=None)
    first = Message.objects.get(pk=message.pk).archived_at
    frozen.shift(timedelta(days=1))
    with pytest.raises(InvalidTransition, match="already archived"):
        message_archive(caseworker=caseworker, message_id=message.pk, ip=None)
    assert Message.objects.get(pk=message.pk).archived_at == first
    assert len(events(AuditVerb.MESSAGE_ARCHIVED)) == 1
