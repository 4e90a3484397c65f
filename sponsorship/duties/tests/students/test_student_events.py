"""What happens to a student, recorded in the service or sent by a student records system: the
register follows, and each reportable event raises its duty, due 10 working days later in the
study nation; enrolling stops the "did not enrol" clock. The daily sweep raises "did not enrol"
the day after the sponsor's enrolment period ends, set-based and once.

The clock is frozen at Monday 16 November 2026 (duties/tests/conftest.py). The student studies
in Aberdeen (Scotland); their course started on Monday 14 September 2026 and ends on Friday
10 September 2027. Due dates are counted by hand.
"""

from datetime import date

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core.errors import ApplicationError, Conflict
from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import (
    ComplianceSettings,
    Duty,
    DutyStatus,
    EventSource,
    HrEvent,
    HrEventKind,
    WorkerStatus,
)
from sponsorship.duties.services import (
    duties_raise_on_schedule,
    hr_event_record,
    student_event_record,
)
from sponsorship.licences.models import Nation

from ..factories import sponsored_student, sponsored_worker

pytestmark = pytest.mark.django_db


def record(actor, student, kind, occurred_on, **more):
    return student_event_record(
        actor=actor, student=student, kind=kind, occurred_on=occurred_on, **more
    )


def enrol(actor, student, day="2026-09-14"):
    return record(actor, student, HrEventKind.ENROLLED, day)


# ---------------------------------------------------------------- events and their duties

# (event, details, duty kind, summary, status afterwards)
REPORTABLE = [
    (
        HrEventKind.STOPPED_ENGAGING,
        {"description": "No lectures since 19 October"},
        EventKind.STOPPED_ENGAGING,
        "Stopped engaging with their studies",
        WorkerStatus.STUDYING,
    ),
    (
        HrEventKind.STUDIES_STOPPED,
        {"how": "WITHDRAWN"},
        EventKind.STUDIES_STOPPED,
        "You withdrew them from the course",
        WorkerStatus.ENDED,
    ),
    (
        HrEventKind.STUDIES_PAUSED,
        {"how": "SUSPENDED", "expected_return": "2027-01-18"},
        EventKind.STUDIES_PAUSED,
        "Suspended their studies, expected back on 18 January 2027",
        WorkerStatus.STUDIES_PAUSED,
    ),
    (
        HrEventKind.COMPLETED,
        {"qualification": "MSc Marine Biology"},
        EventKind.COMPLETED_EARLY,
        "Completed the course early (it was due to end on 10 September 2027)",
        WorkerStatus.ENDED,
    ),
    (
        HrEventKind.SPONSORSHIP_ENDED,
        {"reason": "Granted settlement"},
        EventKind.STUDENT_SPONSORSHIP_ENDED,
        "Sponsorship ended: Granted settlement",
        WorkerStatus.ENDED,
    ),
]


@pytest.mark.parametrize(("event", "details", "kind", "summary", "status"), REPORTABLE)
def test_each_reportable_event_raises_its_duty_in_the_study_nation(
    level1, student, event, details, kind, summary, status
):
    enrol(level1, student)
    made, created = record(level1, student, event, "2026-11-16", details=details)

    assert created
    duty = Duty.objects.get(worker=student)
    assert (duty.kind, duty.event_date, duty.summary) == (kind, date(2026, 11, 16), summary)
    assert duty.event == made
    # Mon 16 Nov in Scotland: 17-20 (4), 23-27 (9), St Andrew's Day Mon 30 Nov closed, Tue
    # 1 Dec (10).
    assert (duty.nation, duty.due_on) == (Nation.SCOTLAND, date(2026, 12, 1))
    student.refresh_from_db()
    assert student.status == status
    assert AuditEvent.objects.filter(verb=AuditVerb.STUDENT_EVENT_RECORDED).count() == 2


def test_completing_the_course_on_time_is_nothing_to_report(level1):
    student = sponsored_student(level1, course_end_date=date(2026, 11, 13))
    enrol(level1, student)
    record(level1, student, HrEventKind.COMPLETED, "2026-11-13")
    assert not Duty.objects.exists()
    student.refresh_from_db()
    assert student.status == WorkerStatus.ENDED
    assert student.ended_reason == "Completed the course"


