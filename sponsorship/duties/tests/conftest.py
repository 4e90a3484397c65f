"""Fixtures for the duty tests: a frozen clock and a sponsored worker."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from .factories import sponsored_worker

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def frozen():
    """Monday 16 November 2026, 10:00 in London, until a test moves it (`frozen.move_to`)."""
    with time_machine.travel(datetime(2026, 11, 16, 10, 0, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture
def worker(level1):
    """Started on Monday 2 November 2026 in England (the certificate's start date)."""
    return sponsored_worker(level1, start_date=date(2026, 11, 2))
