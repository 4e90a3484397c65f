"""Fixtures for the certificate tests: a frozen clock, an allocation to assign from."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sponsorship.licences.models import Route
from sponsorship.licences.tests.factories import AllocationFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def frozen():
    """Monday 16 November 2026, 10:00 in London, until a test moves it (`frozen.move_to`)."""
    with time_machine.travel(datetime(2026, 11, 16, 10, 0, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture
def allocation(sponsor):
    return AllocationFactory(sponsor=sponsor, route=Route.SKILLED_WORKER, limit=5, used=0)
