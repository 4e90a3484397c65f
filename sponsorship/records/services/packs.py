"""Evidence packs: asked for by a Level 1 user, produced in the background as a ZIP written to
storage a piece at a time (documents copied in chunks, the audit trail streamed), so memory
stays flat however large the licence; progress is saved as it goes."""

import csv
import hashlib
import io
import logging
import re
import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from typing import IO, TYPE_CHECKING

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.selectors import audit_chain_first_break
from sponsorship.audit.services import Target, audit_record
from sponsorship.audit.templatetags.audit import describe_payload
from sponsorship.certificates.printing import FontMissing
from sponsorship.core.csv_export import neutralise
from sponsorship.core.errors import Conflict
from sponsorship.core.permissions import Permission
from sponsorship.duties.models import Duty, DutyStatus, Worker
from sponsorship.licences.models import Sponsor
from sponsorship.licences.selectors import sponsor_of

from .. import selectors
from ..models import EvidencePack, PackStatus
from ..summary import Section, Summary, date_words, summary_pdf, when_words
from ._common import ensure_may, ensure_reaches

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

logger = logging.getLogger(__name__)

JOB = "sponsorship.records.jobs.build_evidence_pack"
# A pack still unfinished this long after it was asked for has lost its worker (the job's
# timeout is far shorter): it is marked failed so a new one can be asked for.
STUCK_AFTER = timedelta(minutes=30)
CHUNK = 1024 * 1024
AUDIT_HEADER = [
    "Position",
    "When (UTC)",
    "User ID",
    "Action",
    "Target",
    "Details",
    "IP address",
    "Previous event hash",
    "Event hash",
]
FAILED_MESSAGE = (
    "Something went wrong while producing this pack. Ask for a new one; if that fails too, "
    "contact the service desk."
)
# Characters no file name in a ZIP should carry on any system that unpacks it.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def _safe_name(text: str) -> str:
    return _UNSAFE.sub("_", text).strip(" .") or "unnamed"


def _worker_name(worker: Worker) -> str:
    certificate = worker.certificate
    return f"{certificate.family_name}, {certificate.given_names}".strip(", ")


def _worker_folder(worker: Worker) -> str:
    return _safe_name(f"{worker.certificate.number or worker.pk} {_worker_name(worker)}")


def _scope_words(pack: EvidencePack) -> str:
    if pack.worker is None:
        return "The whole licence"
    return f"{_worker_name(pack.worker)} ({pack.worker.certificate.number})"


def evidence_pack_request(
    *, actor: "User", worker: Worker | None = None, ip: str | None = None
) -> EvidencePack:
    """Queue a pack of the whole licence, or of one worker. Refused (409) while the same pack
    is still being produced. The job starts once this is committed."""
    ensure_may(actor, Permission.EVIDENCE_PACK_CREATE)
    if worker is not None:
        ensure_reaches(actor, worker)
    sponsor = sponsor_of(actor)
    now = timezone.now()
    with transaction.atomic():
        unfinished = EvidencePack.objects.filter(
            sponsor=sponsor,
            worker=worker,
            status__in=[PackStatus.QUEUED, PackStatus.RUNNING],
        )
        unfinished.filter(created_at__lt=now - STUCK_AFTER).update(
            status=PackStatus.FAILED, finished_at=now, error=FAILED_MESSAGE
        )
        # Two clicks at once: the sponsor's row queues them, so the second sees the first.
        Sponsor.objects.select_for_update().filter(pk=sponsor.pk).first()
        if unfinished.exists():
            raise Conflict(
                "This evidence pack is already being produced. Wait for it to finish.",
                code="pack_in_progress",
            )
        pack = EvidencePack.objects.create(
            sponsor=sponsor, worker=worker, requested_by=actor, created_at=now
        )
        pack_id = pack.pk
        transaction.on_commit(lambda: _enqueue(pack_id))
    return pack


def _enqueue(pack_id: int) -> None:
    from django_q.tasks import async_task

    async_task(JOB, pack_id, task_name=f"evidence-pack-{pack_id}")


def evidence_pack_download_record(*, user: "User", pack: EvidencePack, ip: str | None) -> None:
    with transaction.atomic():
        audit_record(
            AuditVerb.EVIDENCE_DOWNLOADED,
            actor=user,
            sponsor=pack.sponsor,
            target=Target.of(pack),
            payload={"evidence_pack": _scope_words(pack), "sha256": pack.sha256},
            ip_address=ip,
        )


