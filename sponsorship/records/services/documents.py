"""A worker's documents: uploading a version (never overwriting one), saying a document is not
needed for this worker, and recording who downloaded which version."""

from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError, Conflict
from sponsorship.core.permissions import Permission
from sponsorship.core.uploads import CheckedUpload
from sponsorship.duties.models import Worker

from ..items import ITEMS, RecordItem
from ..models import Record, RecordVersion
from ._common import ensure_may, ensure_reaches

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

REASON_MAX = 2000


def _locked_record(worker: Worker, item: RecordItem) -> Record:
    """The checklist line, made when first needed, locked for the rest of the transaction so
    two uploads at once get consecutive version numbers."""
    Record.objects.get_or_create(
        worker=worker, item=item, defaults={"sponsor_id": worker.sponsor_id}
    )
    return Record.objects.select_for_update().get(worker=worker, item=item)


def _worker_label(worker: Worker) -> dict[str, str]:
    return {"worker": worker.certificate.full_name, "certificate": worker.certificate.number or ""}


def record_upload(
    *, actor: "User", worker: Worker, item: RecordItem, upload: CheckedUpload, ip: str | None
) -> RecordVersion:
    """Store `upload` (already checked by core.uploads.check_upload) as the next version of the
    worker's document. A document uploaded makes a "not needed" mark moot, so it is cleared.
    If anything fails, the stored file is removed with the rows."""
    ensure_may(actor, Permission.WORKER_RECORDS_MANAGE)
    ensure_reaches(actor, worker)
    written: str | None = None
    try:
        with transaction.atomic():
            record = _locked_record(worker, item)
            version = RecordVersion(
                sponsor_id=worker.sponsor_id,
                record=record,
                number=record.versions_count + 1,
                original_name=upload.original_name,
                content_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
                uploaded_by=actor,
            )
            # Named before writing, so a write that fails half-way is cleaned up too.
            written = version.file.field.generate_filename(version, upload.stored_name)
            version.file.name = version.file.storage.save(written, upload.file)
            written = version.file.name
            version.save()
            Record.objects.filter(pk=record.pk).update(
                versions_count=F("versions_count") + 1,
                not_needed_reason="",
                not_needed_by=None,
                not_needed_at=None,
                updated_at=timezone.now(),
            )
            audit_record(
                AuditVerb.RECORD_UPLOADED,
                actor=actor,
                sponsor=worker.sponsor,
                target=Target.of(version),
                payload={
                    **_worker_label(worker),
                    "document": item.label,
                    "version": version.number,
                    "name": version.original_name,
                    "size": version.size,
                    "sha256": version.sha256,
                },
                ip_address=ip,
            )
    except BaseException:
        if written is not None:
            default_storage.delete(written)
        raise
    return version


def _clean_reason(reason: str) -> str:
    text = (reason or "").replace("\x00", "").strip()
    if not text:
        raise ApplicationError(
            "Enter why this document is not needed for this worker.", field="reason"
        )
    if len(text) > REASON_MAX:
        raise ApplicationError(
            f"The reason must be {REASON_MAX:,} characters or fewer.", field="reason"
        )
    return text


def record_mark_not_needed(
    *, actor: "User", worker: Worker, item: RecordItem, reason: str, ip: str | None
) -> Record:
    """Only documents the guidance keeps "where needed" may be marked; one already uploaded
    is there, so it cannot be."""
    ensure_may(actor, Permission.WORKER_RECORDS_MANAGE)
    ensure_reaches(actor, worker)
    rule = ITEMS[item]
    if not rule.may_be_not_needed:
        raise ApplicationError(
            f"{item.label} is needed for every sponsored worker, so it cannot be marked as not "
            "needed: upload it instead.",
            field="reason",
            code="always_needed",
        )
    text = _clean_reason(reason)
    with transaction.atomic():
        record = _locked_record(worker, item)
        if record.versions_count:
            raise Conflict(
                f"{item.label} is already uploaded for this worker, so it cannot be marked as "
                "not needed.",
                code="already_uploaded",
            )
        record.not_needed_reason = text
        record.not_needed_by = actor
        record.not_needed_at = timezone.now()
        record.updated_at = record.not_needed_at
        record.save()
        audit_record(
            AuditVerb.WORKER_DETAILS_CHANGED,
            actor=actor,
            sponsor=worker.sponsor,
            target=Target.of(worker),
            payload={**_worker_label(worker), "document": item.label, "not_needed": text},
            ip_address=ip,
        )
    return record


def record_mark_needed(
    *, actor: "User", worker: Worker, item: RecordItem, ip: str | None
) -> Record:
    """Take back a "not needed" mark: the document is missing again until it is uploaded."""
    ensure_may(actor, Permission.WORKER_RECORDS_MANAGE)
    ensure_reaches(actor, worker)
    with transaction.atomic():
        record = _locked_record(worker, item)
        if not record.is_not_needed:
            return record
        record.not_needed_reason = ""
        record.not_needed_by = None
        record.not_needed_at = None
        record.updated_at = timezone.now()
        record.save()
        audit_record(
            AuditVerb.WORKER_DETAILS_CHANGED,
            actor=actor,
            sponsor=worker.sponsor,
            target=Target.of(worker),
            payload={**_worker_label(worker), "document": item.label, "needed_again": True},
            ip_address=ip,
        )
    return record


def record_download_record(*, user: "User", version: RecordVersion, ip: str | None) -> None:
    """Who opened which worker's document is on the licence's audit trail, as for evidence."""
    worker = version.record.worker
    with transaction.atomic():
        audit_record(
            AuditVerb.EVIDENCE_DOWNLOADED,
            actor=user,
            sponsor=worker.sponsor,
            target=Target.of(version),
            payload={
                **_worker_label(worker),
                "document": version.record.get_item_display(),
                "version": version.number,
                "sha256": version.sha256,
            },
            ip_address=ip,
        )
