"""A used CAS puts its student on the register; the register's worker reads never show them."""

from datetime import date

import pytest

from sponsorship.accounts.tests.factories import CaseworkerFactory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import ApplicationOutcome
from sponsorship.certificates.services import (
    certificate_cancel,
    certificate_mark_used,
    certificate_record_outcome,
)
from sponsorship.certificates.tests.factories import StudyAddressFactory, assigned_cas
from sponsorship.core.errors import NotFound
from sponsorship.duties.models import PersonKind, Worker, WorkerStatus
from sponsorship.duties.selectors import (
    student_list_for_user,
    worker_get_for_user,
    worker_list_for_user,
)
from sponsorship.licences.models import Nation

from ..factories import sponsored_worker

pytestmark = pytest.mark.django_db


def test_a_used_cas_puts_its_student_on_the_register_with_the_course(level1):
    cas = assigned_cas(
        level1,
        student_id="ABD-2026-0042",
        course_start_date=date(2027, 1, 18),
        course_end_date=date(2028, 1, 14),
    )
    assert not Worker.objects.filter(certificate=cas).exists()

    certificate_mark_used(actor=CaseworkerFactory(), certificate=cas, ip=None)

    student = Worker.objects.get(certificate=cas)
    assert student.kind == PersonKind.STUDENT
    assert student.status == WorkerStatus.NOT_ENROLLED
    assert student.student_id == "ABD-2026-0042"
    assert student.course_title == "MSc Marine Biology"
    assert (student.course_start_date, student.course_end_date) == (
        date(2027, 1, 18),
        date(2028, 1, 14),
    )
    assert student.study_address == "University Avenue, Aberdeen, AB24 3FX"
    # Aberdeen: Scotland's bank holidays count in this student's deadlines.
    assert student.nation == Nation.SCOTLAND
    # The course start starts the "did not enrol" clock.
    assert student.start_trigger_on == date(2027, 1, 18)
    event = AuditEvent.objects.filter(verb=AuditVerb.WORKER_REGISTERED).get()
    assert event.payload["kind"] == "STUDENT"


def test_a_student_without_a_study_nation_counts_the_head_office_s(level1):
    level1.sponsor.nation = Nation.WALES
    level1.sponsor.save()
    cas = assigned_cas(level1, study_nation="")
    certificate_mark_used(actor=CaseworkerFactory(), certificate=cas, ip=None)
    assert Worker.objects.get(certificate=cas).nation == Nation.WALES


def test_a_study_address_picked_from_the_stored_ones_is_copied(level1):
    address = StudyAddressFactory(
        sponsor=level1.sponsor, created_by=level1, line_1="King's College", town="Old Aberdeen"
    )
    cas = assigned_cas(
        level1,
        study_address=address,
        study_address_line_1="King's College",
        study_town="Old Aberdeen",
    )
    certificate_mark_used(actor=CaseworkerFactory(), certificate=cas, ip=None)
    assert Worker.objects.get(certificate=cas).study_address.startswith("King's College, Old")


def test_a_refused_application_ends_the_student_s_sponsorship(student):
    caseworker = CaseworkerFactory()
    certificate_record_outcome(
        actor=caseworker,
        certificate=student.certificate,
        outcome=ApplicationOutcome.REFUSED,
        ip=None,
    )
    student.refresh_from_db()
    assert student.status == WorkerStatus.ENDED
    assert student.ended_reason == "The visa application was refused."


def test_a_rejected_application_then_used_again_waits_for_enrolment_again(student):
    caseworker = CaseworkerFactory()
    certificate_record_outcome(
        actor=caseworker,
        certificate=student.certificate,
        outcome=ApplicationOutcome.REJECTED_INVALID,
        ip=None,
    )
    student.refresh_from_db()
    assert student.status == WorkerStatus.ENDED
    certificate_mark_used(actor=caseworker, certificate=student.certificate, ip=None)
    student.refresh_from_db()
    assert student.status == WorkerStatus.NOT_ENROLLED


def test_a_cancelled_cas_ends_the_student_s_sponsorship(student):
    certificate_cancel(
        actor=CaseworkerFactory(),
        certificate=student.certificate,
        reason="Sponsor licence revoked",
        ip=None,
    )
    student.refresh_from_db()
    assert student.status == WorkerStatus.ENDED


def test_worker_reads_never_show_a_student(level1, student):
    worker = sponsored_worker(level1)
    assert list(worker_list_for_user(user=level1)) == [worker]
    with pytest.raises(NotFound):
        worker_get_for_user(user=level1, worker_id=student.pk)
    assert list(student_list_for_user(user=level1)) == [student]
