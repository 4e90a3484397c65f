"""Uploading documents: each upload a new version with its own name, type, size and SHA-256,
never overwriting; "not needed" marks only where the guidance allows; who may reach which
worker; nothing half-saved."""

import hashlib
from io import BytesIO
from unittest import mock

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core.errors import ApplicationError, Conflict, NotFound, NotPermitted
from sponsorship.core.uploads import check_upload

from ...items import RecordItem
from ...models import Record, RecordVersion
from ...services import (
    record_mark_needed,
    record_mark_not_needed,
    record_upload,
)
from ..support import PDF, PDF_2, PNG, checked, stored_files, upload


def test_two_uploads_are_two_versions_both_kept(worker, level1, media):
    first = upload(worker, RecordItem.RIGHT_TO_WORK, level1, PDF, "passport.pdf")
    second = upload(worker, RecordItem.RIGHT_TO_WORK, level1, PDF_2, "passport-renewed.pdf")
    assert (first.number, second.number) == (1, 2)
    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    assert second.sha256 == hashlib.sha256(PDF_2).hexdigest()
    assert first.file.name != second.file.name
    first.refresh_from_db()
    with first.file.open("rb") as handle:
        assert handle.read() == PDF
    with second.file.open("rb") as handle:
        assert handle.read() == PDF_2
    assert (first.original_name, first.content_type, first.size) == (
        "passport.pdf",
        "application/pdf",
        len(PDF),
    )
    assert first.uploaded_by == level1
    assert Record.objects.get(worker=worker, item=RecordItem.RIGHT_TO_WORK).versions_count == 2
    assert len(stored_files(media)) == 2


def test_an_upload_is_audited_with_its_hash(worker, level1):
    version = upload(worker, RecordItem.SALARY, level1, PNG, "payslip.png")
    event = AuditEvent.objects.get(verb=AuditVerb.RECORD_UPLOADED)
    assert event.actor == level1
    assert event.sponsor_id == worker.sponsor_id
    assert event.payload["sha256"] == version.sha256
    assert event.payload["version"] == 1
    assert event.payload["name"] == "payslip.png"


def test_the_stored_name_is_never_the_users(worker, level1):
    version = upload(worker, RecordItem.SALARY, level1, PDF, "../../etc/passwd.pdf")
    assert version.original_name == "passwd.pdf"
    assert "passwd" not in version.file.name
    assert version.file.name.startswith("records/")


def test_a_failed_save_leaves_no_file_and_no_row(worker, level1, media):
    with (
        mock.patch("sponsorship.records.services.documents.audit_record", side_effect=OSError),
        pytest.raises(OSError),
    ):
        upload(worker, RecordItem.SALARY, level1)
    assert stored_files(media) == []
    assert not RecordVersion.objects.exists()
    assert not Record.objects.filter(versions_count__gt=0).exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 40, "invoice.pdf", "does not look like a PDF file"),
        (PDF, "script.exe", "is not a file type we accept"),
        (b"", "empty.pdf", "is empty"),
    ],
    ids=["renamed program", "wrong type", "empty"],
)
def test_bad_files_are_refused_naming_the_field(content, name, message):
    with pytest.raises(ApplicationError) as refused:
        check_upload(BytesIO(content), name, field="file")
    assert message in refused.value.message
    assert refused.value.errors == [("file", refused.value.message)]


def test_a_level2_user_uploads_for_their_own_worker_only(level2, level2_worker, worker):
    assert upload(level2_worker, RecordItem.SALARY, level2).number == 1
    with pytest.raises(NotFound):
        upload(worker, RecordItem.SALARY, level2)


def test_another_sponsors_worker_is_not_found(other_level1, worker):
    with pytest.raises(NotFound):
        upload(worker, RecordItem.SALARY, other_level1)
    assert not RecordVersion.objects.exists()


def test_a_caseworker_may_not_upload(caseworker, worker):
    with pytest.raises(NotPermitted):
        upload(worker, RecordItem.SALARY, caseworker)


def test_a_dbs_check_may_be_marked_not_needed_with_a_reason(worker, level1):
    record = record_mark_not_needed(
        actor=level1,
        worker=worker,
        item=RecordItem.DBS_CHECK,
        reason="  Office job: no work with children.  ",
        ip=None,
    )
    assert record.is_not_needed
    assert record.not_needed_reason == "Office job: no work with children."
    assert record.not_needed_by == level1
    event = AuditEvent.objects.get(verb=AuditVerb.WORKER_DETAILS_CHANGED)
    assert event.payload["not_needed"] == "Office job: no work with children."


def test_the_reason_is_required(worker, level1):
    with pytest.raises(ApplicationError) as refused:
        record_mark_not_needed(
            actor=level1, worker=worker, item=RecordItem.DBS_CHECK, reason="   ", ip=None
        )
    assert refused.value.field == "reason"
    assert not Record.objects.filter(not_needed_at__isnull=False).exists()


def test_a_right_to_work_check_is_always_needed(worker, level1):
    with pytest.raises(ApplicationError) as refused:
        record_mark_not_needed(
            actor=level1, worker=worker, item=RecordItem.RIGHT_TO_WORK, reason="No", ip=None
        )
    assert refused.value.code == "always_needed"
    assert "Right to work check is needed for every sponsored worker" in refused.value.message


def test_an_uploaded_document_cannot_be_marked_not_needed(worker, level1):
    upload(worker, RecordItem.DBS_CHECK, level1)
    with pytest.raises(Conflict) as refused:
        record_mark_not_needed(
            actor=level1, worker=worker, item=RecordItem.DBS_CHECK, reason="No", ip=None
        )
    assert refused.value.code == "already_uploaded"


def test_uploading_clears_a_not_needed_mark(worker, level1):
    record_mark_not_needed(
        actor=level1, worker=worker, item=RecordItem.ENTRY_DATE, reason="In the UK", ip=None
    )
    upload(worker, RecordItem.ENTRY_DATE, level1)
    record = Record.objects.get(worker=worker, item=RecordItem.ENTRY_DATE)
    assert not record.is_not_needed
    assert record.not_needed_reason == ""


def test_a_not_needed_mark_can_be_taken_back(worker, level1):
    record_mark_not_needed(
        actor=level1, worker=worker, item=RecordItem.ENTRY_DATE, reason="In the UK", ip=None
    )
    record = record_mark_needed(actor=level1, worker=worker, item=RecordItem.ENTRY_DATE, ip=None)
    assert not record.is_not_needed


def test_version_numbers_follow_the_record_not_the_table(worker, level1):
    upload(worker, RecordItem.SALARY, level1)
    upload(worker, RecordItem.RIGHT_TO_WORK, level1)
    again = record_upload(
        actor=level1, worker=worker, item=RecordItem.SALARY, upload=checked(PDF_2), ip=None
    )
    assert again.number == 2
