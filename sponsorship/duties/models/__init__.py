from .duties import Duty, DutyStatus, Reminder, ReminderKind, duty_key
from .events import (
    STUDENT_HR_EVENT_KINDS,
    WORKER_HR_EVENT_KINDS,
    Absence,
    AbsenceType,
    EventSource,
    HrEvent,
    HrEventKind,
)
from .reports import ActivityReport
from .settings import (
    DEFAULT_ENROLMENT_WINDOW_DAYS,
    DEFAULT_EXPIRY_ALERT_DAYS,
    DEFAULT_LEAD_DAYS,
    MAX_ENROLMENT_WINDOW_DAYS,
    ComplianceSettings,
    ReminderMode,
    ReminderPreference,
)
from .workers import (
    FIRST_STATUS,
    STUDENT_STATUSES,
    WORKER_STATUSES,
    PersonKind,
    Worker,
    WorkerContact,
    WorkerStatus,
)

__all__ = [
    "DEFAULT_ENROLMENT_WINDOW_DAYS",
    "DEFAULT_EXPIRY_ALERT_DAYS",
    "DEFAULT_LEAD_DAYS",
    "FIRST_STATUS",
    "MAX_ENROLMENT_WINDOW_DAYS",
    "STUDENT_HR_EVENT_KINDS",
    "STUDENT_STATUSES",
    "WORKER_HR_EVENT_KINDS",
    "WORKER_STATUSES",
    "Absence",
    "AbsenceType",
    "ActivityReport",
    "ComplianceSettings",
    "Duty",
    "DutyStatus",
    "EventSource",
    "HrEvent",
    "HrEventKind",
    "PersonKind",
    "Reminder",
    "ReminderKind",
    "ReminderMode",
    "ReminderPreference",
    "Worker",
    "WorkerContact",
    "WorkerStatus",
    "duty_key",
]
