"""Who opened which document: every download of evidence is on the licence's audit trail."""

from typing import TYPE_CHECKING

from django.db import transaction

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record

from ..models import EvidenceFile

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def evidence_download_record(*, user: "User", evidence: EvidenceFile, ip: str | None) -> None:
    """Record that `user` (a person of the sponsor, or a caseworker) downloaded `evidence`, on
    the chain of the sponsor it belongs to, so the sponsor sees the Home Office's reads too."""
    with transaction.atomic():
        audit_record(
            AuditVerb.EVIDENCE_DOWNLOADED,
            actor=user,
            sponsor=evidence.sponsor,
            target=Target.of(evidence),
            payload={"request": evidence.request.reference, "sha256": evidence.sha256},
            ip_address=ip,
        )