def test_a_paused_student_resumes(level1, student):
    enrol(level1, student)
    record(level1, student, HrEventKind.STUDIES_PAUSED, "2026-10-01", details={"how": "DEFERRED"})
    record(level1, student, HrEventKind.RESUMED, "2026-11-02")
    student.refresh_from_db()
    assert student.status == WorkerStatus.STUDYING


def test_a_student_may_defer_before_enrolling(level1, student):
    record(level1, student, HrEventKind.STUDIES_PAUSED, "2026-09-10", details={"how": "DEFERRED"})
    student.refresh_from_db()
    assert student.status == WorkerStatus.STUDIES_PAUSED
    assert Duty.objects.get().kind == EventKind.STUDIES_PAUSED
    # Deferred: the sweep does not count them as not enrolled.
    duties_raise_on_schedule(date(2026, 11, 16))
    assert Duty.objects.count() == 1
    record(level1, student, HrEventKind.RESUMED, "2026-11-02")
    student.refresh_from_db()
    assert student.status == WorkerStatus.NOT_ENROLLED


def test_what_a_student_s_state_rules_out_is_refused(level1, student):
    with pytest.raises(ApplicationError, match="Record their enrolment first"):
        record(level1, student, HrEventKind.STOPPED_ENGAGING, "2026-11-02")
    enrol(level1, student)
    with pytest.raises(ApplicationError, match="enrolment is already recorded"):
        enrol(level1, student, "2026-09-15")
    with pytest.raises(ApplicationError, match="nothing to resume"):
        record(level1, student, HrEventKind.RESUMED, "2026-11-02")
    record(level1, student, HrEventKind.STUDIES_STOPPED, "2026-11-02", details={"how": "WITHDREW"})
    with pytest.raises(ApplicationError, match="student's sponsorship has ended"):
        record(level1, student, HrEventKind.STOPPED_ENGAGING, "2026-11-03")
    assert HrEvent.objects.count() == 2


def test_a_worker_s_events_are_not_a_student_s_nor_the_reverse(level1, student):
    with pytest.raises(ApplicationError) as refused:
        record(level1, student, HrEventKind.FIRST_DAY, "2026-11-02")
    assert refused.value.field == "kind"
    assert "ENROLLED" in refused.value.message and "FIRST_DAY" not in refused.value.message
    worker = sponsored_worker(level1)
    with pytest.raises(ApplicationError) as refused:
        hr_event_record(
            actor=level1, worker=worker, kind=HrEventKind.ENROLLED, occurred_on="2026-11-02"
        )
    assert refused.value.field == "kind"
    with pytest.raises(ApplicationError):
        student_event_record(
            actor=level1, student=worker, kind=HrEventKind.CONTACT_CHANGE, occurred_on="2026-11-02"
        )


def test_bad_details_are_named_by_field(level1, student):
    enrol(level1, student)
    with pytest.raises(ApplicationError) as refused:
        record(level1, student, HrEventKind.STUDIES_PAUSED, "2026-11-20", details={"how": "NAP"})
    fields = dict(refused.value.errors)
    assert fields["occurred_on"] == "The date it happened cannot be in the future"
    assert fields["details.how"].startswith("What kind of break is it?: choose one of")


def test_contact_details_are_kept_for_students_too(level1, student):
    record(
        level1,
        student,
        HrEventKind.CONTACT_CHANGE,
        "2026-11-02",
        details={"email": "li@example.org"},
    )
    student.refresh_from_db()
    assert student.email == "li@example.org"


