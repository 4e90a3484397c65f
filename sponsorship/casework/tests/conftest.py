"""Fixtures for the casework tests."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings


@pytest.fixture
def casework(signed_in, caseworker):
    """The test client, signed in as the caseworker."""
    return signed_in(caseworker)


@pytest.fixture
def lock():
    """`lock(user)`: the user ID has just had as many wrong passwords as the lockout allows."""

    def _lock(user) -> AccessAttempt:
        return AccessAttempt.objects.create(
            username=user.username,
            ip_address="192.0.2.1",
            user_agent="",
            http_accept="",
            path_info="/sign-in/",
            get_data="",
            post_data="",
            failures_since_start=settings.AXES_FAILURE_LIMIT,
        )

    return _lock
