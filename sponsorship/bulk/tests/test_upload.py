"""Bulk Upload: each Applicant is a CAS created and assigned through the same services as the
web, or rejected with every reason and its position; never half-saved, never assigned twice,
however often the file is sent; allocation used in file order."""

import csv
import io
from io import BytesIO

import pytest
from lxml import etree  # type: ignore[import-untyped]

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import Certificate, CertificateKind, CertificateStatus
from sponsorship.certificates.tests.factories import StudyAddressFactory
from sponsorship.licences.models import Allocation, LicenceStatus, Route
from sponsorship.licences.tests.factories import AllocationFactory

from .. import documents
from ..models import BulkFile, BulkRecord, BulkStatus, RecordOutcome
from ..services import bulk_file_process, bulk_file_receive
from ..services import handlers as handlers_module
from ..services import process as process_module
from ..xmlfiles import schema
from .files import DEFECTS, applicant, spread, students, upload_file, write_upload

ALLOCATION_MESSAGE = (
    "You have insufficient remaining allocation for Student. Request an increase to your "
    "allocation."
)


def cas_made() -> int:
    return Certificate.objects.filter(kind=CertificateKind.CAS).count()


def records_of(bulk_file: BulkFile) -> dict[int, BulkRecord]:
    return {r.position: r for r in BulkRecord.objects.filter(bulk_file=bulk_file)}


def assert_rejected_as_described(record: BulkRecord, defect) -> None:
    assert record.outcome == RecordOutcome.REJECTED, (defect.name, record.reasons)
    given = {reason["element"]: reason["message"] for reason in record.reasons}
    assert set(given) == set(defect.reasons), (defect.name, record.reasons)
    for element, words in defect.reasons.items():
        assert words in given[element], (defect.name, given[element])
    assert record.certificate_id is None
    assert record.cas_number == ""


def test_each_bad_record_is_rejected_with_every_reason_and_the_good_ones_are_assigned(
    send, level1, allocation
):
    bad_at = {2 * (index + 1): defect for index, defect in enumerate(DEFECTS)}
    count = 2 * len(DEFECTS) + 1
    bulk_file = send(level1, upload_file(students(count, bad_at)))
    assert bulk_file.status == BulkStatus.DONE
    assert bulk_file.records_total == count
    assert bulk_file.records_rejected == len(DEFECTS)
    assert bulk_file.records_succeeded == count - len(DEFECTS)
    assert bulk_file.records_remaining == 0
    results = records_of(bulk_file)
    for position, defect in bad_at.items():
        assert_rejected_as_described(results[position], defect)
    created = [r for r in results.values() if r.outcome == RecordOutcome.CREATED]
    assert len(created) == count - len(DEFECTS)
    for record in created:
        certificate = record.certificate
        assert certificate.status == CertificateStatus.ASSIGNED
        assert certificate.number == record.cas_number
        assert len(record.cas_number) == 14 and record.cas_number.startswith("E")
        assert certificate.cas.student_id == record.applicant_id
    # Nothing half-saved: a CAS for each record done, no draft left by the others.
    assert cas_made() == len(created)
    assert not Certificate.objects.filter(status=CertificateStatus.DRAFT).exists()
    assert Allocation.objects.get(pk=allocation.pk).used == len(created)


def test_a_created_cas_holds_what_its_record_said(send, level1, sponsor, allocation):
    address = StudyAddressFactory(
        sponsor=sponsor, identifier="SA0003", name="Old Aberdeen", created_by=level1
    )
    record = applicant(
        7,
        Nationality="STATELESS",
        FamilyName="  Nguyễn   Văn  ",
        StudyAddressID="SA0003",
        StudyAddressLine1=None,
        StudyTown=None,
        StudyPostcode=None,
        StudyNation=None,
        CourseFeeIncludesAccomodationCosts="true",
        AccommodationFeesPaidToDate="1200.50",
        WorkPlacement="true",
        WorkPlacementDetails="Six months at the\nMarine Laboratory.",
    )
    bulk_file = send(level1, upload_file([record]))
    result = BulkRecord.objects.get(bulk_file=bulk_file)
    assert result.outcome == RecordOutcome.CREATED, result.reasons
    certificate = Certificate.objects.select_related("cas").get(pk=result.certificate_id)
    cas = certificate.cas
    assert certificate.route == Route.STUDENT
    assert certificate.family_name == "Nguyễn Văn"
    assert certificate.nationality == "XXA"
    assert certificate.passport_number == "P00000007"
    assert (cas.student_id, cas.course_title) == ("S0000007", "MSc Marine Biology")
    assert (cas.study_address_id, cas.study_town, cas.study_nation) == (
        address.pk,
        "Aberdeen",
        "SCT",
    )
    assert cas.accommodation_included is True
    assert str(cas.accommodation_fees_paid) == "1200.50"
    assert str(cas.course_fees_first_year) == "24500.00"
    assert cas.work_placement_details == "Six months at the\nMarine Laboratory."
    assert certificate.owner == level1
    assert certificate.assigned_by == level1
    created, assigned = (
        AuditEvent.objects.filter(verb=verb, target_id=str(certificate.pk)).get()
        for verb in (AuditVerb.CERTIFICATE_CREATED, AuditVerb.CERTIFICATE_ASSIGNED)
    )
    assert created.actor == assigned.actor == level1


