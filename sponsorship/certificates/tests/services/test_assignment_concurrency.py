"""Fifty assignments at once from an allocation of twenty: exactly twenty certificates are
assigned, with twenty different numbers, and the other thirty drafts are left exactly as they
were (DOMAIN.md "Allocations": the remaining count never goes below zero, even under concurrent
assignment). PostgreSQL only: SQLite serialises every write transaction."""

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone

from sponsorship.accounts.tests.factories import Level1Factory, Level2Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import (
    Certificate,
    CertificateAction,
    CertificateEvent,
    CertificateStatus,
)
from sponsorship.certificates.services import certificate_assign
from sponsorship.certificates.tests.factories import complete_draft
from sponsorship.core.errors import AllocationExhausted, Conflict
from sponsorship.core.tests.concurrency import race
from sponsorship.licences.models import Allocation, Route
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real concurrent writers: SQLite serialises every write transaction",
    ),
]

NO_ALLOCATION = (
    "You have insufficient remaining allocation for Skilled Worker. Request an increase to your "
    "allocation."
)


@pytest.fixture
def frozen():
    """Real time here (the package's conftest freezes it): the threads share the clock."""
    return None


def drafts_valid_today(users, count: int) -> list[Certificate]:
    """Complete drafts for different people, for a job starting in 30 days and lasting two
    years: assignable on the real date."""
    start = timezone.localdate() + relativedelta(days=30)
    return [
        complete_draft(
            users[n % len(users)],
            family_name=f"Worker{n:02d}",
            passport_number=f"PA{n:07d}",
            start_date=start,
            end_date=start + relativedelta(years=2),
        )
        for n in range(count)
    ]


def test_fifty_assignments_from_an_allocation_of_twenty():
    sponsor = SponsorFactory()
    users = [Level1Factory(sponsor=sponsor), Level2Factory(sponsor=sponsor)]
    allocation = AllocationFactory(sponsor=sponsor, route=Route.SKILLED_WORKER, limit=20, used=0)
    drafts = drafts_valid_today(users, 50)

    outcomes = race(
        lambda n: certificate_assign(
            actor=drafts[n].owner, certificate=drafts[n], version=drafts[n].version, ip=None
        ),
        50,
    )

    assigned = [o for o in outcomes if isinstance(o, Certificate)]
    refused = [o for o in outcomes if isinstance(o, AllocationExhausted)]
    assert (len(assigned), len(refused)) == (20, 30)
    assert {o.message for o in refused} == {NO_ALLOCATION}

    allocation.refresh_from_db()
    assert (allocation.used, allocation.remaining) == (20, 0)

    rows = Certificate.objects.filter(pk__in=[d.pk for d in drafts])
    live = rows.filter(status=CertificateStatus.ASSIGNED)
    numbers = list(live.values_list("number", flat=True))
    assert len(numbers) == 20
    assert len(set(numbers)) == 20
    assert all(len(n) == 11 and n.startswith("C") for n in numbers)
    assert set(live.values_list("allocation", flat=True)) == {allocation.pk}
    assert {o.pk for o in assigned} == set(live.values_list("pk", flat=True))

    # The thirty refused drafts are untouched: still drafts of their first version, no number,
    # no charges, no history beyond their creation.
    untouched = rows.exclude(pk__in=[o.pk for o in assigned])
    assert untouched.count() == 30
    assert set(untouched.values_list("status", "number", "version", "fee_pence", "use_by")) == {
        (CertificateStatus.DRAFT, None, 1, None, None)
    }
    assert not CertificateEvent.objects.filter(certificate__in=untouched).exists()
    assert (
        CertificateEvent.objects.filter(
            certificate__in=live, action=CertificateAction.ASSIGNED
        ).count()
        == 20
    )
    assert AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_ASSIGNED).count() == 20
    # The audit trail saw the units go one at a time: each remaining count once, 19 down to 0.
    remaining = sorted(
        e.payload["allocation_remaining"]
        for e in AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_ASSIGNED)
    )
    assert remaining == list(range(20))


def test_the_same_draft_assigned_from_many_tabs_at_once_is_assigned_once():
    sponsor = SponsorFactory()
    user = Level1Factory(sponsor=sponsor)
    allocation = AllocationFactory(sponsor=sponsor, route=Route.SKILLED_WORKER, limit=20, used=0)
    (draft,) = drafts_valid_today([user], 1)
    # Each tab read the draft at version 1.
    copies = [
        Certificate.objects.select_related("sponsor", "cos").get(pk=draft.pk) for _ in range(10)
    ]

    outcomes = race(
        lambda n: certificate_assign(actor=user, certificate=copies[n], version=1, ip=None), 10
    )

    assert sum(isinstance(o, Certificate) for o in outcomes) == 1
    assert {o.code for o in outcomes if isinstance(o, Conflict)} == {"stale_edit"}
    allocation.refresh_from_db()
    assert allocation.used == 1
    saved = Certificate.objects.get(pk=draft.pk)
    assert saved.status == CertificateStatus.ASSIGNED
    assert Allocation.objects.filter(sponsor=sponsor).get().used == 1
