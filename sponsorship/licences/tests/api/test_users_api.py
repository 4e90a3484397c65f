"""Users through the API: list, read, request a Level 1 user, create a Level 2 user, amend,
deactivate, with the services' rules and the licence's state."""

import pytest

from sponsorship.accounts.models import User, UserLevel, UserStatus
from sponsorship.accounts.tests.factories import Level1Factory, Level2Factory
from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditVerb
from sponsorship.licences.models import LicenceRequest, Rating, RequestKind, Route, SponsorRoute

from .support import events, query_count, recipients

NEW_USER = {
    "given_names": "Aisha",
    "family_name": "Bello",
    "email": "aisha.bello@harbourview.example",
    "job_title": "HR officer",
    "phone": "020 7946 0000",
    "work_address_line_1": "1 High Street",
    "work_town": "London",
    "work_postcode": "SW1A 1AA",
    "is_settled_worker": True,
}


def test_users_lists_the_licence_users_only(api, level1, level2, other_level1):
    body = api.get("/api/v1/users").json()
    assert [u["user_id"] for u in body["items"]] == ["LEVELONE1", "LEVELTWO1"]
    assert body["page"] == {"page": 1, "page_size": 25, "total_items": 2, "total_pages": 1}
    first = body["items"][0]
    assert first["level"] == "LEVEL_1"
    assert first["status"] == "ACTIVE"
    assert first["version"] == 1
    assert first["id"] == level1.pk


def test_users_pages(api, sponsor, level1):
    Level2Factory.create_batch(4, sponsor=sponsor)
    body = api.get("/api/v1/users", {"page": 2, "page_size": 2}).json()
    assert len(body["items"]) == 2
    assert body["page"]["total_items"] == 5
    assert body["page"]["total_pages"] == 3


@pytest.mark.parametrize("query", [{"page": 0}, {"page_size": 0}, {"page_size": 101}])
def test_users_refuses_a_bad_page(api, query):
    error = assert_error(api.get("/api/v1/users", query), 422, "invalid_request")
    assert error["fields"][0]["field"] == next(iter(query))


def test_users_list_queries_do_not_grow_with_the_rows(api, sponsor, level1):
    def call():
        return api.get("/api/v1/users", {"page_size": 100})

    Level2Factory.create_batch(2, sponsor=sponsor)
    few = query_count(call)
    Level2Factory.create_batch(27, sponsor=sponsor)
    assert query_count(call) == few


def test_user(api, level2):
    body = api.get(f"/api/v1/users/{level2.pk}").json()
    assert body["user_id"] == "LEVELTWO1"
    assert body["given_names"] == "Priya"


def test_another_sponsors_user_is_not_found(api, other_level1):
    assert_error(api.get(f"/api/v1/users/{other_level1.pk}"), 404, "not_found")
    assert_error(
        api.patch_json(f"/api/v1/users/{other_level1.pk}", {"version": 1, "phone": "1"}),
        404,
        "not_found",
    )
    assert_error(api.post(f"/api/v1/users/{other_level1.pk}/deactivate"), 404, "not_found")
    other_level1.refresh_from_db()
    assert other_level1.status == UserStatus.ACTIVE


def test_level_1_request_waits_for_a_caseworker(api, level1):
    response = api.post_json("/api/v1/users/level-1-requests", NEW_USER)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "LEVEL_1_USER"
    assert body["status"] == "SUBMITTED"
    assert body["submitted_by"]["user_id"] == "LEVELONE1"
    requested = User.objects.get(pk=body["subject_user"]["id"])
    assert requested.status == UserStatus.REQUESTED
    assert requested.level == UserLevel.LEVEL_1
    assert requested.email == NEW_USER["email"]
    assert requested.is_settled_worker
    assert LicenceRequest.objects.get(pk=body["id"]).subject_user == requested
    assert [e.actor for e in events(AuditVerb.USER_REQUESTED)] == [level1]
    assert recipients("request_submitted") == [level1.email]


def test_level_2_user_is_active_at_once_and_emailed_a_password(api, level1, sponsor):
    response = api.post_json("/api/v1/users/level-2", {**NEW_USER, "is_settled_worker": False})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["level"] == "LEVEL_2"
    assert body["status"] == "ACTIVE"
    created = User.objects.get(pk=body["id"])
    assert created.sponsor == sponsor
    assert created.must_change_password
    assert recipients("new_user") == [NEW_USER["email"]]
    assert events(AuditVerb.USER_CREATED)[0].payload["user_id"] == created.username


