"""After assignment: the sponsor withdraws or adds notes; the Home Office marks a certificate
used, records the application's outcome or cancels it; the daily sweep expires the unused;
revoking a licence cancels its live certificates (DOMAIN.md "Certificate of Sponsorship")."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import audit_record
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotPermitted

from ..models import (
    FINAL_OUTCOMES,
    LIVE_STATUSES,
    ApplicationOutcome,
    Certificate,
    CertificateAction,
    CertificateEvent,
    CertificateStatus,
)
from ..transitions import ensure_certificate_can_become
from ._common import claim, record

if TYPE_CHECKING:
    from sponsorship.accounts.models import User
    from sponsorship.licences.models import Sponsor

MAX_REASON = 2000


def _reason(text: str, field: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise ApplicationError(f"Enter the reason {what}", field=field)
    if len(text) > MAX_REASON:
        raise ApplicationError(
            f"The reason must be {MAX_REASON:,} characters or fewer", field=field
        )
    return text


def _move(certificate: Certificate, new: str, version: int | None) -> None:
    """Claim the certificate and move it to `new`, if its status allows."""
    ensure_certificate_can_become(certificate.status, new)
    claim(certificate, version)
    # Re-read under the claim: another request may have moved it since it was loaded.
    current = Certificate.objects.values_list("status", flat=True).get(pk=certificate.pk)
    ensure_certificate_can_become(current, new)
    certificate.status = new


def certificate_withdraw(
    *, actor: "User", certificate: Certificate, version: int | None, reason: str, ip: str | None
) -> Certificate:
    """The sponsor withdraws an assigned certificate, with its reason. Final; the allocation
    unit is not returned."""
    reason = _reason(reason, "reason", f"you are withdrawing this {certificate.noun}")
    if certificate.status != CertificateStatus.ASSIGNED:
        raise InvalidTransition(
            f"Certificate {certificate.reference} is "
            f"{certificate.get_status_display().lower()}: only an assigned certificate can be "
            "withdrawn."
        )
    with transaction.atomic():
        _move(certificate, CertificateStatus.WITHDRAWN, version)
        certificate.closed_at = timezone.now()
        certificate.closed_reason = reason
        certificate.save(
            update_fields=["status", "closed_at", "closed_reason", "version", "updated_at"]
        )
        record(
            certificate,
            CertificateAction.WITHDRAWN,
            AuditVerb.CERTIFICATE_WITHDRAWN,
            actor=actor,
            text=reason,
            ip=ip,
        )
    return certificate


MAX_NOTE = 3000


def certificate_note_save(
    *, actor: "User", certificate: Certificate, version: int | None, note: str, ip: str | None
) -> Certificate:
    """Add or amend the sponsor note of a live certificate; every version stays in its
    history."""
    note = note.strip()
    if not certificate.is_live:
        raise InvalidTransition(
            "Notes can be added only to assigned or used certificates. This one is "
            f"{certificate.get_status_display().lower()}."
        )
    if not note:
        raise ApplicationError("Enter the note", field="note")
    if len(note) > MAX_NOTE:
        raise ApplicationError(f"The note must be {MAX_NOTE:,} characters or fewer", field="note")
    action = (
        CertificateAction.NOTE_AMENDED if certificate.sponsor_note else CertificateAction.NOTE_ADDED
    )
    with transaction.atomic():
        claim(certificate, version)
        certificate.sponsor_note = note
        certificate.save(update_fields=["sponsor_note", "version", "updated_at"])
        record(certificate, action, AuditVerb.CERTIFICATE_NOTE_SAVED, actor=actor, text=note, ip=ip)
    return certificate


def _tell_others(certificate: Certificate, actor: "User") -> None:
    """Run CERTIFICATE_CHANGED_STEPS in this transaction: the worker register follows the
    certificate without this app knowing about it."""
    for path in settings.CERTIFICATE_CHANGED_STEPS:
        import_string(path)(certificate=certificate, actor=actor)


def certificate_mark_used(
    *, actor: "User", certificate: Certificate, ip: str | None
) -> Certificate:
    """The Home Office records that an application relying on the certificate was lodged."""
    with transaction.atomic():
        _move(certificate, CertificateStatus.USED, None)
        certificate.used_at = timezone.now()
        certificate.application_outcome = ""
        certificate.save(
            update_fields=["status", "used_at", "application_outcome", "version", "updated_at"]
        )
        record(certificate, CertificateAction.USED, AuditVerb.CERTIFICATE_USED, actor=actor, ip=ip)
        _tell_others(certificate, actor)
    return certificate


def certificate_record_outcome(
    *, actor: "User", certificate: Certificate, outcome: str, ip: str | None
) -> Certificate:
    """The outcome of the application it was used in. Granted or refused: used for good.
    Rejected as invalid, void or withdrawn: assigned again, so it can be relied on again."""
    if outcome not in ApplicationOutcome.values:
        raise ApplicationError("Select the outcome of the application", field="outcome")
    if certificate.status != CertificateStatus.USED or certificate.application_outcome:
        raise InvalidTransition(
            "An outcome can be recorded only for a used certificate whose application is "
            "still undecided."
        )
    label = ApplicationOutcome(outcome).label
    with transaction.atomic():
        if outcome in FINAL_OUTCOMES:
            claim(certificate, None)
        else:
            _move(certificate, CertificateStatus.ASSIGNED, None)
        # Kept on a certificate that is assigned again, so its history shows why.
        certificate.application_outcome = outcome
        certificate.save(update_fields=["status", "application_outcome", "version", "updated_at"])
        text = f"Application {label.lower()}." + (
            "" if outcome in FINAL_OUTCOMES else " The certificate can be relied on again."
        )
        record(
            certificate,
            CertificateAction.OUTCOME,
            AuditVerb.CERTIFICATE_OUTCOME,
            actor=actor,
            text=text,
            ip=ip,
            payload={"outcome": outcome},
        )
        _tell_others(certificate, actor)
    return certificate


def reusable(certificate: Certificate) -> bool:
    """Whether a used certificate's application left it usable again."""
    return certificate.application_outcome not in FINAL_OUTCOMES


