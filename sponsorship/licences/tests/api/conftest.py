"""Fixtures for the licence management API tests: a frozen clock, token clients."""

import pytest
import time_machine

from .support import NOW, Api, token_for


@pytest.fixture(autouse=True)
def frozen():
    """Monday 16 November 2026, 10:00 in London, until a test moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def api_as(db):
    """`api_as(user)`: a client with a fresh token of that user (caseworkers too)."""

    def _api_as(user) -> Api:
        return Api(token_for(user))

    return _api_as


@pytest.fixture
def api(api_as, level1):
    """The Level 1 user's client."""
    return api_as(level1)


@pytest.fixture
def casework_api(api_as, caseworker):
    return api_as(caseworker)
