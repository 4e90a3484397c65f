"""A Level 1 user creates, sees and revokes personal API tokens in the web service."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.api.models import ApiToken
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import MessageRead
from sponsorship.licences.tests.factories import MessageFactory

from .api_client import ApiClient

SECRET = re.compile(r'<code class="app-audit-payload" id="token-secret">(sms_[^<]+)</code>')


def create_token(client, name="HR system", expires_on=""):
    response = client.post("/api-tokens/", {"name": name, "expires_on": expires_on})
    assert response.status_code == 200, response.content[:300]
    match = SECRET.search(response.content.decode())
    assert match, "the new token is shown on the page"
    return match.group(1)


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


def test_a_new_token_is_shown_once(web):
    secret = create_token(web)
    assert secret.startswith("sms_")
    assert len(secret) > 40
    listing = web.get("/api-tokens/").content.decode()
    assert secret not in listing
    assert "HR system" in listing
    token = ApiToken.objects.get()
    assert f"sms_{token.prefix}_" in listing  # enough to recognise it, not to use it


def test_only_a_sha256_of_the_token_is_stored(web):
    secret = create_token(web)
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    secret_part = secret.split("_", 2)[2]
    for field in ApiToken._meta.concrete_fields:
        value = str(getattr(token, field.attname))
        assert secret not in value, field.name
        assert secret_part not in value, field.name


def test_the_token_works_on_the_api(web, level1):
    secret = create_token(web)
    message = MessageFactory(title="Read me through the API")
    api = ApiClient(secret)
    assert api.get("/api/v1/me").json()["user_id"] == level1.username
    assert api.get("/api/v1/licence").json()["licence_number"] == level1.sponsor.licence_number
    listing = api.get("/api/v1/messages", {"page": 1, "page_size": 10}).json()
    assert [m["title"] for m in listing["items"]] == ["Read me through the API"]
    assert listing["page"]["page_size"] == 10
    read = api.post(f"/api/v1/messages/{message.pk}/read")
    assert read.status_code == 200
    assert read.json()["is_read"] is True
    assert MessageRead.objects.filter(message=message, user=level1).exists()


def test_creating_a_token_is_recorded(web, level1):
    create_token(web, name="Student records")
    event = AuditEvent.objects.get(verb=AuditVerb.API_TOKEN_CREATED)
    assert event.actor == level1
    assert event.sponsor == level1.sponsor
    assert "Student records" in event.target_label


def test_a_token_with_an_expiry_date(web):
    expiry = timezone.localdate() + timedelta(days=30)
    create_token(web, expires_on=expiry.isoformat())
    token = ApiToken.objects.get()
    assert timezone.localdate(token.expires_at) == expiry


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter a name for the token"),
        ({"name": "   "}, "Enter a name for the token"),
        ({"name": "HR", "expires_on": "2026-02-30"}, "Enter the expiry date as a real date"),
        ({"name": "HR", "expires_on": "2001-01-01"}, "The expiry date must be in the future"),
    ],
)
def test_token_form_errors(web, data, message):
    response = web.post("/api-tokens/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "token-secret" not in page
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_working(web):
    secret = create_token(web)
    token = ApiToken.objects.get()
    response = web.post(f"/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/api-tokens/"
    assert "was revoked" in web.get("/api-tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(secret).get("/api/v1/me").status_code == 401
    assert AuditEvent.objects.filter(verb=AuditVerb.API_TOKEN_REVOKED).count() == 1


def test_revoking_needs_post(web):
    create_token(web)
    token = ApiToken.objects.get()
    assert web.get(f"/api-tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_twice_is_not_found(web):
    create_token(web)
    token = ApiToken.objects.get()
    web.post(f"/api-tokens/{token.pk}/revoke/")
    assert web.post(f"/api-tokens/{token.pk}/revoke/").status_code == 404
    assert AuditEvent.objects.filter(verb=AuditVerb.API_TOKEN_REVOKED).count() == 1


def test_a_user_cannot_revoke_a_colleagues_token(web, sponsor, token_for):
    colleague = Level1Factory(sponsor=sponsor)
    secret = token_for(colleague)
    theirs = ApiToken.objects.get(user=colleague)
    assert web.post(f"/api-tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert ApiClient(secret).get("/api/v1/me").status_code == 200


def test_other_sponsors_token_is_not_found(web, other_level1, token_for):
    secret = token_for(other_level1, name="Rival HR")
    theirs = ApiToken.objects.get(user=other_level1)
    assert web.post(f"/api-tokens/{theirs.pk}/revoke/").status_code == 404
    assert "Rival HR" not in web.get("/api-tokens/").content.decode()
    assert ApiClient(secret).get("/api/v1/me").status_code == 200


def test_the_list_shows_only_the_users_own_tokens(web, sponsor, token_for):
    token_for(Level1Factory(sponsor=sponsor), name="Colleague's token")
    create_token(web, name="My token")
    listing = web.get("/api-tokens/").content.decode()
    assert "My token" in listing
    assert "Colleague&#x27;s token" not in listing


def test_level2_cannot_manage_tokens(signed_in, level2):
    client = signed_in(level2)
    assert client.get("/api-tokens/").status_code == 403
    assert client.post("/api-tokens/", {"name": "Sneaky"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_level2_cannot_revoke_tokens(signed_in, level2, level1, token_for):
    token_for(level1)
    token = ApiToken.objects.get()
    assert signed_in(level2).post(f"/api-tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_live_tokens_are_listed_before_revoked_ones(web, level1, token_for):
    token_for(level1, name="Revoked payroll link")
    ApiToken.objects.update(revoked_at=timezone.now())
    token_for(level1, name="Live payroll link")
    page = web.get("/api-tokens/").content.decode()
    assert page.index("Live payroll link") < page.index("Revoked payroll link")
