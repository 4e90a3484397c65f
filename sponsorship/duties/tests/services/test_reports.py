"""Reporting migrant activity: each kind asks its own questions, records its own deadline and
whether it was late, closes the duties it meets; a report that sponsorship stopped ends the
worker's sponsorship; a correction is a new report linked to the one it corrects.

The clock is frozen at Monday 16 November 2026, 10:00 in London (conftest). Due dates are
counted by hand (bank holidays: sponsorship/core/tests/test_workingdays.py).
"""

from datetime import date

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import ApplicationOutcome, CertificateStatus
from sponsorship.certificates.services import certificate_cancel, certificate_record_outcome
from sponsorship.core.errors import ApplicationError, Conflict
from sponsorship.duties.kinds import STUDENT_EVENT_KINDS, EventKind
from sponsorship.duties.models import ActivityReport, Duty, DutyStatus, EventSource, WorkerStatus
from sponsorship.duties.services import activity_report_submit, hr_event_record
from sponsorship.duties.tests.factories import sponsored_worker

# A good answer to every question of each kind, and what is kept of it.
ANSWERS = {
    EventKind.DID_NOT_START: (
        {"reason": "Their visa was delayed.", "still_expected": "yes", "expected_start": ""},
        {"reason": "Their visa was delayed.", "still_expected": True},
    ),
    EventKind.ABSENCE: (
        {
            "contact_attempts": "Phoned on 9 and 10 November; letter sent on 11 November.",
            "sponsorship_continues": "no",
        },
        {
            "contact_attempts": "Phoned on 9 and 10 November; letter sent on 11 November.",
            "sponsorship_continues": False,
        },
    ),
    EventKind.UNPAID_LEAVE: (
        {"leave_start": "2026-10-01", "leave_end": "2026-11-30", "reason": "Caring for a parent"},
        {"leave_start": "2026-10-01", "leave_end": "2026-11-30", "reason": "Caring for a parent"},
    ),
    EventKind.SALARY_REDUCED: (
        {"new_salary": " 41700.50 ", "reason": "Hours cut to four days a week"},
        {"new_salary": "41700.50", "reason": "Hours cut to four days a week"},
    ),
    EventKind.JOB_CHANGED: (
        {"new_job_title": "  Lead   developer ", "new_duties": "Leads a team of four."},
        {"new_job_title": "Lead developer", "new_duties": "Leads a team of four."},
    ),
    EventKind.LOCATION_CHANGED: (
        {"location_kind": "CLIENT_SITE", "new_address": "Unit 2, Quay Park, Hull HU1 2AB"},
        {"location_kind": "CLIENT_SITE", "new_address": "Unit 2, Quay Park, Hull HU1 2AB"},
    ),
    EventKind.SPONSORSHIP_STOPPED: (
        {
            "reason": "RESIGNED",
            "last_known_address": "14 Wellington Road, Leeds LS1 4AB",
            "last_known_email": "l.kowalczyk@example.org",
            "new_employer": "",
        },
        {
            "reason": "RESIGNED",
            "last_known_address": "14 Wellington Road, Leeds LS1 4AB",
            "last_known_email": "l.kowalczyk@example.org",
        },
    ),
    EventKind.OFFSHORE: (
        {"movement": "ARRIVED", "location": "Platform Bravo, North Sea"},
        {"movement": "ARRIVED", "location": "Platform Bravo, North Sea"},
    ),
    EventKind.BREACH_SUSPECTED: (
        {"description": "Working a second full-time job we were told about."},
        {"description": "Working a second full-time job we were told about."},
    ),
}

# The questions each kind must have answered, written out from DOMAIN.md and SMS manual 9.
REQUIRED = {
    EventKind.DID_NOT_START: {"reason", "still_expected"},
    EventKind.ABSENCE: {"contact_attempts", "sponsorship_continues"},
    EventKind.UNPAID_LEAVE: {"leave_start", "reason"},
    EventKind.SALARY_REDUCED: {"new_salary", "reason"},
    EventKind.JOB_CHANGED: {"new_job_title", "new_duties"},
    EventKind.LOCATION_CHANGED: {"location_kind", "new_address"},
    EventKind.SPONSORSHIP_STOPPED: {"reason", "last_known_address"},
    EventKind.OFFSHORE: {"movement", "location"},
    EventKind.BREACH_SUSPECTED: {"description"},
}


