"""Receiving a file: hostile and broken files are refused as a whole, before anything is
parsed or kept, with a message that says what is wrong and what to do; a good file is kept,
counted and queued."""

from io import BytesIO

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core.errors import ApplicationError, Conflict, NotPermitted
from sponsorship.licences.models import LicenceStatus

from ..models import BulkFile, BulkKind, BulkStatus
from ..services import bulk_file_receive
from ..xmlfiles import NAMESPACE
from .files import (
    BILLION_LAUGHS,
    DOCTYPE_ONLY,
    EXTERNAL_ENTITY,
    FILE_ID,
    applicant,
    latin1_declared,
    latin1_undeclared,
    lines,
    upload_file,
    utf16,
)


def receive(actor, content: bytes, name: str = "students.xml"):
    return bulk_file_receive(actor=actor, upload=BytesIO(content), name=name, ip="192.0.2.7")


def refusal(actor, content: bytes, name: str = "students.xml") -> str:
    with pytest.raises(ApplicationError) as refused:
        receive(actor, content, name)
    assert refused.value.code == "bulk_file_refused"
    assert refused.value.field == "file"
    return refused.value.message


def stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _wrong(
    root: str = "BulkUpload",
    file_id: str = "<BulkUploadFileId>F-1</BulkUploadFileId>",
    records: str = "<Applicant><ApplicantID>S1</ApplicantID><FamilyName>Li</FamilyName>"
    "</Applicant>",
    namespace: str = NAMESPACE,
) -> bytes:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{root}{xmlns}>{file_id}{records}</{root}>'.encode()
    )


HOSTILE = [
    pytest.param(
        BILLION_LAUGHS,
        "contains a DOCTYPE or ENTITY declaration. Bulk files must not declare a DOCTYPE or "
        "entities: remove the declaration and send the file again.",
        id="billion laughs",
    ),
    pytest.param(EXTERNAL_ENTITY, "contains a DOCTYPE or ENTITY declaration", id="external entity"),
    pytest.param(DOCTYPE_ONLY, "contains a DOCTYPE or ENTITY declaration", id="doctype"),
    pytest.param(
        utf16(),
        "is encoded as UTF-16. Bulk files must be UTF-8. Save or export it as UTF-8 and send it "
        "again.",
        id="UTF-16",
    ),
    pytest.param(
        latin1_declared(),
        'declares encoding="ISO-8859-1". Bulk files must be UTF-8',
        id="Latin-1 declared",
    ),
    pytest.param(
        latin1_undeclared(),
        "is not valid UTF-8 (line 4): it was probably saved in another encoding.",
        id="Latin-1 undeclared",
    ),
    pytest.param(
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n",
        "is not an XML file: it looks like a PDF document.",
        id="a PDF",
    ),
    pytest.param(
        b"ApplicantID,FamilyName\nS1,Nowak\n",
        "is not an XML file: it does not start with <?xml or an element.",
        id="CSV",
    ),
    pytest.param(b"PK\x03\x04" + b"\x00" * 40, "it looks like a ZIP file", id="a spreadsheet"),
    pytest.param(b"", "is empty.", id="empty"),
    pytest.param(b"  \n\t\n  ", "is empty.", id="blank"),
    pytest.param(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<BulkUpload xmlns="'
        + NAMESPACE.encode()
        + b'"><BulkUploadFileId>F-1</BulkUploadFileId><Applicant>',
        "is not well-formed XML",
        id="cut short",
    ),
    pytest.param(
        _wrong(root="Students"),
        "is not a bulk file we take: its root element is Students, where a bulk file's is "
        "BulkUpload, BulkUpdate, BulkReport or GraduateNotification (schema: "
        "/bulk/schema/v1/cas-bulk.xsd).",
        id="wrong root",
    ),
    pytest.param(
        _wrong(root="BulkExport", file_id="<LicenceNumber>T1</LicenceNumber>"),
        "its root element is BulkExport",
        id="a file the service sends",
    ),
    pytest.param(
        _wrong(namespace=""),
        "the root element BulkUpload is not in the bulk schema's namespace. Write it as "
        f'<BulkUpload xmlns="{NAMESPACE}">.',
        id="no namespace",
    ),
    pytest.param(
        _wrong(file_id=""),
        "has no BulkUploadFileId: it must be the first element inside BulkUpload (the first "
        "is Applicant).",
        id="no file id",
    ),
    pytest.param(
        _wrong(file_id="<BulkUploadFileId>my file 1</BulkUploadFileId>"),
        "BulkUploadFileId must be 1 to 64 letters, digits, dots, hyphens or underscores, "
        "starting with a letter or digit (it is 'my file 1').",
        id="bad file id",
    ),
    pytest.param(
        _wrong(records=""),
        "has no records: add at least one Applicant after BulkUploadFileId.",
        id="no records",
    ),
    pytest.param(
        _wrong(file_id="<BulkUploadFileId>F-1</BulkUploadFileId>", records="")[:-13],
        "is not well-formed XML",
        id="no end",
    ),
]


