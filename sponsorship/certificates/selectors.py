"""Every read of certificates, scoped to the reader: a Level 2 user sees only the certificates
they own; another sponsor's certificate is not found, never forbidden."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from sponsorship.accounts.models import UserLevel
from sponsorship.core.errors import NotFound
from sponsorship.licences.selectors import sponsor_of

from .models import Batch, Certificate, CertificateEvent, CertificateStatus, WorkAddress

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def certificate_list_for_user(*, user: "User") -> QuerySet[Certificate]:
    rows = Certificate.objects.filter(sponsor=sponsor_of(user))
    if user.level == UserLevel.LEVEL_2:
        rows = rows.filter(owner=user)
    return rows.select_related("owner", "cos")


def certificate_get_for_user(*, user: "User", certificate_id: int) -> Certificate:
    certificate = (
        certificate_list_for_user(user=user)
        .select_related("sponsor")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise NotFound("There is no such certificate.")
    return certificate


def certificate_get_for_caseworker(*, certificate_id: int) -> Certificate:
    """Any sponsor's certificate once assigned; drafts are the sponsor's own work, which the
    Home Office's search never finds either."""
    certificate = (
        Certificate.objects.select_related("sponsor", "owner", "cos")
        .exclude(status=CertificateStatus.DRAFT)
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise NotFound("There is no such certificate.")
    return certificate


def certificate_history(certificate: Certificate) -> QuerySet[CertificateEvent]:
    return certificate.events.select_related("actor")


def work_address_list_for_user(*, user: "User", in_use_only: bool = False) -> QuerySet[WorkAddress]:
    rows = WorkAddress.objects.filter(sponsor=sponsor_of(user))
    if in_use_only:
        rows = rows.filter(retired_at__isnull=True)
    return rows


def work_address_get_for_user(*, user: "User", address_id: int) -> WorkAddress:
    address = work_address_list_for_user(user=user).filter(pk=address_id).first()
    if address is None:
        raise NotFound("There is no such work address.")
    return address


def batch_list_for_user(*, user: "User") -> QuerySet[Batch]:
    """Batches and groups; a Level 2 user sees the ones they own."""
    rows = Batch.objects.filter(sponsor=sponsor_of(user)).select_related("owner")
    if user.level == UserLevel.LEVEL_2:
        rows = rows.filter(owner=user)
    return rows


def batch_get_for_user(*, user: "User", batch_id: int) -> Batch:
    batch = batch_list_for_user(user=user).select_related("sponsor").filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("There is no such batch or group.")
    return batch


def batch_certificates(batch: Batch) -> QuerySet[Certificate]:
    return Certificate.objects.filter(batch=batch).select_related("owner", "cos").order_by("pk")
