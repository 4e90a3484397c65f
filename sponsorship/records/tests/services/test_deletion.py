"""Deleting records past their retention date: only by a Level 1 person, only once flagged,
the files removed once committed, a tombstone and an audit event left."""

from datetime import date

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core.errors import Conflict, NotFound, NotPermitted
from sponsorship.duties.models import WorkerStatus

from ...items import RecordItem
from ...models import Record, RecordDeletion, RecordVersion
from ...selectors import records_due_for_deletion
from ...services import record_mark_not_needed, worker_records_delete
from ..support import PDF, PDF_2, TODAY, sponsored, stored_files, upload


@pytest.fixture
def former(level1):
    """Sponsorship ended on 1 October 2025: records kept until 1 October 2026."""
    worker = sponsored(level1, status=WorkerStatus.ENDED, ended_on=date(2025, 10, 1))
    upload(worker, RecordItem.RIGHT_TO_WORK, level1, PDF, "passport.pdf")
    upload(worker, RecordItem.RIGHT_TO_WORK, level1, PDF_2, "passport-2.pdf")
    record_mark_not_needed(
        actor=level1, worker=worker, item=RecordItem.DBS_CHECK, reason="Office job", ip=None
    )
    return worker


def test_flagged_records_stay_until_a_person_deletes_them(former, sponsor, media):
    assert len(records_due_for_deletion(sponsor=sponsor, today=TODAY)) == 1
    assert len(stored_files(media)) == 2
    assert RecordVersion.objects.count() == 2


def test_a_level1_user_deletes_them_and_a_tombstone_stays(
    former, level1, media, django_capture_on_commit_callbacks
):
    versions = list(RecordVersion.objects.order_by("number"))
    with django_capture_on_commit_callbacks(execute=True):
        tombstone = worker_records_delete(actor=level1, worker=former, today=TODAY, ip="192.0.2.1")
    assert stored_files(media) == []
    assert not RecordVersion.objects.exists()
    assert not Record.objects.filter(worker=former).exists()
    assert tombstone.deleted_by == level1
    assert tombstone.kept_until == date(2026, 10, 1)
    assert [(f["name"], f["sha256"], f["version"]) for f in tombstone.files] == [
        (v.original_name, v.sha256, v.number) for v in versions
    ]
    assert tombstone.not_needed == ["DBS check"]
    event = AuditEvent.objects.get(verb=AuditVerb.RECORD_DELETED)
    assert event.actor == level1
    assert event.ip_address == "192.0.2.1"
    assert f"passport.pdf (SHA-256 {versions[0].sha256})" in event.payload["files"]
    assert records_due_for_deletion(sponsor=former.sponsor, today=TODAY) == []


def test_files_stay_when_the_deletion_does_not_commit(former, level1, media):
    # Without the commit (the test's transaction never commits), the files are not touched.
    worker_records_delete(actor=level1, worker=former, today=TODAY, ip=None)
    assert len(stored_files(media)) == 2


def test_deleting_twice_is_refused(former, level1):
    worker_records_delete(actor=level1, worker=former, today=TODAY, ip=None)
    with pytest.raises(Conflict):
        worker_records_delete(actor=level1, worker=former, today=TODAY, ip=None)
    assert RecordDeletion.objects.count() == 1


def test_records_still_to_be_kept_are_refused(level1, worker, media):
    upload(worker, RecordItem.SALARY, level1)
    with pytest.raises(Conflict) as refused:
        worker_records_delete(actor=level1, worker=worker, today=TODAY, ip=None)
    assert refused.value.code == "records_still_kept"
    assert len(stored_files(media)) == 1


def test_a_level2_user_may_not_delete(former, level2):
    former.certificate.owner = level2
    former.certificate.save()
    with pytest.raises(NotPermitted):
        worker_records_delete(actor=level2, worker=former, today=TODAY, ip=None)
    assert RecordVersion.objects.count() == 2


def test_another_sponsor_may_not_delete(former, other_level1):
    with pytest.raises(NotFound):
        worker_records_delete(actor=other_level1, worker=former, today=TODAY, ip=None)
    assert RecordVersion.objects.count() == 2
