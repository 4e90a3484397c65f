"""The background schedule, kept in code and written to django-q2 by `manage.py sync_schedules`."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    func: str
    schedule_type: str  # django_q.models.Schedule types: "I" minutes, "D" daily
    minutes: int | None = None
    cron_hour: int | None = None


SCHEDULE = [
    ScheduledJob(
        name="Daily sweep",
        func="sponsorship.core.jobs.run_daily_sweep",
        schedule_type="D",
        cron_hour=2,
    ),
    ScheduledJob(
        name="Send waiting e-mail",
        func="sponsorship.notifications.jobs.deliver_pending_email",
        schedule_type="I",
        minutes=1,
    ),
    # Restores the bank holiday overrides' token if the shared cache lost it (ADR 0010).
    ScheduledJob(
        name="Announce bank holiday changes",
        func="sponsorship.core.jobs.announce_bank_holiday_overrides",
        schedule_type="I",
        minutes=1,
    ),
]
