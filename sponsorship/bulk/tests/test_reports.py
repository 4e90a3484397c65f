"""Bulk Report and Graduate notification files: each record a report on the student of a used
CAS, through the same service as the report pages (`student_activity_report`); taken while the
licence is suspended, since reporting duties go on."""

import pytest

from sponsorship.certificates.services import certificate_mark_used
from sponsorship.certificates.tests.factories import assigned_cas
from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import ActivityReport, EventSource
from sponsorship.licences.models import LicenceStatus

from ..models import BulkKind, BulkRecord, BulkStatus, RecordOutcome
from .files import graduate_file, report_file


@pytest.fixture
def used(level1, caseworker):
    """A CAS the student has used to apply: they are on the register."""
    cas = assigned_cas(level1)
    return certificate_mark_used(actor=caseworker, certificate=cas, ip=None)


def reasons(bulk_file, position: int = 1) -> dict[str, str]:
    record = BulkRecord.objects.get(bulk_file=bulk_file, position=position)
    assert record.outcome == RecordOutcome.REJECTED
    return {reason["element"]: reason["message"] for reason in record.reasons}


def stopped(cas, **values: str) -> dict[str, str]:
    return {
        "CASNumber": cas.number,
        "ApplicantID": "S2026-0042",
        "EventType": "STUDIES_STOPPED",
        "EventDate": "2026-11-13",
        "How": "WITHDREW",
        "ReasonDetails": "Left to take up a place\nat another university.",
        "LastKnownAddress": "12 Union Street, Aberdeen AB11 6BE",
        **values,
    }


def test_a_student_activity_report_is_made_from_a_record(send, level1, used):
    bulk_file = send(level1, report_file([stopped(used)]))
    assert bulk_file.kind == BulkKind.REPORT
    assert (bulk_file.status, bulk_file.records_succeeded) == (BulkStatus.DONE, 1)
    record = BulkRecord.objects.get(bulk_file=bulk_file)
    assert (record.outcome, record.cas_number) == (RecordOutcome.REPORTED, used.number)
    report = ActivityReport.objects.get(certificate=used)
    assert report.kind == EventKind.STUDIES_STOPPED
    assert report.source == EventSource.BULK
    assert report.submitted_by == level1
    assert report.event_date.isoformat() == "2026-11-13"
    assert report.details["how"] == "WITHDREW"
    assert report.details["reason_details"] == "Left to take up a place\nat another university."


def test_each_bad_report_is_rejected_naming_its_elements(send, level1, used):
    assigned = assigned_cas(level1, student_id="S2026-0077", passport_number="X7")
    records = [
        {
            "CASNumber": used.number,
            "EventType": "DID_NOT_ENROL",
            "EventDate": "2026-11-02",
            "How": "WITHDREW",
        },
        stopped(used, EventDate="2026-12-01"),
        stopped(assigned, ApplicantID="S2026-0077"),
        stopped(used, How="HOLIDAY"),
    ]
    bulk_file = send(level1, report_file(records))
    assert bulk_file.records_rejected == 4
    first = reasons(bulk_file, 1)
    assert first["How"] == "How is not asked in this kind of report: leave it out"
    assert first["Reason"] == "Enter an answer to “Why have they not enrolled?”"
    assert first["ContactAttempts"] == "Enter an answer to “How have you tried to contact them?”"
    assert first["SponsorshipContinues"] == (
        "Enter an answer to “Will you continue to sponsor them?”"
    )
    assert reasons(bulk_file, 2) == {"EventDate": "The date of the event cannot be in the future"}
    assert reasons(bulk_file, 3) == {
        "CASNumber": f"Activity can be reported only on a used CAS; {assigned.number} is assigned."
    }
    assert reasons(bulk_file, 4)["How"].startswith("How must be one of WITHDREW, WITHDRAWN")
    assert not ActivityReport.objects.exists()


def test_a_graduate_notification_is_reported(send, level1, used):
    records = [
        {
            "CASNumber": used.number,
            "CompletionDate": "2026-11-10",
            "Qualification": "MSc Marine Biology",
        },
        {"CASNumber": used.number, "CompletionDate": "2026-11-10"},
    ]
    bulk_file = send(level1, graduate_file(records))
    assert bulk_file.kind == BulkKind.GRADUATE
    report = ActivityReport.objects.get(certificate=used)
    assert report.kind == EventKind.GRADUATED
    assert report.details == {"qualification": "MSc Marine Biology"}
    # The second record is the same graduate: done once.
    second = BulkRecord.objects.get(bulk_file=bulk_file, position=2)
    assert second.outcome == RecordOutcome.ALREADY_DONE


def test_a_graduate_without_the_qualification_is_rejected(send, level1, used):
    bulk_file = send(
        level1, graduate_file([{"CASNumber": used.number, "CompletionDate": "2026-11-10"}])
    )
    assert reasons(bulk_file) == {"Qualification": "Enter qualification awarded"}


def test_report_files_are_taken_while_the_licence_is_suspended(send, level1, sponsor, used):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    bulk_file = send(level1, report_file([stopped(used)]))
    assert bulk_file.records_succeeded == 1
    assert ActivityReport.objects.filter(certificate=used).count() == 1


def test_another_sponsors_cas_is_not_reported_on(send, level1, other_level1, caseworker):
    theirs = certificate_mark_used(
        actor=caseworker, certificate=assigned_cas(other_level1), ip=None
    )
    bulk_file = send(level1, report_file([stopped(theirs)]))
    assert reasons(bulk_file) == {
        "CASNumber": f"There is no CAS {theirs.number} on your licence: check the number"
    }
    assert not ActivityReport.objects.exists()
