"""Yearly allocations (DOMAIN.md "Allocations"): increases and renewals requested and granted,
units taken one at a time and never below zero, unused units lapsing, A-rated sponsors
renewed automatically by the daily sweep."""

import re
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from sponsorship.audit.models import AuditVerb
from sponsorship.core.errors import AllocationExhausted, ApplicationError, Conflict
from sponsorship.core.sweep import daily_sweep
from sponsorship.licences.models import (
    Allocation,
    LicenceStatus,
    Rating,
    RequestKind,
    RequestStatus,
    Route,
    SponsorRoute,
)
from sponsorship.licences.services import (
    allocation_increase_request,
    allocation_lapse_ended,
    allocation_renew_automatically,
    allocation_renewal_request,
    allocation_take,
    renewal_denial,
    request_decide,
    request_withdraw,
)
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory

from .support import PDF, TODAY, at, events, recipients, upload

SW = Route.SKILLED_WORKER
EXHAUSTED = (
    "You have insufficient remaining allocation for Skilled Worker. "
    "Request an increase to your allocation."
)
LAPSE = "sponsorship.licences.services.allocation_lapse_ended"
RENEW = "sponsorship.licences.services.allocation_renew_automatically"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def this_year(sponsor, route=SW, **kwargs):
    """1 April 2026 to 31 March 2027, unless told otherwise."""
    values = {"year_start": date(2026, 4, 1), "year_end": date(2027, 3, 31), "limit": 10}
    values.update(kwargs)
    return AllocationFactory(sponsor=sponsor, route=route, **values)


def ask_increase(actor, route=SW, number=5, justification="Five new care roles from January."):
    return allocation_increase_request(
        actor=actor,
        route=route,
        number=number,
        justification=justification,
        evidence=[],
        ip=None,
    )


def ask_renewal(actor, route=SW, number=12):
    return allocation_renewal_request(
        actor=actor, route=route, number=number, justification="As last year.", ip=None
    )


def grant(caseworker, request, outcome=RequestStatus.GRANTED, **kwargs):
    return request_decide(
        caseworker=caseworker,
        request_id=request.pk,
        outcome=outcome,
        reasons=kwargs.pop("reasons", "Partly."),
        ip=None,
        **kwargs,
    )


def fresh(allocation: Allocation) -> Allocation:
    return Allocation.objects.get(pk=allocation.pk)


# Asking for an increase.


def test_asking_for_an_increase(level1):
    request = allocation_increase_request(
        actor=level1,
        route=SW,
        number=5,
        justification="  Five new care roles from January.  ",
        evidence=[upload("rota.pdf", PDF)],
        ip="192.0.2.1",
    )
    assert request.kind == RequestKind.ALLOCATION_INCREASE
    assert request.status == RequestStatus.SUBMITTED
    assert (request.route, request.number_requested) == (SW, 5)
    assert request.description == "Five new care roles from January."
    assert request.evidence.get().original_name == "rota.pdf"
    assert recipients("request_submitted") == [level1.email]
    (event,) = events(AuditVerb.REQUEST_SUBMITTED)
    assert event.payload["kind"] == "ALLOCATION_INCREASE"


def test_a_route_the_licence_does_not_hold_is_refused(level1):
    with pytest.raises(ApplicationError) as refused:
        ask_increase(level1, route=Route.STUDENT)
    assert refused.value.field == "route"
    with pytest.raises(ApplicationError):
        ask_increase(level1, route="NOT_A_ROUTE")


@pytest.mark.parametrize("number", [0, -3, 100_001])
def test_the_number_must_be_from_1_to_100000(level1, number):
    with pytest.raises(ApplicationError, match="from 1 to 100,000") as refused:
        ask_increase(level1, number=number)
    assert refused.value.field == "number"
    assert not level1.sponsor.requests.exists()


@pytest.mark.parametrize("number", [1, 100_000])
def test_the_bounds_of_the_number_are_accepted(level1, number):
    assert ask_increase(level1, number=number).number_requested == number


@pytest.mark.parametrize("justification", ["", "   \n"])
def test_a_justification_is_needed(level1, justification):
    with pytest.raises(ApplicationError) as refused:
        ask_increase(level1, justification=justification)
    assert refused.value.field == "justification"


def test_one_outstanding_increase_per_route(level1):
    ask_increase(level1)
    with pytest.raises(Conflict, match="already have an outstanding allocation increase") as c:
        ask_increase(level1, number=2)
    assert c.value.code == "request_outstanding"
    assert level1.sponsor.requests.count() == 1


