"""Bulk Update: the fees of live CAS, found by number among the sender's own, through the same
service as the fees page (`cas_fees_update`); each bad record named with its reasons."""

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import CertificateAction, CertificateStatus
from sponsorship.certificates.tests.factories import assigned_cas
from sponsorship.core.errors import Conflict
from sponsorship.licences.models import LicenceStatus

from ..models import BulkRecord, BulkStatus, RecordOutcome
from .files import update_file


@pytest.fixture
def live(level1):
    """Assigned, fees £24,500 of which £5,000 paid, student S2026-0042."""
    return assigned_cas(level1)


def fees(cas, **values: str | None) -> dict[str, str]:
    record = {
        "CASNumber": cas.number,
        "ApplicantID": cas.cas.student_id,
        "CourseFeesForFirstYearOnly": "26000.00",
        "CourseFeesPaidToDate": "13000",
    }
    for name, value in values.items():
        if value is None:
            record.pop(name, None)
        else:
            record[name] = value
    return record


def reasons(bulk_file, position: int = 1) -> list[dict[str, str]]:
    return BulkRecord.objects.get(bulk_file=bulk_file, position=position).reasons


def test_the_fees_of_a_live_cas_are_updated(send, level1, live):
    bulk_file = send(level1, update_file([fees(live)]))
    assert (bulk_file.status, bulk_file.records_succeeded) == (BulkStatus.DONE, 1)
    result = BulkRecord.objects.get(bulk_file=bulk_file)
    assert (result.outcome, result.cas_number) == (RecordOutcome.UPDATED, live.number)
    live.cas.refresh_from_db()
    assert (str(live.cas.course_fees_first_year), str(live.cas.course_fees_paid)) == (
        "26000.00",
        "13000.00",
    )
    assert live.events.filter(action=CertificateAction.FEES_UPDATED).exists()
    event = AuditEvent.objects.get(verb=AuditVerb.CAS_FEES_UPDATED)
    assert event.actor == level1


def test_a_used_cas_can_have_its_fees_updated_and_a_single_fee_is_enough(send, level1, live):
    live.status = CertificateStatus.USED
    live.save()
    bulk_file = send(level1, update_file([fees(live, CourseFeesForFirstYearOnly=None)]))
    assert BulkRecord.objects.get(bulk_file=bulk_file).outcome == RecordOutcome.UPDATED
    live.cas.refresh_from_db()
    assert str(live.cas.course_fees_paid) == "13000.00"
    assert str(live.cas.course_fees_first_year) == "24500.00"


def test_each_bad_update_is_rejected_with_its_reasons(send, level1, other_level1, live):
    withdrawn = assigned_cas(level1, student_id="S2026-0099", passport_number="X1")
    withdrawn.status = CertificateStatus.WITHDRAWN
    withdrawn.save()
    elsewhere = assigned_cas(other_level1)
    records = [
        fees(live, CASNumber="E99999999999ZZ"),
        fees(elsewhere),
        fees(withdrawn),
        fees(live, CourseFeesPaidToDate="30000"),
        fees(live, ApplicantID="S2026-0001"),
        {"CASNumber": live.number},
        fees(live, CourseFeesPaidToDate="13,000"),
        fees(live, CASNumber=None),
        fees(live, CourseFeesForFirstYearOnly=None, AccommodationFeesPaidToDate="900"),
    ]
    bulk_file = send(level1, update_file(records))
    assert bulk_file.records_rejected == 9
    assert reasons(bulk_file, 1) == [
        {
            "element": "CASNumber",
            "message": "There is no CAS E99999999999ZZ on your licence: check the number",
        }
    ]
    assert reasons(bulk_file, 2) == [
        {
            "element": "CASNumber",
            "message": f"There is no CAS {elsewhere.number} on your licence: check the number",
        }
    ]
    assert reasons(bulk_file, 3) == [
        {
            "element": "",
            "message": f"CAS {withdrawn.number} is withdrawn: fees can be updated only on an "
            "assigned or used CAS.",
        }
    ]
    assert reasons(bulk_file, 4)[0]["element"] == "CourseFeesPaidToDate"
    assert (
        "(£30,000.00) are more than the course fees for the first year (£26,000.00)"
        in (reasons(bulk_file, 4)[0]["message"])
    )
    assert reasons(bulk_file, 5) == [
        {
            "element": "ApplicantID",
            "message": f"ApplicantID S2026-0001 is not the student of CAS {live.number} (its "
            "student ID is S2026-0042): check you are acting on the right CAS",
        }
    ]
    assert reasons(bulk_file, 6)[0]["message"].startswith("There is nothing to change")
    assert reasons(bulk_file, 7)[0]["element"] == "CourseFeesPaidToDate"
    assert reasons(bulk_file, 8) == [
        {"element": "CASNumber", "message": "CASNumber is missing: every FeeUpdate needs one."}
    ]
    assert reasons(bulk_file, 9) == [
        {
            "element": "AccommodationFeesPaidToDate",
            "message": "You entered accommodation fees paid, but the course fees do not include "
            "accommodation. Set CourseFeeIncludesAccomodationCosts to true, or leave out "
            "AccommodationFeesPaidToDate",
        }
    ]
    # Nothing changed on any CAS.
    live.cas.refresh_from_db()
    assert str(live.cas.course_fees_paid) == "5000.00"
    assert not AuditEvent.objects.filter(verb=AuditVerb.CAS_FEES_UPDATED).exists()


def test_a_corrected_update_file_does_not_update_twice(send, level1, live):
    second = assigned_cas(level1, student_id="S2026-0050", passport_number="X2")
    send(level1, update_file([fees(live), fees(second, CourseFeesPaidToDate="99999")]))
    corrected = send(level1, update_file([fees(live), fees(second)]))
    assert [r.outcome for r in corrected.records.order_by("position")] == [
        RecordOutcome.ALREADY_DONE,
        RecordOutcome.UPDATED,
    ]
    assert AuditEvent.objects.filter(verb=AuditVerb.CAS_FEES_UPDATED).count() == 2


def test_update_files_are_refused_while_the_licence_is_suspended(send, level1, sponsor, live):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    with pytest.raises(Conflict) as refused:
        send(level1, update_file([fees(live)]))
    assert refused.value.code == "licence_suspended"
