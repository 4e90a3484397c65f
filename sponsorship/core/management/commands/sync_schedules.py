"""Writes config.schedule.SCHEDULE into django-q2's schedule table (idempotent)."""

from datetime import datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_q.models import Schedule

from config.schedule import SCHEDULE


def _next_run(cron_hour: int | None) -> datetime:
    now = timezone.localtime()
    if cron_hour is None:
        return now
    candidate = timezone.make_aware(datetime.combine(now.date(), time(hour=cron_hour)))
    return candidate if candidate > now else candidate + timedelta(days=1)


class Command(BaseCommand):
    help = "Create or update the background job schedule from config/schedule.py."

    def handle(self, *args: Any, **options: Any) -> None:
        names = []
        for job in SCHEDULE:
            names.append(job.name)
            Schedule.objects.update_or_create(
                name=job.name,
                defaults={
                    "func": job.func,
                    "schedule_type": job.schedule_type,
                    "minutes": job.minutes,
                    "repeats": -1,
                    "next_run": _next_run(job.cron_hour),
                },
            )
        Schedule.objects.exclude(name__in=names).delete()
        self.stdout.write(f"Background schedule: {', '.join(names)}.")