def submit(worker, actor, kind, event_date, details=None, **fields):
    return activity_report_submit(
        actor=actor,
        worker=worker,
        kind=kind,
        event_date=event_date,
        details=ANSWERS[kind][0] if details is None else details,
        **fields,
    )


def test_every_kind_a_worker_can_be_reported_for_is_covered():
    assert (
        set(ANSWERS)
        == set(REQUIRED)
        == set(EventKind) - {EventKind.ORGANISATION_CHANGE} - set(STUDENT_EVENT_KINDS)
    )


@pytest.mark.parametrize("kind", list(ANSWERS), ids=str)
def test_each_kind_keeps_its_own_answers(worker, level1, kind):
    report = submit(worker, level1, kind, "2026-11-13")
    assert report.kind == kind
    assert report.details == ANSWERS[kind][1]
    assert report.event_date == date(2026, 11, 13)
    assert report.certificate == worker.certificate
    assert report.submitted_by == level1
    assert report.reference == f"MA{report.pk:08d}"


@pytest.mark.parametrize("kind", list(REQUIRED), ids=str)
def test_each_kind_names_every_question_left_unanswered(worker, level1, kind):
    with pytest.raises(ApplicationError) as refused:
        submit(worker, level1, kind, "2026-11-13", details={})
    named = {field for field, _ in refused.value.errors}
    assert named == {f"details.{name}" for name in REQUIRED[kind]}
    assert not ActivityReport.objects.exists()


def test_an_organisation_change_is_not_a_migrant_activity_report(worker, level1):
    with pytest.raises(ApplicationError) as refused:
        activity_report_submit(
            actor=level1, worker=worker, kind="ORGANISATION_CHANGE", event_date="2026-11-13"
        )
    assert refused.value.field == "kind"


# ---------------------------------------------------------------- due date and lateness


def test_a_report_records_its_deadline_from_the_kinds_own_rule(worker, level1):
    report = submit(worker, level1, EventKind.ABSENCE, "2026-11-02")
    # First day away Mon 2 Nov: 2-6 (5), 9-13 (10), so the clock starts Fri 13 Nov;
    # 16-20 (5), 23-27 (10): due Fri 27 Nov.
    assert report.clock_starts_on == date(2026, 11, 13)
    assert report.due_on == date(2026, 11, 27)
    assert report.nation == "ENG"
    assert not report.late


def test_a_report_on_its_due_day_is_in_time_and_the_day_after_is_late(worker, level1, frozen):
    # Salary cut on Mon 16 Nov: 17-20 (4), 23-27 (9), Mon 30 Nov (10).
    frozen.move_to("2026-11-30 23:59")
    on_time = submit(worker, level1, EventKind.SALARY_REDUCED, "2026-11-16")
    assert on_time.due_on == date(2026, 11, 30)
    assert not on_time.late

    other = sponsored_worker(level1, start_date=date(2026, 11, 2))
    frozen.move_to("2026-12-01 00:01")
    late = submit(other, level1, EventKind.SALARY_REDUCED, "2026-11-16")
    assert late.due_on == date(2026, 11, 30)
    assert late.late


def test_lateness_goes_by_the_date_in_london(worker, level1, frozen):
    # London is on GMT in winter, so take a summer date: 00:30 on Tue 4 Aug 2026 in London is
    # still 23:30 on 3 Aug in UTC.
    # A salary cut on Mon 20 Jul: 21-24 (4), 27-31 (9), Mon 3 Aug (10).
    frozen.move_to("2026-08-04 00:30 +01:00")
    report = submit(worker, level1, EventKind.SALARY_REDUCED, "2026-07-20")
    assert report.due_on == date(2026, 8, 3)
    assert report.late


