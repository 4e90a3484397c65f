"""Reporting migrant activity: final once submitted, closing the duties it meets."""

from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.certificates.models import Certificate, CertificateStatus
from sponsorship.core.errors import ApplicationError, Conflict

from ..deadlines import clock_start, due_date
from ..fields import clean_answers, long_date, parse_date
from ..kinds import REPORT_FIELDS, WORKER_EVENT_KINDS, EventKind
from ..models import ActivityReport, Duty, DutyStatus, EventSource, Worker, WorkerStatus
from ._common import duty_close

if TYPE_CHECKING:
    from datetime import date

    from sponsorship.accounts.models import User

RESEND_WINDOW = timedelta(hours=1)

# Answers that must not come before the event date: field -> what to say.
_NOT_BEFORE_EVENT = {
    "return_date": "The date they came back must be after the first day of the absence",
    "expected_start": "The new expected start date must be after the date given",
}


def _check(kind: str, event_date: Any, details: dict[str, Any]) -> tuple["date", dict[str, Any]]:
    errors: list[tuple[str, str]] = []
    if kind not in WORKER_EVENT_KINDS:
        options = ", ".join(WORKER_EVENT_KINDS)
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
    day, cleaned = _check(kind, event_date, details or {})
    with transaction.atomic():
        worker = Worker.objects.select_for_update().select_related("sponsor").get(pk=worker.pk)
        certificate = Certificate.objects.select_for_update().get(pk=worker.certificate_id)
        if certificate.status != CertificateStatus.USED:
            raise Conflict(
                f"Activity can be reported only on a used certificate; {certificate.number} "
                f"is {certificate.get_status_display().lower()}.",
                code="certificate_not_used",
            )
        if corrects is not None and corrects.worker_id != worker.pk:
            raise ApplicationError(
                "A correction must be about the same worker as the report it corrects",
                field="corrects",
            )
        if certificate.sponsorship_stopped_on and corrects is None:
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
        open_duties = Duty.objects.filter(worker=worker, status=DutyStatus.OPEN)
        if kind != EventKind.SPONSORSHIP_STOPPED:
            open_duties = open_duties.filter(kind=kind)
        for duty in open_duties:
            duty_close(
                duty,
                DutyStatus.DONE,
                f"Reported in {report.reference}.",
                actor=actor,
                report=report,
            )
        if kind == EventKind.SPONSORSHIP_STOPPED:
            certificate.sponsorship_stopped_on = day
            certificate.save(update_fields=["sponsorship_stopped_on"])
            worker.status = WorkerStatus.ENDED
            worker.ended_on = worker.ended_on or day
            worker.ended_reason = worker.ended_reason or str(cleaned.get("reason", ""))
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
            },
            ip_address=ip,
        )
    return report
