"""When each reporting clock starts and when the report falls due: pure functions of dates.

DOMAIN.md "Reporting duties": day 1 is the first working day after the event; the working days
are those of the worker's nation (a student's: their study address's). Every figure comes from
the dated rules, as at the event.
"""

from datetime import date, timedelta

from sponsorship.core.rules import Rule, rule_value
from sponsorship.core.workingdays import add_working_days, nth_working_day_from

from .kinds import STUDENT_EVENT_KINDS, EventKind

# Reported when it happens, by no date: a suspected breach (as soon as reasonably practicable)
# and a graduate notification (before the student applies for the Graduate route).
NO_DEADLINE = frozenset({EventKind.BREACH_SUSPECTED, EventKind.GRADUATED})


def clock_start(kind: str, event_date: date, nation: str) -> date:
    """The day the reporting clock starts for an event of `kind` on `event_date`:
    - did not start: `event_date` is the latest start trigger; the clock starts when the
      28-day window after it ends;
    - absence: `event_date` is the first day absent; the clock starts on the 10th working day
      of the absence;
    - anything else: the event itself (a student's "did not enrol" is dated the last day of the
      sponsor's enrolment period, so it starts there)."""
    if kind == EventKind.DID_NOT_START:
        return did_not_start_window_end(event_date)
    if kind == EventKind.ABSENCE:
        days = rule_value(Rule.ABSENCE_REPORTABLE_WORKING_DAYS, event_date)
        return nth_working_day_from(event_date, days, nation)
    return event_date


def due_date(kind: str, event_date: date, nation: str) -> date | None:
    """The last day to report a worker's or a student's event; None for a suspected breach
    (reported as soon as reasonably practicable) and a graduate notification (before the
    Graduate route application), which have no date. An organisation change's deadline depends
    on what changed: licences.services.requests.report_due_date gives it."""
    if kind == EventKind.ORGANISATION_CHANGE:
        raise ValueError("Organisation changes are timed by report_due_date, by change type.")
    if kind in NO_DEADLINE:
        return None
    start = clock_start(kind, event_date, nation)
    rule = (
        Rule.STUDENT_REPORT_WORKING_DAYS
        if kind in STUDENT_EVENT_KINDS
        else Rule.WORKER_REPORT_WORKING_DAYS
    )
    return add_working_days(start, rule_value(rule, start), nation)


def absence_is_reportable(first_day: date, last_day: date, nation: str) -> bool:
    """Whether an absence from `first_day` to `last_day` (both absent) ran for more than the
    reportable number of consecutive working days."""
    days = rule_value(Rule.ABSENCE_REPORTABLE_WORKING_DAYS, first_day)
    return nth_working_day_from(first_day, days + 1, nation) <= last_day


def did_not_start_window_end(latest_trigger: date) -> date:
    """The last day of the window a worker has to start in."""
    return latest_trigger + timedelta(days=rule_value(Rule.DID_NOT_START_DAYS, latest_trigger))


def enrolment_window_end(course_start: date, window_days: int) -> date:
    """The last day a student may enrol: `window_days` calendar days after the course starts
    (the sponsor's enrolment period, ComplianceSettings.enrolment_window_days)."""
    return course_start + timedelta(days=window_days)
