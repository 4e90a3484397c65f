"""The usual actors, shared by every test: two sponsors, their users, a caseworker."""

import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from sponsorship.accounts.tests.factories import (
    PASSWORD,
    CaseworkerFactory,
    Level1Factory,
    Level2Factory,
)
from sponsorship.licences.tests.factories import SponsorFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and lockouts live in the cache: start every test with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sponsor(db):
    return SponsorFactory(name="Harbour View Care Ltd")


@pytest.fixture
def other_sponsor(db):
    return SponsorFactory(name="Other Sponsor Ltd")


@pytest.fixture
def level1(sponsor):
    return Level1Factory(
        sponsor=sponsor, username="LEVELONE1", given_names="Zoë", family_name="Hartley"
    )


@pytest.fixture
def level2(sponsor):
    return Level2Factory(
        sponsor=sponsor, username="LEVELTWO1", given_names="Priya", family_name="Raman"
    )


@pytest.fixture
def other_level1(other_sponsor):
    return Level1Factory(sponsor=other_sponsor, username="OTHERONE1")


@pytest.fixture
def caseworker(db):
    return CaseworkerFactory(username="CASEWORK1", given_names="Samira", family_name="Haddad")


def sign_in(client: Client, user, capture, password: str = PASSWORD) -> Client:
    """Sign in through the real pages: password, then the e-mailed passcode when one is asked.
    `capture` is pytest-django's django_capture_on_commit_callbacks (mail is sent on commit)."""
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post("/sign-in/", {"user_id": user.username, "password": password})
    assert response.status_code == 302, response.content[:500]
    if response["Location"].startswith("/sign-in/passcode/"):
        found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
        assert found, "no passcode in the e-mail"
        code = found.group(1)
        with capture(execute=True):
            response = client.post("/sign-in/passcode/", {"passcode": code, "method": "email"})
        assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture
def signed_in(client, django_capture_on_commit_callbacks):
    """`signed_in(user)`: the test client, signed in as that user (passcode step included)."""

    def _sign_in(user, password: str = PASSWORD) -> Client:
        return sign_in(client, user, django_capture_on_commit_callbacks, password)

    return _sign_in


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI application, served in this process inside the test's transaction (for
    the API fuzzing). Like django.test.Client, keep the request signals from closing the
    test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
