"""The daily sweep's part: raise the duties that time alone makes due, set-based.

Three clocks run without anyone recording anything: a worker who has not started 28 days after
the latest start trigger, an absence still running past 10 working days, and a student not
recorded as enrolled by the end of the sponsor's enrolment period (its days after the course
start are each sponsor's setting, ComplianceSettings.enrolment_window_days). Each pass reads
the few distinct (nation, date) pairs that matter, works out their dates in Python, and inserts
every duty in one INSERT ... SELECT per nation, so a million workers are never loaded.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import audit_record_many
from sponsorship.core.db import insert_from_select
from sponsorship.licences.models import Nation

from ..deadlines import (
    absence_is_reportable,
    clock_start,
    did_not_start_window_end,
    due_date,
    enrolment_window_end,
)
from ..kinds import EventKind
from ..models import (
    DEFAULT_ENROLMENT_WINDOW_DAYS,
    Absence,
    AbsenceType,
    ComplianceSettings,
    Duty,
    Worker,
    WorkerStatus,
)

SUMMARIES = {
    EventKind.DID_NOT_START: "Not recorded as started within 28 days",
    EventKind.ABSENCE: "Absent without permission for more than 10 working days",
    EventKind.DID_NOT_ENROL: "Not recorded as enrolled by the end of the enrolment period",
}


def _dates_case(field: str, dates: dict[date, date] | dict[date, date | None]) -> Case:
    """`field`'s value mapped through `dates` in SQL."""
    return Case(
        *(When(**{field: source}, then=Value(target)) for source, target in dates.items()),
        output_field=DateField(),
    )


def _insert_duties(
    kind: EventKind,
    rows: QuerySet[Any],
    worker: str,
    event_date: str,
    starts: dict[date, date],
    dues: dict[date, date | None],
    nation: str,
    now: datetime,
    event_dates: dict[date, date] | None = None,
) -> int:
    """One INSERT ... SELECT of the duties of `kind` for `rows` (a queryset), whose worker and
    event date are the fields named; with `event_dates`, the event date is that field's value
    mapped through it (the dates of `starts` and `dues` are then keyed by the field's too)."""
    if event_dates is None:
        day: Any = F(event_date)
        day_text: Any = Cast(event_date, CharField())
    else:
        day = _dates_case(event_date, event_dates)
        day_text = Case(
            *(
                When(**{event_date: source}, then=Value(target.isoformat()))
                for source, target in event_dates.items()
            ),
            output_field=CharField(),
        )
    return insert_from_select(
        Duty,
        {
            "sponsor": F("sponsor_id"),
            "worker": F(worker),
            "kind": Value(kind),
            "event_date": day,
            "clock_starts_on": _dates_case(event_date, starts),
            "due_on": _dates_case(event_date, dues),
            "nation": Value(nation),
            "summary": Value(SUMMARIES[kind]),
            "status": Value("OPEN"),
            # The same key the services give (models.duty_key), so neither raises it twice.
            "key": Concat(
                Value(f"{kind}:"),
                Cast(worker, CharField()),
                Value(":"),
                day_text,
                output_field=CharField(),
            ),
            "raised_at": Value(now),
            "closed_note": Value(""),
        },
        rows,
    )


