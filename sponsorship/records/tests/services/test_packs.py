"""Evidence packs: produced in the background from a queued request, written as a ZIP holding
the PDF summary, the latest version of each document in a folder per worker, the audit trail as
CSV and its verification; progress saved; failures shown, never half a file."""

import csv
import io
import zipfile
from unittest import mock

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core.errors import Conflict, NotFound, NotPermitted

from ...items import RecordItem
from ...models import EvidencePack, PackStatus
from ...services import evidence_pack_build, evidence_pack_request
from ...services import packs as packs_module
from ...summary import summary_pdf
from ..support import PDF, PDF_2, PNG, overdue_duty, reported_duty, sponsored, stored_files, upload


@pytest.fixture
def produce(django_capture_on_commit_callbacks):
    """`produce(actor, worker=None)`: ask for a pack and run the job as the queue would."""

    def _produce(actor, worker=None):
        with django_capture_on_commit_callbacks(execute=True):
            pack = evidence_pack_request(actor=actor, worker=worker, ip=None)
        pack.refresh_from_db()
        return pack

    return _produce


def opened(pack) -> zipfile.ZipFile:
    with pack.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


@pytest.fixture
def licence(level1, worker):
    """Two workers: one with documents (two versions of one), a late report and an overdue
    duty; one with nothing uploaded."""
    upload(worker, RecordItem.RIGHT_TO_WORK, level1, PDF, "passport.pdf")
    upload(worker, RecordItem.RIGHT_TO_WORK, level1, PDF_2, "passport-renewed.pdf")
    upload(worker, RecordItem.SALARY, level1, PNG, "=payslip.png")
    reported_duty(worker, level1, late=True)
    overdue_duty(worker)
    second = sponsored(level1, family_name="Nowak", given_names="Жанна")
    return worker, second


def test_a_pack_of_the_whole_licence(produce, level1, licence):
    worker, _ = licence
    pack = produce(level1)
    assert pack.status == PackStatus.DONE
    assert pack.documents == 2
    assert pack.progress_done == pack.progress_total == 2 + 3
    archive = opened(pack)
    names = archive.namelist()
    folder = f"documents/{worker.certificate.number} Kowalczyk, Łukasz Marek"
    assert sorted(names) == sorted(
        [
            "summary.pdf",
            "audit-trail.csv",
            "audit-trail-verification.txt",
            f"{folder}/right-to-work v2 - passport-renewed.pdf",
            f"{folder}/salary v1 - =payslip.png",
        ]
    )
    assert archive.read("summary.pdf").startswith(b"%PDF")
    assert archive.read(f"{folder}/right-to-work v2 - passport-renewed.pdf") == PDF_2
    assert archive.read(f"{folder}/salary v1 - =payslip.png") == PNG


def test_the_audit_trail_is_all_there_with_formulas_neutralised(produce, level1, licence):
    pack = produce(level1)
    rows = list(csv.reader(io.StringIO(opened(pack).read("audit-trail.csv").decode("utf-8-sig"))))
    header, events = rows[0], rows[1:]
    assert header[0] == "Position" and header[-1] == "Event hash"
    stored = AuditEvent.objects.filter(sponsor=level1.sponsor).order_by("seq")
    # The pack's own event comes after the trail was written.
    assert [int(r[0]) for r in events] == [
        e.seq for e in stored.exclude(verb=AuditVerb.EVIDENCE_PACK_CREATED)
    ]
    assert [r[-1] for r in events] == [
        e.hash for e in stored.exclude(verb=AuditVerb.EVIDENCE_PACK_CREATED)
    ]
    uploads = [r for r in events if r[3] == "Worker record uploaded"]
    assert len(uploads) == 3
    assert any(r[4] == "'=payslip.png (version 1)" for r in uploads)


def test_the_verification_is_written_in_the_text_file_and_the_pdf(produce, level1, licence):
    with mock.patch.object(packs_module, "summary_pdf", wraps=summary_pdf) as drawn:
        pack = produce(level1)
    text = opened(pack).read("audit-trail-verification.txt").decode()
    events = AuditEvent.objects.filter(sponsor=level1.sponsor).count() - 1
    assert f"Verified: all {events} events of the audit trail are present" in text
    summary = drawn.call_args.args[0]
    assert summary.verified
    assert summary.verification.startswith(f"Verified: all {events} events")


