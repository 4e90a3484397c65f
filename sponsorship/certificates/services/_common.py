"""What every certificate service does: write the history event and the audit event together,
and refuse stale edits."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import StaleEdit

from ..models import Certificate, CertificateAction, CertificateEvent

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def record(
    certificate: Certificate,
    action: CertificateAction,
    verb: AuditVerb,
    *,
    actor: "User | None",
    text: str = "",
    ip: str | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """One line of the certificate's history and one audit event, in the caller's
    transaction."""
    CertificateEvent.objects.create(
        certificate=certificate,
        sponsor_id=certificate.sponsor_id,
        actor=actor,
        action=action,
        status=certificate.status,
        text=text,
    )
    audit_record(
        verb,
        actor=actor,
        sponsor=certificate.sponsor,
        target=Target.of(certificate),
        payload={
            "status": certificate.status,
            **({"text": text} if text else {}),
            **(payload or {}),
        },
        ip_address=ip,
    )


def claim(certificate: Certificate, version: int | None) -> None:
    """Take the certificate's next version, or raise StaleEdit when someone changed it since
    `version` was read. `version=None` (the daily sweep, the Home Office) skips the check."""
    rows = Certificate.objects.filter(pk=certificate.pk)
    if version is not None:
        rows = rows.filter(version=version)
    now = timezone.now()
    if not rows.update(version=F("version") + 1, updated_at=now):
        raise StaleEdit()
    # The caller saves the instance next: it must carry the new time, not the one it read.
    certificate.updated_at = now
    certificate.version = Certificate.objects.values_list("version", flat=True).get(
        pk=certificate.pk
    )


@contextmanager
def restored_if_refused(certificate: Certificate) -> Iterator[None]:
    """Around a transaction: if it is refused and rolled back, the caller's instance is put
    back as the database holds it, so trying again with it (after an allocation increase,
    say) is not refused as stale."""
    try:
        yield
    except Exception:
        certificate.refresh_from_db()
        raise
