"""Fixtures for the casework API tests: those of the licence management API tests."""

from sponsorship.licences.tests.api.conftest import (  # noqa: F401 (fixtures)
    _no_rate_limit,
    api,
    api_as,
    casework_api,
    frozen,
)
