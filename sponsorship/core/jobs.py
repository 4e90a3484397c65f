"""Scheduled jobs of the core app: thin wrappers the scheduler calls by name."""

from .services import bank_holiday_overrides_announce
from .sweep import daily_sweep


def run_daily_sweep() -> dict[str, int]:
    return daily_sweep()


def announce_bank_holiday_overrides() -> int:
    return bank_holiday_overrides_announce()
