"""Queueing messages and handing them to the gateway."""

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context, engines
from django.utils import timezone

from .models import OutboundEmail, OutboxStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


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


def email_deliver(email_id: int) -> bool:
    """Send one outbox row through the configured backend; failures stay queued for retry."""
    claimed = OutboundEmail.objects.filter(pk=email_id, status=OutboxStatus.PENDING)
    email = claimed.first()
    if email is None:
        return False
    try:
        EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to]).send()
    except Exception as exc:  # any transport failure: keep the row and retry later
        attempts = email.attempts + 1
        claimed.update(
            attempts=attempts,
            last_error=str(exc)[:500],
            status=OutboxStatus.FAILED if attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING,
        )
        logger.warning("E-mail %s to %s not sent yet: %s", email.pk, email.to, exc)
        return False
    claimed.update(status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=email.attempts + 1)
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        logger.info(
            "E-mail to %s, '%s', written to %s", email.to, email.subject, settings.EMAIL_FILE_PATH
        )
    return True


def email_deliver_pending() -> int:
    """Retry everything still waiting (scheduled every minute). Returns how many were sent."""
    pending = OutboundEmail.objects.filter(status=OutboxStatus.PENDING).values_list("pk", flat=True)
    return sum(email_deliver(pk) for pk in list(pending[:500]))