def test_a_study_address_and_its_identifier_together_are_refused(send, level1, sponsor, allocation):
    StudyAddressFactory(sponsor=sponsor, identifier="SA0001", created_by=level1)
    bulk_file = send(level1, upload_file([applicant(1, StudyAddressID="SA0001")]))
    result = BulkRecord.objects.get(bulk_file=bulk_file)
    assert result.reasons == [
        {
            "element": "StudyAddressID",
            "message": "Give either StudyAddressID or the study address itself, not both",
        }
    ]


def test_another_sponsors_study_address_is_not_found(send, level1, other_level1, allocation):
    StudyAddressFactory(sponsor=other_level1.sponsor, identifier="SA0001", created_by=other_level1)
    gone = {
        "StudyAddressLine1": None,
        "StudyTown": None,
        "StudyPostcode": None,
        "StudyNation": None,
    }
    bulk_file = send(level1, upload_file([applicant(1, StudyAddressID="SA0001", **gone)]))
    result = BulkRecord.objects.get(bulk_file=bulk_file)
    assert result.reasons[0]["message"].startswith("SA0001 is not one of your study addresses")


@pytest.mark.slow
# Committed record by record, as in service: inside one test transaction each record would be
# a savepoint, and PostgreSQL slows sharply once a transaction holds thousands of them.
@pytest.mark.django_db(transaction=True)
def test_5000_records_with_37_bad_ones_give_4963_cas_and_37_specific_rejections(
    send, level1, sponsor, tmp_path
):
    """The acceptance test: 4,963 CAS, 37 rejections each with its reason and position; the
    same file sent again assigns nothing new."""
    allocation = AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=6000, used=0)
    bad_at = spread(DEFECTS, 5000)
    assert len(bad_at) == 37
    content = write_upload(tmp_path / "students.xml", 5000, bad_at).read_bytes()

    bulk_file = send(level1, content)
    assert (bulk_file.status, bulk_file.records_total) == (BulkStatus.DONE, 5000)
    assert (bulk_file.records_succeeded, bulk_file.records_rejected) == (4963, 37)
    rejected = BulkRecord.objects.filter(bulk_file=bulk_file, outcome=RecordOutcome.REJECTED)
    assert sorted(r.position for r in rejected) == sorted(bad_at)
    for record in rejected:
        assert_rejected_as_described(record, bad_at[record.position])
    assert cas_made() == 4963
    assert Certificate.objects.filter(status=CertificateStatus.ASSIGNED).count() == 4963
    assert len(set(Certificate.objects.values_list("number", flat=True))) == 4963
    assert Allocation.objects.get(pk=allocation.pk).used == 4963

    again = send(level1, content)
    assert again.pk != bulk_file.pk
    assert (again.records_succeeded, again.records_already_done, again.records_rejected) == (
        0,
        4963,
        37,
    )
    assert cas_made() == 4963
    assert Allocation.objects.get(pk=allocation.pk).used == 4963


def test_the_same_file_sent_again_assigns_nothing_new(send, level1, allocation):
    bad_at = {2: DEFECTS[0]}
    content = upload_file(students(4, bad_at))
    first = send(level1, content)
    numbers = {p: r.cas_number for p, r in records_of(first).items()}
    again = send(level1, content)
    assert again.pk != first.pk
    results = records_of(again)
    for position in (1, 3, 4):
        assert results[position].outcome == RecordOutcome.ALREADY_DONE
        assert results[position].cas_number == numbers[position]
        assert results[position].reasons == [
            {
                "element": "",
                "message": f"Record {position} of the file sent on 16 November 2026 at 10:00 "
                f"already did this: CAS {numbers[position]} was created and assigned. Nothing "
                "was done again.",
            }
        ]
    assert results[2].outcome == RecordOutcome.REJECTED
    assert cas_made() == 3
    assert Allocation.objects.get().used == 3


