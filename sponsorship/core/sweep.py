"""The daily sweep: each step in settings.DAILY_SWEEP_STEPS, in order. Every step is
idempotent and takes the date it runs for, so running the sweep twice does nothing twice."""

import logging
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def daily_sweep(today: date | None = None) -> dict[str, int]:
    """Run every step; returns how many things each step changed."""
    day = today or timezone.localdate()
    results: dict[str, int] = {}
    for path in settings.DAILY_SWEEP_STEPS:
        step = import_string(path)
        results[path] = int(step(day) or 0)
        logger.info("Daily sweep %s: %s changed by %s", day, results[path], path)
    return results
