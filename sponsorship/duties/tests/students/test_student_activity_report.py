"""Reporting a student's activity on a used CAS, the one function the web, the API and the
bulk files (Bulk Report and Graduate notification records) all call: each kind asks its own
questions, records its deadline (10 working days in the study nation) and whether it was late,
meets the duties of its kind; reports that end sponsorship meet them all and end it.

The clock is frozen at Monday 16 November 2026, 10:00 in London (duties/tests/conftest.py).
The student studies in Aberdeen, so Scotland's bank holidays count: St Andrew's Day is Monday
30 November 2026. Due dates are counted by hand.
"""

from datetime import date

import pytest

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import CertificateStatus
from sponsorship.certificates.tests.factories import assigned_cas, assigned_certificate
from sponsorship.core.errors import ApplicationError, Conflict, InvalidTransition, NotFound
from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import (
    ActivityReport,
    Duty,
    DutyStatus,
    EventSource,
    HrEventKind,
    Worker,
    WorkerStatus,
)
from sponsorship.duties.services import student_activity_report, student_event_record
from sponsorship.licences.models import LicenceStatus

from ..factories import sponsored_student

pytestmark = pytest.mark.django_db

CONTACT = "E-mailed on 2 and 5 November; phoned on 6 November; no answer."

# A good answer to every question of each kind, and what is kept of it.
ANSWERS = {
    EventKind.DID_NOT_ENROL: (
        {"reason": "Not known.", "contact_attempts": CONTACT, "sponsorship_continues": "yes"},
        {"reason": "Not known.", "contact_attempts": CONTACT, "sponsorship_continues": True},
    ),
    EventKind.STOPPED_ENGAGING: (
        {
            "missed": "No lectures or tutorials since 19 October.",
            "contact_attempts": CONTACT,
            "sponsorship_continues": True,
        },
        {
            "missed": "No lectures or tutorials since 19 October.",
            "contact_attempts": CONTACT,
            "sponsorship_continues": True,
        },
    ),
    EventKind.STUDIES_STOPPED: (
        {"how": "WITHDREW", "last_known_address": "14 Wellington Road, Leeds LS1 4AB"},
        {"how": "WITHDREW", "last_known_address": "14 Wellington Road, Leeds LS1 4AB"},
    ),
    EventKind.STUDIES_PAUSED: (
        {
            "how": "INTERRUPTED",
            "reason": "Illness",
            "expected_return": "2027-01-18",
            "sponsorship_continues": "yes",
        },
        {
            "how": "INTERRUPTED",
            "reason": "Illness",
            "expected_return": "2027-01-18",
            "sponsorship_continues": True,
        },
    ),
    EventKind.COMPLETED_EARLY: (
        {"reason": "Thesis submitted early.", "qualification": " MSc  Marine Biology "},
        {"reason": "Thesis submitted early.", "qualification": "MSc Marine Biology"},
    ),
    EventKind.STUDENT_SPONSORSHIP_ENDED: (
        {"reason": "Switched to the Skilled Worker route.", "last_known_address": "Aberdeen"},
        {"reason": "Switched to the Skilled Worker route.", "last_known_address": "Aberdeen"},
    ),
    EventKind.GRADUATED: (
        {"qualification": "MSc Marine Biology"},
        {"qualification": "MSc Marine Biology"},
    ),
}


def report(actor, certificate, kind, event_date=date(2026, 11, 10), answers=None, **more):
    return student_activity_report(
        actor=actor,
        certificate=certificate,
        kind=kind,
        event_date=event_date,
        answers=ANSWERS[kind][0] if answers is None else answers,
        source=more.pop("source", EventSource.BULK),
        ip=None,
        **more,
    )


@pytest.mark.parametrize("kind", list(ANSWERS))
def test_each_kind_is_kept_as_checked_with_its_deadline(level1, student, kind):
    made = report(level1, student.certificate, kind)

    assert made.kind == kind
    assert made.worker == student
    assert made.details == ANSWERS[kind][1]
    assert made.source == EventSource.BULK
    assert made.nation == "SCT"
    assert made.event_date == date(2026, 11, 10)
    if kind == EventKind.GRADUATED:
        # Notified before a Graduate route application: no deadline, never late.
        assert made.due_on is None
    else:
        # Tue 10 Nov: 11-13 (3), 16-20 (8), 23, 24 (10).
        assert made.due_on == date(2026, 11, 24)
    assert made.late is False
    event = AuditEvent.objects.filter(verb=AuditVerb.ACTIVITY_REPORTED).get()
    assert event.payload["kind"] == kind
    assert event.payload["source"] == "BLK"


