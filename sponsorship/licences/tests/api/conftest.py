"""Fixtures for the licence management API tests: a frozen clock, token clients."""

import pytest
import time_machine

from .support import NOW, Api, caseworker_token, sponsor_token


@pytest.fixture(autouse=True)
def frozen():
    """Monday 16 November 2026, 10:00 in London, until a test moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def api_as(db, sponsor):
    """`api_as(user)`: a client with a fresh token of that user (caseworkers too)."""

    def _api_as(user) -> Api:
        if user.is_caseworker:
            return Api(caseworker_token(user, sponsor))
        return Api(sponsor_token(user))

    return _api_as


@pytest.fixture
def api(api_as, level1):
    """The Level 1 user's client."""
    return api_as(level1)


@pytest.fixture
def casework_api(api_as, caseworker):
    return api_as(caseworker)
