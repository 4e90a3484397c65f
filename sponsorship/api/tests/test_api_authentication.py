"""Bearer tokens: what works, what gets 401 or 429, and that no session is involved."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from sponsorship.accounts.models import UserStatus
from sponsorship.api.models import ApiToken
from sponsorship.licences.models import LicenceStatus

from .api_client import ApiClient, assert_error

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture
def secret(token_for, level1):
    return token_for(level1)


@pytest.mark.parametrize("url", ["/api/v1/me", "/api/v1/licence", "/api/v1/messages"])
def test_a_valid_token_works(secret, url):
    response = ApiClient(secret).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_me_says_who_the_token_acts_as(secret, level1):
    assert ApiClient(secret).get("/api/v1/me").json() == {
        "user_id": "LEVELONE1",
        "given_names": "Zoë",
        "family_name": "Hartley",
        "email": "levelone1@example.org",
        "level": "LEVEL_1",
        "sponsor": {
            "name": "Harbour View Care Ltd",
            "licence_number": level1.sponsor.licence_number,
        },
    }


def _unauthorised(response):
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer not-a-token",
        "Bearer sms_",
        "Bearer sms_abc_def",
        "Basic dXNlcjpwYXNz",
        "Token sms_abc_def",
    ],
)
def test_missing_or_malformed_tokens_get_401(db, header):
    from django.test import Client

    headers = {"Authorization": header} if header is not None else {}
    _unauthorised(Client().get("/api/v1/me", headers=headers))


def test_a_token_with_a_right_prefix_and_a_wrong_secret_gets_401(secret):
    _, prefix, rest = secret.split("_", 2)
    forged = f"sms_{prefix}_{'A' * len(rest)}"
    assert forged != secret
    _unauthorised(ApiClient(forged).get("/api/v1/me"))


def test_a_revoked_token_gets_401(secret):
    ApiToken.objects.update(revoked_at=timezone.now())
    _unauthorised(ApiClient(secret).get("/api/v1/me"))


def test_an_expired_token_gets_401_from_the_day_after_its_expiry_date(clock, token_for, level1):
    secret = token_for(level1, expires_on=date(2026, 11, 20))
    api = ApiClient(secret)
    clock.move_to(datetime(2026, 11, 20, 23, 59, tzinfo=LONDON))
    assert api.get("/api/v1/me").status_code == 200
    clock.move_to(datetime(2026, 11, 21, 0, 0, 1, tzinfo=LONDON))
    _unauthorised(api.get("/api/v1/me"))


@pytest.mark.parametrize(
    "status", [LicenceStatus.REVOKED, LicenceStatus.EXPIRED, LicenceStatus.SURRENDERED]
)
def test_a_token_stops_working_when_the_licence_ends(secret, sponsor, status):
    sponsor.status = status
    sponsor.save()
    _unauthorised(ApiClient(secret).get("/api/v1/me"))


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.DORMANT])
def test_a_token_still_works_while_the_licence_is_suspended_or_dormant(secret, sponsor, status):
    sponsor.status = status
    sponsor.save()
    assert ApiClient(secret).get("/api/v1/me").status_code == 200


def test_a_dormant_licence_refuses_the_licence_in_the_api_with_a_stable_code(secret, sponsor):
    sponsor.status = LicenceStatus.DORMANT
    sponsor.save()
    error = assert_error(ApiClient(secret).get("/api/v1/licence"), 409, "licence_dormant")
    assert "dormant" in error["message"]


@pytest.mark.parametrize(
    "status", [UserStatus.DEACTIVATED_BY_SPONSOR, UserStatus.DEACTIVATED_BY_HOME_OFFICE]
)
def test_a_token_of_a_deactivated_user_gets_401(secret, level1, status):
    level1.status = status
    level1.save()
    _unauthorised(ApiClient(secret).get("/api/v1/me"))


def test_no_session_cookie_is_needed_or_set(secret):
    api = ApiClient(secret)
    response = api.get("/api/v1/me")
    assert response.status_code == 200
    assert not response.cookies
    assert not api.client.cookies
    assert "Set-Cookie" not in response


def test_a_web_session_does_not_authenticate_the_api(signed_in, level1):
    client = signed_in(level1)
    assert client.get("/home/").status_code == 200
    _unauthorised(client.get("/api/v1/me"))


def test_the_api_is_not_held_up_by_unread_messages(secret, level1):
    from sponsorship.licences.tests.factories import MessageFactory

    MessageFactory(title="Unread")
    assert ApiClient(secret).get("/api/v1/me").status_code == 200


def test_last_used_at_is_updated(clock, secret):
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    ApiClient(secret).get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at == datetime(2026, 11, 16, 9, 0, tzinfo=LONDON)
    clock.shift(timedelta(minutes=5))
    ApiClient(secret).get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at == datetime(2026, 11, 16, 9, 5, tzinfo=LONDON)


def test_last_used_at_is_shown_on_the_token_page(clock, signed_in, level1, secret):
    ApiClient(secret).get("/api/v1/me")
    page = signed_in(level1).get("/api-tokens/").content.decode()
    assert "16 Nov 2026 09:00" in page


def test_a_failed_request_does_not_touch_last_used_at(secret):
    ApiClient(secret + "x").get("/api/v1/me")
    assert ApiToken.objects.get().last_used_at is None


# Rate limit


@pytest.fixture
def three_a_minute(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3


def test_the_fourth_request_in_a_minute_gets_429(clock, three_a_minute, secret):
    api = ApiClient(secret)
    for _ in range(3):
        assert api.get("/api/v1/me").status_code == 200
    response = api.get("/api/v1/me")
    assert_error(response, 429, "rate_limited")
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 60


def test_the_limit_lifts_after_the_window(clock, three_a_minute, secret):
    api = ApiClient(secret)
    for _ in range(4):
        api.get("/api/v1/me")
    assert api.get("/api/v1/me").status_code == 429
    clock.shift(timedelta(seconds=61))
    assert api.get("/api/v1/me").status_code == 200


def test_the_limit_is_per_token(clock, three_a_minute, secret, token_for, level1):
    api = ApiClient(secret)
    for _ in range(4):
        api.get("/api/v1/me")
    assert ApiClient(token_for(level1, name="Second")).get("/api/v1/me").status_code == 200


def test_the_limit_counts_every_endpoint(clock, three_a_minute, secret):
    api = ApiClient(secret)
    assert api.get("/api/v1/me").status_code == 200
    assert api.get("/api/v1/licence").status_code == 200
    assert api.get("/api/v1/messages").status_code == 200
    assert_error(api.get("/api/v1/tokens"), 429, "rate_limited")


def test_requests_without_a_valid_token_get_401_not_429(clock, three_a_minute, db):
    api = ApiClient("sms_000000000000_wrong")
    for _ in range(5):
        assert api.get("/api/v1/me").status_code == 401
