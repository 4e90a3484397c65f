"""The licence summary's allocations, Premium and Student Sponsor status, and the licence
banner (suspended, dormant, B-rated). The basics are in ../test_licence_summary.py."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from sponsorship.licences.models import LicenceStatus, Rating, Route, SponsorRoute
from sponsorship.licences.tests.factories import AllocationFactory, KeyPersonFactory

from .support import queries_for, rate, text


def allocation_row(response, route: str) -> str:
    """The words of one route's row in the allocations table."""
    html = response.content.decode()
    found = re.search(
        rf'<tr class="govuk-table__row" id="allocation-{route.lower()}">(.*?)</tr>', html, re.S
    )
    assert found, f"no allocation row for {route}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


def test_summary_shows_this_years_allocation_with_used_and_remaining(web, sponsor):
    today = timezone.localdate()
    current = AllocationFactory(
        sponsor=sponsor,
        route=Route.SKILLED_WORKER,
        year_start=today - timedelta(days=100),
        year_end=today + timedelta(days=200),
        limit=20,
        used=7,
    )
    response = web.get("/licence/")
    assert response.status_code == 200
    row = allocation_row(response, Route.SKILLED_WORKER)
    assert row.startswith("Skilled Worker 20 7 13 ")
    assert f"{current.year_end:%-d %B %Y}" in row
    assert "Not granted yet" in row
    opens = current.year_end - timedelta(days=settings.ALLOCATION_RENEWAL_WINDOW_DAYS)
    assert f"Opens {opens:%-d %B %Y}" in row
    html = response.content.decode()
    assert (
        '<td class="govuk-table__cell govuk-table__cell--numeric" data-allocation="remaining">13'
        in html
    )


def test_summary_shows_next_years_allocation_once_granted_and_an_open_renewal_window(web, sponsor):
    today = timezone.localdate()
    current = AllocationFactory(
        sponsor=sponsor,
        year_start=today - timedelta(days=340),
        year_end=today + timedelta(days=24),
        limit=10,
        used=10,
    )
    upcoming = AllocationFactory(
        sponsor=sponsor,
        year_start=current.year_end + timedelta(days=1),
        year_end=current.year_end + timedelta(days=365),
        limit=15,
    )
    row = allocation_row(web.get("/licence/"), Route.SKILLED_WORKER)
    assert row.startswith("Skilled Worker 10 10 0 ")
    assert f"15 from {upcoming.year_start:%-d %B %Y}" in row
    opens = current.year_end - timedelta(days=settings.ALLOCATION_RENEWAL_WINDOW_DAYS)
    assert f"Open since {opens:%-d %B %Y}" in row


def test_a_route_without_an_allocation_says_so(web, sponsor):
    SponsorRoute.objects.create(sponsor=sponsor, route=Route.STUDENT)
    AllocationFactory(sponsor=sponsor, route=Route.SKILLED_WORKER, limit=5)
    response = web.get("/licence/")
    assert "No allocation for this year" in allocation_row(response, Route.STUDENT)
    assert allocation_row(response, Route.SKILLED_WORKER).startswith("Skilled Worker 5 0 5 ")


def test_last_years_allocation_is_not_shown(web, sponsor):
    today = timezone.localdate()
    AllocationFactory(
        sponsor=sponsor,
        year_start=today - timedelta(days=500),
        year_end=today - timedelta(days=136),
        limit=99,
    )
    row = allocation_row(web.get("/licence/"), Route.SKILLED_WORKER)
    assert "No allocation for this year" in row
    assert "99" not in row


def test_another_sponsors_allocations_are_never_shown(web, other_sponsor):
    AllocationFactory(sponsor=other_sponsor, limit=77, used=3)
    assert "No allocation for this year" in allocation_row(
        web.get("/licence/"), Route.SKILLED_WORKER
    )


def test_summary_shows_premium_and_student_sponsor_status(web, sponsor):
    sponsor.premium_since = date(2025, 5, 1)
    sponsor.save()
    page = text(web.get("/licence/"))
    assert "Premium customer service Held since 1 May 2025" in page
    assert "Student Sponsor status Not held" in page
    sponsor.premium_since = None
    sponsor.student_sponsor_status_since = date(2024, 9, 2)
    sponsor.save()
    page = text(web.get("/licence/"))
    assert "Premium customer service Not held" in page
    assert "Student Sponsor status Held since 2 September 2024" in page


