"""Reporting a worker's or a student's activity: final once submitted, closing the duties it
meets."""

from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.certificates.models import Certificate, CertificateStatus
from sponsorship.core.errors import ApplicationError, Conflict, InvalidTransition

from ..deadlines import clock_start, due_date
from ..fields import clean_answers, long_date, parse_date
from ..kinds import (
    REPORT_FIELDS,
    SPONSORSHIP_ENDING_KINDS,
    STUDENT_EVENT_KINDS,
    WORKER_EVENT_KINDS,
    EventKind,
    StudiesStoppedHow,
)
from ..models import ActivityReport, Duty, DutyStatus, EventSource, Worker, WorkerStatus
from ._common import duty_close

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from sponsorship.accounts.models import User

RESEND_WINDOW = timedelta(hours=1)

# Answers that must not come before the event date: field -> what to say.
_NOT_BEFORE_EVENT = {
    "return_date": "The date they came back must be after the first day of the absence",
    "expected_start": "The new expected start date must be after the date given",
}


def check_report(
    kind: str, event_date: Any, details: dict[str, Any], kinds: "Sequence[str]"
) -> tuple["date", dict[str, Any]]:
    """The report's kind (one of `kinds`: a worker's or a student's), date and answers, with
    everything wrong named by field, all at once."""
    errors: list[tuple[str, str]] = []
    if kind not in kinds:
        options = ", ".join(kinds)
        raise ApplicationError(f"Choose what you are reporting: one of {options}", field="kind")
    day = None
    if event_date in (None, ""):
        errors.append(("event_date", "Enter the date of the event"))
    else:
        try:
            day = parse_date(event_date, "The date of the event")
        except ApplicationError as error:
            errors.append(("event_date", error.message))
    if day and day > timezone.localdate():
        errors.append(("event_date", "The date of the event cannot be in the future"))
    try:
        cleaned = clean_answers(REPORT_FIELDS[kind], details or {})
    except ApplicationError as error:
        errors.extend(error.errors)
        cleaned = {}
    for name, message in _NOT_BEFORE_EVENT.items():
        if day and name in cleaned and cleaned[name] <= day.isoformat():
            errors.append((f"details.{name}", message))
    if cleaned.get("leave_end") and cleaned["leave_end"] < cleaned.get("leave_start", ""):
        errors.append(("details.leave_end", "The last day of the leave must be after the first"))
    if errors:
        raise ApplicationError(errors[0][1], field=errors[0][0], errors=errors)
    return cast("date", day), cleaned


def ends_sponsorship(kind: str, answers: dict[str, Any]) -> bool:
    """Whether a report ends the sponsorship: a kind that always does, or a student's report
    answering that sponsorship will not continue."""
    return kind in SPONSORSHIP_ENDING_KINDS or (
        kind in STUDENT_EVENT_KINDS and answers.get("sponsorship_continues") is False
    )


def _ended_reason(kind: str, answers: dict[str, Any]) -> str:
    if kind == EventKind.SPONSORSHIP_STOPPED:
        return str(answers.get("reason", ""))
    if kind == EventKind.STUDIES_STOPPED and answers.get("how") in StudiesStoppedHow.values:
        return str(StudiesStoppedHow(answers["how"]).label)
    return str(EventKind(kind).label)


def _graduation_still_allowed(worker: Worker) -> bool:
    """A student reported to have completed the course early may still be notified as a
    graduate, once."""
    reports = ActivityReport.objects.filter(worker=worker)
    return (
        reports.filter(kind=EventKind.COMPLETED_EARLY).exists()
        and not reports.filter(kind=EventKind.GRADUATED).exists()
    )


def activity_report_submit(
    *,
    actor: "User",
    worker: Worker,
    kind: str,
    event_date: Any,
    details: dict[str, Any] | None = None,
    corrects: ActivityReport | None = None,
    source: EventSource = EventSource.WEB,
    ip: str | None = None,
) -> ActivityReport:
    """Submit a report on a worker whose certificate is USED. It records its own deadline and
    whether it was late; it closes the worker's open duties of the same kind, and a report that
    sponsorship stopped closes them all and ends the worker's sponsorship."""
    day, cleaned = check_report(kind, event_date, details or {}, WORKER_EVENT_KINDS)
    return report_save(
        actor=actor,
        worker=worker,
        kind=kind,
        day=day,
        cleaned=cleaned,
        corrects=corrects,
        source=source,
        ip=ip,
    )


