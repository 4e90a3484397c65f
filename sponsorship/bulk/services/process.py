"""Processing a received file in the background: its records in file order, each through the
handler of its kind (handlers.py), progress saved every few records. A job works for a while
and then queues the rest of the file to itself, so no job meets the queue's timeout however
large the file; a job that stops half-way (a restart) is delivered again and carries on from
the last record recorded."""

import logging
import time
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError

from ..models import SUCCEEDED, BulkFile, BulkRecord, BulkStatus, RecordOutcome
from ..xmlfiles import SHAPES, Refused, records
from ._common import ensure_kind_allowed
from .handlers import HANDLERS, AnotherJob
from .receive import enqueue

logger = logging.getLogger(__name__)

# Progress is saved every this many records.
PROGRESS_EVERY = 25
# How long one job works before it queues the rest of the file: BULK_JOB_SECONDS, and never
# more than this share of the queue's timeout, after which the queue stops a job.
JOB_SECONDS = 240
SHARE_OF_TIMEOUT = 0.4
FAILED_MESSAGE = (
    "Something went wrong while processing this file, and it stopped. The records listed were "
    "processed; send the file again to process the rest (none is done twice). If it stops "
    "again, contact the service desk."
)


def _counts(bulk_file: BulkFile) -> Counter[str]:
    return Counter(
        dict(
            BulkRecord.objects.filter(bulk_file=bulk_file)
            .values_list("outcome")
            .annotate(n=Count("pk"))
            .values_list("outcome", "n")
        )
    )


def _save_progress(bulk_file: BulkFile, counts: Counter[str], **extra: object) -> None:
    BulkFile.objects.filter(pk=bulk_file.pk).update(
        records_succeeded=sum(counts[o] for o in SUCCEEDED),
        records_already_done=counts[RecordOutcome.ALREADY_DONE],
        records_rejected=counts[RecordOutcome.REJECTED],
        progressed_at=timezone.now(),
        **extra,
    )


def _stop(bulk_file: BulkFile, message: str) -> None:
    counts = _counts(bulk_file)
    _save_progress(
        bulk_file, counts, status=BulkStatus.FAILED, finished_at=timezone.now(), error=message
    )


def bulk_file_process(*, bulk_file_id: int, token: str) -> None:
    """Process the file's records from where it got to. Left alone unless `token` is the
    file's and it is unfinished, so a job delivered twice, or for a file stopped meanwhile,
    does nothing."""
    now = timezone.now()
    claimed = BulkFile.objects.filter(
        pk=bulk_file_id, token=token, status__in=[BulkStatus.QUEUED, BulkStatus.RUNNING]
    ).update(status=BulkStatus.RUNNING, started_at=Coalesce("started_at", now), progressed_at=now)
    if not claimed:
        return
    bulk_file = BulkFile.objects.select_related("sponsor", "sent_by__sponsor").get(pk=bulk_file_id)
    try:
        # The licence may have been suspended since the file was received.
        ensure_kind_allowed(bulk_file.sent_by, bulk_file.kind)
    except ApplicationError as refused:
        _stop(bulk_file, f"{refused.message} The records not yet processed were left as they are.")
        return
    try:
        finished = _work(bulk_file)
    except AnotherJob:
        return
    except Refused as refused:
        _stop(bulk_file, refused.message)
        return
    except Exception:
        logger.exception("Bulk file %s stopped", bulk_file_id)
        _stop(bulk_file, FAILED_MESSAGE)
        return
    if finished:
        _finish(bulk_file)
    else:
        enqueue(bulk_file.pk, token)


def _work(bulk_file: BulkFile) -> bool:
    """Process records until the file ends (True) or this job's time is up (False)."""
    shape = SHAPES[bulk_file.kind]
    handler = HANDLERS[bulk_file.kind](bulk_file, shape)
    done_up_to = (
        BulkRecord.objects.filter(bulk_file=bulk_file).aggregate(last=Max("position"))["last"] or 0
    )
    counts = _counts(bulk_file)
    seconds = min(
        getattr(settings, "BULK_JOB_SECONDS", JOB_SECONDS),
        settings.Q_CLUSTER.get("timeout", JOB_SECONDS / SHARE_OF_TIMEOUT) * SHARE_OF_TIMEOUT,
    )
    deadline = time.monotonic() + seconds
    with bulk_file.file.open("rb") as handle:
        for position, _, record in records(handle, bulk_file.original_name):
            if position <= done_up_to:
                continue
            counts[handler.handle(position, record)] += 1
            if position % PROGRESS_EVERY == 0:
                _save_progress(bulk_file, counts)
                if time.monotonic() >= deadline:
                    return False
    _save_progress(bulk_file, counts)
    return True


def _finish(bulk_file: BulkFile) -> None:
    counts = _counts(bulk_file)
    with transaction.atomic():
        finished = BulkFile.objects.filter(pk=bulk_file.pk, status=BulkStatus.RUNNING).update(
            records_succeeded=sum(counts[o] for o in SUCCEEDED),
            records_already_done=counts[RecordOutcome.ALREADY_DONE],
            records_rejected=counts[RecordOutcome.REJECTED],
            progressed_at=timezone.now(),
            status=BulkStatus.DONE,
            finished_at=timezone.now(),
        )
        if not finished:
            return
        bulk_file.refresh_from_db()
        audit_record(
            AuditVerb.BULK_FILE_PROCESSED,
            actor=bulk_file.sent_by,
            sponsor=bulk_file.sponsor,
            target=Target.of(bulk_file),
            payload={
                "kind": bulk_file.get_kind_display(),
                "file_id": bulk_file.file_id,
                "records": bulk_file.records_total,
                "succeeded": bulk_file.records_succeeded,
                "already_done": bulk_file.records_already_done,
                "rejected": bulk_file.records_rejected,
            },
        )
