"""Recording what happened to a worker or a student, in the service or from an HR (or student
records) system, and raising the duties it brings (DOMAIN.md "Reporting duties" and
"Confirmation of Acceptance for Studies")."""

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError, Conflict
from sponsorship.core.rules import Rule, rule_value
from sponsorship.core.workingdays import add_working_days

from ..deadlines import absence_is_reportable, did_not_start_window_end
from ..fields import EARLIEST_DATE, clean_answers, long_date, parse_date
from ..kinds import HR_EVENT_FIELDS, EventKind, LocationKind
from ..models import (
    STUDENT_HR_EVENT_KINDS,
    WORKER_HR_EVENT_KINDS,
    Absence,
    AbsenceType,
    Duty,
    DutyStatus,
    EventSource,
    HrEvent,
    HrEventKind,
    Worker,
    WorkerStatus,
)
from ._common import duty_close, duty_raise, duty_redate
from .register import worker_contact_save
from .student_events import apply_student_event

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

MAX_EXTERNAL_ID = 100


def _check(
    worker: Worker,
    kind: str,
    occurred_on: Any,
    ends_on: Any,
    absence_type: str,
    details: dict[str, Any],
) -> tuple[date, date | None, dict[str, Any]]:
    """Everything wrong with the event, all at once, named by field."""
    errors: list[tuple[str, str]] = []
    allowed = STUDENT_HR_EVENT_KINDS if worker.is_student else WORKER_HR_EVENT_KINDS
    if kind not in allowed:
        options = ", ".join(allowed)
        raise ApplicationError(f"Choose what happened: one of {options}", field="kind")
    today = timezone.localdate()
    start: date | None = None
    end: date | None = None
    if occurred_on in (None, ""):
        errors.append(("occurred_on", "Enter the date it happened"))
    else:
        try:
            start = parse_date(occurred_on, "The date it happened")
        except ApplicationError as error:
            errors.append(("occurred_on", error.message))
    # Only leaving can be recorded ahead (a notice period); planned leave ends in the future.
    if start and start > today and kind != HrEventKind.LEAVING:
        errors.append(("occurred_on", "The date it happened cannot be in the future"))
    if kind == HrEventKind.ABSENCE:
        if absence_type not in AbsenceType.values:
            errors.append(
                ("absence_type", "Choose the type of absence: UNAUTHORISED or UNPAID_LEAVE")
            )
        if ends_on not in (None, ""):
            try:
                end = parse_date(ends_on, "The last day of the absence")
            except ApplicationError as error:
                errors.append(("ends_on", error.message))
        elif absence_type == AbsenceType.UNPAID_LEAVE:
            errors.append(
                ("ends_on", "Enter the last day of the leave (the planned one, if it is ahead)")
            )
        if start and end and end < start:
            errors.append(("ends_on", "The last day of the absence must be on or after the first"))
        if absence_type == AbsenceType.UNAUTHORISED and end and end > today:
            errors.append(("ends_on", "An unauthorised absence cannot end in the future"))
    else:
        if ends_on not in (None, ""):
            errors.append(("ends_on", "Only an absence has a last day: leave it out"))
        if absence_type:
            errors.append(("absence_type", "Only an absence has a type: leave it out"))
    try:
        cleaned = clean_answers(HR_EVENT_FIELDS[kind], details or {})
    except ApplicationError as error:
        errors.extend(error.errors)
        cleaned = {}
    if kind == HrEventKind.CONTACT_CHANGE and not errors and not cleaned:
        errors.append(("details.email", "Enter at least one of e-mail, phone or home address"))
    who = "student" if worker.is_student else "worker"
    if worker.status == WorkerStatus.ENDED and kind != HrEventKind.CONTACT_CHANGE:
        errors.append(
            ("kind", f"This {who}'s sponsorship has ended: only contact details can be recorded")
        )
    elif worker.is_student:
        errors.extend(_student_event_problems(worker, kind))
    if kind == HrEventKind.FIRST_DAY and worker.started_on:
        errors.append(
            ("kind", f"Their first day is already recorded ({long_date(worker.started_on)})")
        )
    if errors:
        raise ApplicationError(errors[0][1], field=errors[0][0], errors=errors)
    return cast(date, start), end, cleaned


# A student's events that only follow enrolment (a deferral may come before it).
_AFTER_ENROLMENT = {HrEventKind.STOPPED_ENGAGING, HrEventKind.COMPLETED}


