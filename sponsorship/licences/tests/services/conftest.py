"""Fixtures for the licence service tests: a frozen clock, the Authorising Officer."""

from datetime import datetime

import pytest
import time_machine

from sponsorship.licences.models import KeyPersonRole
from sponsorship.licences.tests.factories import KeyPersonFactory

from .support import LONDON


@pytest.fixture(autouse=True)
def frozen():
    """Monday 16 November 2026, 10:00 in London, until a test moves it (`frozen.move_to`)."""
    with time_machine.travel(datetime(2026, 11, 16, 10, 0, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture
def ao(sponsor):
    """The sponsor's Authorising Officer (not a user of the service)."""
    return KeyPersonFactory(
        sponsor=sponsor,
        role=KeyPersonRole.AUTHORISING_OFFICER,
        given_names="Amira",
        family_name="Okafor",
        email="amira.okafor@harbourview.example",
        postcode="SW1A 1AA",
    )