def test_a_did_not_start_report_counts_from_the_end_of_the_28_days(worker, level1):
    report = submit(worker, level1, EventKind.DID_NOT_START, "2026-10-01")
    # Thu 1 Oct + 28 days = Thu 29 Oct; 30 Oct (1), 2-6 Nov (6), 9-12 Nov (10): due Thu 12 Nov,
    # so a report on Mon 16 Nov is late.
    assert report.clock_starts_on == date(2026, 10, 29)
    assert report.due_on == date(2026, 11, 12)
    assert report.late


def test_a_suspected_breach_has_no_date_and_is_never_late(worker, level1):
    report = submit(worker, level1, EventKind.BREACH_SUSPECTED, "2025-01-06")
    assert report.due_on is None
    assert not report.late


def test_a_scottish_worker_gets_scottish_deadlines(level1):
    worker = sponsored_worker(level1, start_date=date(2026, 11, 2), work_nation="SCT")
    report = submit(worker, level1, EventKind.SALARY_REDUCED, "2026-11-16")
    # 30 Nov is St Andrew's Day: 17-20 (4), 23-27 (9), Tue 1 Dec (10).
    assert report.nation == "SCT"
    assert report.due_on == date(2026, 12, 1)


# ---------------------------------------------------------------- closing duties


def salary_cut(worker, actor, day="2026-11-16"):
    hr_event_record(
        actor=actor,
        worker=worker,
        kind="SALARY_CHANGE",
        occurred_on=day,
        details={"new_salary": "40000"},
    )
    return Duty.objects.get(worker=worker, kind=EventKind.SALARY_REDUCED)


def test_a_report_closes_the_workers_open_duty_of_its_kind(worker, level1):
    duty = salary_cut(worker, level1)
    other_worker = sponsored_worker(level1, start_date=date(2026, 11, 2))
    others_duty = salary_cut(other_worker, level1)

    report = submit(worker, level1, EventKind.SALARY_REDUCED, "2026-11-16")

    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE
    assert duty.report == report
    assert duty.closed_at is not None
    assert duty.closed_note == f"Reported in {report.reference}."
    others_duty.refresh_from_db()
    assert others_duty.is_open


def test_a_report_of_another_kind_leaves_the_duty_open(worker, level1):
    duty = salary_cut(worker, level1)
    submit(worker, level1, EventKind.JOB_CHANGED, "2026-11-16")
    duty.refresh_from_db()
    assert duty.is_open


def test_a_closed_duty_stays_as_it_was_when_reported_again(worker, level1):
    duty = salary_cut(worker, level1)
    first = submit(worker, level1, EventKind.SALARY_REDUCED, "2026-11-16")
    submit(worker, level1, EventKind.SALARY_REDUCED, "2026-11-16", corrects=first)
    duty.refresh_from_db()
    assert duty.report == first


# ---------------------------------------------------------------- sponsorship stopped


def test_sponsorship_stopped_ends_everything_owed(worker, level1):
    salary = salary_cut(worker, level1)
    hr_event_record(
        actor=level1,
        worker=worker,
        kind="JOB_CHANGE",
        occurred_on="2026-11-16",
        details={"new_job_title": "Analyst", "significant": "yes"},
    )

    report = submit(worker, level1, EventKind.SPONSORSHIP_STOPPED, "2026-11-13")

    worker.refresh_from_db()
    assert worker.status == WorkerStatus.ENDED
    assert worker.ended_on == date(2026, 11, 13)
    assert worker.ended_reason == "RESIGNED"
    worker.certificate.refresh_from_db()
    assert worker.certificate.sponsorship_stopped_on == date(2026, 11, 13)
    assert worker.certificate.status == CertificateStatus.USED
    salary.refresh_from_db()
    assert salary.status == DutyStatus.DONE
    assert list(Duty.objects.filter(worker=worker).values_list("status", "report")) == [
        (DutyStatus.DONE, report.pk),
        (DutyStatus.DONE, report.pk),
    ]


