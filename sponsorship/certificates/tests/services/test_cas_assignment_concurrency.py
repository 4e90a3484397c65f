"""Thirty CAS assigned at once from a Student allocation of ten: exactly ten are assigned, with ten
different 14-character numbers, and the other twenty drafts are left as they were (DOMAIN.md
"Allocations": the remaining count never goes below zero, even under concurrent assignment).
PostgreSQL only: SQLite serialises every write transaction."""

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone

from sponsorship.accounts.tests.factories import Level1Factory, Level2Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import Certificate, CertificateEvent, CertificateStatus
from sponsorship.certificates.services import certificate_assign
from sponsorship.certificates.tests.factories import complete_cas
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
    "You have insufficient remaining allocation for Student. Request an increase to your "
    "allocation."
)


@pytest.fixture
def frozen():
    """Real time here (the package's conftest freezes it): the threads share the clock."""
    return None


def cas_valid_today(users, count: int) -> list[Certificate]:
    """Complete CAS drafts for different students, for a course starting in 30 days: assignable
    on the real date."""
    start = timezone.localdate() + relativedelta(days=30)
    today = timezone.localdate()
    return [
        complete_cas(
            users[n % len(users)],
            family_name=f"Student{n:02d}",
            passport_number=f"PA{n:07d}",
            student_id=f"S{n:05d}",
            passport_issue_date=today - relativedelta(years=1),
            passport_expiry_date=today + relativedelta(years=5),
            course_start_date=start,
            course_end_date=start + relativedelta(years=1),
        )
        for n in range(count)
    ]


def test_thirty_cas_assigned_at_once_from_an_allocation_of_ten():
    sponsor = SponsorFactory(routes=[Route.STUDENT])
    users = [Level1Factory(sponsor=sponsor), Level2Factory(sponsor=sponsor)]
    allocation = AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=10, used=0)
    drafts = cas_valid_today(users, 30)

    outcomes = race(
        lambda n: certificate_assign(
            actor=drafts[n].owner, certificate=drafts[n], version=drafts[n].version, ip=None
        ),
        30,
    )

    assigned = [o for o in outcomes if isinstance(o, Certificate)]
    refused = [o for o in outcomes if isinstance(o, AllocationExhausted)]
    assert (len(assigned), len(refused)) == (10, 20)
    assert {o.message for o in refused} == {NO_ALLOCATION}

    allocation.refresh_from_db()
    assert (allocation.used, allocation.remaining) == (10, 0)

    rows = Certificate.objects.filter(pk__in=[d.pk for d in drafts])
    live = rows.filter(status=CertificateStatus.ASSIGNED)
    numbers = list(live.values_list("number", flat=True))
    assert len(set(numbers)) == 10
    assert all(len(n) == 14 and n.startswith("E") for n in numbers)
    untouched = rows.exclude(pk__in=[o.pk for o in assigned])
    assert set(untouched.values_list("status", "number", "version", "use_by")) == {
        (CertificateStatus.DRAFT, None, 1, None)
    }
    assert not CertificateEvent.objects.filter(certificate__in=untouched).exists()
    remaining = sorted(
        e.payload["allocation_remaining"]
        for e in AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_ASSIGNED)
    )
    assert remaining == list(range(10))


def test_the_same_cas_assigned_from_many_tabs_at_once_is_assigned_once():
    sponsor = SponsorFactory(routes=[Route.STUDENT])
    user = Level1Factory(sponsor=sponsor)
    AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=10, used=0)
    (draft,) = cas_valid_today([user], 1)
    copies = [
        Certificate.objects.select_related("sponsor", "cas").get(pk=draft.pk) for _ in range(8)
    ]

    outcomes = race(
        lambda n: certificate_assign(actor=user, certificate=copies[n], version=1, ip=None), 8
    )

    assert sum(isinstance(o, Certificate) for o in outcomes) == 1
    assert {o.code for o in outcomes if isinstance(o, Conflict)} == {"stale_edit"}
    assert Allocation.objects.get(sponsor=sponsor).used == 1
    assert Certificate.objects.get(pk=draft.pk).status == CertificateStatus.ASSIGNED
