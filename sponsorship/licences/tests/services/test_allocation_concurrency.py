"""Many assignments at once never take more units than the allocation holds (ADR 0007), and
the daily sweep's allocation steps and the "one outstanding request" rule hold when run
concurrently. PostgreSQL only: SQLite serialises every write transaction."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core.errors import AllocationExhausted, Conflict
from sponsorship.core.tests.concurrency import race
from sponsorship.licences.models import Allocation, LicenceRequest, Route
from sponsorship.licences.services import (
    allocation_increase_request,
    allocation_lapse_ended,
    allocation_renew_automatically,
    allocation_take,
)
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory

SW = Route.SKILLED_WORKER

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real concurrent writers: SQLite serialises every write transaction",
    ),
]


@pytest.fixture
def frozen():
    """Real time here (the package's conftest freezes it): the threads share the clock."""
    return None


def test_fifty_takes_from_an_allocation_of_twenty():
    sponsor = SponsorFactory()
    allocation = AllocationFactory(sponsor=sponsor, route=SW, limit=20, used=0)
    today = timezone.localdate()

    outcomes = race(lambda n: allocation_take(sponsor=sponsor, route=SW, on=today), 50)

    taken = [o for o in outcomes if isinstance(o, Allocation)]
    refused = [o for o in outcomes if isinstance(o, AllocationExhausted)]
    assert (len(taken), len(refused)) == (20, 30)
    assert all(o.pk == allocation.pk for o in taken)
    assert all(0 <= o.remaining < 20 and 1 <= o.used <= 20 for o in taken)
    assert {o.message for o in refused} == {
        "You have insufficient remaining allocation for Skilled Worker. "
        "Request an increase to your allocation."
    }
    allocation.refresh_from_db()
    assert (allocation.used, allocation.remaining) == (20, 0)


def test_units_taken_in_transactions_that_roll_back_are_given_back():
    """An assignment takes its unit inside its own transaction: when the assignment fails the
    unit returns, and the count always equals the assignments that were kept."""
    sponsor = SponsorFactory()
    allocation = AllocationFactory(sponsor=sponsor, route=SW, limit=20, used=0)
    today = timezone.localdate()

    class AssignmentFailed(Exception):
        pass

    def assign(n: int) -> str:
        try:
            with transaction.atomic():
                allocation_take(sponsor=sponsor, route=SW, on=today)
                if n % 3 == 0:
                    raise AssignmentFailed()
        except AssignmentFailed:
            return "rolled back"
        return "kept"

    outcomes = Counter(o if isinstance(o, str) else "exhausted" for o in race(assign, 50))
    allocation.refresh_from_db()
    assert allocation.used == outcomes["kept"]
    assert 0 < allocation.used <= 20
    assert sum(outcomes.values()) == 50


def test_takes_from_two_sponsors_do_not_disturb_each_other():
    first, second = SponsorFactory(), SponsorFactory()
    one = AllocationFactory(sponsor=first, route=SW, limit=15)
    two = AllocationFactory(sponsor=second, route=SW, limit=15)
    today = timezone.localdate()

    race(lambda n: allocation_take(sponsor=(first, second)[n % 2], route=SW, on=today), 40)

    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.used, two.used) == (15, 15)


def test_concurrent_increase_requests_leave_one_outstanding():
    sponsor = SponsorFactory()
    users = [Level1Factory(sponsor=sponsor) for _ in range(4)]

    def ask(n: int) -> LicenceRequest:
        return allocation_increase_request(
            actor=users[n % 4],
            route=SW,
            number=5,
            justification=f"Tab {n}.",
            evidence=[],
            ip=None,
        )

    outcomes = race(ask, 12)
    assert sum(isinstance(o, LicenceRequest) for o in outcomes) == 1
    assert {o.code for o in outcomes if isinstance(o, Conflict)} == {"request_outstanding"}
    assert LicenceRequest.objects.filter(sponsor=sponsor).count() == 1


def test_concurrent_sweeps_lapse_a_year_once():
    sponsor = SponsorFactory()
    today = timezone.localdate()
    ended = AllocationFactory(
        sponsor=sponsor,
        year_start=today - timedelta(days=500),
        year_end=today - timedelta(days=136),
        limit=10,
        used=3,
    )
    outcomes = race(lambda n: allocation_lapse_ended(today), 10)
    assert sum(outcomes) == 1
    ended.refresh_from_db()
    assert ended.lapsed_units == 7
    assert AuditEvent.objects.filter(verb=AuditVerb.ALLOCATION_LAPSED).count() == 1


def test_concurrent_sweeps_renew_a_year_once():
    sponsor = SponsorFactory()
    today = timezone.localdate()
    AllocationFactory(
        sponsor=sponsor,
        year_start=today - timedelta(days=355),
        year_end=today + timedelta(days=9),
        limit=10,
    )
    outcomes = race(lambda n: allocation_renew_automatically(today), 10)
    assert sum(outcomes) == 1
    assert Allocation.objects.filter(sponsor=sponsor).count() == 2
    assert Allocation.objects.filter(sponsor=sponsor, renewed_automatically=True).count() == 1