def test_a_corrected_file_with_the_same_id_does_only_what_was_not_done(send, level1, allocation):
    first = send(level1, upload_file(students(3, {2: DEFECTS[0]})))
    assert first.records_rejected == 1
    corrected = send(level1, upload_file(students(4)))
    results = records_of(corrected)
    assert [results[p].outcome for p in (1, 2, 3, 4)] == [
        RecordOutcome.ALREADY_DONE,
        RecordOutcome.CREATED,
        RecordOutcome.ALREADY_DONE,
        RecordOutcome.CREATED,
    ]
    assert cas_made() == 4


def test_a_file_that_went_through_whole_sent_again_is_the_first_one(send, level1, allocation):
    content = upload_file(students(2))
    first = send(level1, content)
    received = bulk_file_receive(actor=level1, upload=BytesIO(content), name="x.xml", ip=None)
    assert not received.created
    assert received.bulk_file.pk == first.pk
    assert BulkFile.objects.count() == 1
    assert cas_made() == 2


def test_another_file_id_is_another_file(send, level1, allocation):
    send(level1, upload_file(students(2)))
    send(level1, upload_file(students(2), file_id="ABDN-2026-11-16-02"))
    # The same students again under a new file id are new CAS, which make the first obsolete.
    assert cas_made() == 4
    assert Certificate.objects.filter(status=CertificateStatus.OBSOLETE).count() == 2


def test_when_the_allocation_runs_out_cas_are_assigned_in_file_order_and_the_rest_refused(
    send, level1, sponsor
):
    allocation = AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=5, used=0)
    content = upload_file(students(9, {3: DEFECTS[18]}))
    bulk_file = send(level1, content)
    results = records_of(bulk_file)
    assert [p for p, r in results.items() if r.outcome == RecordOutcome.CREATED] == [1, 2, 4, 5, 6]
    assert results[3].reasons == [{"element": "CourseTitle", "message": "Enter the course title"}]
    for position in (7, 8, 9):
        assert results[position].reasons == [{"element": "", "message": ALLOCATION_MESSAGE}]
    assert cas_made() == 5
    assert not Certificate.objects.filter(status=CertificateStatus.DRAFT).exists()
    allocation.refresh_from_db()
    assert allocation.used == allocation.limit == 5

    # With more allocation, the same file does the rest.
    Allocation.objects.filter(pk=allocation.pk).update(limit=10)
    again = send(level1, content)
    results = records_of(again)
    assert [p for p, r in results.items() if r.outcome == RecordOutcome.CREATED] == [7, 8, 9]
    assert results[3].outcome == RecordOutcome.REJECTED
    assert cas_made() == 8


def test_an_applicant_twice_in_one_file_is_done_once(send, level1, allocation):
    bulk_file = send(level1, upload_file([applicant(1), applicant(2), applicant(1)]))
    results = records_of(bulk_file)
    assert results[3].outcome == RecordOutcome.ALREADY_DONE
    assert (
        results[3]
        .reasons[0]["message"]
        .startswith(f"Record 1 of this file already did this: CAS {results[1].cas_number} was")
    )
    assert cas_made() == 2


def test_a_file_is_processed_in_parts_by_jobs_that_hand_over(send, level1, allocation, settings):
    settings.BULK_JOB_SECONDS = 0
    bulk_file = send(level1, upload_file(students(30)))
    assert bulk_file.status == BulkStatus.DONE
    assert bulk_file.records_succeeded == 30
    assert list(
        BulkRecord.objects.filter(bulk_file=bulk_file).values_list("position", flat=True)
    ) == list(range(1, 31))


