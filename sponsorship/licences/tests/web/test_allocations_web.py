"""Allocations on the web: this year's and next year's per route, the renewal window, the
requests; asking for an increase or renewal; refused with the reason while suspended or dormant."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sponsorship.licences.models import (
    EvidenceFile,
    LicenceRequest,
    LicenceStatus,
    RequestKind,
    RequestStatus,
    Route,
    SponsorRoute,
)
from sponsorship.licences.services import request_decide
from sponsorship.licences.tests.factories import AllocationFactory, LicenceRequestFactory

from .documents import exe_renamed_pdf, pdf, stored_files
from .support import field_error, text

LONDON = ZoneInfo("Europe/London")
URL = "/licence/allocations/"


@pytest.fixture(autouse=True)
def frozen():
    """Monday 16 November 2026, 10:00 in London."""
    with time_machine.travel(datetime(2026, 11, 16, 10, 0, tzinfo=LONDON), tick=False) as t:
        yield t


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def this_year(sponsor):
    """6 April 2026 to 5 April 2027: renewal opens 90 days before the end, on 5 January 2027."""
    return AllocationFactory(
        sponsor=sponsor,
        route=Route.SKILLED_WORKER,
        year_start=date(2026, 4, 6),
        year_end=date(2027, 4, 5),
        limit=20,
        used=7,
    )


@pytest.fixture
def ending_soon(sponsor):
    """A Student route year that ends on 31 December 2026: its renewal window is open."""
    SponsorRoute.objects.create(sponsor=sponsor, route=Route.STUDENT)
    return AllocationFactory(
        sponsor=sponsor,
        route=Route.STUDENT,
        year_start=date(2026, 1, 1),
        year_end=date(2026, 12, 31),
        limit=300,
        used=250,
    )


def increase(**overrides):
    data = {
        "route": Route.SKILLED_WORKER,
        "number": "6",
        "justification": "Six senior carers for the new Bristol home, starting in January.",
    }
    data.update(overrides)
    return data


def test_the_page_shows_each_routes_allocation_and_renewal(
    signed_in, level1, this_year, ending_soon
):
    AllocationFactory(
        sponsor=level1.sponsor,
        route=Route.STUDENT,
        year_start=date(2027, 1, 1),
        year_end=date(2027, 12, 31),
        limit=320,
    )
    response = signed_in(level1).get(URL)
    assert response.status_code == 200
    words = text(response)
    skilled = words[words.index("Skilled Worker This year") :]
    assert skilled.startswith(
        "Skilled Worker This year's allocation 20 Used 7 Remaining 13 Year ends 5 April 2027 "
        "Next year's allocation Not granted yet Renewal window opens 5 January 2027 "
        "Renewal The renewal window opens on 5 January 2027."
    )
    student = words[words.index("Student This year") :]
    assert student.startswith(
        "Student This year's allocation 300 Used 250 Remaining 50 Year ends 31 December 2026 "
        "Next year's allocation 320, from 1 January 2027 to 31 December 2027 "
        "Renewal window opens 2 October 2026 Renewal Next year's allocation is already in place."
    )
    assert 'href="/licence/allocations/increase/"' in response.content.decode()


def test_a_route_with_no_allocation_invites_a_request(signed_in, level1):
    words = text(signed_in(level1).get(URL))
    assert "This year's allocation None. Request an allocation for Skilled Worker" in words
    assert "You have no allocation this year to renew." in words


def test_renewal_is_offered_only_inside_the_window(signed_in, level1, this_year, ending_soon):
    client = signed_in(level1)
    page = client.get(URL).content.decode()
    assert 'href="/licence/allocations/renew/student/"' in page
    assert 'href="/licence/allocations/renew/skilled-worker/"' not in page
    response = client.get("/licence/allocations/renew/skilled-worker/")
    assert response.status_code == 409
    assert "The renewal window opens on 5 January 2027." in text(response)
    posted = client.post(
        "/licence/allocations/renew/skilled-worker/", {"number": "20", "justification": ""}
    )
    assert posted.status_code == 409
    assert not LicenceRequest.objects.exists()


def test_renewal_inside_the_window_is_sent(signed_in, level1, ending_soon, frozen):
    client = signed_in(level1)
    page = client.get(URL).content.decode()
    assert 'href="/licence/allocations/renew/student/"' in page
    form = client.get("/licence/allocations/renew/student/")
    assert form.status_code == 200
    assert 'value="300"' in form.content.decode()  # this year's number, to start from
    response = client.post(
        "/licence/allocations/renew/student/",
        {"number": "350", "justification": "A new nursing course."},
    )
    request = LicenceRequest.objects.get()
    assert response["Location"] == f"/licence/requests/{request.pk}/sent/"
    assert request.kind == RequestKind.ALLOCATION_RENEWAL
    assert request.route == Route.STUDENT
    assert request.number_requested == 350
    sent = text(client.get(response["Location"]))
    assert f"Allocation renewal sent Your reference {request.reference}" in sent

    overview = client.get(URL)
    assert f"You asked for renewal: request {request.reference}" in text(overview)
    assert 'href="/licence/allocations/renew/student/"' not in overview.content.decode()


def test_renewal_of_a_route_the_licence_does_not_hold_is_not_found(signed_in, level1):
    client = signed_in(level1)
    assert client.get("/licence/allocations/renew/seasonal-worker/").status_code == 404
    assert client.get("/licence/allocations/renew/no-such-route/").status_code == 404


def test_an_increase_is_sent_with_optional_evidence(signed_in, level1, this_year, media):
    client = signed_in(level1)
    form = client.get("/licence/allocations/increase/")
    assert form.status_code == 200
    page = form.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" multiple' in page
    assert 'value="SKILLED_WORKER" checked' in page  # the only route, chosen already

    response = client.post(
        "/licence/allocations/increase/", {**increase(), "evidence": [pdf("contract.pdf")]}
    )
    request = LicenceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/licence/requests/{request.pk}/sent/"
    assert request.kind == RequestKind.ALLOCATION_INCREASE
    assert request.number_requested == 6
    assert request.description.startswith("Six senior carers")
    assert [e.original_name for e in request.evidence.all()] == ["contract.pdf"]
    assert "Allocation increase sent" in text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number", "", "Enter how many certificates you need"),
        ("number", "six", "Enter the number of certificates as a whole number, like 5"),
        ("number", "0", "Enter a number of certificates of 1 or more"),
        ("number", "100001", "Enter a number of certificates no larger than 100,000"),
        ("justification", " ", "Explain why you need more certificates"),
        ("route", "", "Choose the route"),
        ("route", Route.SEASONAL_WORKER, "Choose one of your licence's routes"),
    ],
)
def test_each_mistake_in_an_increase_has_its_message(signed_in, level1, field, value, message):
    response = signed_in(level1).post("/licence/allocations/increase/", increase(**{field: value}))
    assert response.status_code == 400
    assert field_error(response, field) == f"Error: {message}"
    assert not LicenceRequest.objects.exists()


def test_a_bad_evidence_file_refuses_the_increase(signed_in, level1, media):
    response = signed_in(level1).post(
        "/licence/allocations/increase/", {**increase(), "evidence": [exe_renamed_pdf()]}
    )
    assert response.status_code == 400
    assert "invoice.pdf does not look like a PDF file." in field_error(response, "evidence")
    assert not LicenceRequest.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert stored_files(media) == []


def test_a_second_outstanding_increase_for_a_route_is_refused(signed_in, level1):
    LicenceRequestFactory(submitted_by=level1)
    response = signed_in(level1).post("/licence/allocations/increase/", increase())
    assert response.status_code == 409
    assert "You already have an outstanding allocation increase request for Skilled Worker." in (
        text(response)
    )
    assert LicenceRequest.objects.count() == 1


def test_outstanding_and_decided_requests_are_listed(signed_in, level1, caseworker, this_year):
    waiting = LicenceRequestFactory(submitted_by=level1, number_requested=4)
    decided = LicenceRequestFactory(submitted_by=level1, number_requested=9)
    request_decide(
        caseworker=caseworker,
        request_id=decided.pk,
        outcome=RequestStatus.PARTLY_GRANTED,
        reasons="Three are evidenced.",
        number_granted=3,
        ip=None,
    )
    words = text(signed_in(level1).get(URL))
    outstanding = words[words.index("Outstanding allocation requests") :]
    assert outstanding.index(waiting.reference) < outstanding.index("Decided allocation requests")
    decided_part = words[words.index("Decided allocation requests") :]
    assert f"{decided.reference} Allocation increase: Skilled Worker 9 3" in decided_part
    assert "Partly granted" in decided_part


def test_withdrawing_an_allocation_request_from_its_page(signed_in, level1):
    request = LicenceRequestFactory(submitted_by=level1)
    client = signed_in(level1)
    assert client.post(f"/licence/requests/{request.pk}/withdraw/").status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN


def test_another_sponsors_allocations_and_requests_are_not_shown(
    signed_in, level1, other_level1, this_year
):
    AllocationFactory(
        sponsor=other_level1.sponsor,
        year_start=date(2026, 4, 6),
        year_end=date(2027, 4, 5),
        limit=777,
    )
    theirs = LicenceRequestFactory(submitted_by=other_level1)
    words = text(signed_in(level1).get(URL))
    assert "777" not in words
    assert theirs.reference not in words


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (LicenceStatus.SUSPENDED, "Not available while your licence is suspended."),
        (LicenceStatus.DORMANT, "The licence menu is not available while the licence is dormant."),
    ],
)
def test_a_suspended_or_dormant_licence_is_refused_with_the_reason(
    signed_in, level1, this_year, ending_soon, status, reason
):
    level1.sponsor.status = status
    level1.sponsor.save()
    client = signed_in(level1)
    for url in (URL, "/licence/allocations/increase/", "/licence/allocations/renew/student/"):
        response = client.get(url)
        assert response.status_code == 409, url
        assert reason in text(response), url
    assert client.post("/licence/allocations/increase/", increase()).status_code == 409
    assert client.post("/licence/allocations/renew/student/", {"number": "300"}).status_code == 409
    assert not LicenceRequest.objects.exists()


def test_level2_cannot_use_allocations(signed_in, level2, this_year, ending_soon):
    client = signed_in(level2)
    for url in (URL, "/licence/allocations/increase/", "/licence/allocations/renew/student/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/licence/allocations/increase/", increase()).status_code == 403
    assert not LicenceRequest.objects.exists()