def _student_event_problems(worker: Worker, kind: str) -> list[tuple[str, str]]:
    """What a student's current state rules out."""
    if kind == HrEventKind.ENROLLED and worker.started_on:
        return [("kind", f"Their enrolment is already recorded ({long_date(worker.started_on)})")]
    if kind in _AFTER_ENROLMENT and not worker.started_on:
        return [("kind", "Record their enrolment first: they are not enrolled yet")]
    if kind == HrEventKind.RESUMED and worker.status != WorkerStatus.STUDIES_PAUSED:
        return [("kind", "Their studies are not paused, so there is nothing to resume")]
    if kind == HrEventKind.STUDIES_PAUSED and worker.status == WorkerStatus.STUDIES_PAUSED:
        return [("kind", "Their studies are already paused: record when they resume first")]
    return []


def _same_event(event: HrEvent, kind: str, start: date, end: date | None, absence: str) -> bool:
    return (event.kind, event.occurred_on, event.ends_on, event.absence_type) == (
        kind,
        start,
        end,
        absence,
    )


def hr_event_record(
    *,
    actor: "User",
    worker: Worker,
    kind: str,
    occurred_on: Any,
    ends_on: Any = None,
    absence_type: str = "",
    details: dict[str, Any] | None = None,
    external_id: str = "",
    source: EventSource = EventSource.WEB,
    ip: str | None = None,
) -> tuple[HrEvent, bool]:
    """Record one event and raise what it makes reportable. With an `external_id`, sending the
    same event again returns the first one (False: nothing new), and a different event under
    an id already used is refused, so an HR system can safely retry."""
    external_id = (external_id or "").strip()
    if len(external_id) > MAX_EXTERNAL_ID:
        raise ApplicationError(
            f"The external id must be {MAX_EXTERNAL_ID} characters or fewer", field="external_id"
        )
    if external_id:
        earlier = HrEvent.objects.filter(sponsor_id=worker.sponsor_id, external_id=external_id)
        found = earlier.first()
        if found is not None:
            return _replayed(found, worker, kind, occurred_on, ends_on, absence_type, details)
    start, end, cleaned = _check(worker, kind, occurred_on, ends_on, absence_type, details or {})
    try:
        with transaction.atomic():
            worker = Worker.objects.select_for_update().get(pk=worker.pk)
            event = HrEvent.objects.create(
                sponsor_id=worker.sponsor_id,
                worker=worker,
                kind=kind,
                occurred_on=start,
                ends_on=end,
                absence_type=absence_type,
                details=cleaned,
                external_id=external_id,
                source=source,
                recorded_by=actor,
            )
            _apply(worker, event, actor)
            worker.updated_at = timezone.now()
            worker.version = F("version") + 1
            worker.save()
            audit_record(
                AuditVerb.STUDENT_EVENT_RECORDED
                if worker.is_student
                else AuditVerb.HR_EVENT_RECORDED,
                actor=actor,
                sponsor=worker.sponsor,
                target=Target.of(worker),
                payload={
                    "kind": kind,
                    "occurred_on": start,
                    **({"ends_on": end} if end else {}),
                    **({"external_id": external_id} if external_id else {}),
                    **cleaned,
                },
                ip_address=ip,
            )
    except IntegrityError:
        # The same external id sent twice at the same moment: the other request recorded it.
        found = HrEvent.objects.filter(
            sponsor_id=worker.sponsor_id, external_id=external_id
        ).first()
        if not external_id or found is None:
            raise
        return _replayed(found, worker, kind, occurred_on, ends_on, absence_type, details)
    return event, True


def _replayed(
    found: HrEvent,
    worker: Worker,
    kind: str,
    occurred_on: Any,
    ends_on: Any,
    absence_type: str,
    details: dict[str, Any] | None,
) -> tuple[HrEvent, bool]:
    same = False
    try:
        end = parse_date(ends_on, "The last day") if ends_on not in (None, "") else None
        same = (
            found.worker_id == worker.pk
            and _same_event(
                found, kind, parse_date(occurred_on, "The date it happened"), end, absence_type
            )
            and found.details == clean_answers(HR_EVENT_FIELDS.get(kind, ()), details or {})
        )
    except ApplicationError:
        pass  # what was sent now is not even valid, so it cannot be the same event
    if same:
        return found, False
    raise Conflict(
        f"An event with the external id {found.external_id!r} was already recorded with "
        "different details. Send a new external id for a new event.",
        field="external_id",
        code="external_id_reused",
    )


