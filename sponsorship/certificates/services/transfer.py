"""Transferring certificates between the sponsor's users (Level 1 only, DOMAIN.md "Certificate
of Sponsorship")."""

from typing import TYPE_CHECKING

from django.db import transaction

from sponsorship.accounts.models import UserStatus
from sponsorship.audit.models import AuditVerb
from sponsorship.core.errors import ApplicationError

from ..models import Certificate, CertificateAction
from ._common import claim, record

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def transfer_recipient(actor: "User", user_id: int | None) -> "User":
    """An active user of the actor's own sponsor, or an error naming the field."""
    from sponsorship.accounts.models import User

    recipient = (
        User.objects.filter(pk=user_id, sponsor=actor.sponsor, status=UserStatus.ACTIVE).first()
        if user_id is not None
        else None
    )
    if recipient is None:
        raise ApplicationError("Select an active user of your organisation", field="to_user")
    return recipient


def certificate_transfer(
    *,
    actor: "User",
    certificate: Certificate,
    version: int | None,
    to_user_id: int | None,
    ip: str | None,
) -> Certificate:
    """Give a certificate to another user of the sponsor; they own it from now on."""
    recipient = transfer_recipient(actor, to_user_id)
    if recipient.pk == certificate.owner_id:
        raise ApplicationError(
            f"{recipient.full_name} already owns this {certificate.noun}", field="to_user"
        )
    previous = certificate.owner
    with transaction.atomic():
        claim(certificate, version)
        certificate.owner = recipient
        certificate.save(update_fields=["owner", "version", "updated_at"])
        record(
            certificate,
            CertificateAction.TRANSFERRED,
            AuditVerb.CERTIFICATE_TRANSFERRED,
            actor=actor,
            text=f"From {previous.full_name} ({previous.username}) to {recipient.full_name} "
            f"({recipient.username}).",
            ip=ip,
            payload={"from": previous.username, "to": recipient.username},
        )
    return certificate
