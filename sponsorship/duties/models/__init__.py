from .duties import Duty, DutyStatus, Reminder, ReminderKind, duty_key
from .events import Absence, AbsenceType, EventSource, HrEvent, HrEventKind
from .reports import ActivityReport
from .settings import (
    DEFAULT_EXPIRY_ALERT_DAYS,
    DEFAULT_LEAD_DAYS,
    ComplianceSettings,
    ReminderMode,
    ReminderPreference,
)
from .workers import Worker, WorkerContact, WorkerStatus

__all__ = [
    "DEFAULT_EXPIRY_ALERT_DAYS",
    "DEFAULT_LEAD_DAYS",
    "Absence",
    "AbsenceType",
    "ActivityReport",
    "ComplianceSettings",
    "Duty",
    "DutyStatus",
    "EventSource",
    "HrEvent",
    "HrEventKind",
    "Reminder",
    "ReminderKind",
    "ReminderMode",
    "ReminderPreference",
    "Worker",
    "WorkerContact",
    "WorkerStatus",
    "duty_key",
]
