"""A session ends after SESSION_IDLE_MINUTES without a request, and the user is told so."""

from datetime import timedelta

import pytest
from django.test import Client

from sponsorship.audit.models import AuditEvent, AuditVerb

from .journeys import location, passcode_in_last_email, text


@pytest.fixture
def idle(settings):
    """Just long enough to be signed out."""
    return timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1)


def test_idle_minutes_default_to_twenty(settings):
    assert settings.SESSION_IDLE_MINUTES == 20


def test_request_after_the_idle_time_signs_the_user_out(signed_in, frozen, idle, level1):
    client = signed_in(level1)
    assert client.get("/home/").status_code == 200

    frozen.shift(idle)
    response = client.get("/licence/?tab=routes")

    assert response.status_code == 302
    assert location(response) == (
        "/sign-in/",
        {"next": ["/licence/?tab=routes"], "timed_out": ["1"]},
    )
    event = AuditEvent.objects.get(verb=AuditVerb.SESSION_EXPIRED)
    assert event.actor == level1
    assert not AuditEvent.objects.filter(verb=AuditVerb.SIGN_OUT).exists()


def test_sign_in_page_says_the_user_was_signed_out_for_inactivity(signed_in, frozen, idle, level1):
    client = signed_in(level1)
    client.get("/home/")
    frozen.shift(idle)

    response = client.get("/licence/", follow=True)

    assert response.status_code == 200
    page = text(response)
    assert "You were signed out because you did nothing for 20 minutes." in page
    assert 'name="next" value="/licence/"' in page


def test_signing_in_again_returns_to_the_page_the_user_was_on(
    signed_in, client, frozen, idle, password_step, passcode_step, level1
):
    signed_in(level1)
    client.get("/home/")
    frozen.shift(idle)
    sign_in_url = client.get("/licence/")["Location"]

    response = password_step(level1.username, next_path="/licence/", url=sign_in_url)
    assert response["Location"] == "/sign-in/passcode/"
    response = passcode_step(passcode_in_last_email())

    assert response["Location"] == "/licence/"
    assert client.get("/licence/").status_code == 200


def test_the_old_session_no_longer_works(signed_in, frozen, idle, level1):
    client = signed_in(level1)
    client.get("/home/")
    old_session = client.cookies["sessionid"].value
    frozen.shift(idle)
    client.get("/home/")

    replay = Client()
    replay.cookies["sessionid"] = old_session
    response = replay.get("/home/")
    assert response.status_code == 302
    assert location(response) == ("/sign-in/", {"next": ["/home/"]})


def test_a_request_within_the_idle_time_keeps_the_session(signed_in, frozen, settings, level1):
    client = signed_in(level1)
    client.get("/home/")
    frozen.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1))
    assert client.get("/home/").status_code == 200


def test_each_request_restarts_the_idle_time(signed_in, frozen, settings, level1):
    client = signed_in(level1)
    client.get("/home/")
    half = timedelta(minutes=settings.SESSION_IDLE_MINUTES * 3 / 4)
    for _ in range(4):
        frozen.shift(half)
        assert client.get("/home/").status_code == 200
    assert not AuditEvent.objects.filter(verb=AuditVerb.SESSION_EXPIRED).exists()


def test_the_idle_time_comes_from_the_setting(signed_in, frozen, settings, level1):
    settings.SESSION_IDLE_MINUTES = 5
    client = signed_in(level1)
    client.get("/home/")

    frozen.shift(timedelta(minutes=4))
    assert client.get("/home/").status_code == 200
    frozen.shift(timedelta(minutes=6))
    response = client.get("/home/")
    assert location(response) == ("/sign-in/", {"next": ["/home/"], "timed_out": ["1"]})
    assert "did nothing for 5 minutes" in text(client.get(response["Location"]))


def test_a_post_after_the_idle_time_returns_to_the_page_not_the_form(
    signed_in, frozen, idle, level1
):
    client = signed_in(level1)
    client.get("/account/password/")
    frozen.shift(idle)

    response = client.post("/account/password/", {"new_password": "x", "confirm_password": "x"})

    assert location(response) == (
        "/sign-in/",
        {"next": ["/account/password/"], "timed_out": ["1"]},
    )


def test_idle_during_the_passcode_step_also_times_out(client, frozen, idle, password_step, level1):
    password_step(level1.username)
    client.get("/sign-in/passcode/")
    frozen.shift(idle)

    response = client.get("/sign-in/passcode/")

    assert location(response)[0] == "/sign-in/"
    assert location(response)[1]["timed_out"] == ["1"]
    assert AuditEvent.objects.filter(verb=AuditVerb.SESSION_EXPIRED, actor=level1).exists()


def test_caseworker_is_signed_out_too(signed_in, frozen, idle, caseworker):
    client = signed_in(caseworker)
    client.get("/casework/")
    frozen.shift(idle)
    response = client.get("/casework/")
    assert location(response) == ("/sign-in/", {"next": ["/casework/"], "timed_out": ["1"]})


def test_every_request_counts_as_activity(signed_in, frozen, settings, level1):
    client = signed_in(level1)
    client.get("/home/")
    frozen.shift(timedelta(seconds=50))
    assert client.get("/home/").status_code == 200

    frozen.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES, seconds=-30))
    assert client.get("/home/").status_code == 200
