"""Bulk Export: each one produced is on the licence's audit trail, with what it covered."""

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import audit_record
from sponsorship.core.permissions import Permission
from sponsorship.licences.selectors import sponsor_of

from ._common import ensure_may

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def bulk_export_record(
    *,
    actor: "User",
    statuses: list[str],
    assigned_from: date | None,
    assigned_to: date | None,
    ip: str | None,
) -> None:
    """Record an export about to be streamed. Refused while the licence is suspended."""
    ensure_may(actor, Permission.BULK_TRANSFER)
    with transaction.atomic():
        audit_record(
            AuditVerb.BULK_EXPORT_CREATED,
            actor=actor,
            sponsor=sponsor_of(actor),
            payload={
                "statuses": statuses or "all",
                "assigned_from": assigned_from.isoformat() if assigned_from else "",
                "assigned_to": assigned_to.isoformat() if assigned_to else "",
            },
            ip_address=ip,
        )
