"""Every read of bulk data transfer, scoped to the reader: another sponsor's file is not found,
never forbidden."""

from collections.abc import Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from sponsorship.accounts.models import UserLevel
from sponsorship.certificates.models import CertificateKind, CertificateStatus
from sponsorship.certificates.selectors import certificate_list_for_user
from sponsorship.core.errors import NotFound
from sponsorship.licences.selectors import sponsor_of

from .models import BulkFile, BulkRecord

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

# What a Bulk Export may hold: every CAS once assigned.
EXPORTED_STATUSES = [
    status.value for status in CertificateStatus if status != CertificateStatus.DRAFT
]
EXPORT_BATCH = 2000


def bulk_file_list_for_user(*, user: "User") -> QuerySet[BulkFile]:
    rows = BulkFile.objects.filter(sponsor=sponsor_of(user)).select_related("sent_by")
    if user.level == UserLevel.LEVEL_2:
        rows = rows.filter(sent_by=user)
    return rows


def bulk_file_get_for_user(*, user: "User", bulk_file_id: int) -> BulkFile:
    found = (
        bulk_file_list_for_user(user=user).select_related("sponsor").filter(pk=bulk_file_id).first()
    )
    if found is None:
        raise NotFound("There is no such bulk file.")
    return found


def bulk_records(bulk_file: BulkFile, outcome: str | None = None) -> QuerySet[BulkRecord]:
    rows = BulkRecord.objects.filter(bulk_file=bulk_file)
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("position")


def bulk_records_in_order(bulk_file: BulkFile) -> Iterator[Mapping[str, Any]]:
    """Every record's result, a batch of rows at a time (flat memory for any file)."""
    return (
        bulk_records(bulk_file)
        .values("position", "applicant_id", "cas_number", "outcome", "reasons")
        .iterator(chunk_size=EXPORT_BATCH)
    )


def bulk_export_rows_for_user(
    *,
    user: "User",
    statuses: list[str] | None = None,
    assigned_from: date | None = None,
    assigned_to: date | None = None,
) -> Iterator[Mapping[str, Any]]:
    """The sponsor's assigned CAS (never drafts), oldest assignment first, as flat rows read a
    batch at a time."""
    rows = certificate_list_for_user(user=user, kind=CertificateKind.CAS).filter(
        status__in=statuses or EXPORTED_STATUSES
    )
    if assigned_from is not None:
        rows = rows.filter(assigned_at__date__gte=assigned_from)
    if assigned_to is not None:
        rows = rows.filter(assigned_at__date__lte=assigned_to)
    return (
        rows.order_by("assigned_at", "pk")
        .values(
            "number",
            "family_name",
            "given_names",
            "route",
            "status",
            "assigned_at",
            "use_by",
            "cas__student_id",
            "cas__course_title",
            "cas__course_start_date",
            "cas__superseded_by__number",
        )
        .iterator(chunk_size=EXPORT_BATCH)
    )