def report_save(
    *,
    actor: "User",
    worker: Worker,
    kind: str,
    day: "date",
    cleaned: dict[str, Any],
    corrects: ActivityReport | None,
    source: str,
    ip: str | None,
) -> ActivityReport:
    """Save a checked report (check_report) about a worker or a student, in one transaction:
    the report with its deadline and late flag, the duties it meets, the end of sponsorship
    when it ends it, and the audit event."""
    with transaction.atomic():
        worker = Worker.objects.select_for_update().select_related("sponsor").get(pk=worker.pk)
        certificate = Certificate.objects.select_for_update().get(pk=worker.certificate_id)
        if certificate.status != CertificateStatus.USED:
            raise InvalidTransition(
                f"Activity can be reported only on a used certificate; {certificate.number} "
                f"is {certificate.get_status_display().lower()}.",
                code="certificate_not_used",
            )
        if corrects is not None and corrects.worker_id != worker.pk:
            raise ApplicationError(
                "A correction must be about the same worker as the report it corrects",
                field="corrects",
            )
        if (
            certificate.sponsorship_stopped_on
            and corrects is None
            and not (kind == EventKind.GRADUATED and _graduation_still_allowed(worker))
        ):
            raise Conflict(
                f"You reported that sponsorship stopped on "
                f"{long_date(certificate.sponsorship_stopped_on)}. Only a correction to an "
                "earlier report can be sent now.",
                code="sponsorship_stopped",
            )
        submitted = timezone.now()
        # The same report sent again (a double click, a resent form, a retried API call) is
        # the first one: reports are final, so a duplicate could never be taken back.
        same = ActivityReport.objects.filter(
            worker=worker,
            kind=kind,
            event_date=day,
            details=cleaned,
            corrects=corrects,
            submitted_by=actor,
            submitted_at__gte=submitted - RESEND_WINDOW,
        ).first()
        if same is not None:
            return same
        due = due_date(kind, day, worker.nation)
        report = ActivityReport.objects.create(
            sponsor_id=worker.sponsor_id,
            worker=worker,
            certificate=certificate,
            kind=kind,
            event_date=day,
            clock_starts_on=clock_start(kind, day, worker.nation),
            due_on=due,
            nation=worker.nation,
            details=cleaned,
            corrects=corrects,
            submitted_by=actor,
            submitted_at=submitted,
            late=due is not None and timezone.localdate(submitted) > due,
            source=source,
        )
        ending = ends_sponsorship(kind, cleaned)
        open_duties = Duty.objects.filter(worker=worker, status=DutyStatus.OPEN)
        if not ending or kind == EventKind.GRADUATED:
            open_duties = open_duties.filter(kind=kind)
        for duty in open_duties:
            duty_close(
                duty,
                DutyStatus.DONE,
                f"Reported in {report.reference}.",
                actor=actor,
                report=report,
            )
        if ending:
            if kind != EventKind.GRADUATED or not certificate.sponsorship_stopped_on:
                certificate.sponsorship_stopped_on = day
            certificate.save(update_fields=["sponsorship_stopped_on"])
            worker.status = WorkerStatus.ENDED
            worker.ended_on = worker.ended_on or day
            worker.ended_reason = worker.ended_reason or _ended_reason(kind, cleaned)
            worker.version = F("version") + 1
            worker.updated_at = submitted
            worker.save(
                update_fields=["status", "ended_on", "ended_reason", "version", "updated_at"]
            )
        audit_record(
            AuditVerb.ACTIVITY_REPORTED,
            actor=actor,
            sponsor=worker.sponsor,
            target=Target.of(report),
            payload={
                "certificate": certificate.number,
                "kind": kind,
                "event_date": day,
                "due_on": due,
                "late": report.late,
                **({"corrects": corrects.reference} if corrects else {}),
                # A bulk file's records are told apart from the sponsor's own reports.
                **({"source": source} if source == EventSource.BULK else {}),
            },
            ip_address=ip,
        )
    return report
