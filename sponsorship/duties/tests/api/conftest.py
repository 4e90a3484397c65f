"""Fixtures for the duties API tests: token clients, as an HR system or a casework system would
call the API. The clock is frozen by the package's conftest (Monday 16 November 2026)."""

import pytest

from sponsorship.licences.tests.api.support import Api, token_for


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def api_as(db):
    """`api_as(user)`: a client with a fresh token of that user."""

    def _api_as(user) -> Api:
        return Api(token_for(user))

    return _api_as


@pytest.fixture
def api(api_as, level1):
    return api_as(level1)


@pytest.fixture
def casework_api(api_as, caseworker):
    return api_as(caseworker)
