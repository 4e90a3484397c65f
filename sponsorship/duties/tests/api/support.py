"""What the duties API tests share: the addresses, and data made the way the service makes it."""

from datetime import date
from typing import Any

from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import ActivityReport, Duty, Worker
from sponsorship.duties.services import activity_report_submit, duty_raise
from sponsorship.duties.tests.factories import sponsored_worker

WORKERS = "/api/v1/workers"
HR_EVENTS = "/api/v1/hr-events"
DUTIES = "/api/v1/duties"
REPORTS = "/api/v1/reports"
SETTINGS = "/api/v1/compliance/reminder-settings"
PREFERENCE = "/api/v1/me/reminder-preference"
CASEWORK_REPORTS = "/api/v1/casework/activity-reports"

SALARY_CUT = {
    "kind": "SALARY_CHANGE",
    "occurred_on": "2026-11-16",
    "details": {"new_salary": "48000"},
}
BREACH = {"description": "They told a colleague they work a second full-time job."}


def worker_of(owner: Any, family_name: str = "Kowalczyk", **fields: Any) -> Worker:
    """A worker on the register who started on Monday 2 November 2026, in England."""
    return sponsored_worker(owner, start_date=date(2026, 11, 2), family_name=family_name, **fields)


def duty_for(worker: Worker, event_date: date, kind: str = EventKind.JOB_CHANGED) -> Duty:
    duty, _ = duty_raise(worker, EventKind(kind), event_date, "Job changed", actor=None)
    return duty


def report_on(worker: Worker, actor: Any, **fields: Any) -> ActivityReport:
    """A report of a suspected breach (no deadline), unless `fields` say otherwise."""
    values: dict[str, Any] = {
        "kind": EventKind.BREACH_SUSPECTED,
        "event_date": date(2026, 11, 13),
        "details": BREACH,
        **fields,
    }
    return activity_report_submit(actor=actor, worker=worker, **values)