def _apply(worker: Worker, event: HrEvent, actor: "User") -> None:
    """Bring the register up to date and raise the duties the event makes reportable."""
    kind, day, details = event.kind, event.occurred_on, event.details
    if worker.is_student and kind != HrEventKind.CONTACT_CHANGE:
        apply_student_event(worker, event, actor)
    elif kind == HrEventKind.FIRST_DAY:
        _first_day(worker, day, actor, event)
    elif kind == HrEventKind.ABSENCE:
        _absence(worker, AbsenceType(event.absence_type), day, event.ends_on, actor, event)
    elif kind == HrEventKind.RETURN:
        _return(worker, day, actor, event)
    elif kind == HrEventKind.SALARY_CHANGE:
        new = Decimal(details["new_salary"])
        if worker.annual_salary is not None and new < worker.annual_salary:
            duty_raise(
                worker,
                EventKind.SALARY_REDUCED,
                day,
                f"Salary reduced from £{worker.annual_salary:,.2f} to £{new:,.2f} a year",
                actor=actor,
                event=event,
            )
        worker.annual_salary = new
    elif kind == HrEventKind.JOB_CHANGE:
        worker.job_title = details["new_job_title"]
        if details["significant"]:
            duty_raise(
                worker,
                EventKind.JOB_CHANGED,
                day,
                f"Job changed to {worker.job_title}",
                actor=actor,
                event=event,
            )
    elif kind == HrEventKind.LOCATION_CHANGE:
        worker.work_address = details["new_address"]
        worker.nation = details.get("nation") or worker.nation
        if details["location_kind"] != LocationKind.HYBRID:
            duty_raise(
                worker,
                EventKind.LOCATION_CHANGED,
                day,
                f"{LocationKind(details['location_kind']).label}: {worker.work_address}",
                actor=actor,
                event=event,
            )
    elif kind == HrEventKind.CONTACT_CHANGE:
        worker_contact_save(
            worker,
            details.get("email", worker.email),
            details.get("phone", worker.phone),
            details.get("home_address", worker.home_address),
            day,
            actor,
        )
    elif kind == HrEventKind.LEAVING:
        worker.status = WorkerStatus.ENDED
        worker.ended_on = day
        worker.ended_reason = str(details["reason"])
        duty_raise(
            worker,
            EventKind.SPONSORSHIP_STOPPED,
            day,
            "Sponsorship stops: the worker is leaving",
            actor=actor,
            event=event,
        )


def _first_day(worker: Worker, day: date, actor: "User", event: HrEvent) -> None:
    """Starting inside the 28-day window means nothing to report, even if the sweep already
    raised a duty (the start was recorded late); starting after it is reportable."""
    worker.started_on = day
    worker.status = WorkerStatus.WORKING
    if worker.start_trigger_on is None:
        return
    window_end = did_not_start_window_end(worker.start_trigger_on)
    if day <= window_end:
        for duty in Duty.objects.filter(
            worker=worker, kind=EventKind.DID_NOT_START, status=DutyStatus.OPEN
        ):
            duty_close(
                duty,
                DutyStatus.CANCELLED,
                f"The worker started on {long_date(day)}, within the 28 days.",
                actor=actor,
            )
    else:
        duty_raise(
            worker,
            EventKind.DID_NOT_START,
            worker.start_trigger_on,
            f"Did not start within 28 days (started {long_date(day)})",
            actor=actor,
            event=event,
        )


def _absence(
    worker: Worker,
    absence_type: AbsenceType,
    first: date,
    last: date | None,
    actor: "User",
    event: HrEvent,
) -> None:
    """Merge the days into the worker's spell of absence they continue or overlap, then check
    the spell against the rules."""
    spell = _merge(worker, absence_type, first, last)
    if absence_type == AbsenceType.UNAUTHORISED:
        _check_unauthorised(worker, spell, actor, event)
    else:
        _check_unpaid_leave(worker, spell, actor, event)