def test_the_study_nation_s_bank_holidays_count(level1, student):
    # Mon 16 Nov: 17-20 (4), 23-27 (9), St Andrew's Day Mon 30 Nov closed, Tue 1 Dec (10).
    made = report(level1, student.certificate, EventKind.STOPPED_ENGAGING, date(2026, 11, 16))
    assert made.due_on == date(2026, 12, 1)


def test_a_report_after_its_deadline_is_flagged_late(level1, student):
    # Fri 30 Oct: 2-6 Nov (5), 9-13 (10): due Friday 13 November, reported Monday 16th.
    made = report(level1, student.certificate, EventKind.STOPPED_ENGAGING, date(2026, 10, 30))
    assert made.due_on == date(2026, 11, 13)
    assert made.late is True


def test_a_report_meets_the_open_duty_of_its_kind(level1, student):
    student_event_record(
        actor=level1, student=student, kind=HrEventKind.ENROLLED, occurred_on="2026-09-14"
    )
    student_event_record(
        actor=level1, student=student, kind=HrEventKind.STOPPED_ENGAGING, occurred_on="2026-11-09"
    )
    duty = Duty.objects.get(worker=student)
    assert duty.kind == EventKind.STOPPED_ENGAGING and duty.is_open

    made = report(level1, student.certificate, EventKind.STOPPED_ENGAGING, date(2026, 11, 9))

    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE
    assert duty.report == made
    student.refresh_from_db()
    assert student.status == WorkerStatus.STUDYING  # sponsorship continues, as answered


@pytest.mark.parametrize(
    "kind",
    [EventKind.STUDIES_STOPPED, EventKind.STUDENT_SPONSORSHIP_ENDED, EventKind.COMPLETED_EARLY],
)
def test_a_report_that_ends_sponsorship_meets_every_duty_and_ends_it(level1, student, kind):
    student_event_record(
        actor=level1, student=student, kind=HrEventKind.ENROLLED, occurred_on="2026-09-14"
    )
    student_event_record(
        actor=level1, student=student, kind=HrEventKind.STOPPED_ENGAGING, occurred_on="2026-11-09"
    )

    made = report(level1, student.certificate, kind)

    assert set(Duty.objects.values_list("status", "report")) == {(DutyStatus.DONE, made.pk)}
    student.refresh_from_db()
    assert student.status == WorkerStatus.ENDED
    assert student.ended_on == date(2026, 11, 10)
    assert student.certificate.sponsorship_stopped_on == date(2026, 11, 10)
    with pytest.raises(Conflict) as refused:
        report(level1, student.certificate, EventKind.STOPPED_ENGAGING)
    assert refused.value.code == "sponsorship_stopped"


def test_answering_that_sponsorship_will_not_continue_ends_it(level1, student):
    answers = {**ANSWERS[EventKind.STOPPED_ENGAGING][0], "sponsorship_continues": "no"}
    report(level1, student.certificate, EventKind.STOPPED_ENGAGING, answers=answers)
    student.refresh_from_db()
    assert student.status == WorkerStatus.ENDED
    assert student.ended_reason == "Student stopped engaging with their studies"


def test_withdrawal_names_how_studies_stopped(level1, student):
    answers = {**ANSWERS[EventKind.STUDIES_STOPPED][0], "how": "EXCLUDED"}
    report(level1, student.certificate, EventKind.STUDIES_STOPPED, answers=answers)
    student.refresh_from_db()
    assert student.ended_reason == "You excluded them"


def test_a_graduate_notification_may_follow_an_early_completion_once(level1, student):
    report(level1, student.certificate, EventKind.COMPLETED_EARLY)
    graduated = report(level1, student.certificate, EventKind.GRADUATED, date(2026, 11, 12))
    assert graduated.due_on is None
    student.certificate.refresh_from_db()
    # Sponsorship stopped when the course was completed, not on the notification.
    assert student.certificate.sponsorship_stopped_on == date(2026, 11, 10)
    with pytest.raises(Conflict):
        report(level1, student.certificate, EventKind.GRADUATED, date(2026, 11, 13))


