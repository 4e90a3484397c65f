"""Managing personal tokens through the API: GET/POST /api/v1/tokens, DELETE /api/v1/tokens/<id>."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.api.models import ApiToken
from sponsorship.audit.models import AuditEvent, AuditVerb

from .api_client import ApiClient, assert_error

TOKEN_FIELDS = {"id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"}


@pytest.fixture
def api(api_as, level1):
    return api_as(level1)


def test_list_own_tokens(api, level1, token_for):
    token_for(level1, name="Student records")
    body = api.get("/api/v1/tokens").json()
    assert {t["name"] for t in body} == {"HR system", "Student records"}
    for token in body:
        assert set(token) == TOKEN_FIELDS


def test_list_never_shows_colleagues_or_other_sponsors_tokens(
    api, sponsor, other_level1, token_for
):
    token_for(Level1Factory(sponsor=sponsor), name="Colleague's")
    token_for(other_level1, name="Rival's")
    assert [t["name"] for t in api.get("/api/v1/tokens").json()] == ["HR system"]


def test_create_a_token(api, level1):
    response = api.post_json("/api/v1/tokens", {"name": "Payroll"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "secret"}
    assert set(body["token"]) == TOKEN_FIELDS
    assert body["token"]["name"] == "Payroll"
    assert body["token"]["expires_at"] is None
    secret = body["secret"]
    assert secret.startswith(f"sms_{body['token']['prefix']}_")
    stored = ApiToken.objects.get(pk=body["token"]["id"])
    assert stored.user == level1
    assert stored.sponsor == level1.sponsor
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert ApiClient(secret).get("/api/v1/me").json()["user_id"] == "LEVELONE1"
    # The secret is in that one response only.
    assert secret not in api.get("/api/v1/tokens").content.decode()
    assert AuditEvent.objects.filter(verb=AuditVerb.API_TOKEN_CREATED, actor=level1).count() == 2


def test_create_a_token_with_an_expiry_date(api):
    expiry = (timezone.localdate() + timedelta(days=90)).isoformat()
    response = api.post_json("/api/v1/tokens", {"name": "Payroll", "expires_on": expiry})
    assert response.status_code == 201, response.content
    stored = ApiToken.objects.get(pk=response.json()["token"]["id"])
    assert timezone.localdate(stored.expires_at).isoformat() == expiry


@pytest.mark.parametrize("days", [0, -1, -3650])
def test_an_expiry_date_not_in_the_future_is_refused_with_a_reason(api, days):
    expiry = (timezone.localdate() + timedelta(days=days)).isoformat()
    response = api.post_json("/api/v1/tokens", {"name": "HR", "expires_on": expiry})
    # Well formed, but breaks a rule that depends on today: a 400, not a shape error.
    error = assert_error(response, 400, "application_error")
    assert error["fields"] == [
        {"field": "expires_on", "message": "The expiry date must be in the future"}
    ]


def test_create_without_expiry(api):
    response = api.post_json("/api/v1/tokens", {"name": "Payroll"})
    assert response.status_code == 201
    assert response.json()["token"]["expires_at"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 5}, "name"),
        ({"name": None}, "name"),
        ({"name": ["HR"]}, "name"),
        ({"name": "HR", "expires_on": "not a date"}, "expires_on"),
        ({"name": "HR", "expires_on": 20270101}, "expires_on"),
        ({"name": "HR", "expires_on": "2027-02-30"}, "expires_on"),
        ({"name": "HR", "admin": True}, "admin"),
        ({}, "name"),
    ],
)
def test_wrong_types_give_422_with_field_errors(api, body, field):
    error = assert_error(api.post_json("/api/v1/tokens", body), 422, "invalid_request")
    assert field in [f["field"] for f in error["fields"]]
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize("body", ["[]", '"HR"', "42", ""])
def test_a_body_that_is_not_an_object_gives_422(api, body):
    error = assert_error(api.post("/api/v1/tokens", body), 422, "invalid_request")
    assert error["fields"]


@pytest.mark.parametrize("body", ["{not json", '{"name": "HR",}'])
def test_invalid_json_gives_422_with_a_field_error(api, body):
    error = assert_error(api.post("/api/v1/tokens", body), 422, "invalid_request")
    assert error["fields"]


@pytest.mark.parametrize("body", ["{not json", '{"name": "HR",}'])
def test_invalid_json_is_refused_in_the_error_shape(api, body):
    response = api.post("/api/v1/tokens", body)
    assert_error(response, 422, "invalid_request")
    assert ApiToken.objects.count() == 1


def test_a_blank_name_is_refused_with_a_reason(api):
    response = api.post_json("/api/v1/tokens", {"name": "   "})
    error = assert_error(response, 422, "invalid_request")
    assert [f["field"] for f in error["fields"]] == ["name"]
    assert "Enter a name for the token" in error["fields"][0]["message"]
    assert ApiToken.objects.count() == 1


def test_revoke_a_token(api, level1, token_for):
    secret = token_for(level1, name="To revoke")
    token = ApiToken.objects.get(name="To revoke")
    response = api.delete(f"/api/v1/tokens/{token.pk}")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert_error(ApiClient(secret).get("/api/v1/me"), 401)
    assert api.get("/api/v1/me").status_code == 200  # the token used to revoke still works
    assert AuditEvent.objects.filter(verb=AuditVerb.API_TOKEN_REVOKED).count() == 1


def test_a_token_can_revoke_itself(api, level1):
    token = ApiToken.objects.get(user=level1)
    assert api.delete(f"/api/v1/tokens/{token.pk}").status_code == 200
    assert_error(api.get("/api/v1/me"), 401)


def test_revoking_twice_is_not_found(api, level1, token_for):
    token_for(level1, name="Twice")
    token = ApiToken.objects.get(name="Twice")
    api.delete(f"/api/v1/tokens/{token.pk}")
    assert_error(api.delete(f"/api/v1/tokens/{token.pk}"), 404, "not_found")


def test_a_user_cannot_revoke_a_colleagues_token(api, sponsor, token_for):
    colleague = Level1Factory(sponsor=sponsor)
    secret = token_for(colleague)
    token = ApiToken.objects.get(user=colleague)
    assert_error(api.delete(f"/api/v1/tokens/{token.pk}"), 404, "not_found")
    assert ApiClient(secret).get("/api/v1/me").status_code == 200


def test_another_sponsors_token_is_not_found(api, other_level1, token_for):
    secret = token_for(other_level1)
    token = ApiToken.objects.get(user=other_level1)
    assert_error(api.delete(f"/api/v1/tokens/{token.pk}"), 404, "not_found")
    assert ApiClient(secret).get("/api/v1/me").status_code == 200
    assert not AuditEvent.objects.filter(verb=AuditVerb.API_TOKEN_REVOKED).exists()


def test_a_token_that_does_not_exist_is_not_found(api):
    assert_error(api.delete("/api/v1/tokens/999999"), 404, "not_found")


def test_level2_token_cannot_manage_tokens(api_as, level2, level1, token_for):
    token_for(level1, name="Level 1's")
    token = ApiToken.objects.get(name="Level 1's")
    api = api_as(level2)
    assert_error(api.get("/api/v1/tokens"), 403, "not_permitted")
    assert_error(api.post_json("/api/v1/tokens", {"name": "More"}), 403, "not_permitted")
    assert_error(api.delete(f"/api/v1/tokens/{token.pk}"), 403, "not_permitted")
    assert ApiToken.objects.filter(user=level2).count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_live_tokens_are_listed_before_revoked_ones(api, level1, token_for):
    token_for(level1, name="Revoked one")
    ApiToken.objects.filter(name="Revoked one").update(revoked_at=timezone.now())
    names = [t["name"] for t in api.get("/api/v1/tokens").json()]
    assert names == ["HR system", "Revoked one"]
