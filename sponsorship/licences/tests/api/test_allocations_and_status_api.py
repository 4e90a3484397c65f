"""Allocations, Premium and Student Sponsor status and the licence summary through the API,
with the licence states that block them."""

from datetime import date, timedelta

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditVerb
from sponsorship.licences.models import (
    LicenceRequest,
    LicenceStatus,
    Rating,
    RequestKind,
    Route,
    SponsorRoute,
)
from sponsorship.licences.tests.factories import AllocationFactory, LicenceRequestFactory

from .support import TODAY, events, recipients

INCREASE = {"route": "SKILLED_WORKER", "number": 5, "justification": "Five care roles."}
RENEWAL = {"route": "SKILLED_WORKER", "number": 12}


@pytest.fixture
def allocation(sponsor):
    """This year's Skilled Worker allocation: 10, of which 4 used; renewal window not open."""
    return AllocationFactory(
        sponsor=sponsor,
        year_start=date(2026, 4, 6),
        year_end=date(2027, 4, 5),
        limit=10,
        used=4,
    )


@pytest.fixture
def renewable(sponsor):
    """This year's allocation ends within the renewal window (90 days)."""
    return AllocationFactory(
        sponsor=sponsor, year_start=date(2026, 1, 1), year_end=date(2026, 12, 31), limit=8
    )


def _block(sponsor, status: str) -> None:
    sponsor.status = status
    sponsor.save()


# Allocations


def test_allocations_per_route(api, sponsor, allocation):
    SponsorRoute.objects.create(sponsor=sponsor, route=Route.CREATIVE_WORKER, rating=Rating.A)
    body = api.get("/api/v1/allocations").json()
    assert body == [
        {
            "route": "CREATIVE_WORKER",
            "name": "Creative Worker",
            "rating": "A",
            "current": None,
            "next_year": None,
            "renewal_window_opens": None,
            "renewal_available": False,
            "renewal_unavailable_reason": (
                "You have no allocation this year to renew. Request an allocation instead."
            ),
        },
        {
            "route": "SKILLED_WORKER",
            "name": "Skilled Worker",
            "rating": "A",
            "current": {
                "year_start": "2026-04-06",
                "year_end": "2027-04-05",
                "limit": 10,
                "used": 4,
                "remaining": 6,
                "renewed_automatically": False,
            },
            "next_year": None,
            "renewal_window_opens": "2027-01-05",
            "renewal_available": False,
            "renewal_unavailable_reason": "The renewal window opens on 5 January 2027.",
        },
    ]


def test_allocations_show_next_year_once_granted(api, sponsor, renewable):
    AllocationFactory(
        sponsor=sponsor, year_start=date(2027, 1, 1), year_end=date(2027, 12, 31), limit=9
    )
    (line,) = api.get("/api/v1/allocations").json()
    assert line["next_year"]["limit"] == 9
    assert line["renewal_available"] is False
    assert line["renewal_unavailable_reason"] == "Next year's allocation is already in place."


def test_requesting_an_increase(api, level1, allocation):
    response = api.post_json("/api/v1/allocations/increase-requests", INCREASE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["route"], body["number_requested"]) == (
        "ALLOCATION_INCREASE",
        "SKILLED_WORKER",
        5,
    )
    assert body["description"] == "Five care roles."
    assert body["status"] == "SUBMITTED"
    assert events(AuditVerb.REQUEST_SUBMITTED)[0].payload["kind"] == "ALLOCATION_INCREASE"
    assert recipients("request_submitted") == [level1.email]


def test_a_second_outstanding_increase_is_refused(api, allocation):
    api.post_json("/api/v1/allocations/increase-requests", INCREASE)
    response = api.post_json("/api/v1/allocations/increase-requests", INCREASE)
    assert_error(response, 409, "request_outstanding")
    assert LicenceRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"route": "STUDENT"}, 400, "route"),
        ({"route": "ASTRONAUT"}, 422, "route"),
        ({"number": 0}, 422, "number"),
        ({"number": 100_001}, 422, "number"),
        ({"number": "5"}, 422, "number"),
        ({"justification": "  "}, 422, "justification"),
    ],
)
def test_a_bad_increase_names_the_field(api, allocation, change, status, field):
    response = api.post_json("/api/v1/allocations/increase-requests", {**INCREASE, **change})
    assert [f["field"] for f in assert_error(response, status)["fields"]] == [field]
    assert not LicenceRequest.objects.exists()


def test_requesting_a_renewal_in_the_window(api, renewable):
    response = api.post_json("/api/v1/allocations/renewal-requests", RENEWAL)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["number_requested"]) == ("ALLOCATION_RENEWAL", 12)


def test_a_renewal_before_the_window_is_refused(api, allocation):
    error = assert_error(
        api.post_json("/api/v1/allocations/renewal-requests", RENEWAL), 409, "renewal_window"
    )
    assert error["message"] == "The renewal window opens on 5 January 2027."


@pytest.mark.parametrize(
    ("status", "code"),
    [(LicenceStatus.SUSPENDED, "licence_suspended"), (LicenceStatus.DORMANT, "licence_dormant")],
)
def test_a_suspended_or_dormant_licence_cannot_use_allocations(
    api, sponsor, renewable, status, code
):
    _block(sponsor, status)
    assert_error(api.get("/api/v1/allocations"), 409, code)
    assert_error(api.post_json("/api/v1/allocations/increase-requests", INCREASE), 409, code)
    assert_error(api.post_json("/api/v1/allocations/renewal-requests", RENEWAL), 409, code)
    assert not LicenceRequest.objects.exists()


