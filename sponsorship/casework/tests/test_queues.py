"""The caseworkers' work queues: counts, order, the waiting clock against the target,
filters, search, pagination, "Assign to me", and query counts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sponsorship.accounts.tests.factories import CaseworkerFactory, Level1Factory
from sponsorship.accounts.tests.journeys import text
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.casework.tests.test_casework_views import queries_for
from sponsorship.licences.models import Queue, RequestKind, RequestStatus
from sponsorship.licences.tests.factories import LicenceRequestFactory, SponsorFactory

LONDON = ZoneInfo("Europe/London")


def open_request(user, kind=RequestKind.ALLOCATION_INCREASE, **fields):
    if kind not in (RequestKind.ALLOCATION_INCREASE, RequestKind.ALLOCATION_RENEWAL):
        fields.setdefault("route", "")
        fields.setdefault("number_requested", None)
    return LicenceRequestFactory(submitted_by=user, kind=kind, **fields)


@pytest.mark.parametrize("queue", list(Queue))
def test_every_queue_page_opens(casework, queue):
    response = casework.get(f"/casework/queues/{queue.value}/")
    assert response.status_code == 200
    page = text(response)
    assert f'<h1 class="govuk-heading-l">{queue.label}</h1>' in page
    assert "0 open requests" in page
    for other in Queue:
        assert other.label in page


def test_unknown_queue_is_not_found(casework):
    assert casework.get("/casework/queues/nonsense/").status_code == 404


def test_home_links_every_queue_with_its_open_count(casework, level1):
    open_request(level1)
    open_request(level1, RequestKind.ALLOCATION_RENEWAL, status=RequestStatus.INFO_REQUESTED)
    open_request(level1, RequestKind.ORGANISATION_CHANGE)
    open_request(level1, status=RequestStatus.GRANTED)

    page = text(casework.get("/casework/"))

    assert "Find a sponsor" in page
    tag = '</a> <span class="govuk-tag govuk-tag--grey">'
    assert f'href="/casework/queues/allocations/">Allocations{tag}2 open' in page
    assert f'href="/casework/queues/changes/">Key personnel and other changes{tag}1 open' in page
    assert f'href="/casework/queues/users/">Level 1 users{tag}0 open' in page
    assert 'href="/casework/messages/"' in page


def test_queue_lists_open_requests_of_its_kinds_oldest_first(casework, level1, other_level1):
    now = timezone.now()
    middle = open_request(other_level1, submitted_at=now - timedelta(days=5))
    newest = open_request(level1, RequestKind.ALLOCATION_RENEWAL, submitted_at=now)
    oldest = open_request(
        level1, submitted_at=now - timedelta(days=9), status=RequestStatus.INFO_REQUESTED
    )
    decided = open_request(level1, status=RequestStatus.REFUSED)
    elsewhere = open_request(level1, RequestKind.PREMIUM)

    page = text(casework.get("/casework/queues/allocations/"))

    assert "3 open requests, oldest first" in page
    positions = [page.index(r.reference) for r in (oldest, middle, newest)]
    assert positions == sorted(positions)
    assert decided.reference not in page
    assert elsewhere.reference not in page
    assert oldest.sponsor.name in page
    assert middle.sponsor.licence_number in page
    assert "Allocation renewal" in page
    assert "More information requested" in page
    assert page.count("Assign to me<span") == 3


def test_waited_and_target_across_a_bank_holiday(signed_in, caseworker, level1, time_machine):
    # Friday 22 December 2023; then Christmas, Boxing Day and New Year's Day in England.
    time_machine.move_to(datetime(2024, 1, 3, 12, 0, tzinfo=LONDON), tick=False)
    client = signed_in(caseworker)
    request = open_request(
        level1,
        RequestKind.LEVEL_1_USER,
        submitted_at=datetime(2023, 12, 22, 10, 0, tzinfo=LONDON),
    )

    page = text(client.get("/casework/queues/users/"))
    # 27, 28, 29 December, 2 and 3 January: 5 working days, the users queue's target.
    assert "5 of 5 working days" in page
    assert "Over target" not in page

    time_machine.move_to(datetime(2024, 1, 4, 12, 0, tzinfo=LONDON), tick=False)
    client = signed_in(caseworker)  # a day later: the idle timeout ended the session
    page = text(client.get("/casework/queues/users/"))
    assert "6 of 5 working days" in page
    assert "Over target" in page
    detail = text(client.get(f"/casework/requests/{request.pk}/"))
    assert "6 of 5 working days" in detail
    assert "Over target" in detail


def test_the_target_is_a_setting(casework, level1, settings):
    settings.CASEWORK_TARGET_WORKING_DAYS = {**settings.CASEWORK_TARGET_WORKING_DAYS, "changes": 3}
    open_request(
        level1, RequestKind.ORGANISATION_CHANGE, submitted_at=timezone.now() - timedelta(days=1)
    )
    assert " of 3 working days" in text(casework.get("/casework/queues/changes/"))


def test_filters_by_kind_and_status(casework, level1):
    increase = open_request(level1)
    renewal = open_request(level1, RequestKind.ALLOCATION_RENEWAL)
    waiting = open_request(level1, status=RequestStatus.INFO_REQUESTED)

    page = text(casework.get("/casework/queues/allocations/", {"kind": "ALLOCATION_RENEWAL"}))
    assert renewal.reference in page
    assert increase.reference not in page

    page = text(casework.get("/casework/queues/allocations/", {"status": "INFO_REQUESTED"}))
    assert waiting.reference in page
    assert increase.reference not in page
    assert renewal.reference not in page

    # A kind of another queue is not offered, and filters nothing out.
    page = text(casework.get("/casework/queues/allocations/", {"kind": "PREMIUM"}))
    assert "3 open requests" in page
    assert 'value="PREMIUM"' not in page


@pytest.mark.parametrize("search", ["view care", "HARBOUR", "licence"])
def test_search_by_sponsor_name_or_licence_number(casework, level1, other_level1, search):
    ours = open_request(level1)
    theirs = open_request(other_level1)
    if search == "licence":
        search = ours.sponsor.licence_number.lower()
    page = text(casework.get("/casework/queues/allocations/", {"q": search}))
    assert ours.reference in page
    assert theirs.reference not in page


def test_assign_to_me(casework, caseworker, level1):
    request = open_request(level1)
    colleague = CaseworkerFactory(given_names="Tomasz", family_name="Kowalski")
    theirs = open_request(level1, RequestKind.ALLOCATION_RENEWAL, assigned_to=colleague)

    response = casework.post(
        f"/casework/requests/{request.pk}/assign/", {"next": "/casework/queues/allocations/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/casework/queues/allocations/"
    request.refresh_from_db()
    assert request.assigned_to == caseworker
    assert AuditEvent.objects.filter(verb=AuditVerb.REQUEST_ASSIGNED).count() == 1
    page = text(casework.get("/casework/queues/allocations/"))
    assert f"Request {request.reference} is assigned to you." in page
    assert "Samira Haddad" in page
    assert "Tomasz Kowalski" in page
    assert "Assign to me<span" not in page

    mine = text(casework.get("/casework/queues/allocations/", {"mine": "on"}))
    assert request.reference in mine
    assert theirs.reference not in mine


def test_assign_goes_to_the_request_without_a_safe_next(casework, level1):
    request = open_request(level1)
    response = casework.post(
        f"/casework/requests/{request.pk}/assign/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/casework/requests/{request.pk}/"


def test_a_decided_request_cannot_be_assigned(casework, level1):
    request = open_request(level1, status=RequestStatus.GRANTED)
    response = casework.post(f"/casework/requests/{request.pk}/assign/")
    assert response.status_code == 400
    assert "already been decided" in text(response)
    request.refresh_from_db()
    assert request.assigned_to is None


def test_assign_needs_a_post(casework, level1):
    request = open_request(level1)
    assert casework.get(f"/casework/requests/{request.pk}/assign/").status_code == 405


def test_queue_is_paginated(casework, level1):
    start = timezone.now() - timedelta(days=40)
    requests = [open_request(level1, submitted_at=start + timedelta(days=n)) for n in range(30)]
    first = text(casework.get("/casework/queues/allocations/"))
    assert "30 open requests" in first
    assert "Page 1 of 2" in first
    assert requests[0].reference in first
    assert requests[25].reference not in first
    second = text(casework.get("/casework/queues/allocations/", {"page": 2}))
    assert requests[25].reference in second


def test_queue_queries_do_not_grow_with_requests(casework, caseworker):
    def add(n):
        for i in range(n):
            user = Level1Factory(sponsor=SponsorFactory())
            open_request(user, assigned_to=caseworker if i % 2 else None)

    add(3)
    few = queries_for(casework, "/casework/queues/allocations/")
    add(27)
    many = queries_for(casework, "/casework/queues/allocations/")
    assert many == few
    assert many <= 10
