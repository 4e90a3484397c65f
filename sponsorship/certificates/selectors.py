"""Every read of certificates, scoped to the reader: a Level 2 user sees only the certificates
they own; another sponsor's certificate is not found, never forbidden."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from sponsorship.accounts.models import UserLevel
from sponsorship.core.errors import NotFound
from sponsorship.licences.selectors import sponsor_of

from .models import (
    AddressPurpose,
    Batch,
    Certificate,
    CertificateEvent,
    CertificateKind,
    CertificateStatus,
    WorkAddress,
)

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


# The one-to-one table each kind's details live in.
DETAILS: dict[str, str] = {CertificateKind.COS: "cos", CertificateKind.CAS: "cas"}
NO_SUCH: dict[str, str] = {
    CertificateKind.COS: "There is no such certificate.",
    CertificateKind.CAS: "There is no such CAS.",
}


def certificate_list_for_user(
    *, user: "User", kind: str = CertificateKind.COS
) -> QuerySet[Certificate]:
    """The sponsor's certificates of one kind (CoS pages never show a CAS, nor the reverse)."""
    rows = Certificate.objects.filter(sponsor=sponsor_of(user), kind=kind)
    if user.level == UserLevel.LEVEL_2:
        rows = rows.filter(owner=user)
    return rows.select_related("owner", DETAILS[kind])


def certificate_get_for_user(
    *, user: "User", certificate_id: int, kind: str = CertificateKind.COS
) -> Certificate:
    certificate = (
        certificate_list_for_user(user=user, kind=kind)
        .select_related("sponsor")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise NotFound(NO_SUCH[kind])
    return certificate


def cas_superseding(*, user: "User", certificate: Certificate) -> Certificate | None:
    """The later CAS that made an obsolete one obsolete, when `user` may open it (a Level 2
    user may not own it); None otherwise."""
    later_id = certificate.cas.superseded_by_id
    if later_id is None:
        return None
    return (
        certificate_list_for_user(user=user, kind=CertificateKind.CAS).filter(pk=later_id).first()
    )


def certificate_get_for_caseworker(*, certificate_id: int) -> Certificate:
    """Any sponsor's certificate once assigned; drafts are the sponsor's own work, which the
    Home Office's search never finds either."""
    certificate = (
        Certificate.objects.select_related("sponsor", "owner", "cos", "cas")
        .exclude(status=CertificateStatus.DRAFT)
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise NotFound("There is no such certificate.")
    return certificate


def certificate_history(certificate: Certificate) -> QuerySet[CertificateEvent]:
    return certificate.events.select_related("actor")


def work_address_list_for_user(
    *, user: "User", in_use_only: bool = False, purpose: str = AddressPurpose.WORK
) -> QuerySet[WorkAddress]:
    """The sponsor's pre-stored work addresses, or (purpose STUDY) study addresses."""
    rows = WorkAddress.objects.filter(sponsor=sponsor_of(user), purpose=purpose)
    if in_use_only:
        rows = rows.filter(retired_at__isnull=True)
    return rows


def work_address_get_for_user(
    *, user: "User", address_id: int, purpose: str = AddressPurpose.WORK
) -> WorkAddress:
    address = work_address_list_for_user(user=user, purpose=purpose).filter(pk=address_id).first()
    if address is None:
        raise NotFound(f"There is no such {AddressPurpose(purpose).label.lower()}.")
    return address


def batch_list_for_user(*, user: "User", kind: str = CertificateKind.COS) -> QuerySet[Batch]:
    """Batches and groups of one kind of certificate; a Level 2 user sees the ones they own."""
    rows = Batch.objects.filter(sponsor=sponsor_of(user), certificate_kind=kind).select_related(
        "owner"
    )
    if user.level == UserLevel.LEVEL_2:
        rows = rows.filter(owner=user)
    return rows


def batch_get_for_user(*, user: "User", batch_id: int, kind: str = CertificateKind.COS) -> Batch:
    batch = (
        batch_list_for_user(user=user, kind=kind)
        .select_related("sponsor")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None:
        raise NotFound("There is no such batch or group.")
    return batch


def batch_certificates(batch: Batch) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(batch=batch)
        .select_related("owner", DETAILS[batch.certificate_kind])
        .order_by("pk")
    )
