"""When each reporting clock starts and when the report falls due: pure functions of dates.

DOMAIN.md "Reporting duties": day 1 is the first working day after the event; the working days
are those of the worker's nation. Every figure comes from the dated rules, as at the event.
"""

from datetime import date, timedelta

from sponsorship.core.rules import Rule, rule_value
from sponsorship.core.workingdays import add_working_days, nth_working_day_from

from .kinds import EventKind


def clock_start(kind: str, event_date: date, nation: str) -> date:
    """The day the reporting clock starts for an event of `kind` on `event_date`:
    - did not start: `event_date` is the latest start trigger; the clock starts when the
      28-day window after it ends;
    - absence: `event_date` is the first day absent; the clock starts on the 10th working day
      of the absence;
    - anything else: the event itself."""
    if kind == EventKind.DID_NOT_START:
        return did_not_start_window_end(event_date)
    if kind == EventKind.ABSENCE:
        days = rule_value(Rule.ABSENCE_REPORTABLE_WORKING_DAYS, event_date)
        return nth_working_day_from(event_date, days, nation)
    return event_date


def due_date(kind: str, event_date: date, nation: str) -> date | None:
    """The last day to report a worker event; None for a suspected breach, which is reported as
    soon as reasonably practicable rather than by a date. An organisation change's deadline
    depends on what changed: licences.services.requests.report_due_date gives it."""
    if kind == EventKind.ORGANISATION_CHANGE:
        raise ValueError("Organisation changes are timed by report_due_date, by change type.")
    if kind == EventKind.BREACH_SUSPECTED:
        return None
    start = clock_start(kind, event_date, nation)
    return add_working_days(start, rule_value(Rule.WORKER_REPORT_WORKING_DAYS, start), nation)


def absence_is_reportable(first_day: date, last_day: date, nation: str) -> bool:
    """Whether an absence from `first_day` to `last_day` (both absent) ran for more than the
    reportable number of consecutive working days."""
    days = rule_value(Rule.ABSENCE_REPORTABLE_WORKING_DAYS, first_day)
    return nth_working_day_from(first_day, days + 1, nation) <= last_day


def did_not_start_window_end(latest_trigger: date) -> date:
    """The last day of the window a worker has to start in."""
    return latest_trigger + timedelta(days=rule_value(Rule.DID_NOT_START_DAYS, latest_trigger))