class _Progress:
    """Saves how far the pack has got, about a hundred times at most."""

    def __init__(self, pack_id: int, total: int):
        self.pack_id = pack_id
        self.total = total
        self.done = 0
        self.step = max(1, total // 100)
        EvidencePack.objects.filter(pk=pack_id).update(progress_total=total, progress_done=0)

    def advance(self) -> None:
        self.done = min(self.done + 1, self.total)
        if self.done % self.step == 0 or self.done == self.total:
            EvidencePack.objects.filter(pk=self.pack_id).update(progress_done=self.done)


def evidence_pack_build(*, pack_id: int) -> None:
    """Produce a queued pack. Idempotent: a pack already claimed (running, done or failed) is
    left alone, so a job delivered twice builds it once. Any failure marks it failed, with a
    message for the user; the details go to the log."""
    claimed = EvidencePack.objects.filter(pk=pack_id, status=PackStatus.QUEUED).update(
        status=PackStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    pack = EvidencePack.objects.select_related(
        "sponsor", "requested_by__sponsor", "worker__certificate"
    ).get(pk=pack_id)
    stored = ""
    try:
        with tempfile.TemporaryFile() as scratch:
            documents = _write_zip(pack, scratch)
            size, digest = _measure(scratch)
            name = pack.file.field.generate_filename(pack, f"{uuid.uuid4().hex}.zip")
            stored = default_storage.save(name, File(scratch))
        with transaction.atomic():
            EvidencePack.objects.filter(pk=pack_id).update(
                status=PackStatus.DONE,
                file=stored,
                size=size,
                sha256=digest,
                documents=documents,
                finished_at=timezone.now(),
            )
            audit_record(
                AuditVerb.EVIDENCE_PACK_CREATED,
                actor=pack.requested_by,
                sponsor=pack.sponsor,
                target=Target.of(pack),
                payload={
                    "evidence_pack": _scope_words(pack),
                    "documents": documents,
                    "size": size,
                    "sha256": digest,
                },
            )
    except Exception as error:
        logger.exception("Evidence pack %s failed", pack_id)
        if stored:
            default_storage.delete(stored)
        message = (
            f"The summary could not be drawn: {error}" if isinstance(error, FontMissing) else ""
        )
        EvidencePack.objects.filter(pk=pack_id).update(
            status=PackStatus.FAILED, finished_at=timezone.now(), error=message or FAILED_MESSAGE
        )


def _measure(scratch: IO[bytes]) -> tuple[int, str]:
    scratch.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: scratch.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    scratch.seek(0)
    return size, digest.hexdigest()


@dataclass
class _Verification:
    verified: bool
    sentence: str
    events: int


def _verify(pack: EvidencePack) -> _Verification:
    chain = selectors.audit_chain_of(pack.sponsor)
    if chain is None:
        return _Verification(True, "The audit trail has no events yet: nothing to verify.", 0)
    broken = audit_chain_first_break(chain)
    if broken is None:
        return _Verification(
            True,
            f"Verified: all {chain.last_seq:,} events of the audit trail are present, each "
            "links to the one before it, and none was changed after it was written.",
            chain.last_seq,
        )
    where = f"event id {broken.event_id}" if broken.event_id else "a missing event"
    return _Verification(
        False,
        f"NOT VERIFIED: the audit trail's chain breaks at position {broken.seq} ({where}): "
        f"{broken.problem}.",
        chain.last_seq,
    )


def _write_zip(pack: EvidencePack, scratch: IO[bytes]) -> int:
    """Write the pack into `scratch`; returns how many documents it holds."""
    today = timezone.localdate()
    documents = list(selectors.pack_documents(pack))
    progress = _Progress(pack.pk, total=len(documents) + 3)
    verification = _verify(pack)
    progress.advance()
    missing_files: list[str] = []
    packed = []
    with zipfile.ZipFile(scratch, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for version in documents:
            worker = version.record.worker
            name = f"{version.record.item} v{version.number} - {version.original_name}"
            path = f"documents/{_worker_folder(worker)}/{_safe_name(name)}"
            try:
                with version.file.open("rb") as source, archive.open(path, "w") as target:
                    shutil.copyfileobj(source, target, CHUNK)
            except FileNotFoundError:
                missing_files.append(f"{_worker_name(worker)}: {version.original_name}")
            else:
                packed.append(version)
            progress.advance()
        chain = selectors.audit_chain_of(pack.sponsor)
        with (
            archive.open("audit-trail.csv", "w") as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
        ):
            writer = csv.writer(text)
            writer.writerow(AUDIT_HEADER)
            for event in selectors.audit_trail_in_order(chain) if chain else ():
                writer.writerow(
                    [
                        neutralise(cell)
                        for cell in (
                            event.seq,
                            event.created_at.isoformat(timespec="seconds"),
                            event.actor_label,
                            event.get_verb_display(),
                            event.target_label,
                            describe_payload(event.payload),
                            event.ip_address or "",
                            event.prev_hash,
                            event.hash,
                        )
                    ]
                )
        archive.writestr(
            "audit-trail-verification.txt",
            _verification_text(pack, verification),
        )
        progress.advance()
        summary = _summary(pack, today, packed, missing_files, verification)
        archive.writestr("summary.pdf", summary_pdf(summary))
        progress.advance()
    return len(packed)


def _verification_text(pack: EvidencePack, verification: _Verification) -> str:
    return (
        f"Audit trail of {pack.sponsor.name} (licence {pack.sponsor.licence_number})\n"
        f"Checked on {when_words(timezone.now())}: {verification.events:,} events.\n\n"
        f"{verification.sentence}\n\n"
        "Each event in audit-trail.csv carries the hash of the event before it (Previous event "
        "hash) and its own (Event hash), so a changed, added or removed row can be found.\n"
    )


def _how_met(duty: Duty, today: date) -> str:
    if duty.status == DutyStatus.DONE and duty.report is not None:
        timing = "late" if duty.report.late else "on time"
        return f"Reported in {duty.report.reference}, {timing}"
    if duty.status == DutyStatus.DONE:
        return f"Done: {duty.closed_note}" if duty.closed_note else "Done"
    if duty.status == DutyStatus.CANCELLED:
        return f"No longer needed: {duty.closed_note}" if duty.closed_note else "No longer needed"
    return "OVERDUE: not reported yet" if duty.due_on < today else "Not due yet"


def _money(value: object) -> str:
    return f"£{value:,.2f}" if value is not None else "Not recorded"


def _summary(
    pack: EvidencePack,
    today: date,
    documents: list,
    missing_files: list[str],
    verification: _Verification,
) -> Summary:
    sponsor = pack.sponsor
    workers = list(selectors.pack_workers(pack))
    gaps = selectors.incomplete_checklists(sponsor=sponsor, worker_ids=[w.pk for w in workers])
    names = {w.pk: _worker_name(w) for w in workers}
    duties = list(selectors.pack_duties(pack, today))
    late = list(selectors.pack_late_reports(pack))
    sections = [
        Section(
            "Sponsored workers",
            (
                "Worker",
                "Certificate",
                "Status",
                "Job (SOC code)",
                "Salary",
                "Permission ends",
                "Right to work checked",
                "Follow-up due",
            ),
            (0.17, 0.11, 0.11, 0.17, 0.1, 0.11, 0.12, 0.11),
            [
                (
                    names[w.pk],
                    w.certificate.number or "",
                    w.get_status_display(),
                    f"{w.job_title} ({w.soc_code})" if w.soc_code else w.job_title,
                    _money(w.annual_salary),
                    date_words(w.permission_expires_on),
                    date_words(w.right_to_work_checked_on),
                    date_words(w.right_to_work_follow_up_on, "None"),
                )
                for w in workers
            ],
            "There are no sponsored workers on the register.",
        ),
        Section(
            "Reporting duties and how they were met",
            ("Worker", "What to report", "Event date", "Due by", "How it was met"),
            (0.2, 0.25, 0.12, 0.12, 0.31),
            [
                (
                    _worker_name(d.worker) if d.worker else "The organisation",
                    d.get_kind_display(),
                    date_words(d.event_date),
                    date_words(d.due_on),
                    _how_met(d, today),
                )
                for d in duties
            ],
            "No reporting duties have been raised.",
        ),
        Section(
            "Reports sent late",
            ("Reference", "Worker", "What was reported", "Due by", "Sent"),
            (0.12, 0.22, 0.26, 0.15, 0.25),
            [
                (
                    r.reference,
                    _worker_name(r.worker),
                    r.get_kind_display(),
                    date_words(r.due_on, "No deadline"),
                    when_words(r.submitted_at),
                )
                for r in late
            ],
            "No report was sent late.",
        ),
        Section(
            "Documents missing",
            ("Worker", "Documents still to upload"),
            (0.25, 0.75),
            [(names[worker_id], ", ".join(items)) for worker_id, items in gaps.items()]
            + [(name, "The stored file could not be found") for name in missing_files],
            "Every sponsored worker's checklist is complete.",
            intro="For workers still sponsored: the documents of the record keeping checklist "
            "neither uploaded nor marked as not needed.",
        ),
        Section(
            "Documents in this pack",
            ("Worker", "Document", "Version", "File", "Uploaded", "SHA-256"),
            (0.15, 0.17, 0.06, 0.17, 0.13, 0.32),
            [
                (
                    _worker_name(v.record.worker),
                    v.record.get_item_display(),
                    str(v.number),
                    v.original_name,
                    f"{date_words(v.uploaded_at)} by {v.uploaded_by.full_name}",
                    v.sha256,
                )
                for v in documents
            ],
            "No documents have been uploaded.",
            intro="The latest version of each document, in the folder 'documents' of this "
            "pack, one folder per worker.",
        ),
    ]
    return Summary(
        title=f"Evidence pack: {sponsor.name}",
        facts=[
            ("Sponsor", sponsor.name),
            ("Licence number", sponsor.licence_number),
            ("Covers", _scope_words(pack)),
            ("Produced", when_words(timezone.now())),
            ("Asked for by", f"{pack.requested_by.full_name} ({pack.requested_by.username})"),
        ],
        verified=verification.verified,
        verification=verification.sentence,
        sections=sections,
    )
