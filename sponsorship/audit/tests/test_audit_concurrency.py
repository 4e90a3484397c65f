"""Appends from many requests at once queue on the chain head: the chain never forks."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.audit.models import AuditChain, AuditEvent, AuditVerb
from sponsorship.audit.services import audit_record
from sponsorship.licences.tests.factories import SponsorFactory

WRITERS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real concurrent writers: SQLite serialises every write transaction",
    ),
]


def race(append) -> None:
    """Run `append(n)` for n in 0..WRITERS-1, all threads released at once; fail on any error."""
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait(timeout=30)
            append(n)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def test_concurrent_appends_to_one_chain_do_not_fork_it():
    sponsor = SponsorFactory()
    users = [Level1Factory(sponsor=sponsor) for _ in range(4)]
    audit_record(AuditVerb.SIGN_IN, actor=users[0])  # the chain head exists before the race
    race(lambda n: audit_record(AuditVerb.PASSWORD_CHANGED, actor=users[n % 4], payload={"n": n}))

    events = AuditEvent.objects.filter(sponsor=sponsor).order_by("seq")
    assert list(events.values_list("seq", flat=True)) == list(range(1, WRITERS + 2))
    assert sorted(e.payload["n"] for e in events if e.payload) == list(range(WRITERS))
    assert len({e.prev_hash for e in events}) == WRITERS + 1  # no two events share a parent
    assert AuditChain.objects.get(key=f"sponsor:{sponsor.pk}").last_seq == WRITERS + 1
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "verify" in out.getvalue()


def test_concurrent_first_events_create_one_chain():
    sponsor = SponsorFactory()
    user = Level1Factory(sponsor=sponsor)
    race(lambda n: audit_record(AuditVerb.SIGN_IN, actor=user, payload={"n": n}))
    assert AuditChain.objects.filter(key=f"sponsor:{sponsor.pk}").count() == 1
    seqs = AuditEvent.objects.filter(sponsor=sponsor).values_list("seq", flat=True)
    assert sorted(seqs) == list(range(1, WRITERS + 1))
    call_command("audit_verify", stdout=StringIO())