def test_a_question_from_the_home_office_still_leaves_it_outstanding(level1, caseworker):
    from sponsorship.licences.services import request_ask_for_information

    request = ask_increase(level1)
    request_ask_for_information(
        caseworker=caseworker, request_id=request.pk, question="Which roles?", ip=None
    )
    with pytest.raises(Conflict):
        ask_increase(level1)


def test_another_route_or_another_kind_is_separate(level1):
    SponsorRoute.objects.create(sponsor=level1.sponsor, route=Route.CREATIVE_WORKER)
    level1.sponsor.__dict__.pop("_route_ratings", None)
    this_year(level1.sponsor, year_end=TODAY + timedelta(days=30))
    ask_increase(level1)
    ask_increase(level1, route=Route.CREATIVE_WORKER)
    ask_renewal(level1)
    assert level1.sponsor.requests.count() == 3


def test_once_withdrawn_or_decided_another_may_be_asked(level1, caseworker):
    first = ask_increase(level1)
    request_withdraw(actor=level1, request_id=first.pk, ip=None)
    second = ask_increase(level1)
    grant(caseworker, second, RequestStatus.REFUSED, reasons="No.")
    ask_increase(level1)
    assert level1.sponsor.requests.count() == 3


def test_another_sponsors_request_does_not_count(level1, other_level1):
    ask_increase(other_level1)
    ask_increase(level1)


# Granting an increase.


def test_a_granted_increase_adds_to_this_years_limit(level1, caseworker):
    allocation = this_year(level1.sponsor, limit=10, used=7)
    grant(caseworker, ask_increase(level1, number=5))
    allocation = fresh(allocation)
    assert (allocation.limit, allocation.used, allocation.remaining) == (15, 7, 8)
    assert Allocation.objects.count() == 1
    (event,) = events(AuditVerb.ALLOCATION_CHANGED)
    assert event.actor == caseworker
    assert event.payload["added"] == 5
    assert event.payload["limit"] == 15


def test_a_partly_granted_increase_adds_what_was_granted(level1, caseworker):
    allocation = this_year(level1.sponsor, limit=10)
    grant(
        caseworker, ask_increase(level1, number=5), RequestStatus.PARTLY_GRANTED, number_granted=2
    )
    assert fresh(allocation).limit == 12


def test_a_refused_increase_adds_nothing(level1, caseworker):
    allocation = this_year(level1.sponsor, limit=10)
    grant(caseworker, ask_increase(level1), RequestStatus.REFUSED, reasons="No evidence.")
    assert fresh(allocation).limit == 10
    assert not events(AuditVerb.ALLOCATION_CHANGED)


def test_with_no_allocation_a_grant_starts_a_year_from_today(level1, caseworker):
    this_year(level1.sponsor, year_start=date(2025, 4, 1), year_end=date(2026, 3, 31))  # ended
    grant(caseworker, ask_increase(level1, number=5))
    allocation = Allocation.objects.get(year_start=TODAY)
    assert allocation.year_end == date(2027, 11, 15)
    assert (allocation.limit, allocation.used) == (5, 0)
    assert not allocation.renewed_automatically


def test_a_year_from_29_february_ends_on_28_february(level1, caseworker, frozen):
    frozen.move_to(at(date(2028, 2, 29)))
    grant(caseworker, ask_increase(level1, number=3))
    allocation = Allocation.objects.get()
    assert (allocation.year_start, allocation.year_end) == (date(2028, 2, 29), date(2029, 2, 28))


# Renewal.


def test_renewal_is_refused_before_the_window_opens(level1):
    this_year(level1.sponsor, year_end=TODAY + timedelta(days=91))
    with pytest.raises(
        Conflict, match=re.escape("The renewal window opens on 17 November 2026.")
    ) as c:
        ask_renewal(level1)
    assert c.value.code == "renewal_window"
    assert not level1.sponsor.requests.exists()


def test_renewal_is_allowed_from_the_day_the_window_opens(level1):
    this_year(level1.sponsor, year_end=TODAY + timedelta(days=90))
    request = ask_renewal(level1, number=12)
    assert request.kind == RequestKind.ALLOCATION_RENEWAL
    assert request.number_requested == 12


def test_the_window_is_a_setting(level1, settings):
    settings.ALLOCATION_RENEWAL_WINDOW_DAYS = 30
    this_year(level1.sponsor, year_end=TODAY + timedelta(days=60))
    denial = renewal_denial(level1.sponsor, SW, TODAY)
    assert denial == "The renewal window opens on 16 December 2026."
    settings.ALLOCATION_RENEWAL_WINDOW_DAYS = 60
    assert renewal_denial(level1.sponsor, SW, TODAY) is None


