"""Queueing messages and handing them to the gateway."""

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template import Context, engines
from django.utils import timezone

from .models import OutboundEmail, OutboxStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A send still unfinished after this long is taken to have crashed, and is tried again.
CLAIM_TIMEOUT = timedelta(minutes=10)


@dataclass(frozen=True)
class Message:
    """One e-mail to write to the outbox: `notifications/email/<template>.txt` rendered with
    `context` (its first line is the subject)."""

    to: str
    template: str
    context: dict[str, Any]
    sponsor: Any = None


def _outbound(message: Message) -> OutboundEmail:
    # Plain text, not HTML: escaping would turn a temporary password's "&" into "&amp;".
    engine = engines["django"].engine  # type: ignore[attr-defined]
    rendered = engine.get_template(f"notifications/email/{message.template}.txt").render(
        Context({"service_name": settings.SERVICE_NAME, **message.context}, autoescape=False)
    )
    subject, _, body = rendered.strip().partition("\n")
    return OutboundEmail(
        to=message.to,
        subject=subject.strip()[:200],
        body=body.strip() + "\n",
        template=message.template,
        sponsor=message.sponsor,
    )


def email_queue(
    *, to: str, template: str, context: dict[str, Any], sponsor: Any = None
) -> OutboundEmail:
    """Render the message into the outbox; it is sent once the surrounding transaction
    commits."""
    email = _outbound(Message(to, template, context, sponsor))
    email.save()
    transaction.on_commit(lambda: email_deliver(email.pk))
    return email


def email_queue_many(messages: Iterable[Message]) -> int:
    """Write many messages to the outbox in a few statements, for bulk senders (the daily
    sweep's reminders): the outbox job sends them, in batches, within a minute, so thousands
    of e-mails never hold up the sender. Returns how many were queued."""
    queued = 0
    batch: list[OutboundEmail] = []
    for message in messages:
        batch.append(_outbound(message))
        if len(batch) == 1000:
            queued += len(OutboundEmail.objects.bulk_create(batch))
            batch = []
    if batch:
        queued += len(OutboundEmail.objects.bulk_create(batch))
    return queued


def _claimable() -> Q:
    """Waiting rows, and rows whose sender stopped mid-send (a crash) long enough ago."""
    stale = timezone.now() - CLAIM_TIMEOUT
    return Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, claimed_at__lt=stale)


def email_deliver(email_id: int) -> bool:
    """Send one outbox row through the configured backend, once: the row is claimed by a
    conditional update first, so two deliveries that overlap cannot both send it.
    Failures go back to waiting for the retry job."""
    claimed = OutboundEmail.objects.filter(_claimable(), pk=email_id).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now()
    )
    if not claimed:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    mine = OutboundEmail.objects.filter(pk=email_id, status=OutboxStatus.SENDING)
    try:
        EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to]).send()
    except Exception as exc:  # any transport failure: keep the row and retry later
        attempts = email.attempts + 1
        mine.update(
            attempts=attempts,
            last_error=str(exc)[:500],
            status=OutboxStatus.FAILED if attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING,
        )
        logger.warning("E-mail %s to %s not sent yet: %s", email.pk, email.to, exc)
        return False
    mine.update(status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=email.attempts + 1)
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        logger.info(
            "E-mail to %s, '%s', written to %s", email.to, email.subject, settings.EMAIL_FILE_PATH
        )
    return True


def email_deliver_pending(budget_seconds: float = 50.0) -> int:
    """Send everything waiting, in batches, until none is left or the time budget (under the
    job's one-minute schedule) is spent; each row is tried once a run, so a failing one waits
    for the next run. Returns how many were sent."""
    started = time.monotonic()
    sent = 0
    after = 0
    while time.monotonic() - started < budget_seconds:
        batch = list(
            OutboundEmail.objects.filter(_claimable(), pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:500]
        )
        if not batch:
            break
        sent += sum(email_deliver(pk) for pk in batch)
        after = batch[-1]
    return sent
