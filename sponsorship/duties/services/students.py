"""Students on the register: their recorded events and their activity reports, in the service,
from the API, or one record at a time from a bulk file (Bulk Report and Graduate notification
files). The checks, the duties and the end of sponsorship are the workers' own (events.py,
reports.py): only what may be reported about whom differs."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

from sponsorship.accounts.models import UserLevel
from sponsorship.certificates.models import Certificate, CertificateKind, CertificateStatus
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotFound

from ..kinds import STUDENT_EVENT_KINDS
from ..models import ActivityReport, EventSource, HrEvent, Worker
from .events import hr_event_record
from .register import worker_sync
from .reports import check_report, report_save

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def _reaches(actor: "User", certificate: Certificate) -> bool:
    """Whether `actor` may act on the CAS: their own sponsor's, and a Level 2 user's own."""
    return (
        certificate.kind == CertificateKind.CAS
        and actor.sponsor_id is not None
        and certificate.sponsor_id == actor.sponsor_id
        and (actor.level != UserLevel.LEVEL_2 or certificate.owner_id == actor.pk)
    )


def _student_of(certificate: Certificate, actor: "User") -> Worker:
    """The student the used CAS sponsors, put on the register now if it never was (a CAS used
    before the register followed CAS)."""
    found = Worker.objects.filter(certificate=certificate).first()
    if found is not None:
        return found
    with transaction.atomic():
        locked = Certificate.objects.select_for_update(of=("self",)).select_related(
            "sponsor", "cas"
        )
        registered = worker_sync(certificate=locked.get(pk=certificate.pk), actor=actor)
    if registered is None:
        raise InvalidTransition(
            f"Activity can be reported only on a used CAS; {certificate.number} is "
            f"{certificate.get_status_display().lower()}.",
            code="certificate_not_used",
        )
    return registered


def student_activity_report(
    *,
    actor: "User",
    certificate: Certificate,
    kind: str,
    event_date: date,
    answers: dict[str, Any],
    source: str,
    ip: str | None,
    corrects: ActivityReport | None = None,
) -> ActivityReport:
    """Report a student's activity on a USED CAS, or (kind GRADUATED) notify that they
    completed the course successfully. What each kind asks is kinds.REPORT_FIELDS; the deadline
    is 10 working days in the student's study nation (none for a graduate notification), and
    the report says whether it was late. It meets the student's open duties of its kind; a
    report that ends sponsorship (kinds.SPONSORSHIP_ENDING_KINDS, or "no" to
    `sponsorship_continues`) meets them all and ends it. The same report sent again within the
    hour is the first one. `corrects` links a correction to the report it corrects.

    Raises NotFound for a CAS that is not the actor's (another sponsor's, or a Level 2 user's
    colleague's), InvalidTransition (code `certificate_not_used`) for a CAS that is not USED,
    Conflict (code `sponsorship_stopped`) once sponsorship has been reported over, and
    ApplicationError for bad input, with `errors` naming every problem: `kind`, `event_date`,
    `details.<question>`, `corrects`."""
    if source not in EventSource.values:
        raise ValueError(f"Unknown source {source!r}: one of {', '.join(EventSource.values)}")
    if not _reaches(actor, certificate):
        raise NotFound("There is no such CAS.")
    if certificate.status != CertificateStatus.USED:
        raise InvalidTransition(
            f"Activity can be reported only on a used CAS; {certificate.number} is "
            f"{certificate.get_status_display().lower()}.",
            code="certificate_not_used",
        )
    day, cleaned = check_report(kind, event_date, answers or {}, STUDENT_EVENT_KINDS)
    student = _student_of(certificate, actor)
    return report_save(
        actor=actor,
        worker=student,
        kind=kind,
        day=day,
        cleaned=cleaned,
        corrects=corrects,
        source=source,
        ip=ip,
    )


def student_event_record(
    *,
    actor: "User",
    student: Worker,
    kind: str,
    occurred_on: Any,
    details: dict[str, Any] | None = None,
    external_id: str = "",
    source: EventSource = EventSource.WEB,
    ip: str | None = None,
) -> tuple[HrEvent, bool]:
    """Record what happened to a student (enrolled, stopped engaging, withdrew...) and raise
    the duty it makes reportable, by 10 working days in their study nation. Idempotent by
    `external_id` as an HR event is: the same event sent again is the first one (False), a
    different one under the same id is refused (409 `external_id_reused`)."""
    if not student.is_student:
        raise ApplicationError("Only a student's events can be recorded here", field="kind")
    # What may be recorded depends on the student's state now (enrolled, paused, ended).
    student.refresh_from_db()
    return hr_event_record(
        actor=actor,
        worker=student,
        kind=kind,
        occurred_on=occurred_on,
        details=details,
        external_id=external_id,
        source=source,
        ip=ip,
    )