def certificate_cancel(
    *, actor: "User", certificate: Certificate, reason: str, ip: str | None
) -> Certificate:
    """The Home Office cancels a live certificate, with its reason. Final."""
    reason = _reason(reason, "reason", f"for cancelling the {certificate.noun}")
    if actor.sponsor is not None:
        raise NotPermitted("Only the Home Office can cancel a certificate.")
    with transaction.atomic():
        _move(certificate, CertificateStatus.CANCELLED, None)
        certificate.closed_at = timezone.now()
        certificate.closed_reason = reason
        certificate.save(
            update_fields=["status", "closed_at", "closed_reason", "version", "updated_at"]
        )
        record(
            certificate,
            CertificateAction.CANCELLED,
            AuditVerb.CERTIFICATE_CANCELLED,
            actor=actor,
            text=reason,
            ip=ip,
        )
        _tell_others(certificate, actor)
    return certificate


def _close_many(
    rows: Any, status: str, action: CertificateAction, text: str, actor: "User | None"
) -> dict[int, list[str]]:
    """Move every certificate in `rows` to `status` in set-based statements, with one history
    line each. Returns the numbers moved, by sponsor, for the audit trail."""
    moved: dict[int, list[str]] = {}
    ids = list(rows.values_list("pk", "sponsor_id", "number"))
    now = timezone.now()
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        # A new version, so a form read before this change cannot write the old status back.
        Certificate.objects.filter(pk__in=[pk for pk, _, _ in chunk]).update(
            status=status,
            closed_at=now,
            closed_reason=text,
            updated_at=now,
            version=F("version") + 1,
        )
        CertificateEvent.objects.bulk_create(
            CertificateEvent(
                certificate_id=pk,
                sponsor_id=sponsor_id,
                at=now,
                actor=actor,
                action=action,
                status=status,
                text=text,
            )
            for pk, sponsor_id, _ in chunk
        )
        for _, sponsor_id, number in chunk:
            moved.setdefault(sponsor_id, []).append(number)
    return moved


def certificates_expire(on: date | None = None) -> int:
    """The daily sweep: assigned certificates not used by their use-by date expire. Running it
    twice expires nothing twice."""
    on = on or timezone.localdate()
    with transaction.atomic():
        due = Certificate.objects.filter(status=CertificateStatus.ASSIGNED, use_by__lt=on)
        moved = _close_many(
            due.select_for_update(),
            CertificateStatus.EXPIRED,
            CertificateAction.EXPIRED,
            "Not used by its use-by date.",
            None,
        )
        for sponsor_id, numbers in moved.items():
            audit_record(
                AuditVerb.CERTIFICATES_EXPIRED,
                actor_label="daily sweep",
                sponsor=_sponsor(sponsor_id),
                payload={"numbers": numbers},
            )
    return sum(len(numbers) for numbers in moved.values())


def _sponsor(sponsor_id: int) -> "Sponsor":
    from sponsorship.licences.models import Sponsor

    return Sponsor.objects.get(pk=sponsor_id)


def certificates_cancel_on_revocation(*, sponsor: "Sponsor", actor: "User") -> None:
    """A step of LICENCE_REVOCATION_STEPS: a revoked licence's live certificates are cancelled,
    in the revocation's own transaction."""
    live = Certificate.objects.filter(sponsor=sponsor, status__in=LIVE_STATUSES)
    moved = _close_many(
        live,
        CertificateStatus.CANCELLED,
        CertificateAction.CANCELLED,
        "The licence was revoked.",
        actor,
    )
    if moved:
        audit_record(
            AuditVerb.CERTIFICATE_CANCELLED,
            actor=actor,
            sponsor=sponsor,
            payload={"numbers": moved[sponsor.pk], "reason": "The licence was revoked."},
        )
