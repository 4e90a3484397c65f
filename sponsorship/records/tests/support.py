"""Helpers shared by the record keeping tests: workers put straight on the register, documents
to upload, reading pages and ZIPs."""

import re
from datetime import date
from html import unescape
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sponsorship.certificates.models import CertificateStatus
from sponsorship.certificates.tests.factories import assigned_certificate
from sponsorship.core.uploads import CheckedUpload, check_upload
from sponsorship.duties.models import Worker, WorkerStatus
from sponsorship.licences.models import Nation

from ..items import RecordItem
from ..models import RecordVersion
from ..services import record_mark_not_needed, record_upload

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 16)
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
PDF_2 = b"%PDF-1.7\n% the second version\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
# A Windows program's first bytes ("MZ"): what a renamed .exe starts with.
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 32

# Every item but the two that may be "not needed".
ALWAYS_NEEDED = [i for i in RecordItem if i not in (RecordItem.ENTRY_DATE, RecordItem.DBS_CHECK)]

_CERTIFICATE_FIELDS = {"family_name", "given_names", "salary_amount", "start_date", "number"}


def sponsored(owner: Any, **fields: Any) -> Worker:
    """A worker on the register with a used certificate, made directly (no Home Office step):
    `fields` are the certificate's (family_name, given_names, salary_amount...) or the
    worker's (status, ended_on, annual_salary...)."""
    certificate_fields = {k: v for k, v in fields.items() if k in _CERTIFICATE_FIELDS}
    certificate = assigned_certificate(owner, **certificate_fields)
    certificate.status = CertificateStatus.USED
    certificate.save()
    worker_fields = {k: v for k, v in fields.items() if k not in _CERTIFICATE_FIELDS}
    worker_fields.setdefault("status", WorkerStatus.WORKING)
    worker_fields.setdefault("annual_salary", certificate.cos.annual_salary)
    worker = Worker.objects.create(
        sponsor=owner.sponsor,
        certificate=certificate,
        nation=Nation.ENGLAND,
        job_title=certificate.cos.job_title,
        soc_code=certificate.cos.soc_code,
        **worker_fields,
    )
    return Worker.objects.select_related("certificate__cos", "sponsor").get(pk=worker.pk)


def checked(content: bytes = PDF, name: str = "document.pdf") -> CheckedUpload:
    return check_upload(BytesIO(content), name, field="file")


def upload(
    worker: Worker, item: RecordItem, actor: Any, content: bytes = PDF, name: str = "doc.pdf"
) -> RecordVersion:
    return record_upload(
        actor=actor, worker=worker, item=item, upload=checked(content, name), ip=None
    )


def complete_checklist(worker: Worker, actor: Any) -> None:
    """Every document uploaded, or marked not needed where that is allowed."""
    for item in ALWAYS_NEEDED:
        upload(worker, item, actor, name=f"{item.value}.pdf")
    for item in (RecordItem.ENTRY_DATE, RecordItem.DBS_CHECK):
        record_mark_not_needed(
            actor=actor, worker=worker, item=item, reason="Not for this job.", ip=None
        )


def pdf_file(name: str = "passport.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def text(response: Any) -> str:
    """The page as a reader sees the words."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(unescape(body).split())


def field_error(response: Any, field: str) -> str:
    found = re.search(
        rf'<p id="id_{field}-error" class="govuk-error-message">(.*?)</p>',
        response.content.decode(),
        re.S,
    )
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else ""


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def count_queries(call: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def overdue_duty(worker: Worker) -> Any:
    """A salary cut on 1 October 2026, not reported: due 15 October, overdue on the frozen day."""
    from sponsorship.duties.kinds import EventKind
    from sponsorship.duties.services import duty_raise

    duty, _ = duty_raise(worker, EventKind.SALARY_REDUCED, date(2026, 10, 1), "Pay cut", actor=None)
    return duty


def reported_duty(worker: Worker, actor: Any, *, late: bool) -> Any:
    """A job change on 2 September 2026, met by a report (late or on time)."""
    from django.utils import timezone

    from sponsorship.duties.kinds import EventKind
    from sponsorship.duties.models import ActivityReport, DutyStatus
    from sponsorship.duties.services import duty_close, duty_raise

    duty, _ = duty_raise(worker, EventKind.JOB_CHANGED, date(2026, 9, 2), "New role", actor=None)
    report = ActivityReport.objects.create(
        sponsor_id=worker.sponsor_id,
        worker=worker,
        certificate=worker.certificate,
        kind=EventKind.JOB_CHANGED,
        event_date=duty.event_date,
        clock_starts_on=duty.clock_starts_on,
        due_on=duty.due_on,
        nation=worker.nation,
        details={},
        submitted_by=actor,
        submitted_at=timezone.now(),
        late=late,
    )
    duty_close(duty, DutyStatus.DONE, "Reported", actor=actor, report=report)
    return report
