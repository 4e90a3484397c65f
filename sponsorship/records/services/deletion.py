"""Deleting a worker's records once their retention date has passed. Nothing is deleted
automatically: the records are flagged, and a Level 1 user confirms. A tombstone stays."""

from datetime import date
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import transaction

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import Conflict
from sponsorship.core.permissions import Permission
from sponsorship.duties.models import Worker

from ..models import Record, RecordDeletion, RecordVersion
from ..selectors import records_due_for_deletion
from ._common import ensure_may, ensure_reaches

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def _remove_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def worker_records_delete(
    *, actor: "User", worker: Worker, today: date, ip: str | None
) -> RecordDeletion:
    """Delete every document (all versions) and "not needed" mark of `worker`, leaving a
    tombstone of what they were. Refused (409) while the records must still be kept. The files
    go once the deletion is committed, so a failure leaves them all in place."""
    ensure_may(actor, Permission.WORKER_RECORDS_DELETE)
    ensure_reaches(actor, worker)
    with transaction.atomic():
        # Lock the records first, so two confirmations at once delete them once.
        list(Record.objects.select_for_update().filter(worker=worker))
        due = records_due_for_deletion(sponsor=worker.sponsor, today=today, worker_id=worker.pk)
        if not due:
            raise Conflict(
                "These records must still be kept, or were already deleted.",
                code="records_still_kept",
            )
        versions = list(
            RecordVersion.objects.filter(record__worker=worker)
            .select_related("record")
            .order_by("record__item", "number")
        )
        files = [
            {
                "item": v.record.item,
                "item_name": v.record.get_item_display(),
                "version": v.number,
                "name": v.original_name,
                "size": v.size,
                "sha256": v.sha256,
                "uploaded_at": v.uploaded_at.isoformat(timespec="seconds"),
            }
            for v in versions
        ]
        not_needed = [
            r.get_item_display()
            for r in Record.objects.filter(worker=worker, not_needed_at__isnull=False)
        ]
        tombstone = RecordDeletion.objects.create(
            sponsor_id=worker.sponsor_id,
            worker=worker,
            worker_name=worker.certificate.full_name,
            certificate_number=worker.certificate.number or "",
            kept_until=due[0].kept_until,
            deleted_by=actor,
            files=files,
            not_needed=not_needed,
        )
        stored = [v.file.name for v in versions if v.file.name]
        Record.objects.filter(worker=worker).delete()
        audit_record(
            AuditVerb.RECORD_DELETED,
            actor=actor,
            sponsor=worker.sponsor,
            target=Target.of(worker),
            payload={
                "worker": tombstone.worker_name,
                "certificate": tombstone.certificate_number,
                "kept_until": tombstone.kept_until.isoformat(),
                "files": [f"{f['name']} (SHA-256 {f['sha256']})" for f in files],
            },
            ip_address=ip,
        )
        transaction.on_commit(lambda: _remove_files(stored))
    return tombstone
