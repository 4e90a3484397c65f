"""What a student's recorded event does to the register, and the duty it raises (DOMAIN.md
"Confirmation of Acceptance for Studies": does not enrol; stops engaging; withdraws, is
withdrawn or excluded; suspends, interrupts or defers; completes early; sponsorship ends for
another reason). Called by events.hr_event_record inside its transaction."""

from datetime import date
from typing import TYPE_CHECKING

from ..deadlines import enrolment_window_end
from ..fields import long_date
from ..kinds import EventKind, StudiesPausedHow, StudiesStoppedHow
from ..models import (
    DEFAULT_ENROLMENT_WINDOW_DAYS,
    ComplianceSettings,
    Duty,
    DutyStatus,
    HrEvent,
    HrEventKind,
    Worker,
    WorkerStatus,
)
from ._common import duty_close, duty_raise

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def enrolment_window_days(sponsor_id: int) -> int:
    """The sponsor's enrolment period in calendar days after a course starts, or the default."""
    found = (
        ComplianceSettings.objects.filter(sponsor_id=sponsor_id)
        .values_list("enrolment_window_days", flat=True)
        .first()
    )
    return found or DEFAULT_ENROLMENT_WINDOW_DAYS


def student_window_end(worker: Worker) -> date | None:
    """The last day `worker` (a student) may enrol, or None when the course has no start date."""
    if worker.start_trigger_on is None:
        return None
    return enrolment_window_end(worker.start_trigger_on, enrolment_window_days(worker.sponsor_id))


def _end(worker: Worker, day: date, reason: str) -> None:
    worker.status = WorkerStatus.ENDED
    worker.ended_on = day
    worker.ended_reason = reason


def _enrolled(worker: Worker, day: date, actor: "User", event: HrEvent) -> None:
    """Enrolling within the enrolment period means nothing to report, even if the sweep already
    raised "did not enrol" (the enrolment was recorded late); enrolling after it is reportable,
    as a worker's late start is."""
    worker.started_on = day
    worker.status = WorkerStatus.STUDYING
    window_end = student_window_end(worker)
    if window_end is None:
        return
    owed = Duty.objects.filter(worker=worker, kind=EventKind.DID_NOT_ENROL)
    if day <= window_end:
        for duty in owed.filter(status=DutyStatus.OPEN):
            duty_close(
                duty,
                DutyStatus.CANCELLED,
                f"The student enrolled on {long_date(day)}, within the enrolment period.",
                actor=actor,
            )
    elif not owed.exists():
        duty_raise(
            worker,
            EventKind.DID_NOT_ENROL,
            window_end,
            f"Did not enrol within the enrolment period (enrolled {long_date(day)})",
            actor=actor,
            event=event,
        )


def apply_student_event(worker: Worker, event: HrEvent, actor: "User") -> None:
    """Bring a student's register row up to date and raise the duty the event makes
    reportable. Contact details are the shared HR event's to keep."""
    kind, day, details = event.kind, event.occurred_on, event.details
    if kind == HrEventKind.ENROLLED:
        _enrolled(worker, day, actor, event)
    elif kind == HrEventKind.STOPPED_ENGAGING:
        duty_raise(
            worker,
            EventKind.STOPPED_ENGAGING,
            day,
            "Stopped engaging with their studies",
            actor=actor,
            event=event,
        )
    elif kind == HrEventKind.STUDIES_STOPPED:
        how = str(StudiesStoppedHow(details["how"]).label)
        _end(worker, day, how)
        duty_raise(worker, EventKind.STUDIES_STOPPED, day, how, actor=actor, event=event)
    elif kind == HrEventKind.STUDIES_PAUSED:
        worker.status = WorkerStatus.STUDIES_PAUSED
        summary = str(StudiesPausedHow(details["how"]).label)
        if details.get("expected_return"):
            summary += (
                f", expected back on {long_date(date.fromisoformat(details['expected_return']))}"
            )
        duty_raise(worker, EventKind.STUDIES_PAUSED, day, summary, actor=actor, event=event)
    elif kind == HrEventKind.RESUMED:
        # A student who deferred before enrolling is waiting to enrol again.
        worker.status = WorkerStatus.STUDYING if worker.started_on else WorkerStatus.NOT_ENROLLED
    elif kind == HrEventKind.COMPLETED:
        _end(worker, day, "Completed the course")
        end = worker.course_end_date
        if end is not None and day < end:
            duty_raise(
                worker,
                EventKind.COMPLETED_EARLY,
                day,
                f"Completed the course early (it was due to end on {long_date(end)})",
                actor=actor,
                event=event,
            )
    elif kind == HrEventKind.SPONSORSHIP_ENDED:
        _end(worker, day, "Sponsorship ended for another reason")
        duty_raise(
            worker,
            EventKind.STUDENT_SPONSORSHIP_ENDED,
            day,
            f"Sponsorship ended: {details['reason']}",
            actor=actor,
            event=event,
        )
