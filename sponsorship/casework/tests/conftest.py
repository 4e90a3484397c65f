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


@pytest.fixture
def authorising_officer(sponsor):
    from sponsorship.licences.models import KeyPersonRole
    from sponsorship.licences.tests.factories import KeyPersonFactory

    return KeyPersonFactory(
        sponsor=sponsor,
        role=KeyPersonRole.AUTHORISING_OFFICER,
        given_names="Amira",
        family_name="Okafor",
        email="ao@harbour.example.org",
    )


@pytest.fixture
def level_1_request(level1, authorising_officer):
    """An open request, by the `level1` user, for a new Level 1 user of their licence."""
    from sponsorship.licences.services import UserDetails, user_request_level_1

    return user_request_level_1(
        actor=level1,
        details=UserDetails(
            given_names="Łukasz",
            family_name="Nowak",
            email="lnowak@harbour.example.org",
            job_title="HR manager",
            phone="0300 123 4567",
            work_address_line_1="2 Quay Street",
            work_town="Hull",
            work_postcode="HU1 1AA",
            is_settled_worker=True,
        ),
        ip=None,
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`committed(lambda: client.post(...))`: run it, then the on-commit work (e-mails)."""

    def _run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return _run