def test_a_tampered_trail_is_reported_as_not_verified(produce, level1, licence):
    tampered = AuditEvent.objects.filter(sponsor=level1.sponsor).order_by("seq")[2]
    AuditEvent.objects.filter(pk=tampered.pk).update(payload={"changed": "afterwards"})
    with mock.patch.object(packs_module, "summary_pdf", wraps=summary_pdf) as drawn:
        pack = produce(level1)
    text = opened(pack).read("audit-trail-verification.txt").decode()
    assert "NOT VERIFIED: the audit trail's chain breaks at position 3" in text
    assert "changed after it was written" in text
    assert not drawn.call_args.args[0].verified


def test_the_summary_lists_duties_late_reports_and_missing_documents(produce, level1, licence):
    with mock.patch.object(packs_module, "summary_pdf", wraps=summary_pdf) as drawn:
        produce(level1)
    sections = {s.title: s for s in drawn.call_args.args[0].sections}
    workers = sections["Sponsored workers"].rows
    assert [row[0] for row in workers] == ["Kowalczyk, Łukasz Marek", "Nowak, Жанна"]
    duties = sections["Reporting duties and how they were met"].rows
    assert any(row[4].startswith("Reported in MA") and row[4].endswith(", late") for row in duties)
    assert any(row[4] == "OVERDUE: not reported yet" for row in duties)
    assert len(sections["Reports sent late"].rows) == 1
    missing = dict(sections["Documents missing"].rows)
    assert "Right to work check" not in missing["Kowalczyk, Łukasz Marek"]
    assert missing["Nowak, Жанна"].startswith("Right to work check, ")
    assert [row[3] for row in sections["Documents in this pack"].rows] == [
        "passport-renewed.pdf",
        "=payslip.png",
    ]


def test_a_pack_of_one_worker_holds_their_documents_only(produce, level1, licence):
    _, second = licence
    upload(second, RecordItem.NI_NUMBER, level1, PDF, "ni.pdf")
    pack = produce(level1, worker=second)
    documents = [n for n in opened(pack).namelist() if n.startswith("documents/")]
    assert documents == [
        f"documents/{second.certificate.number} Nowak, Жанна/ni-number v1 - ni.pdf"
    ]


def test_the_finished_pack_is_audited_with_its_hash(produce, level1, licence):
    pack = produce(level1)
    event = AuditEvent.objects.get(verb=AuditVerb.EVIDENCE_PACK_CREATED)
    assert event.actor == level1
    assert event.payload["sha256"] == pack.sha256
    assert event.payload["documents"] == 2


def test_a_failure_marks_the_pack_failed_and_keeps_no_file(produce, level1, licence, media):
    before = set(stored_files(media))
    with mock.patch.object(packs_module, "summary_pdf", side_effect=RuntimeError("boom")):
        pack = produce(level1)
    assert pack.status == PackStatus.FAILED
    assert "Something went wrong" in pack.error
    assert not pack.file
    assert set(stored_files(media)) == before
    assert not AuditEvent.objects.filter(verb=AuditVerb.EVIDENCE_PACK_CREATED).exists()


def test_building_twice_builds_once(produce, level1, licence):
    pack = produce(level1)
    evidence_pack_build(pack_id=pack.pk)
    assert AuditEvent.objects.filter(verb=AuditVerb.EVIDENCE_PACK_CREATED).count() == 1


def test_a_second_request_while_one_is_queued_is_refused(level1, worker):
    evidence_pack_request(actor=level1, ip=None)  # queued: the job runs once committed
    with pytest.raises(Conflict) as refused:
        evidence_pack_request(actor=level1, ip=None)
    assert refused.value.code == "pack_in_progress"
    # A pack of one worker is another pack.
    evidence_pack_request(actor=level1, worker=worker, ip=None)


def test_a_pack_stuck_for_long_is_failed_so_another_can_be_asked_for(level1, frozen):
    stuck = evidence_pack_request(actor=level1, ip=None)
    frozen.shift(60 * 60)
    evidence_pack_request(actor=level1, ip=None)
    stuck.refresh_from_db()
    assert stuck.status == PackStatus.FAILED


def test_a_level2_user_may_not_ask_for_a_pack(level2):
    with pytest.raises(NotPermitted):
        evidence_pack_request(actor=level2, ip=None)
    assert not EvidencePack.objects.exists()


def test_another_sponsors_worker_is_not_found(level1, other_worker):
    with pytest.raises(NotFound):
        evidence_pack_request(actor=level1, worker=other_worker, ip=None)
