"""Fixtures for the record keeping tests: a frozen clock, uploads kept apart, sponsored
workers and documents."""

from datetime import date, datetime

import pytest
import time_machine

from .support import LONDON, sponsored


@pytest.fixture(autouse=True)
def frozen():
    """Monday 16 November 2026, 10:00 in London, until a test moves it."""
    with time_machine.travel(datetime(2026, 11, 16, 10, 0, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def worker(level1):
    """Working since Monday 2 November 2026, owned by `level1`."""
    return sponsored(level1, started_on=date(2026, 11, 2))


@pytest.fixture
def level2_worker(level2):
    return sponsored(level2, family_name="Nowak", given_names="Жанна")


@pytest.fixture
def other_worker(other_level1):
    return sponsored(other_level1, family_name="Elsewhere")