def _chunks(items: list[date], size: int = 400) -> Iterable[list[date]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _did_not_start(today: date, now: datetime) -> int:
    waiting = Worker.objects.filter(
        status=WorkerStatus.AWAITING_START, start_trigger_on__lt=today
    ).exclude(
        Exists(
            Duty.objects.filter(
                worker=OuterRef("pk"),
                kind=EventKind.DID_NOT_START,
                event_date=OuterRef("start_trigger_on"),
            )
        )
    )
    raised = 0
    for nation in Nation.values:
        triggers: list[date] = sorted(
            day
            for day in waiting.filter(nation=nation)
            .values_list("start_trigger_on", flat=True)
            .distinct()
            .order_by()
            if day is not None and did_not_start_window_end(day) < today
        )
        for chunk in _chunks(triggers):
            starts = {day: clock_start(EventKind.DID_NOT_START, day, nation) for day in chunk}
            dues = {day: due_date(EventKind.DID_NOT_START, day, nation) for day in chunk}
            raised += _insert_duties(
                EventKind.DID_NOT_START,
                waiting.filter(nation=nation, start_trigger_on__in=chunk),
                "pk",
                "start_trigger_on",
                starts,
                dues,
                nation,
                now,
            )
    return raised


def _absences(today: date, now: datetime) -> int:
    running = (
        Absence.objects.filter(absence_type=AbsenceType.UNAUTHORISED, last_day__isnull=True)
        .exclude(worker__status=WorkerStatus.ENDED)
        .exclude(
            Exists(
                Duty.objects.filter(
                    worker=OuterRef("worker_id"),
                    kind=EventKind.ABSENCE,
                    event_date__gte=OuterRef("first_day"),
                )
            )
        )
    )
    raised = 0
    for nation in Nation.values:
        firsts = sorted(
            day
            for day in running.filter(worker__nation=nation)
            .values_list("first_day", flat=True)
            .distinct()
            .order_by()
            if absence_is_reportable(day, today, nation)
        )
        for chunk in _chunks(firsts):
            starts = {day: clock_start(EventKind.ABSENCE, day, nation) for day in chunk}
            dues = {day: due_date(EventKind.ABSENCE, day, nation) for day in chunk}
            raised += _insert_duties(
                EventKind.ABSENCE,
                running.filter(worker__nation=nation, first_day__in=chunk),
                "worker_id",
                "first_day",
                starts,
                dues,
                nation,
                now,
            )
    return raised


def _enrolment_windows() -> set[int]:
    """Every enrolment period any sponsor uses: the pass runs once per period, not per sponsor."""
    found = {DEFAULT_ENROLMENT_WINDOW_DAYS}
    found.update(
        ComplianceSettings.objects.values_list("enrolment_window_days", flat=True).distinct()
    )
    return found


def _with_window(rows: QuerySet[Worker], days: int) -> QuerySet[Worker]:
    """The students whose sponsor's enrolment period is `days` (the default when never set)."""
    chosen = Q(sponsor__compliance_settings__enrolment_window_days=days)
    if days == DEFAULT_ENROLMENT_WINDOW_DAYS:
        chosen |= Q(sponsor__compliance_settings__isnull=True)
    return rows.filter(chosen)


def _did_not_enrol(today: date, now: datetime) -> int:
    """Students not recorded as enrolled by the end of their sponsor's enrolment period. The
    duty is dated the period's last day, so its clock starts there; a student has one such duty
    at most, whenever and however it was raised."""
    waiting = Worker.objects.filter(
        status=WorkerStatus.NOT_ENROLLED, start_trigger_on__lt=today
    ).exclude(Exists(Duty.objects.filter(worker=OuterRef("pk"), kind=EventKind.DID_NOT_ENROL)))
    raised = 0
    for days in sorted(_enrolment_windows()):
        in_period = _with_window(waiting, days)
        for nation in Nation.values:
            course_starts: list[date] = sorted(
                day
                for day in in_period.filter(nation=nation)
                .values_list("start_trigger_on", flat=True)
                .distinct()
                .order_by()
                if day is not None and enrolment_window_end(day, days) < today
            )
            for chunk in _chunks(course_starts):
                ends = {day: enrolment_window_end(day, days) for day in chunk}
                kind = EventKind.DID_NOT_ENROL
                raised += _insert_duties(
                    kind,
                    in_period.filter(nation=nation, start_trigger_on__in=chunk),
                    "pk",
                    "start_trigger_on",
                    {day: clock_start(kind, end, nation) for day, end in ends.items()},
                    {day: due_date(kind, end, nation) for day, end in ends.items()},
                    nation,
                    now,
                    event_dates=ends,
                )
    return raised


def duties_raise_on_schedule(today: date | None = None) -> int:
    """A daily sweep step: raise every duty that today's date has made due. Idempotent: a duty
    already raised (by the sweep or by a recorded event) is never raised again."""
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        raised = _did_not_start(today, now) + _absences(today, now) + _did_not_enrol(today, now)
        if raised:
            # One audit event per sponsor, in its own chain, saying what the sweep raised.
            new = Duty.objects.filter(raised_at=now).values_list("sponsor_id", "kind")
            by_sponsor: dict[int, Counter[str]] = {}
            for sponsor_id, kind in new.iterator(chunk_size=10_000):
                by_sponsor.setdefault(sponsor_id, Counter())[kind] += 1
            audit_record_many(
                AuditVerb.DUTY_RAISED,
                [
                    (sponsor_id, {"raised": dict(kinds), "on": today})
                    for sponsor_id, kinds in by_sponsor.items()
                ],
                actor_label="daily sweep",
            )
    return raised
