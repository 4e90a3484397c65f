"""Scheduled jobs of the core app: thin wrappers the scheduler calls by name."""

from .sweep import daily_sweep


def run_daily_sweep() -> dict[str, int]:
    return daily_sweep()
