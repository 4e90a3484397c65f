"""Receiving a bulk file: read it safely as a whole (xmlfiles.inspect), refuse it with a clear
message or keep it and queue it for processing. Sending the same file again while it is being
processed, or after it went through with nothing rejected, answers the earlier one."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath
from typing import IO, TYPE_CHECKING

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError, Conflict
from sponsorship.core.permissions import Permission
from sponsorship.licences.models import Sponsor
from sponsorship.licences.selectors import sponsor_of

from ..models import BulkFile, BulkStatus
from ..xmlfiles import Refused, inspect
from ._common import ensure_kind_allowed, ensure_may

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

JOB = "sponsorship.bulk.jobs.process_bulk_file"
# A file still unfinished with no progress for this long has lost its job (whose timeout and
# retry are far shorter): it is marked stopped, so the file can be sent again.
STUCK_AFTER = timedelta(minutes=30)
STUCK_MESSAGE = (
    "Processing stopped before the end of the file. Send the file again: the records already "
    "done will not be done twice."
)


@dataclass(frozen=True)
class Received:
    bulk_file: BulkFile
    # False when the same file had been sent already and that one stands.
    created: bool


def _display_name(name: str) -> str:
    base = PurePath(name or "").name or "bulk file"
    return base if len(base) <= 200 else base[:196] + base[-4:]


def _refuse(actor: "User", sponsor: Sponsor, name: str, reason: str, ip: str | None) -> None:
    """The refusal is on the audit trail; the file itself is not kept."""
    with transaction.atomic():
        audit_record(
            AuditVerb.BULK_FILE_REFUSED,
            actor=actor,
            sponsor=sponsor,
            payload={"name": name, "reason": reason},
            ip_address=ip,
        )


def _when(bulk_file: BulkFile) -> str:
    received = timezone.localtime(bulk_file.received_at)
    return f"{received.day} {received:%B %Y} at {received:%H:%M}"


def _stop_stuck(earlier: "list[BulkFile]") -> None:
    now = timezone.now()
    for sent in earlier:
        last = sent.progressed_at or sent.received_at
        if not sent.is_finished and last < now - STUCK_AFTER:
            BulkFile.objects.filter(pk=sent.pk, status=sent.status).update(
                status=BulkStatus.FAILED, finished_at=now, error=STUCK_MESSAGE
            )
            sent.refresh_from_db()


def bulk_file_receive(*, actor: "User", upload: IO[bytes], name: str, ip: str | None) -> Received:
    """Check the file as a whole and keep it, queued for processing; or refuse it
    (ApplicationError on the field "file", code bulk_file_refused), with the reason on the
    audit trail. Upload and Update files need BULK_TRANSFER (409 while the licence is
    suspended), Report and Graduate files BULK_REPORT."""
    ensure_may(actor, Permission.BULK_REPORT)
    sponsor = sponsor_of(actor)
    shown = _display_name(name)
    try:
        inspected = inspect(upload, shown)
    except Refused as refused:
        _refuse(actor, sponsor, shown, refused.message, ip)
        raise ApplicationError(refused.message, field="file", code="bulk_file_refused") from None
    try:
        ensure_kind_allowed(actor, inspected.shape.kind)
    except ApplicationError as error:
        _refuse(actor, sponsor, shown, error.message, ip)
        raise
    stored: str | None = None
    try:
        with transaction.atomic():
            # Two sendings at once of one file id queue here, so the second sees the first.
            Sponsor.objects.select_for_update().filter(pk=sponsor.pk).first()
            earlier = list(
                BulkFile.objects.filter(
                    sponsor=sponsor, kind=inspected.shape.kind, file_id=inspected.file_id
                ).order_by("-received_at", "-pk")
            )
            _stop_stuck(earlier)
            same = next((sent for sent in earlier if sent.sha256 == inspected.sha256), None)
            if same is not None and (
                not same.is_finished
                or (same.status == BulkStatus.DONE and not same.records_rejected)
            ):
                return Received(same, created=False)
            unfinished = next((sent for sent in earlier if not sent.is_finished), None)
            if unfinished is not None:
                raise Conflict(
                    f"{inspected.shape.file_id} {inspected.file_id}, sent on "
                    f"{_when(unfinished)}, is still being processed. Wait until it is "
                    "finished, then send this file again.",
                    code="bulk_file_in_progress",
                )
            bulk_file = BulkFile(
                sponsor=sponsor,
                kind=inspected.shape.kind,
                file_id=inspected.file_id,
                sent_by=actor,
                sent_from=ip,
                original_name=shown,
                size=inspected.size,
                sha256=inspected.sha256,
                token=secrets.token_hex(16),
                records_total=inspected.records,
            )
            # Named before writing, so a write that fails half-way is cleaned up too.
            stored = bulk_file.file.field.generate_filename(bulk_file, f"{uuid.uuid4().hex}.xml")
            upload.seek(0)
            stored = default_storage.save(stored, File(upload))
            bulk_file.file.name = stored
            bulk_file.save()
            audit_record(
                AuditVerb.BULK_FILE_RECEIVED,
                actor=actor,
                sponsor=sponsor,
                target=Target.of(bulk_file),
                payload={
                    "kind": bulk_file.get_kind_display(),
                    "file_id": bulk_file.file_id,
                    "name": shown,
                    "records": bulk_file.records_total,
                    "size": bulk_file.size,
                    "sha256": bulk_file.sha256,
                },
                ip_address=ip,
            )
            pk, token = bulk_file.pk, bulk_file.token
            transaction.on_commit(lambda: enqueue(pk, token))
    except BaseException:
        if stored is not None:
            default_storage.delete(stored)
        raise
    return Received(bulk_file, created=True)


def enqueue(bulk_file_id: int, token: str) -> None:
    from django_q.tasks import async_task

    async_task(JOB, bulk_file_id, token, task_name=f"bulk-file-{bulk_file_id}")