def test_after_sponsorship_stopped_only_corrections_are_accepted(worker, level1):
    stopped = submit(worker, level1, EventKind.SPONSORSHIP_STOPPED, "2026-11-13")
    with pytest.raises(Conflict) as refused:
        submit(worker, level1, EventKind.ABSENCE, "2026-11-02")
    assert refused.value.code == "sponsorship_stopped"
    assert "13 November 2026" in refused.value.message
    assert ActivityReport.objects.count() == 1

    corrected = submit(
        worker,
        level1,
        EventKind.SPONSORSHIP_STOPPED,
        "2026-11-12",
        details={**ANSWERS[EventKind.SPONSORSHIP_STOPPED][0], "reason": "DISMISSED"},
        corrects=stopped,
    )
    assert corrected.corrects == stopped


def test_the_stop_keeps_a_last_day_recorded_by_the_hr_system(worker, level1):
    hr_event_record(
        actor=level1,
        worker=worker,
        kind="LEAVING",
        occurred_on="2026-11-13",
        details={"reason": "REDUNDANCY"},
    )
    duty = Duty.objects.get(worker=worker, kind=EventKind.SPONSORSHIP_STOPPED)
    report = submit(worker, level1, EventKind.SPONSORSHIP_STOPPED, "2026-11-13")
    worker.refresh_from_db()
    assert (worker.ended_on, worker.ended_reason) == (date(2026, 11, 13), "REDUNDANCY")
    duty.refresh_from_db()
    assert (duty.status, duty.report) == (DutyStatus.DONE, report)


# ---------------------------------------------------------------- corrections


def test_a_correction_is_a_new_report_linked_to_the_first(worker, level1):
    first = submit(worker, level1, EventKind.SALARY_REDUCED, "2026-11-16")
    correction = submit(
        worker,
        level1,
        EventKind.SALARY_REDUCED,
        "2026-11-16",
        details={"new_salary": "42000", "reason": "The first figure was wrong."},
        corrects=first,
    )
    first.refresh_from_db()
    assert first.details == ANSWERS[EventKind.SALARY_REDUCED][1]  # never edited
    assert correction.pk != first.pk
    assert correction.corrects == first
    assert list(first.corrections.all()) == [correction]
    audit = AuditEvent.objects.filter(verb=AuditVerb.ACTIVITY_REPORTED).order_by("seq").last()
    assert audit.payload["corrects"] == first.reference


def test_a_correction_must_be_about_the_same_worker(worker, level1):
    other = sponsored_worker(level1, start_date=date(2026, 11, 2))
    theirs = submit(other, level1, EventKind.SALARY_REDUCED, "2026-11-16")
    with pytest.raises(ApplicationError) as refused:
        submit(worker, level1, EventKind.SALARY_REDUCED, "2026-11-16", corrects=theirs)
    assert refused.value.field == "corrects"
    assert ActivityReport.objects.count() == 1


# ---------------------------------------------------------------- used certificates only


def test_a_certificate_assigned_again_after_a_rejected_application_cannot_be_reported_on(
    worker, level1, caseworker
):
    certificate_record_outcome(
        actor=caseworker,
        certificate=worker.certificate,
        outcome=ApplicationOutcome.REJECTED_INVALID,
        ip=None,
    )
    with pytest.raises(Conflict) as refused:
        submit(worker, level1, EventKind.SALARY_REDUCED, "2026-11-16")
    assert refused.value.code == "certificate_not_used"
    assert worker.certificate.number in refused.value.message
    assert "assigned" in refused.value.message
    assert not ActivityReport.objects.exists()


def test_a_cancelled_certificate_cannot_be_reported_on(worker, level1, caseworker):
    certificate_cancel(
        actor=caseworker, certificate=worker.certificate, reason="Issued in error.", ip=None
    )
    with pytest.raises(Conflict) as refused:
        submit(worker, level1, EventKind.SALARY_REDUCED, "2026-11-16")
    assert refused.value.code == "certificate_not_used"


def test_a_granted_application_leaves_the_certificate_used(worker, level1, caseworker):
    certificate_record_outcome(
        actor=caseworker,
        certificate=worker.certificate,
        outcome=ApplicationOutcome.GRANTED,
        ip=None,
    )
    assert submit(worker, level1, EventKind.SALARY_REDUCED, "2026-11-16").pk


# ---------------------------------------------------------------- audit and bad input