def test_renewal_needs_an_allocation_to_renew(level1):
    with pytest.raises(Conflict, match="no allocation this year"):
        ask_renewal(level1)


def test_a_granted_renewal_creates_next_years_allocation(level1, caseworker):
    current = this_year(level1.sponsor, year_end=date(2027, 1, 31), limit=10, used=9)
    grant(caseworker, ask_renewal(level1, number=12))

    assert fresh(current).limit == 10  # this year is untouched
    upcoming = Allocation.objects.get(year_start=date(2027, 2, 1))
    assert upcoming.year_end == date(2028, 1, 31)
    assert (upcoming.limit, upcoming.used) == (12, 0)
    denial = renewal_denial(level1.sponsor, SW, TODAY)
    assert denial == "Next year's allocation is already in place."
    with pytest.raises(Conflict):
        ask_renewal(level1)


def test_one_outstanding_renewal_per_route(level1):
    this_year(level1.sponsor, year_end=TODAY + timedelta(days=30))
    ask_renewal(level1)
    with pytest.raises(Conflict) as refused:
        ask_renewal(level1)
    assert refused.value.code == "request_outstanding"


# Taking a unit.


def test_taking_a_unit(sponsor):
    allocation = this_year(sponsor, limit=2)
    taken = allocation_take(sponsor=sponsor, route=SW, on=TODAY)
    assert taken.pk == allocation.pk
    assert (taken.used, taken.remaining) == (1, 1)
    assert allocation_take(sponsor=sponsor, route=SW, on=TODAY).remaining == 0


def test_none_left_is_refused_with_the_domain_message(sponsor):
    allocation = this_year(sponsor, limit=1, used=1)
    with pytest.raises(AllocationExhausted) as refused:
        allocation_take(sponsor=sponsor, route=SW, on=TODAY)
    assert refused.value.message == EXHAUSTED
    assert refused.value.code == "allocation_exhausted"
    assert refused.value.http_status == 409
    assert fresh(allocation).used == 1


def test_a_limit_of_zero_is_refused(sponsor):
    this_year(sponsor, limit=0)
    with pytest.raises(AllocationExhausted):
        allocation_take(sponsor=sponsor, route=SW, on=TODAY)


def test_no_allocation_this_year_is_refused(sponsor):
    with pytest.raises(AllocationExhausted, match="insufficient remaining allocation"):
        allocation_take(sponsor=sponsor, route=SW, on=TODAY)


def test_an_ended_or_future_year_is_not_used(sponsor):
    this_year(sponsor, year_start=date(2025, 4, 1), year_end=date(2026, 3, 31))
    this_year(sponsor, year_start=date(2027, 4, 1), year_end=date(2028, 3, 31))
    with pytest.raises(AllocationExhausted):
        allocation_take(sponsor=sponsor, route=SW, on=TODAY)
    assert allocation_take(sponsor=sponsor, route=SW, on=date(2027, 4, 1)).used == 1


def test_the_last_day_of_the_year_still_counts(sponsor):
    this_year(sponsor)
    assert allocation_take(sponsor=sponsor, route=SW, on=date(2027, 3, 31)).used == 1
    with pytest.raises(AllocationExhausted):
        allocation_take(sponsor=sponsor, route=SW, on=date(2027, 4, 1))


def test_another_route_or_sponsor_is_not_used(sponsor, other_sponsor):
    this_year(sponsor, route=Route.CREATIVE_WORKER)
    this_year(other_sponsor)
    with pytest.raises(AllocationExhausted):
        allocation_take(sponsor=sponsor, route=SW, on=TODAY)
    assert set(Allocation.objects.values_list("used", flat=True)) == {0}


def test_the_creative_worker_message_names_its_route(sponsor):
    with pytest.raises(AllocationExhausted, match="for Creative Worker\\."):
        allocation_take(sponsor=sponsor, route=Route.CREATIVE_WORKER, on=TODAY)


# The database itself refuses impossible counts.


def test_the_database_refuses_more_used_than_the_limit(sponsor):
    allocation = this_year(sponsor, limit=3, used=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=allocation.pk).update(used=F("limit") + 1)
    assert fresh(allocation).used == 3


def test_the_database_refuses_a_limit_below_what_was_used(sponsor):
    allocation = this_year(sponsor, limit=3, used=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=allocation.pk).update(limit=F("limit") - 1)


def test_the_database_refuses_negative_counts(sponsor):
    allocation = this_year(sponsor, limit=3, used=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=allocation.pk).update(used=F("used") - 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=allocation.pk).update(limit=-1, used=-2)
    assert fresh(allocation).used == 0