def test_the_same_event_sent_twice_is_recorded_once(level1, student):
    first, created = record(
        level1,
        student,
        HrEventKind.ENROLLED,
        "2026-09-14",
        external_id="SRS-1",
        source=EventSource.API,
    )
    again, created_again = record(
        level1,
        student,
        HrEventKind.ENROLLED,
        "2026-09-14",
        external_id="SRS-1",
        source=EventSource.API,
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    with pytest.raises(Conflict) as refused:
        record(level1, student, HrEventKind.ENROLLED, "2026-09-15", external_id="SRS-1")
    assert refused.value.code == "external_id_reused"


# ---------------------------------------------------------------- the did-not-enrol clock


def test_enrolling_within_the_period_cancels_a_duty_already_raised(level1, student):
    # The default period is 14 days: enrolment by Monday 28 September.
    duties_raise_on_schedule(date(2026, 11, 16))
    duty = Duty.objects.get(worker=student)
    assert duty.kind == EventKind.DID_NOT_ENROL
    enrol(level1, student, "2026-09-28")
    duty.refresh_from_db()
    assert duty.status == DutyStatus.CANCELLED
    assert (
        duty.closed_note
        == "The student enrolled on 28 September 2026, within the enrolment period."
    )


def test_enrolling_after_the_period_is_reportable(level1, student):
    enrol(level1, student, "2026-09-29")
    duty = Duty.objects.get(worker=student)
    # Dated the last day of the period, Monday 28 September: 29 Sep-2 Oct (4), 5-9 (9),
    # Mon 12 Oct (10).
    assert (duty.kind, duty.event_date, duty.due_on) == (
        EventKind.DID_NOT_ENROL,
        date(2026, 9, 28),
        date(2026, 10, 12),
    )
    assert duty.summary == "Did not enrol within the enrolment period (enrolled 29 September 2026)"
    student.refresh_from_db()
    assert student.status == WorkerStatus.STUDYING


def test_the_sweep_raises_did_not_enrol_the_day_after_the_period_once(level1, student):
    assert duties_raise_on_schedule(date(2026, 9, 28)) == 0
    assert duties_raise_on_schedule(date(2026, 9, 29)) == 1
    assert duties_raise_on_schedule(date(2026, 9, 29)) == 0
    assert duties_raise_on_schedule(date(2026, 11, 16)) == 0
    duty = Duty.objects.get()
    assert (duty.worker, duty.kind, duty.event_date, duty.clock_starts_on, duty.due_on) == (
        student,
        EventKind.DID_NOT_ENROL,
        date(2026, 9, 28),
        date(2026, 9, 28),
        date(2026, 10, 12),
    )
    assert duty.key == f"DID_NOT_ENROL:{student.pk}:2026-09-28"
    assert duty.summary == "Not recorded as enrolled by the end of the enrolment period"
    # The sweep's own audit event names what it raised.
    event = AuditEvent.objects.filter(verb=AuditVerb.DUTY_RAISED).get()
    assert event.payload["raised"] == {"DID_NOT_ENROL": 1}


def test_the_sweep_skips_students_enrolled_or_ended_and_workers(level1, student):
    enrolled = sponsored_student(level1)
    enrol(level1, enrolled)
    ended = sponsored_student(level1)
    record(level1, ended, HrEventKind.STUDIES_STOPPED, "2026-09-20", details={"how": "WITHDREW"})
    Duty.objects.all().delete()
    duties_raise_on_schedule(date(2026, 9, 29))
    assert list(Duty.objects.values_list("worker", flat=True)) == [student.pk]


def test_each_sponsor_s_enrolment_period_counts(level1, other_level1, student):
    ComplianceSettings.objects.create(sponsor=level1.sponsor, enrolment_window_days=21)
    elsewhere = sponsored_student(other_level1)  # the default 14 days
    assert duties_raise_on_schedule(date(2026, 9, 29)) == 1
    assert Duty.objects.get().worker == elsewhere
    # 21 days from 14 September: enrolment by Monday 5 October.
    assert duties_raise_on_schedule(date(2026, 10, 5)) == 0
    assert duties_raise_on_schedule(date(2026, 10, 6)) == 1
    duty = Duty.objects.get(worker=student)
    # Mon 5 Oct: 6-9 (4), 12-16 (9), Mon 19 Oct (10).
    assert (duty.event_date, duty.due_on) == (date(2026, 10, 5), date(2026, 10, 19))


def test_the_sweep_counts_each_study_nation_s_bank_holidays(level1):
    # Courses starting Monday 2 November: enrolment by Monday 16 November; the clock starts
    # then. England: 17-20 (4), 23-27 (9), Mon 30 Nov (10). Scotland: St Andrew's Day closes
    # Mon 30 Nov, so Tue 1 Dec (10).
    in_scotland = sponsored_student(level1, course_start_date=date(2026, 11, 2))
    in_england = sponsored_student(
        level1, course_start_date=date(2026, 11, 2), study_nation=Nation.ENGLAND
    )
    assert duties_raise_on_schedule(date(2026, 11, 17)) == 2
    assert Duty.objects.get(worker=in_scotland).due_on == date(2026, 12, 1)
    assert Duty.objects.get(worker=in_england).due_on == date(2026, 11, 30)


def test_an_enrolment_recorded_before_the_sweep_raises_nothing(level1, student):
    enrol(level1, student, "2026-09-20")
    assert duties_raise_on_schedule(date(2026, 11, 16)) == 0