def test_the_report_and_the_duties_it_closes_are_audited(worker, level1):
    duty = salary_cut(worker, level1)
    report = submit(
        worker,
        level1,
        EventKind.SALARY_REDUCED,
        "2026-11-16",
        source=EventSource.API,
        ip="192.0.2.7",
    )
    reported = AuditEvent.objects.get(verb=AuditVerb.ACTIVITY_REPORTED)
    assert reported.actor == level1
    assert reported.sponsor_id == worker.sponsor_id
    assert reported.target_id == str(report.pk)
    assert reported.ip_address == "192.0.2.7"
    assert reported.payload == {
        "certificate": worker.certificate.number,
        "kind": "SALARY_REDUCED",
        "event_date": "2026-11-16",
        "due_on": "2026-11-30",
        "late": False,
    }
    closed = AuditEvent.objects.get(verb=AuditVerb.DUTY_CLOSED)
    assert closed.target_id == str(duty.pk)
    assert closed.payload["report"] == report.reference
    assert report.source == EventSource.API


BAD = [
    ({"kind": "SALARY_REDUCED", "event_date": ""}, "event_date"),
    ({"kind": "SALARY_REDUCED", "event_date": "2026-13-01"}, "event_date"),
    ({"kind": "SALARY_REDUCED", "event_date": "2026-11-17"}, "event_date"),
    ({"kind": "HOLIDAY", "event_date": "2026-11-16"}, "kind"),
    (
        {
            "kind": "ABSENCE",
            "event_date": "2026-11-02",
            "details": {**ANSWERS[EventKind.ABSENCE][0], "return_date": "2026-11-02"},
        },
        "details.return_date",
    ),
    (
        {
            "kind": "UNPAID_LEAVE",
            "event_date": "2026-11-02",
            "details": {**ANSWERS[EventKind.UNPAID_LEAVE][0], "leave_end": "2026-09-30"},
        },
        "details.leave_end",
    ),
    (
        {
            "kind": "SPONSORSHIP_STOPPED",
            "event_date": "2026-11-02",
            "details": {**ANSWERS[EventKind.SPONSORSHIP_STOPPED][0], "last_known_email": "x@"},
        },
        "details.last_known_email",
    ),
    (
        {
            "kind": "SALARY_REDUCED",
            "event_date": "2026-11-02",
            "details": {"new_salary": "£38,500", "reason": "Cut"},
        },
        "details.new_salary",
    ),
    (
        {
            "kind": "OFFSHORE",
            "event_date": "2026-11-02",
            "details": {"movement": "SWAM", "location": "Rig"},
        },
        "details.movement",
    ),
    (
        {
            "kind": "BREACH_SUSPECTED",
            "event_date": "2026-11-02",
            "details": {"description": "x" * 2001},
        },
        "details.description",
    ),
]


@pytest.mark.parametrize(("sent", "field"), BAD, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD)])
def test_bad_input_names_its_field_and_saves_nothing(worker, level1, sent, field):
    duty = salary_cut(worker, level1)
    audits = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as refused:
        activity_report_submit(actor=level1, worker=worker, **sent)
    assert field in [refused.value.field, *(name for name, _ in refused.value.errors)]
    assert not ActivityReport.objects.exists()
    assert AuditEvent.objects.count() == audits
    duty.refresh_from_db()
    assert duty.is_open


def test_the_same_report_sent_twice_is_kept_once(worker, level1):
    """A double click on "Send the report", or a retried API call, must not file it twice."""
    answers = {"new_salary": "39000", "reason": "Hours cut by agreement"}
    first = activity_report_submit(
        actor=level1,
        worker=worker,
        kind="SALARY_REDUCED",
        event_date="2026-11-13",
        details=answers,
    )
    again = activity_report_submit(
        actor=level1,
        worker=worker,
        kind="SALARY_REDUCED",
        event_date="2026-11-13",
        details=dict(answers),
    )
    assert again.pk == first.pk
    assert ActivityReport.objects.filter(worker=worker).count() == 1
    different = activity_report_submit(
        actor=level1,
        worker=worker,
        kind="SALARY_REDUCED",
        event_date="2026-11-13",
        details={**answers, "new_salary": "38000"},
    )
    assert different.pk != first.pk
