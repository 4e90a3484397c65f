"""Caseworkers find sponsors and act on licences and users through the API."""

from datetime import date

import pytest

from sponsorship.accounts.models import User, UserStatus
from sponsorship.accounts.tests.factories import Level1Factory, Level2Factory
from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditVerb
from sponsorship.licences.models import (
    ActionPlan,
    KeyPersonRole,
    LicenceStatus,
    Rating,
    Route,
    SettledWorkerException,
    Sponsor,
    SponsorRoute,
)
from sponsorship.licences.tests.api.support import events, query_count, recipients
from sponsorship.licences.tests.factories import (
    AllocationFactory,
    KeyPersonFactory,
    LicenceRequestFactory,
    SponsorFactory,
)


@pytest.fixture
def ao(sponsor):
    return KeyPersonFactory(
        sponsor=sponsor, role=KeyPersonRole.AUTHORISING_OFFICER, email="ao@harbourview.example"
    )


# Finding sponsors


@pytest.fixture
def found(sponsor, other_sponsor):
    dock = SponsorFactory(
        name="Dockside Freight Ltd", licence_number="T83VF9QR4", postcode="L3 4AB"
    )
    return {"ours": sponsor, "other": other_sponsor, "dock": dock}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("", ["dock", "ours", "other"]),
        ("harbour", ["ours"]),
        ("t83vf9qr4", ["dock"]),
        ("l34ab", ["dock"]),
        ("L3 4AB", ["dock"]),
        ("nobody", []),
    ],
)
def test_finding_sponsors(casework_api, found, q, expected):
    body = casework_api.get("/api/v1/casework/sponsors", {"q": q}).json()
    assert [s["id"] for s in body["items"]] == [found[name].pk for name in expected]


def test_a_found_sponsor(casework_api, found):
    body = casework_api.get("/api/v1/casework/sponsors", {"q": "T83VF9QR4"}).json()
    (dock,) = body["items"]
    assert dock["name"] == "Dockside Freight Ltd"
    assert dock["status"] == "ACTIVE"
    assert dock["postcode"] == "L3 4AB"
    assert [(r["route"], r["rating"]) for r in dock["routes"]] == [("SKILLED_WORKER", "A")]


def test_sponsor_search_queries_do_not_grow_with_the_rows(casework_api):
    def call():
        return casework_api.get("/api/v1/casework/sponsors", {"page_size": 100})

    SponsorFactory.create_batch(3, routes=[Route.SKILLED_WORKER, Route.STUDENT])
    few = query_count(call)
    SponsorFactory.create_batch(27, routes=[Route.SKILLED_WORKER, Route.STUDENT])
    assert query_count(call) == few


def test_a_sponsor_in_full(casework_api, sponsor, level1, level2, ao, caseworker):
    AllocationFactory(sponsor=sponsor, limit=10, used=4)
    open_request = LicenceRequestFactory(submitted_by=level1)
    LicenceRequestFactory(submitted_by=level1, status="REFUSED")
    from axes.models import AccessAttempt
    from django.conf import settings

    AccessAttempt.objects.create(
        username=level2.username,
        ip_address="192.0.2.1",
        user_agent="",
        http_accept="",
        path_info="/sign-in/",
        get_data="",
        post_data="",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    body = casework_api.get(f"/api/v1/casework/sponsors/{sponsor.pk}").json()
    assert body["name"] == "Harbour View Care Ltd"
    assert body["status"] == "ACTIVE"
    assert body["address_line_1"] == "1 High Street"
    assert [(r["route"], r["rating"]) for r in body["routes"]] == [("SKILLED_WORKER", "A")]
    assert [p["email"] for p in body["key_people"]] == ["ao@harbourview.example"]
    assert [(u["user_id"], u["locked"]) for u in body["users"]] == [
        ("LEVELONE1", False),
        ("LEVELTWO1", True),
    ]
    assert [(a["route"], a["limit"], a["remaining"]) for a in body["allocations"]] == [
        ("SKILLED_WORKER", 10, 6)
    ]
    assert [r["id"] for r in body["open_requests"]] == [open_request.pk]
    assert body["open_requests"][0]["target_working_days"] == 90


def test_an_unknown_sponsor_is_not_found(casework_api):
    assert_error(casework_api.get("/api/v1/casework/sponsors/999999"), 404, "not_found")
    response = casework_api.post_json(
        "/api/v1/casework/sponsors/999999/status", {"status": "SUSPENDED", "reasons": "R"}
    )
    assert_error(response, 404, "not_found")


# Acting on the licence


def test_a_b_rating_comes_with_an_action_plan(casework_api, caseworker, sponsor, level1, ao):
    response = casework_api.post_json(
        f"/api/v1/casework/sponsors/{sponsor.pk}/ratings",
        {
            "route": "SKILLED_WORKER",
            "rating": "B",
            "reasons": "Record keeping failures.",
            "action_plan_steps": "Audit every worker's file by 1 March.",
        },
    )
    assert response.status_code == 200, response.content
    assert (response.json()["route"], response.json()["rating"]) == ("SKILLED_WORKER", "B")
    assert SponsorRoute.objects.get(sponsor=sponsor).rating == Rating.B
    plan = ActionPlan.objects.get(sponsor=sponsor)
    assert plan.steps == "Audit every worker's file by 1 March."
    assert events(AuditVerb.RATING_CHANGED)[0].payload["to"] == "B"
    assert sorted(recipients("rating_changed")) == sorted([ao.email, level1.email])


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"rating": "B"}, 400, "action_plan_steps"),
        ({"rating": "PROVISIONAL"}, 400, "rating"),
        ({"rating": "A"}, 400, "rating"),
        ({"route": "STUDENT", "action_plan_steps": "Steps."}, 400, "route"),
        ({"rating": "C"}, 422, "rating"),
        ({"reasons": ""}, 422, "reasons"),
    ],
)
def test_bad_ratings_name_the_field(casework_api, sponsor, change, status, field):
    rating = {"route": "SKILLED_WORKER", "rating": "B", "reasons": "Failures.", **change}
    response = casework_api.post_json(f"/api/v1/casework/sponsors/{sponsor.pk}/ratings", rating)
    assert [f["field"] for f in assert_error(response, status)["fields"]] == [field]
    assert SponsorRoute.objects.get(sponsor=sponsor).rating == Rating.A