# Premium and Student Sponsor status


def test_sponsor_status(api, sponsor):
    sponsor.premium_since = date(2025, 6, 1)
    sponsor.save()
    assert api.get("/api/v1/sponsor-status").json() == [
        {
            "kind": "premium",
            "name": "Premium customer service",
            "held_since": "2025-06-01",
            "can_apply": False,
            "reason": "You have had Premium customer service since 1 June 2025.",
        },
        {
            "kind": "student-sponsor-status",
            "name": "Student Sponsor status",
            "held_since": None,
            "can_apply": False,
            "reason": "Student Sponsor status is for sponsors of the Student route.",
        },
    ]


def test_sponsor_status_of_a_student_sponsor(api, sponsor):
    SponsorRoute.objects.create(sponsor=sponsor, route=Route.STUDENT, rating=Rating.A)
    sponsor.licence_granted_on = TODAY - timedelta(days=365 * 5)
    sponsor.save()
    body = api.get("/api/v1/sponsor-status").json()
    assert [(s["kind"], s["can_apply"], s["reason"]) for s in body] == [
        ("premium", True, None),
        ("student-sponsor-status", True, None),
    ]


def test_applying_for_premium(api, level1):
    response = api.post("/api/v1/sponsor-status/premium/applications")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["status"]) == ("PREMIUM", "SUBMITTED")
    assert LicenceRequest.objects.get().kind == RequestKind.PREMIUM
    assert recipients("request_submitted") == [level1.email]
    (line, _) = api.get("/api/v1/sponsor-status").json()
    assert line["can_apply"] is False
    assert (
        line["reason"]
        == "You have already applied for Premium customer service. Wait for the decision."
    )


def test_applying_twice_is_refused(api):
    api.post("/api/v1/sponsor-status/premium/applications")
    response = api.post("/api/v1/sponsor-status/premium/applications")
    assert_error(response, 409, "not_eligible")
    assert LicenceRequest.objects.count() == 1


def test_student_sponsor_status_needs_the_student_route(api):
    response = api.post("/api/v1/sponsor-status/student-sponsor-status/applications")
    assert_error(response, 409, "not_eligible")


def test_an_unknown_status_is_refused(api):
    error = assert_error(api.post("/api/v1/sponsor-status/gold/applications"), 422)
    assert error["fields"][0]["field"] == "kind"


@pytest.mark.parametrize(
    ("status", "code"),
    [(LicenceStatus.SUSPENDED, "licence_suspended"), (LicenceStatus.DORMANT, "licence_dormant")],
)
def test_a_suspended_or_dormant_licence_cannot_apply(api, sponsor, status, code):
    _block(sponsor, status)
    assert_error(api.post("/api/v1/sponsor-status/premium/applications"), 409, code)
    assert not LicenceRequest.objects.exists()


def test_a_dormant_licence_cannot_read_its_status(api, sponsor):
    _block(sponsor, LicenceStatus.DORMANT)
    assert_error(api.get("/api/v1/sponsor-status"), 409, "licence_dormant")


def test_a_suspended_licence_reads_why_it_cannot_apply(api, sponsor):
    _block(sponsor, LicenceStatus.SUSPENDED)
    premium, _ = api.get("/api/v1/sponsor-status").json()
    assert premium["reason"] == "You cannot apply while your licence is suspended."


def test_a_b_rated_licence_cannot_apply(api, sponsor):
    SponsorRoute.objects.filter(sponsor=sponsor).update(rating=Rating.B)
    assert_error(api.post("/api/v1/sponsor-status/premium/applications"), 409, "licence_b_rated")


# The licence summary


def test_the_licence_shows_allocations_status_and_dates(api, sponsor, allocation):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.status_reason = "Right to work checks missing."
    sponsor.status_response_due = date(2026, 12, 14)
    sponsor.premium_since = date(2025, 6, 1)
    sponsor.student_sponsor_status_since = date(2024, 9, 1)
    sponsor.save()
    body = api.get("/api/v1/licence").json()
    assert body["status"] == "SUSPENDED"
    assert body["status_reason"] == "Right to work checks missing."
    assert body["status_response_due"] == "2026-12-14"
    assert body["premium_since"] == "2025-06-01"
    assert body["student_sponsor_status_since"] == "2024-09-01"
    assert body["allocations"] == [
        {
            "route": "SKILLED_WORKER",
            "name": "Skilled Worker",
            "current": {
                "year_start": "2026-04-06",
                "year_end": "2027-04-05",
                "limit": 10,
                "used": 4,
                "remaining": 6,
                "renewed_automatically": False,
            },
            "next_year": None,
            "renewal_window_opens": "2027-01-05",
        }
    ]


def test_the_licence_of_a_dormant_sponsor_is_refused(api, sponsor):
    _block(sponsor, LicenceStatus.DORMANT)
    assert_error(api.get("/api/v1/licence"), 409, "licence_dormant")


def test_a_decided_request_does_not_block_a_new_one(api, level1, allocation):
    LicenceRequestFactory(submitted_by=level1, status="REFUSED")
    response = api.post_json("/api/v1/allocations/increase-requests", INCREASE)
    assert response.status_code == 201, response.content