def test_an_email_address_in_use_is_refused(api, level2):
    response = api.post_json("/api/v1/users/level-2", {**NEW_USER, "email": level2.email.upper()})
    error = assert_error(response, 400)
    assert error["fields"][0]["field"] == "email"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"given_names": "   "}, 422, "given_names"),
        ({"family_name": ""}, 422, "family_name"),
        ({"email": "not an address"}, 422, "email"),
        ({"email": "name@example"}, 400, "email"),
        ({"phone": "0" * 31}, 422, "phone"),
        ({"is_settled_worker": "yes"}, 422, "is_settled_worker"),
        ({"level": "LEVEL_1"}, 422, "level"),
    ],
)
def test_bad_user_details_name_the_field(api, change, status, field):
    response = api.post_json("/api/v1/users/level-2", {**NEW_USER, **change})
    error = assert_error(response, status)
    assert [f["field"] for f in error["fields"]] == [field]
    assert not User.objects.filter(email=NEW_USER["email"]).exists()


def test_amending_a_level_2_user_applies_at_once(api, level1, level2):
    response = api.patch_json(
        f"/api/v1/users/{level2.pk}",
        {"version": 1, "family_name": "Raman-Shah", "job_title": "Payroll"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["approval_requested"] is False
    assert body["request"] is None
    assert body["user"]["family_name"] == "Raman-Shah"
    assert body["user"]["version"] == 2
    level2.refresh_from_db()
    assert (level2.family_name, level2.job_title, level2.given_names) == (
        "Raman-Shah",
        "Payroll",
        "Priya",
    )
    assert events(AuditVerb.USER_AMENDED)[0].payload["applied"] == ["family_name", "job_title"]


def test_amending_your_own_name_waits_for_approval(api, level1):
    response = api.patch_json(
        f"/api/v1/users/{level1.pk}", {"version": 1, "family_name": "Hartley-Price", "phone": "1"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["approval_requested"] is True
    assert body["request"]["kind"] == "USER_DETAILS"
    assert body["request"]["details"] == {"family_name": "Hartley-Price"}
    assert body["user"]["family_name"] == "Hartley"
    assert body["user"]["phone"] == "1"
    level1.refresh_from_db()
    assert level1.family_name == "Hartley"
    assert level1.status == UserStatus.ACTIVE


def test_a_stale_amendment_is_refused(api, level2):
    assert (
        api.patch_json(f"/api/v1/users/{level2.pk}", {"version": 1, "phone": "1"}).status_code
        == 200
    )
    response = api.patch_json(f"/api/v1/users/{level2.pk}", {"version": 1, "phone": "2"})
    assert_error(response, 409, "stale_edit")
    level2.refresh_from_db()
    assert level2.phone == "1"


def test_amending_needs_the_version(api, level2):
    error = assert_error(api.patch_json(f"/api/v1/users/{level2.pk}", {"phone": "1"}), 422)
    assert error["fields"][0]["field"] == "version"


def test_another_level_1_users_details_cannot_be_amended(api, sponsor):
    colleague = Level1Factory(sponsor=sponsor)
    response = api.patch_json(f"/api/v1/users/{colleague.pk}", {"version": 1, "phone": "1"})
    assert_error(response, 403, "not_permitted")


def test_deactivating_a_user(api, level1, level2):
    response = api.post(f"/api/v1/users/{level2.pk}/deactivate")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "DEACTIVATED_BY_SPONSOR"
    level2.refresh_from_db()
    assert level2.status == UserStatus.DEACTIVATED_BY_SPONSOR
    assert recipients("user_deactivated") == [level2.email]
    assert [e.actor for e in events(AuditVerb.USER_DEACTIVATED)] == [level1]


def test_you_cannot_deactivate_yourself(api, level1):
    assert_error(api.post(f"/api/v1/users/{level1.pk}/deactivate"), 400, "self_deactivation")


def test_deactivating_twice_is_refused(api, level2):
    api.post(f"/api/v1/users/{level2.pk}/deactivate")
    assert_error(api.post(f"/api/v1/users/{level2.pk}/deactivate"), 400, "user_not_active")


def test_a_provisionally_rated_licence_cannot_manage_users(api, sponsor, level2):
    SponsorRoute.objects.create(
        sponsor=sponsor, route=Route.GBM_UK_EXPANSION, rating=Rating.PROVISIONAL
    )
    assert_error(api.get("/api/v1/users"), 409, "licence_provisional")
    assert_error(api.post_json("/api/v1/users/level-2", NEW_USER), 409, "licence_provisional")
    assert_error(api.post(f"/api/v1/users/{level2.pk}/deactivate"), 409, "licence_provisional")
    assert not LicenceRequest.objects.filter(kind=RequestKind.LEVEL_1_USER).exists()
