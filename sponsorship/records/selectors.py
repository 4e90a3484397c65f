"""Every read of record keeping, scoped to the reader: a Level 2 user reaches the records of the
workers whose certificates they own; another sponsor's worker, document or pack is not found,
never forbidden. The counts the compliance dashboard shows are read here, in a fixed number of
queries however many workers there are."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum

from sponsorship.audit.models import AuditChain, AuditEvent
from sponsorship.core.errors import NotFound
from sponsorship.duties.models import ActivityReport, Duty, PersonKind, Worker, WorkerStatus
from sponsorship.duties.selectors import (
    duty_list_for_user,
    report_list_for_user,
    worker_get_for_user,
    worker_list_for_user,
)
from sponsorship.licences.selectors import sponsor_of

from .items import ITEMS, ItemRule, RecordItem
from .models import EvidencePack, Record, RecordDeletion, RecordVersion
from .retention import EARLIER, keep_until, retention_months, shortest_retention_months

if TYPE_CHECKING:
    from sponsorship.accounts.models import User
    from sponsorship.licences.models import Sponsor


class LineStatus:
    UPLOADED = "uploaded"
    NOT_NEEDED = "not-needed"
    MISSING = "missing"
    LABELS = {UPLOADED: "Uploaded", NOT_NEEDED: "Not needed", MISSING: "Missing"}


@dataclass(frozen=True)
class ChecklistLine:
    """One document of a worker's checklist and where it stands."""

    item: RecordItem
    rule: ItemRule
    record: Record | None
    latest: RecordVersion | None

    @property
    def label(self) -> str:
        return str(self.item.label)

    @property
    def status(self) -> str:
        if self.record is not None and self.record.versions_count:
            return LineStatus.UPLOADED
        if self.record is not None and self.record.is_not_needed:
            return LineStatus.NOT_NEEDED
        return LineStatus.MISSING

    @property
    def status_label(self) -> str:
        return LineStatus.LABELS[self.status]

    @property
    def is_complete(self) -> bool:
        return self.status != LineStatus.MISSING


def is_complete(record: Record) -> bool:
    return bool(record.versions_count) or record.is_not_needed


def worker_for_records(*, user: "User", worker_id: int) -> Worker:
    """The worker whose records `user` may keep: any of their sponsor's for Level 1, their own
    certificates' for Level 2."""
    return worker_get_for_user(user=user, worker_id=worker_id)


def item_of(value: str) -> RecordItem:
    """The checklist item named in an address; anything else names nothing."""
    try:
        return RecordItem(value)
    except ValueError:
        raise NotFound("There is no such document on the checklist.") from None


def may_be_not_needed(item: RecordItem) -> bool:
    return ITEMS[item].may_be_not_needed


def checklist(worker: Worker) -> list[ChecklistLine]:
    """The worker's checklist in the table's order, each line with its latest version."""
    records = {r.item: r for r in Record.objects.filter(worker=worker)}
    latest: dict[int, RecordVersion] = {}
    for version in RecordVersion.objects.filter(record__worker=worker).select_related(
        "uploaded_by"
    ):
        if version.record_id not in latest or version.number > latest[version.record_id].number:
            latest[version.record_id] = version
    lines = []
    for item, rule in ITEMS.items():
        record = records.get(item)
        lines.append(
            ChecklistLine(
                item=item,
                rule=rule,
                record=record,
                latest=latest.get(record.pk) if record is not None else None,
            )
        )
    return lines


def checklist_line(worker: Worker, item: RecordItem) -> ChecklistLine:
    record = Record.objects.filter(worker=worker, item=item).select_related("not_needed_by").first()
    latest = (
        RecordVersion.objects.filter(record=record).select_related("uploaded_by").first()
        if record is not None
        else None
    )
    return ChecklistLine(item=item, rule=ITEMS[item], record=record, latest=latest)