def test_suspending_a_licence_blocks_its_allocations(casework_api, api, sponsor, caseworker):
    response = casework_api.post_json(
        f"/api/v1/casework/sponsors/{sponsor.pk}/status",
        {"status": "SUSPENDED", "reasons": "Right to work checks missing."},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "SUSPENDED"
    assert body["status_reason"] == "Right to work checks missing."
    assert body["status_response_due"] == "2026-12-14"
    assert Sponsor.objects.get(pk=sponsor.pk).status == LicenceStatus.SUSPENDED
    assert events(AuditVerb.LICENCE_STATUS_CHANGED)[0].payload["to"] == "SUSPENDED"
    assert_error(api.get("/api/v1/allocations"), 409, "licence_suspended")
    licence = api.get("/api/v1/licence").json()
    assert licence["status_reason"] == "Right to work checks missing."


def test_a_revoked_licence_cannot_be_reinstated(casework_api, sponsor):
    sponsor.status = LicenceStatus.REVOKED
    sponsor.save()
    response = casework_api.post_json(
        f"/api/v1/casework/sponsors/{sponsor.pk}/status", {"status": "ACTIVE", "reasons": "Oops."}
    )
    assert_error(response, 409, "invalid_transition")


def test_recording_a_settled_worker_exception(casework_api, caseworker, sponsor):
    response = casework_api.post_json(
        f"/api/v1/casework/sponsors/{sponsor.pk}/settled-worker-exception",
        {"exception": "INTERNATIONAL_AGREEMENT", "reasons": "Embassy."},
    )
    assert response.status_code == 200, response.content
    assert response.json()["settled_worker_exception"] == "INTERNATIONAL_AGREEMENT"
    sponsor.refresh_from_db()
    assert sponsor.settled_worker_exception == SettledWorkerException.INTERNATIONAL_AGREEMENT
    assert events(AuditVerb.SETTLED_EXCEPTION_CHANGED)[0].actor == caseworker
    response = casework_api.post_json(
        f"/api/v1/casework/sponsors/{sponsor.pk}/settled-worker-exception",
        {"exception": "", "reasons": "Embassy closed."},
    )
    assert response.json()["settled_worker_exception"] == ""


# Users


def test_deactivating_a_sponsors_user(casework_api, caseworker, sponsor, level1, ao):
    response = casework_api.post_json(
        f"/api/v1/casework/users/{level1.pk}/deactivate", {"reasons": "Fraud."}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "DEACTIVATED_BY_HOME_OFFICE"
    assert body["sponsor"]["id"] == sponsor.pk
    assert User.objects.get(pk=level1.pk).status == UserStatus.DEACTIVATED_BY_HOME_OFFICE
    assert recipients("user_deactivated") == [level1.email, ao.email]
    assert events(AuditVerb.USER_DEACTIVATED)[0].payload == {
        "reasons": "Fraud.",
        "by": "Home Office",
    }


def test_deactivating_needs_reasons(casework_api, level1):
    response = casework_api.post_json(
        f"/api/v1/casework/users/{level1.pk}/deactivate", {"reasons": " "}
    )
    assert assert_error(response, 422)["fields"][0]["field"] == "reasons"
    assert User.objects.get(pk=level1.pk).status == UserStatus.ACTIVE


def test_deactivating_a_caseworker_is_not_found(casework_api, caseworker):
    response = casework_api.post_json(
        f"/api/v1/casework/users/{caseworker.pk}/deactivate", {"reasons": "No."}
    )
    assert_error(response, 404, "not_found")


def test_unlocking_a_user(casework_api, caseworker, sponsor):
    from axes.models import AccessAttempt
    from django.conf import settings

    locked = Level2Factory(sponsor=sponsor)
    AccessAttempt.objects.create(
        username=locked.username,
        ip_address="192.0.2.1",
        user_agent="",
        http_accept="",
        path_info="/sign-in/",
        get_data="",
        post_data="",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    response = casework_api.post(f"/api/v1/casework/users/{locked.pk}/unlock")
    assert response.status_code == 200, response.content
    assert response.json()["locked"] is False
    assert not AccessAttempt.objects.filter(username=locked.username).exists()
    assert events(AuditVerb.ACCOUNT_UNLOCKED)[0].actor == caseworker


def test_unlocking_an_unknown_user_is_not_found(casework_api):
    assert_error(casework_api.post("/api/v1/casework/users/999999/unlock"), 404, "not_found")


def test_another_level_1_user_remains_after_home_office_deactivation(casework_api, sponsor, level1):
    other = Level1Factory(sponsor=sponsor)
    casework_api.post_json(f"/api/v1/casework/users/{other.pk}/deactivate", {"reasons": "R."})
    assert User.objects.get(pk=level1.pk).status == UserStatus.ACTIVE


def test_the_licence_dates_in_full(casework_api, sponsor):
    sponsor.premium_since = date(2025, 6, 1)
    sponsor.save()
    body = casework_api.get(f"/api/v1/casework/sponsors/{sponsor.pk}").json()
    assert body["premium_since"] == "2025-06-01"
    assert body["licence_granted_on"] == "2022-01-10"
