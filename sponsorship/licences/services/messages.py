"""The Home Office message board: sponsors read, caseworkers post, edit and archive."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotFound

from ..models import Message, MessageRead, MessageRoute, Route
from ..selectors import message_due_for_archive, message_get_for_user, sponsor_of

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def message_mark_read(*, user: "User", message_id: int, ip: str | None) -> Message:
    """Record that the user has read a message. Reading twice changes nothing."""
    message = message_get_for_user(user=user, message_id=message_id)
    try:
        with transaction.atomic():
            MessageRead.objects.create(message=message, user=user, sponsor=sponsor_of(user))
            audit_record(
                AuditVerb.MESSAGE_READ, actor=user, target=Target.of(message), ip_address=ip
            )
    except IntegrityError:
        pass  # already read, perhaps in another tab
    return message


def message_archive_expired(today: date) -> int:
    """Daily sweep step: move messages past their archive date to the archived view."""
    with transaction.atomic():
        ids = list(message_due_for_archive(today=today).values_list("pk", flat=True))
        if not ids:
            return 0
        Message.objects.filter(pk__in=ids, archived_at__isnull=True).update(
            archived_at=timezone.now()
        )
        audit_record(
            AuditVerb.MESSAGES_ARCHIVED, actor_label="daily sweep", payload={"message_ids": ids}
        )
    return len(ids)


@dataclass(frozen=True)
class MessageDraft:
    title: str
    body: str
    routes: list[str]  # empty: every sponsor
    active_from: datetime
    active_to: date


def _checked(draft: MessageDraft) -> MessageDraft:
    if not draft.title.strip():
        raise ApplicationError("Enter a title.", field="title")
    if not draft.body.strip():
        raise ApplicationError("Enter the message.", field="body")
    unknown = [r for r in draft.routes if r not in Route.values]
    if unknown:
        raise ApplicationError("Choose routes from the list.", field="routes")
    if draft.active_to < timezone.localdate(draft.active_from):
        raise ApplicationError(
            "The message must stay active until on or after the day it goes live.",
            field="active_to",
        )
    return draft


def _write(message: Message, draft: MessageDraft) -> None:
    message.title = draft.title.strip()[:200]
    message.body = draft.body.strip()
    message.published_at = draft.active_from
    message.archive_on = draft.active_to
    message.for_all_routes = not draft.routes
    message.save()
    message.routes.all().delete()
    MessageRoute.objects.bulk_create(
        MessageRoute(message=message, route=route) for route in sorted(set(draft.routes))
    )


def message_post(*, caseworker: "User", draft: MessageDraft, ip: str | None) -> Message:
    """A message for every sponsor, or for the sponsors of some routes, live from a date."""
    _checked(draft)
    with transaction.atomic():
        message = Message()
        _write(message, draft)
        audit_record(
            AuditVerb.MESSAGE_POSTED,
            actor=caseworker,
            target=Target.of(message),
            payload={"routes": draft.routes, "active_from": draft.active_from},
            ip_address=ip,
        )
    return message


def _for_caseworker(message_id: int) -> Message:
    message = Message.objects.select_for_update().filter(pk=message_id).first()
    if message is None:
        raise NotFound("There is no such message.")
    return message


def message_edit(
    *, caseworker: "User", message_id: int, draft: MessageDraft, ip: str | None
) -> Message:
    """Only before it goes live: once sponsors may have read it, it stays as they read it."""
    _checked(draft)
    with transaction.atomic():
        message = _for_caseworker(message_id)
        if message.published_at <= timezone.now() or message.archived_at is not None:
            raise InvalidTransition(
                "This message is already live, so it cannot be changed. Archive it and post a "
                "new one."
            )
        _write(message, draft)
        audit_record(
            AuditVerb.MESSAGE_EDITED, actor=caseworker, target=Target.of(message), ip_address=ip
        )
    return message


def message_archive(*, caseworker: "User", message_id: int, ip: str | None) -> Message:
    with transaction.atomic():
        message = _for_caseworker(message_id)
        if message.archived_at is not None:
            raise InvalidTransition("This message is already archived.")
        message.archived_at = timezone.now()
        message.save(update_fields=["archived_at"])
        audit_record(
            AuditVerb.MESSAGE_ARCHIVED, actor=caseworker, target=Target.of(message), ip_address=ip
        )
    return message