def test_summary_shows_organisation_and_licence_dates(web, sponsor):
    sponsor.organisation_type = "Care provider"
    sponsor.phone = "020 7946 0123"
    sponsor.licence_expires_on = date(2032, 1, 9)
    sponsor.save()
    page = text(web.get("/licence/"))
    assert "Type of organisation Care provider" in page
    assert "Telephone 020 7946 0123" in page
    assert "Licence granted 10 January 2022" in page
    assert "Licence expires 9 January 2032" in page
    assert f"Licence number {sponsor.licence_number}" in page


def test_summary_links_to_the_key_personnel_page(web, sponsor):
    KeyPersonFactory(sponsor=sponsor)
    assert 'href="/licence/key-personnel/"' in web.get("/licence/").content.decode()


# ---------------------------------------------------------------- the banner


def test_a_b_rated_licence_shows_what_is_blocked_and_links_to_action_plans(web, sponsor):
    SponsorRoute.objects.create(sponsor=sponsor, route=Route.CREATIVE_WORKER, rating=Rating.B)
    response = web.get("/licence/")
    page = text(response)
    assert "B rating Your licence has a B rating." in page
    assert "These routes are B-rated: Creative Worker" in page
    for blocked in (
        "assign certificates of sponsorship to new workers",
        "use Defined certificates of sponsorship",
        "get Premium customer service",
        "get Student Sponsor status",
    ):
        assert blocked in page
    assert 'href="/licence/action-plans/">See your action plans</a>' in response.content.decode()


def test_the_b_rated_banner_is_on_the_home_page_too(web, sponsor):
    rate(sponsor, Route.SKILLED_WORKER, Rating.B)
    assert "Your licence has a B rating." in text(web.get("/home/"))


def test_an_a_rated_licence_has_no_banner(web):
    page = text(web.get("/licence/"))
    assert "B rating" not in page
    assert "Your licence is" not in page


def test_a_suspended_licence_shows_the_reason_the_response_date_and_what_is_blocked(web, sponsor):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.status_reason = "Right to work checks were missing for three workers."
    sponsor.status_response_due = date(2026, 12, 14)
    sponsor.save()
    page = text(web.get("/licence/"))
    assert "Your licence is suspended." in page
    assert "Why: Right to work checks were missing for three workers." in page
    assert "You must respond to the Home Office by 14 December 2026" in page
    for blocked in (
        "create, assign, export or view certificates",
        "request allocations",
        "apply for Premium customer service or Student Sponsor status",
        "use Defined certificates of sponsorship",
    ):
        assert blocked in page


def test_a_dormant_licence_shows_its_banner_on_the_home_page(web, sponsor):
    sponsor.status = LicenceStatus.DORMANT
    sponsor.save()
    page = text(web.get("/home/"))
    assert "Your licence is dormant." in page
    assert "use the licence menu, which is hidden" in page


def test_level2_sees_the_banner_without_level1_functions(signed_in, level2, sponsor):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    rate(sponsor, Route.SKILLED_WORKER, Rating.B)
    page = signed_in(level2).get("/home/").content.decode()
    assert "Your licence is suspended." in page
    assert "Your licence has a B rating." in page
    assert "Defined certificates of sponsorship" not in page
    assert "action-plans" not in page


# ---------------------------------------------------------------- speed


def test_summary_query_count_does_not_grow_with_routes_and_allocations(web, sponsor):
    AllocationFactory(sponsor=sponsor, route=Route.SKILLED_WORKER)
    few = queries_for(web, "/licence/")
    today = timezone.localdate()
    for route in (Route.STUDENT, Route.CHARITY_WORKER, Route.SEASONAL_WORKER, Route.SCALE_UP):
        SponsorRoute.objects.create(sponsor=sponsor, route=route, rating=Rating.B)
        AllocationFactory(sponsor=sponsor, route=route, limit=30, used=4)
        AllocationFactory(
            sponsor=sponsor,
            route=route,
            year_start=today + timedelta(days=300),
            year_end=today + timedelta(days=664),
        )
    many = queries_for(web, "/licence/")
    assert many == few