def test_the_database_refuses_a_year_ending_before_it_starts(sponsor):
    with pytest.raises(IntegrityError), transaction.atomic():
        this_year(sponsor, year_start=date(2026, 4, 1), year_end=date(2026, 3, 31))


def test_the_database_refuses_two_allocations_for_one_year(sponsor):
    this_year(sponsor)
    with pytest.raises(IntegrityError), transaction.atomic():
        this_year(sponsor, year_end=date(2026, 12, 31))


# Lapsing (daily sweep).


def test_unused_units_lapse_once_the_year_has_ended(sponsor):
    ended = this_year(sponsor, year_start=date(2025, 4, 1), year_end=date(2026, 3, 31), used=4)
    current = this_year(sponsor)

    assert allocation_lapse_ended(TODAY) == 1
    assert fresh(ended).lapsed_units == 6
    assert fresh(current).lapsed_units is None
    (event,) = events(AuditVerb.ALLOCATION_LAPSED)
    assert event.actor is None
    assert event.actor_label == "daily sweep"
    assert event.sponsor == sponsor
    assert event.target_id == str(ended.pk)
    assert event.payload == {"route": SW, "lapsed": 6}


def test_lapsing_is_idempotent(sponsor):
    ended = this_year(sponsor, year_start=date(2025, 4, 1), year_end=date(2026, 3, 31), used=4)
    assert allocation_lapse_ended(TODAY) == 1
    assert allocation_lapse_ended(TODAY) == 0
    assert allocation_lapse_ended(TODAY + timedelta(days=1)) == 0
    assert fresh(ended).lapsed_units == 6
    assert len(events(AuditVerb.ALLOCATION_LAPSED)) == 1


def test_a_year_lapses_the_day_after_it_ends(sponsor):
    allocation = this_year(sponsor, year_end=TODAY)
    assert allocation_lapse_ended(TODAY) == 0
    assert allocation_lapse_ended(TODAY + timedelta(days=1)) == 1
    assert fresh(allocation).lapsed_units == 10


def test_a_fully_used_year_lapses_nothing_but_is_recorded(sponsor):
    allocation = this_year(
        sponsor, year_start=date(2025, 4, 1), year_end=date(2026, 3, 31), limit=5, used=5
    )
    assert allocation_lapse_ended(TODAY) == 1
    assert fresh(allocation).lapsed_units == 0


def test_the_daily_sweep_lapses_allocations(sponsor):
    this_year(sponsor, year_start=date(2025, 4, 1), year_end=date(2026, 3, 31), used=4)
    assert daily_sweep(TODAY)[LAPSE] == 1
    assert daily_sweep(TODAY)[LAPSE] == 0


# Automatic renewal (daily sweep).


def ending_soon(sponsor, route=SW, days=10, **kwargs):
    end = TODAY + timedelta(days=days)
    return AllocationFactory(
        sponsor=sponsor,
        route=route,
        year_start=end - timedelta(days=364),
        year_end=end,
        **{"limit": 10, "used": 4, **kwargs},
    )


def next_year_of(allocation: Allocation) -> Allocation | None:
    return Allocation.objects.filter(
        sponsor=allocation.sponsor,
        route=allocation.route,
        year_start=allocation.year_end + timedelta(days=1),
    ).first()


def test_an_a_rated_route_is_renewed_with_the_same_number(sponsor):
    allocation = ending_soon(sponsor, limit=10, used=4)
    assert allocation_renew_automatically(TODAY) == 1

    renewed = next_year_of(allocation)
    assert renewed is not None
    assert renewed.year_start == date(2026, 11, 27)
    assert renewed.year_end == date(2027, 11, 26)
    assert (renewed.limit, renewed.used) == (10, 0)
    assert renewed.renewed_automatically
    (event,) = events(AuditVerb.ALLOCATION_CHANGED)
    assert event.actor_label == "daily sweep"
    assert event.sponsor == sponsor
    assert event.payload == {"renewed_automatically": True, "limit": 10}


def test_on_the_used_basis_the_number_used_is_renewed(sponsor, settings):
    settings.ALLOCATION_AUTO_RENEWAL_BASIS = "used"
    allocation = ending_soon(sponsor, limit=10, used=4)
    allocation_renew_automatically(TODAY)
    assert next_year_of(allocation).limit == 4


@pytest.mark.parametrize(
    ("days", "renewed"),
    [(0, True), (10, True), (30, True), (31, False), (200, False)],
)
def test_only_years_ending_within_the_horizon_are_renewed(sponsor, days, renewed):
    allocation = ending_soon(sponsor, days=days)
    assert allocation_renew_automatically(TODAY) == int(renewed)
    assert (next_year_of(allocation) is not None) is renewed


