"""Uploads and pack requests at once: versions are numbered without gaps or repeats, and one
pack is queued. PostgreSQL only: SQLite serialises every write transaction."""

from unittest import mock

import pytest
from django.db import connection

from sponsorship.core.errors import Conflict
from sponsorship.core.tests.concurrency import race

from ...items import RecordItem
from ...models import EvidencePack, RecordVersion
from ...services import evidence_pack_request
from ...services import packs as packs_module
from ..support import upload

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


def test_eight_uploads_at_once_are_versions_one_to_eight(level1, worker):
    race(lambda n: upload(worker, RecordItem.SALARY, level1, name=f"payslip-{n}.pdf"), 8)
    numbers = sorted(RecordVersion.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))


def test_five_requests_at_once_queue_one_pack(level1):
    with mock.patch.object(packs_module, "_enqueue"):
        outcomes = race(lambda n: evidence_pack_request(actor=level1, ip=None), 5)
    assert sum(isinstance(o, Conflict) for o in outcomes) == 4
    assert EvidencePack.objects.count() == 1
