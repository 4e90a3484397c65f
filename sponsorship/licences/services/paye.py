"""The sponsor's PAYE references."""

import re
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError, NotFound

from ..models import PayeReference
from ..selectors import sponsor_of

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

# HMRC employer reference: 3-digit tax office number, a slash, then up to 10 letters and digits.
PAYE_FORMAT = re.compile(r"^[0-9]{3}/[A-Z0-9]{1,10}$")


def paye_add(*, actor: "User", reference: str, ip: str | None) -> PayeReference:
    cleaned = "".join(reference.split()).upper()
    if not PAYE_FORMAT.match(cleaned):
        raise ApplicationError(
            "Enter a PAYE reference in the format 123/AB45678: three digits, a slash, then up to "
            "10 letters and numbers.",
            field="reference",
        )
    try:
        with transaction.atomic():
            paye = PayeReference.objects.create(
                sponsor=sponsor_of(actor), reference=cleaned, added_by=actor
            )
            audit_record(AuditVerb.PAYE_ADDED, actor=actor, target=Target.of(paye), ip_address=ip)
    except IntegrityError:
        raise ApplicationError(
            f"{cleaned} is already on your list.", field="reference", code="duplicate"
        ) from None
    return paye


def paye_delete(*, actor: "User", paye_id: int, ip: str | None) -> None:
    with transaction.atomic():
        paye = PayeReference.objects.filter(pk=paye_id, sponsor=sponsor_of(actor)).first()
        if paye is None:
            raise NotFound("There is no such PAYE reference.")
        audit_record(
            AuditVerb.PAYE_DELETED,
            actor=actor,
            target=Target.of(paye),
            payload={"reference": paye.reference},
            ip_address=ip,
        )
        paye.delete()
