"""Tokens and a client that speaks to the API with one, never with a session."""

import pytest

from sponsorship.api.services import api_token_create

from .api_client import ApiClient


@pytest.fixture
def token_for(db):
    """`token_for(user)` -> the secret of a new token for that user."""

    def _token_for(user, name="HR system", expires_on=None) -> str:
        _, secret = api_token_create(user=user, name=name, expires_on=expires_on, ip=None)
        return secret

    return _token_for


@pytest.fixture
def api_as(token_for):
    """`api_as(user)` -> an ApiClient with a fresh token of that user; `api_as(None)`: no token."""

    def _api_as(user) -> ApiClient:
        return ApiClient(token_for(user) if user is not None else None)

    return _api_as