def _merge(worker: Worker, absence_type: AbsenceType, first: date, last: date | None) -> Absence:
    """One spell per unbroken run: days that touch or overlap a spell (with only non-working
    days between) join it."""
    touching = []
    for spell in Absence.objects.filter(worker=worker, absence_type=absence_type).order_by(
        "first_day"
    ):
        spell_reaches = (
            add_working_days(spell.last_day, 1, worker.nation) if spell.last_day else None
        )
        new_reaches = add_working_days(last, 1, worker.nation) if last else None
        starts_in_time = spell_reaches is None or first <= spell_reaches
        ends_in_time = new_reaches is None or spell.first_day <= new_reaches
        if starts_in_time and ends_in_time:
            touching.append(spell)
    if not touching:
        return Absence.objects.create(
            sponsor_id=worker.sponsor_id,
            worker=worker,
            absence_type=absence_type,
            first_day=first,
            last_day=last,
        )
    keep, *others = touching
    keep.first_day = min([first, *(spell.first_day for spell in touching)])
    ends = [last, *(spell.last_day for spell in touching)]
    keep.last_day = None if None in ends else max(day for day in ends if day is not None)
    keep.save(update_fields=["first_day", "last_day"])
    Absence.objects.filter(pk__in=[spell.pk for spell in others]).delete()
    return keep


def _check_unauthorised(worker: Worker, spell: Absence, actor: "User", event: HrEvent) -> None:
    """More than 10 consecutive working days absent: the duty, dated from the first day. A
    spell that grew backwards (an earlier day recorded late) is the same absence: its open duty
    is dated again from the true first day, which brings the deadline forward."""
    through = min(spell.last_day or timezone.localdate(), timezone.localdate())
    if not absence_is_reportable(spell.first_day, through, worker.nation):
        return
    already = Duty.objects.filter(
        worker=worker,
        kind=EventKind.ABSENCE,
        event_date__gte=spell.first_day,
        event_date__lte=through,
    ).first()
    if already is None:
        duty_raise(
            worker,
            EventKind.ABSENCE,
            spell.first_day,
            f"Absent without permission since {long_date(spell.first_day)}",
            actor=actor,
            event=event,
        )
    elif already.is_open and already.event_date != spell.first_day:
        duty_redate(
            already,
            spell.first_day,
            f"Absent without permission since {long_date(spell.first_day)}",
            actor=actor,
        )


def _check_unpaid_leave(worker: Worker, spell: Absence, actor: "User", event: HrEvent) -> None:
    """More than 4 weeks of unpaid leave in a calendar year: the duty, dated the day the limit
    was passed."""
    last = spell.last_day or spell.first_day  # unpaid leave is always given its last day
    for year in range(spell.first_day.year, last.year + 1):
        passed = _leave_limit_passed(worker, year)
        if passed is None:
            continue
        already = Duty.objects.filter(
            worker=worker, kind=EventKind.UNPAID_LEAVE, event_date__year=year
        ).exists()
        if not already:
            duty_raise(
                worker,
                EventKind.UNPAID_LEAVE,
                passed,
                f"Unpaid or reduced-pay leave passed 4 weeks in {year}",
                actor=actor,
                event=event,
            )


def _leave_limit_passed(worker: Worker, year: int) -> date | None:
    """The day the year's unpaid leave went over the limit, if it did."""
    # The limit in force as the year began, or as the rules began in their first year.
    limit = rule_value(Rule.UNPAID_LEAVE_LIMIT_DAYS, max(date(year, 1, 1), EARLIEST_DATE))
    counted = 0
    spells = Absence.objects.filter(
        Q(last_day__year__gte=year) | Q(last_day__isnull=True),
        worker=worker,
        absence_type=AbsenceType.UNPAID_LEAVE,
        first_day__year__lte=year,
    ).order_by("first_day")
    for spell in spells:
        day = max(spell.first_day, date(year, 1, 1))
        last = min(spell.last_day or date(year, 12, 31), date(year, 12, 31))
        while day <= last:
            counted += 1
            if counted > limit:
                return day
            day += timedelta(days=1)
    return None


def _return(worker: Worker, day: date, actor: "User", event: HrEvent) -> None:
    """Back at work: the open spell ends the day before."""
    spell = (
        Absence.objects.filter(worker=worker, last_day__isnull=True).order_by("-first_day").first()
    )
    if spell is None:
        raise ApplicationError(
            "There is no absence without a last day to end. Record the absence with its last "
            "day instead.",
            field="kind",
        )
    if day <= spell.first_day:
        raise ApplicationError(
            f"The return date must be after the absence began ({long_date(spell.first_day)})",
            field="occurred_on",
        )
    spell.last_day = day - timedelta(days=1)
    spell.save(update_fields=["last_day"])
    if spell.absence_type == AbsenceType.UNAUTHORISED:
        _check_unauthorised(worker, spell, actor, event)