def record_versions(worker: Worker, item: RecordItem) -> QuerySet[RecordVersion]:
    """Every version of one document, newest first."""
    return (
        RecordVersion.objects.filter(record__worker=worker, record__item=item)
        .select_related("uploaded_by")
        .order_by("-number")
    )


def record_version_get_for_user(
    *, user: "User", worker_id: int, item: str, number: int
) -> RecordVersion:
    worker = worker_for_records(user=user, worker_id=worker_id)
    version = (
        record_versions(worker, item_of(item))
        .select_related("record__worker__certificate")
        .filter(number=number)
        .first()
    )
    if version is None:
        raise NotFound("There is no such version of this document.")
    return version


def worker_keep_until(worker: Worker) -> date | None:
    """The last day the worker's records must be kept; None while they are sponsored."""
    ended_on = worker.ended_on if worker.status == WorkerStatus.ENDED else None
    if ended_on is None:
        return None
    return keep_until(
        ended_on=ended_on,
        permission_expires_on=worker.permission_expires_on,
        months=retention_months(ended_on),
        basis=settings.RECORD_RETENTION_BASIS,
    )


def incomplete_checklists(
    *, sponsor: "Sponsor", worker_ids: list[int] | None = None
) -> dict[int, list[str]]:
    """Sponsored workers (not ended) with documents missing: worker id -> the missing items'
    names, in the checklist's order. Two queries, however many workers."""
    workers = Worker.objects.filter(sponsor=sponsor, kind=PersonKind.WORKER).exclude(
        status=WorkerStatus.ENDED
    )
    if worker_ids is not None:
        workers = workers.filter(pk__in=worker_ids)
    done: dict[int, set[str]] = defaultdict(set)
    for worker_id, item in (
        Record.objects.filter(sponsor=sponsor, worker__in=workers.values("pk"))
        .filter(Q(versions_count__gt=0) | Q(not_needed_at__isnull=False))
        .values_list("worker_id", "item")
    ):
        done[worker_id].add(item)
    missing: dict[int, list[str]] = {}
    for worker_id in workers.order_by("pk").values_list("pk", flat=True):
        gaps = [str(item.label) for item in ITEMS if item.value not in done[worker_id]]
        if gaps:
            missing[worker_id] = gaps
    return missing


def incomplete_checklist_count(*, sponsor: "Sponsor", worker_ids: list[int] | None = None) -> int:
    """How many sponsored workers have documents missing: one aggregate query, for the
    dashboard of a register of any size."""
    workers = Worker.objects.filter(sponsor=sponsor, kind=PersonKind.WORKER).exclude(
        status=WorkerStatus.ENDED
    )
    if worker_ids is not None:
        workers = workers.filter(pk__in=worker_ids)
    held = Q(records__versions_count__gt=0) | Q(records__not_needed_at__isnull=False)
    return (
        workers.annotate(complete=Count("records__item", filter=held, distinct=True))
        .filter(complete__lt=len(ITEMS))
        .count()
    )


@dataclass(frozen=True)
class DueForDeletion:
    worker: Worker
    kept_until: date
    documents: int


def records_due_for_deletion(
    *, sponsor: "Sponsor", today: date, worker_id: int | None = None
) -> list[DueForDeletion]:
    """Workers whose records have passed their retention date and are still held, oldest
    first. Flagged only: a Level 1 user deletes them. One query: the database narrows the
    workers by the shortest retention the rule has ever had, then the exact rule decides."""
    bound = today - relativedelta(months=shortest_retention_months()) + timedelta(days=4)
    candidates = Worker.objects.filter(
        sponsor=sponsor, status=WorkerStatus.ENDED, ended_on__isnull=False
    ).filter(pk__in=Record.objects.filter(sponsor=sponsor).values("worker_id"))
    if worker_id is not None:
        candidates = candidates.filter(pk=worker_id)
    if settings.RECORD_RETENTION_BASIS == EARLIER:
        candidates = candidates.filter(Q(ended_on__lte=bound) | Q(permission_expires_on__lte=bound))
    else:
        candidates = candidates.filter(ended_on__lte=bound).filter(
            Q(permission_expires_on__isnull=True) | Q(permission_expires_on__lte=bound)
        )
    due = []
    for worker in candidates.select_related("certificate").annotate(
        stored=Sum("records__versions_count")
    ):
        kept_until = worker_keep_until(worker)
        if kept_until is not None and kept_until < today:
            due.append(DueForDeletion(worker, kept_until, worker.stored or 0))
    return sorted(due, key=lambda d: (d.kept_until, d.worker.pk))