@pytest.mark.parametrize(("content", "words"), HOSTILE)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_kept(level1, media, content, words):
    message = refusal(level1, content, name="students.xml")
    assert message.startswith(("students.xml", "BulkUploadFileId"))
    assert words in message
    assert "root:" not in message  # nothing of /etc/passwd
    assert not BulkFile.objects.exists()
    assert stored(media) == []
    event = AuditEvent.objects.get(verb=AuditVerb.BULK_FILE_REFUSED)
    assert event.payload["reason"] == message
    assert event.payload["name"] == "students.xml"


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(level1, settings, media):
    settings.BULK_MAX_FILE_BYTES = 2048
    content = upload_file([applicant(n) for n in range(1, 10)])
    assert len(content) > 2048
    message = refusal(level1, content)
    assert message == (
        "students.xml is larger than 2 KB. Split the records into smaller files, each with its "
        "own file id."
    )
    assert stored(media) == []


def test_a_doctype_split_across_reads_is_still_found(level1, monkeypatch):
    from sponsorship.bulk import xmlfiles

    monkeypatch.setattr(xmlfiles, "CHUNK", 7)
    assert "DOCTYPE" in refusal(level1, EXTERNAL_ENTITY)


def test_a_good_file_is_kept_counted_and_queued(level1, allocation, media):
    content = upload_file([applicant(n) for n in range(1, 4)])
    received = bulk_file_receive(
        actor=level1, upload=BytesIO(content), name="../../a b.xml", ip=None
    )
    bulk_file = received.bulk_file
    assert received.created
    assert (bulk_file.kind, bulk_file.file_id) == (BulkKind.UPLOAD, FILE_ID)
    assert bulk_file.status == BulkStatus.QUEUED
    assert bulk_file.records_total == 3
    assert bulk_file.original_name == "a b.xml"
    assert bulk_file.size == len(content)
    # Kept under the uploads directory with a name of our own, never the sender's.
    files = stored(media)
    assert len(files) == 1
    assert files[0].read_bytes() == content
    assert "a b" not in files[0].name
    assert files[0].relative_to(media).parts[0] == "bulk"
    event = AuditEvent.objects.get(verb=AuditVerb.BULK_FILE_RECEIVED)
    assert event.payload["records"] == 3
    assert event.payload["file_id"] == FILE_ID


def test_whitespace_and_a_byte_order_mark_before_the_file_are_fine(level1):
    content = b"\xef\xbb\xbf" + upload_file([applicant(1)])
    assert receive(level1, content).bulk_file.records_total == 1
    undeclared = upload_file([applicant(2)], file_id="F-2").decode().split("\n", 1)[1]
    assert receive(level1, ("\n  " + undeclared).encode()).bulk_file.records_total == 1


def test_comments_and_processing_instructions_are_not_records(level1):
    body = "".join(lines([applicant(1), applicant(2)]))
    body = body.replace("<Applicant>", "<!-- a student --><?app note?><Applicant>", 1)
    assert receive(level1, body.encode()).bulk_file.records_total == 2


def test_the_same_file_while_it_is_queued_answers_the_first(level1):
    content = upload_file([applicant(1)])
    first = receive(level1, content)
    again = receive(level1, content)
    assert not again.created
    assert again.bulk_file.pk == first.bulk_file.pk
    assert BulkFile.objects.count() == 1


def test_a_changed_file_with_the_same_id_waits_for_the_first_to_finish(level1):
    receive(level1, upload_file([applicant(1)]))
    with pytest.raises(Conflict) as refused:
        receive(level1, upload_file([applicant(1), applicant(2)]))
    assert refused.value.code == "bulk_file_in_progress"
    assert refused.value.message.startswith(f"BulkUploadFileId {FILE_ID}, sent on 16 November 2026")
    assert "is still being processed. Wait until it is finished" in refused.value.message


def test_a_file_whose_job_was_lost_long_ago_is_stopped_so_it_can_be_sent_again(level1, frozen):
    first = receive(level1, upload_file([applicant(1)])).bulk_file
    frozen.shift(60 * 31)
    again = receive(level1, upload_file([applicant(1), applicant(2)]))
    assert again.created
    first.refresh_from_db()
    assert first.status == BulkStatus.FAILED
    assert "Send the file again" in first.error


def test_upload_and_update_files_are_refused_while_the_licence_is_suspended(level1, sponsor):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    with pytest.raises(Conflict) as refused:
        receive(level1, upload_file([applicant(1)]))
    assert refused.value.code == "licence_suspended"
    assert refused.value.message == "Not available while your licence is suspended."
    assert not BulkFile.objects.exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.BULK_FILE_REFUSED).count() == 1


def test_level_2_users_cannot_send_files(level2):
    with pytest.raises(NotPermitted):
        receive(level2, upload_file([applicant(1)]))