def test_the_horizon_is_a_setting(sponsor, settings):
    settings.ALLOCATION_AUTO_RENEWAL_DAYS_BEFORE = 60
    allocation = ending_soon(sponsor, days=45)
    assert allocation_renew_automatically(TODAY) == 1
    assert next_year_of(allocation) is not None


def test_a_b_rated_route_is_not_renewed(sponsor):
    SponsorRoute.objects.filter(sponsor=sponsor, route=SW).update(rating=Rating.B)
    allocation = ending_soon(sponsor)
    assert allocation_renew_automatically(TODAY) == 0
    assert next_year_of(allocation) is None


def test_the_rating_of_the_allocations_own_route_decides(db):
    """A-rated for Creative Worker, B-rated for Skilled Worker: only Creative Worker renews."""
    sponsor = SponsorFactory(routes=[])
    SponsorRoute.objects.create(sponsor=sponsor, route=SW, rating=Rating.B)
    SponsorRoute.objects.create(sponsor=sponsor, route=Route.CREATIVE_WORKER, rating=Rating.A)
    skilled = ending_soon(sponsor, route=SW)
    creative = ending_soon(sponsor, route=Route.CREATIVE_WORKER)
    assert allocation_renew_automatically(TODAY) == 1
    assert next_year_of(skilled) is None
    assert next_year_of(creative) is not None


def test_a_route_no_longer_held_is_not_renewed(sponsor):
    allocation = ending_soon(sponsor, route=Route.CHARITY_WORKER)
    assert allocation_renew_automatically(TODAY) == 0
    assert next_year_of(allocation) is None


@pytest.mark.parametrize(
    "route",
    [Route.GBM_UK_EXPANSION, Route.SEASONAL_WORKER, Route.STUDENT, Route.CHILD_STUDENT],
)
def test_some_routes_are_never_renewed_automatically(db, route):
    sponsor = SponsorFactory(routes=[route])
    allocation = ending_soon(sponsor, route=route)
    assert allocation_renew_automatically(TODAY) == 0
    assert next_year_of(allocation) is None


@pytest.mark.parametrize(
    "route",
    [
        Route.SKILLED_WORKER,
        Route.GBM_SENIOR_SPECIALIST,
        Route.SCALE_UP,
        Route.MINISTER_OF_RELIGION,
        Route.CREATIVE_WORKER,
        Route.CHARITY_WORKER,
        Route.GOVERNMENT_AUTHORISED_EXCHANGE,
    ],
)
def test_other_worker_routes_are(db, route):
    sponsor = SponsorFactory(routes=[route])
    allocation = ending_soon(sponsor, route=route)
    assert allocation_renew_automatically(TODAY) == 1
    assert next_year_of(allocation) is not None


@pytest.mark.parametrize(
    "status",
    [
        LicenceStatus.SUSPENDED,
        LicenceStatus.DORMANT,
        LicenceStatus.REVOKED,
        LicenceStatus.SURRENDERED,
        LicenceStatus.EXPIRED,
    ],
)
def test_a_licence_not_active_is_not_renewed(db, status):
    sponsor = SponsorFactory(status=status)
    allocation = ending_soon(sponsor)
    assert allocation_renew_automatically(TODAY) == 0
    assert next_year_of(allocation) is None


def test_automatic_renewal_is_idempotent(sponsor):
    allocation = ending_soon(sponsor)
    assert allocation_renew_automatically(TODAY) == 1
    assert allocation_renew_automatically(TODAY) == 0
    assert allocation_renew_automatically(TODAY + timedelta(days=1)) == 0
    assert Allocation.objects.filter(sponsor=sponsor).count() == 2
    assert next_year_of(allocation).limit == 10
    assert len(events(AuditVerb.ALLOCATION_CHANGED)) == 1


def test_a_renewal_already_granted_by_hand_is_kept(sponsor):
    allocation = ending_soon(sponsor)
    AllocationFactory(
        sponsor=sponsor,
        route=SW,
        year_start=allocation.year_end + timedelta(days=1),
        year_end=allocation.year_end + timedelta(days=365),
        limit=25,
    )
    assert allocation_renew_automatically(TODAY) == 0
    assert next_year_of(allocation).limit == 25
    assert not next_year_of(allocation).renewed_automatically


def test_the_daily_sweep_renews_automatically(sponsor):
    allocation = ending_soon(sponsor)
    results = daily_sweep(TODAY)
    assert results[RENEW] == 1
    assert next_year_of(allocation).renewed_automatically
    assert daily_sweep(TODAY)[RENEW] == 0
    assert Allocation.objects.filter(sponsor=sponsor).count() == 2
