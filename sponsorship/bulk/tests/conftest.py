"""Fixtures for the bulk tests: a frozen clock, uploads kept apart, a university with the
Student route and an allocation of CAS, and sending files through the real services."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sponsorship.licences.models import Route
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory

from ..models import BulkFile
from ..services import bulk_file_receive

LONDON = ZoneInfo("Europe/London")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: takes a minute or more; runs in the default run all the same"
    )


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
def sponsor(db):
    return SponsorFactory(name="University of the North Sea", routes=[Route.STUDENT])


@pytest.fixture
def other_sponsor(db):
    return SponsorFactory(name="Other College", routes=[Route.STUDENT])


@pytest.fixture
def allocation(sponsor):
    return AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=50, used=0)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """`send(actor, content, name=...)`: receive a file and run its job as the queue would."""

    def _send(actor, content: bytes, name: str = "students.xml") -> BulkFile:
        with django_capture_on_commit_callbacks(execute=True):
            received = bulk_file_receive(actor=actor, upload=BytesIO(content), name=name, ip=None)
        received.bulk_file.refresh_from_db()
        return received.bulk_file

    return _send