def records_due_for_deletion_count(*, sponsor: "Sponsor", today: date) -> int:
    return len(records_due_for_deletion(sponsor=sponsor, today=today))


def record_due_for_deletion_get_for_user(
    *, user: "User", worker_id: int, today: date
) -> DueForDeletion:
    """One worker whose records may be deleted now; another sponsor's, or one whose records
    must still be kept, is not found here."""
    found = records_due_for_deletion(sponsor=sponsor_of(user), today=today, worker_id=worker_id)
    if not found:
        raise NotFound("There are no records of this worker to delete.")
    return found[0]


def record_deletions_for_user(*, user: "User") -> QuerySet[RecordDeletion]:
    return RecordDeletion.objects.filter(sponsor=sponsor_of(user)).select_related("deleted_by")


def evidence_pack_list_for_user(*, user: "User") -> QuerySet[EvidencePack]:
    return EvidencePack.objects.filter(sponsor=sponsor_of(user)).select_related(
        "requested_by", "worker__certificate"
    )


def evidence_pack_get_for_user(*, user: "User", pack_id: int) -> EvidencePack:
    pack = evidence_pack_list_for_user(user=user).filter(pk=pack_id).first()
    if pack is None:
        raise NotFound("There is no such evidence pack.")
    return pack


# What an evidence pack holds, read with the rights of the person who asked for it.


def pack_workers(pack: EvidencePack) -> QuerySet[Worker]:
    workers = worker_list_for_user(user=pack.requested_by).select_related("certificate__cos")
    if pack.worker_id is not None:
        workers = workers.filter(pk=pack.worker_id)
    return workers


def pack_duties(pack: EvidencePack, today: date) -> QuerySet[Duty]:
    duties = duty_list_for_user(user=pack.requested_by, today=today, worker=pack.worker)
    return duties.order_by("due_on", "pk")


def pack_late_reports(pack: EvidencePack) -> QuerySet[ActivityReport]:
    reports = report_list_for_user(user=pack.requested_by, worker=pack.worker)
    return reports.filter(late=True).select_related("worker__certificate").order_by("submitted_at")


def pack_documents(pack: EvidencePack) -> QuerySet[RecordVersion]:
    """The latest version of each document of the workers in the pack."""
    return (
        RecordVersion.objects.filter(
            record__worker__in=pack_workers(pack).values("pk"),
            number=F("record__versions_count"),
        )
        .select_related("record__worker__certificate", "uploaded_by")
        .order_by("record__worker__certificate__family_name_key", "record__worker", "record__item")
    )


def audit_chain_of(sponsor: "Sponsor") -> AuditChain | None:
    """The sponsor's own hash chain: every event about the sponsor is appended to it."""
    chain_id = AuditEvent.objects.filter(sponsor=sponsor).values_list("chain_id", flat=True).first()
    return AuditChain.objects.filter(pk=chain_id).first() if chain_id else None


def audit_trail_in_order(chain: AuditChain) -> Iterator[AuditEvent]:
    """The chain's events oldest first, read in chunks."""
    return (
        AuditEvent.objects.filter(chain=chain)
        .select_related(None)
        .order_by("seq")
        .iterator(chunk_size=2000)
    )


def stored_versions(worker: Worker) -> QuerySet[RecordVersion]:
    """Every version of every document of the worker: what a deletion would remove."""
    return (
        RecordVersion.objects.filter(record__worker=worker)
        .select_related("record", "uploaded_by")
        .order_by("record__item", "number")
    )
