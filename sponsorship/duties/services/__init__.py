"""Every write to the register (workers and students), HR and student events, duties, reports
and reminders."""

from ._common import duty_close, duty_raise
from .events import hr_event_record
from .organisation import organisation_change_record, organisation_change_reported
from .register import (
    EDITABLE_DATES,
    latest_start_trigger,
    worker_sync,
    worker_update_dates,
    workers_end_on_revocation,
)
from .reminders import compliance_settings_save, reminder_preference_save, reminders_send
from .reports import activity_report_submit
from .students import student_activity_report, student_event_record
from .sweep import duties_raise_on_schedule

__all__ = [
    "EDITABLE_DATES",
    "activity_report_submit",
    "compliance_settings_save",
    "duties_raise_on_schedule",
    "duty_close",
    "duty_raise",
    "hr_event_record",
    "latest_start_trigger",
    "organisation_change_record",
    "organisation_change_reported",
    "reminder_preference_save",
    "reminders_send",
    "student_activity_report",
    "student_event_record",
    "worker_sync",
    "worker_update_dates",
    "workers_end_on_revocation",
]