def test_a_graduate_notification_after_withdrawal_is_refused(level1, student):
    report(level1, student.certificate, EventKind.STUDIES_STOPPED)
    with pytest.raises(Conflict):
        report(level1, student.certificate, EventKind.GRADUATED)


def test_a_correction_is_a_new_report_linked_to_the_first(level1, student):
    first = report(level1, student.certificate, EventKind.STUDIES_STOPPED)
    fixed = report(
        level1,
        student.certificate,
        EventKind.STUDIES_STOPPED,
        date(2026, 11, 9),
        corrects=first,
    )
    assert fixed.pk != first.pk and fixed.corrects == first
    first.refresh_from_db()
    assert first.event_date == date(2026, 11, 10)  # never edited


def test_the_same_report_sent_twice_is_kept_once(level1, student):
    first = report(level1, student.certificate, EventKind.STOPPED_ENGAGING)
    again = report(level1, student.certificate, EventKind.STOPPED_ENGAGING)
    assert again.pk == first.pk
    assert ActivityReport.objects.count() == 1


def test_bad_input_names_every_field_and_keeps_nothing(level1, student):
    with pytest.raises(ApplicationError) as refused:
        report(
            level1,
            student.certificate,
            EventKind.STUDIES_PAUSED,
            date(2026, 11, 20),
            answers={"how": "HOLIDAY", "expected_return": "2026-11-01", "colour": "blue"},
        )
    fields = dict(refused.value.errors)
    assert fields["event_date"] == "The date of the event cannot be in the future"
    assert fields["details.how"].startswith("What kind of break is it?: choose one of SUSPENDED")
    assert fields["details.reason"] == "Enter an answer to “Why are they taking a break?”"
    assert fields["details.sponsorship_continues"].startswith("Enter an answer")
    assert fields["details.colour"] == "colour is not a question of this form: leave it out"
    assert not ActivityReport.objects.exists()


def test_a_worker_s_kind_is_not_a_student_report(level1, student):
    with pytest.raises(ApplicationError) as refused:
        student_activity_report(
            actor=level1,
            certificate=student.certificate,
            kind=EventKind.SALARY_REDUCED,
            event_date=date(2026, 11, 10),
            answers={},
            source=EventSource.WEB,
            ip=None,
        )
    assert refused.value.field == "kind"
    assert "DID_NOT_ENROL" in refused.value.message


def test_another_sponsor_s_cas_is_not_found(other_level1, student):
    with pytest.raises(NotFound):
        report(other_level1, student.certificate, EventKind.STOPPED_ENGAGING)
    assert not ActivityReport.objects.exists()


def test_a_level_2_user_reports_on_their_own_students_only(level1, level2):
    theirs = sponsored_student(level2)
    colleagues = sponsored_student(level1)
    assert report(level2, theirs.certificate, EventKind.STOPPED_ENGAGING).worker == theirs
    with pytest.raises(NotFound):
        report(level2, colleagues.certificate, EventKind.STOPPED_ENGAGING)


def test_a_certificate_of_sponsorship_is_not_a_cas(level1):
    cos = assigned_certificate(level1)
    with pytest.raises(NotFound):
        report(level1, cos, EventKind.STOPPED_ENGAGING)


def test_a_cas_not_used_cannot_be_reported_on(level1):
    cas = assigned_cas(level1)
    with pytest.raises(InvalidTransition) as refused:
        report(level1, cas, EventKind.GRADUATED)
    assert refused.value.code == "certificate_not_used"
    assert "is assigned" in refused.value.message


def test_a_suspended_licence_still_reports(level1, student):
    level1.sponsor.status = LicenceStatus.SUSPENDED
    level1.sponsor.save()
    assert report(level1, student.certificate, EventKind.STOPPED_ENGAGING).pk


def test_a_used_cas_missing_from_the_register_joins_it_when_reported_on(level1):
    cas = assigned_cas(level1)
    cas.status = CertificateStatus.USED
    cas.save()
    made = report(level1, cas, EventKind.STOPPED_ENGAGING)
    assert made.worker == Worker.objects.get(certificate=cas)
    assert made.worker.is_student


def test_another_level_1_user_of_the_sponsor_may_report(student, sponsor):
    colleague = Level1Factory(sponsor=sponsor)
    assert (
        report(colleague, student.certificate, EventKind.STOPPED_ENGAGING).submitted_by == colleague
    )
