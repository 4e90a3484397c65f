"""Fixtures for the sign-in, password and passcode tests."""

import pytest
from django.test import Client
from django.utils import timezone

from . import journeys
from .factories import PASSWORD


@pytest.fixture
def frozen(time_machine):
    """Time stands still at the present moment until the test moves it with `shift`."""
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


@pytest.fixture
def password_step(client, django_capture_on_commit_callbacks):
    """`password_step(user_id, password)`: post the sign-in form (with any e-mail it sends)."""

    def _post(user_id: str, password: str = PASSWORD, *, using: Client | None = None, **kwargs):
        return journeys.post_password(
            using or client, django_capture_on_commit_callbacks, user_id, password, **kwargs
        )

    return _post


@pytest.fixture
def passcode_step(client, django_capture_on_commit_callbacks):
    """`passcode_step(code, method)`: post the passcode form."""

    def _post(passcode: str, method: str = "email", *, using: Client | None = None):
        return journeys.post_passcode(
            using or client, django_capture_on_commit_callbacks, passcode, method
        )

    return _post
