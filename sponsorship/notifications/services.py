"""Queueing messages and handing them to the gateway."""

import logging
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


def email_queue(
    *, to: str, template: str, context: dict[str, Any], sponsor: Any = None
) -> OutboundEmail:
    """Render `notifications/email/<template>.txt` (first line is the subject) into the outbox;
    it is sent once the surrounding transaction commits."""
    # Plain text, not HTML: escaping would turn a temporary password's "&" into "&amp;".
    engine = engines["django"].engine  # type: ignore[attr-defined]
    rendered = engine.get_template(f"notifications/email/{template}.txt").render(
        Context({"service_name": settings.SERVICE_NAME, **context}, autoescape=False)
    )
    subject, _, body = rendered.strip().partition("\n")
    email = OutboundEmail.objects.create(
        to=to,
        subject=subject.strip()[:200],
        body=body.strip() + "\n",
        template=template,
        sponsor=sponsor,
    )
    transaction.on_commit(lambda: email_deliver(email.pk))
    return email


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


def email_deliver_pending() -> int:
    """Retry everything still waiting (scheduled every minute). Returns how many were sent."""
    pending = OutboundEmail.objects.filter(_claimable()).values_list("pk", flat=True)
    return sum(email_deliver(pk) for pk in list(pending[:500]))