def test_a_job_that_stopped_half_way_carries_on_from_the_last_record(
    level1, allocation, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.BULK_JOB_SECONDS = 0
    handed_over = []
    monkeypatch.setattr(process_module, "enqueue", lambda *args: handed_over.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        received = bulk_file_receive(
            actor=level1, upload=BytesIO(upload_file(students(30))), name="s.xml", ip=None
        )
    bulk_file = received.bulk_file
    bulk_file.refresh_from_db()
    # The first job did 25 records and handed over; the next job was lost.
    assert (bulk_file.status, bulk_file.records_processed) == (BulkStatus.RUNNING, 25)
    assert handed_over == [(bulk_file.pk, bulk_file.token)]
    # The queue delivers it again: it carries on from record 26.
    bulk_file_process(bulk_file_id=bulk_file.pk, token=bulk_file.token)
    bulk_file.refresh_from_db()
    assert (bulk_file.status, bulk_file.records_succeeded) == (BulkStatus.DONE, 30)
    assert cas_made() == 30


def test_a_job_delivered_again_or_with_another_token_does_nothing(send, level1, allocation):
    bulk_file = send(level1, upload_file(students(2)))
    bulk_file_process(bulk_file_id=bulk_file.pk, token=bulk_file.token)
    bulk_file_process(bulk_file_id=bulk_file.pk, token="someone-else")
    assert BulkRecord.objects.count() == 2
    assert cas_made() == 2
    assert AuditEvent.objects.filter(verb=AuditVerb.BULK_FILE_PROCESSED).count() == 1


def test_a_licence_suspended_before_the_job_runs_stops_the_file(level1, sponsor, allocation):
    received = bulk_file_receive(
        actor=level1, upload=BytesIO(upload_file(students(3))), name="s.xml", ip=None
    )
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    bulk_file_process(bulk_file_id=received.bulk_file.pk, token=received.bulk_file.token)
    bulk_file = BulkFile.objects.get()
    assert bulk_file.status == BulkStatus.FAILED
    assert bulk_file.error == (
        "Not available while your licence is suspended. The records not yet processed were "
        "left as they are."
    )
    assert bulk_file.records_remaining == 3
    assert cas_made() == 0


def test_a_failure_stops_the_file_and_sending_it_again_does_the_rest(
    send, level1, allocation, monkeypatch
):
    real = handlers_module.UploadHandler.act
    calls = []

    def breaks_on_the_third(self, record):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return real(self, record)

    monkeypatch.setattr(handlers_module.UploadHandler, "act", breaks_on_the_third)
    content = upload_file(students(5))
    first = send(level1, content)
    assert first.status == BulkStatus.FAILED
    assert first.error == process_module.FAILED_MESSAGE
    assert "disk on fire" not in first.error
    assert (first.records_succeeded, first.records_remaining) == (2, 3)
    assert cas_made() == 2

    monkeypatch.setattr(handlers_module.UploadHandler, "act", real)
    again = send(level1, content)
    assert (again.records_already_done, again.records_succeeded) == (2, 3)
    assert cas_made() == 5


def test_processing_is_on_the_audit_trail(send, level1, allocation):
    bulk_file = send(level1, upload_file(students(3, {1: DEFECTS[0]})))
    event = AuditEvent.objects.get(verb=AuditVerb.BULK_FILE_PROCESSED)
    assert event.target_id == str(bulk_file.pk)
    assert event.payload["records"] == 3
    assert (event.payload["succeeded"], event.payload["rejected"]) == (2, 1)


def _body(chunks) -> bytes:
    return b"".join(chunks)


def test_the_results_are_a_bulk_result_document_valid_against_the_schema(send, level1, allocation):
    bulk_file = send(level1, upload_file(students(4, {2: DEFECTS[19]})))
    content = _body(documents.result_xml(bulk_file))
    document = etree.fromstring(content)
    assert schema().validate(document), schema().error_log
    ns = {"b": document.nsmap[None]}
    assert document.findtext("b:Records", namespaces=ns) == "4"
    assert document.findtext("b:Succeeded", namespaces=ns) == "3"
    results = document.findall("b:RecordResult", namespaces=ns)
    assert [r.get("Position") for r in results] == ["1", "2", "3", "4"]
    second = results[1]
    assert second.findtext("b:Outcome", namespaces=ns) == "REJECTED"
    assert second.findtext("b:ApplicantID", namespaces=ns) == "S0000002"
    assert [r.get("Element") for r in second.findall("b:Reason", namespaces=ns)] == [
        "StudyAddressLine1",
        "StudyTown",
        "StudyPostcode",
        "StudyNation",
    ]
    first = results[0]
    assert (
        first.findtext("b:CASNumber", namespaces=ns)
        == BulkRecord.objects.get(bulk_file=bulk_file, position=1).cas_number
    )


def test_the_results_as_csv_have_a_row_per_record_with_every_reason(send, level1, allocation):
    bulk_file = send(level1, upload_file(students(3, {3: DEFECTS[19]})))
    response = documents.result_csv(bulk_file)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Position", "ApplicantID", "CAS number", "Outcome", "Reasons"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert rows[1][3] == "CAS created and assigned"
    assert rows[3][3] == "Rejected"
    assert rows[3][4].split("\n") == [
        "StudyAddressLine1: Enter the main study address, or give StudyAddressID",
        "StudyTown: Enter the town or city of the main study address",
        "StudyPostcode: Enter the postcode of the main study address",
        "StudyNation: Select which part of the UK the main study address is in",
    ]


def test_a_formula_in_a_record_stays_text_in_the_csv(send, level1, allocation):
    bulk_file = send(
        level1, upload_file([applicant(1, ApplicantID="=HYPERLINK(1)", CourseTitle=None)])
    )
    text = b"".join(documents.result_csv(bulk_file).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_a_generated_file_is_valid_against_the_schema_as_a_whole():
    # A record missing what assignment needs is still valid: the schema asks only for the
    # ApplicantID and the family name.
    document = etree.fromstring(upload_file(students(3, {2: DEFECTS[20]})))
    assert schema().validate(document), schema().error_log
