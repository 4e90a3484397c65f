"""Writes about licences and the message board."""

from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record

from .models import Message, MessageRead
from .selectors import message_due_for_archive, message_get_for_user, sponsor_of

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
