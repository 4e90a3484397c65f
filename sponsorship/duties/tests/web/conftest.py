"""Fixtures for the duty pages: signed-in clients and a worker with a duty to report."""

from datetime import date

import pytest

from sponsorship.duties.models import Duty
from sponsorship.duties.services import hr_event_record


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


@pytest.fixture
def as_user(client, signed_in):
    """Sign in as another user on the same client."""

    def _as(user):
        client.logout()
        return signed_in(user)

    return _as


@pytest.fixture
def absence_duty(worker, level1, frozen) -> Duty:
    """The worker started on 2 November and has been away without leave since Monday 16
    November; on Tuesday 1 December the absence is reportable, due Friday 11 December."""
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-11-02")
    frozen.move_to("2026-12-01 10:00")
    hr_event_record(
        actor=level1,
        worker=worker,
        kind="ABSENCE",
        occurred_on="2026-11-16",
        absence_type="UNAUTHORISED",
    )
    duty = Duty.objects.get(worker=worker, kind="ABSENCE")
    assert duty.due_on == date(2026, 12, 11)
    return duty
