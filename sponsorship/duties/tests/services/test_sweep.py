"""The daily sweep raises the duties that time alone makes due: a worker not recorded as started
28 days after the latest start trigger, and an absence still running past 10 working days.
Running it twice raises nothing twice.

Dates are counted by hand (bank holidays: sponsorship/core/tests/test_workingdays.py).
"""

from datetime import date

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import ApplicationOutcome
from sponsorship.certificates.services import certificate_record_outcome
from sponsorship.core.sweep import daily_sweep
from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import Duty, DutyStatus, Worker
from sponsorship.duties.services import duties_raise_on_schedule, hr_event_record
from sponsorship.duties.tests.factories import sponsored_worker

STEP = "sponsorship.duties.services.duties_raise_on_schedule"


def worker_in(owner, nation, start):
    return sponsored_worker(owner, start_date=start, work_nation=nation)


def only_duty(worker):
    (duty,) = Duty.objects.filter(worker=worker)
    return duty


# ---------------------------------------------------------------- did not start

# (nation, certificate start date, first sweep day that raises it, clock starts, due)
DID_NOT_START = [
    # Mon 26 Oct 2026 + 28 = Mon 23 Nov. 24-27 (4), 30 Nov (5), 1-4 Dec (9), Mon 7 Dec (10).
    ("ENG", date(2026, 10, 26), date(2026, 11, 24), date(2026, 11, 23), date(2026, 12, 7)),
    ("WLS", date(2026, 10, 26), date(2026, 11, 24), date(2026, 11, 23), date(2026, 12, 7)),
    ("NIR", date(2026, 10, 26), date(2026, 11, 24), date(2026, 11, 23), date(2026, 12, 7)),
    # Scotland closes 30 Nov (St Andrew's Day): 24-27 (4), 1-4 Dec (8), 7 (9), Tue 8 Dec (10).
    ("SCT", date(2026, 10, 26), date(2026, 11, 24), date(2026, 11, 23), date(2026, 12, 8)),
    # Fri 27 Nov 2026 + 28 = Fri 25 Dec. 29-31 (3), Mon 4 Jan (4), 5-8 (8), 11 (9), 12 (10).
    ("ENG", date(2026, 11, 27), date(2026, 12, 26), date(2026, 12, 25), date(2027, 1, 12)),
    ("NIR", date(2026, 11, 27), date(2026, 12, 26), date(2026, 12, 25), date(2027, 1, 12)),
    # Scotland closes Mon 4 Jan too: 29-31 (3), 5-8 (7), 11-13 (10).
    ("SCT", date(2026, 11, 27), date(2026, 12, 26), date(2026, 12, 25), date(2027, 1, 13)),
]


@pytest.mark.parametrize(("nation", "start", "raised_on", "starts", "due"), DID_NOT_START)
def test_a_worker_not_started_after_28_days_gets_a_duty(
    level1, frozen, nation, start, raised_on, starts, due
):
    worker = worker_in(level1, nation, start)
    # The last day of the window: still time to start.
    frozen.move_to(f"{starts} 10:00")
    assert duties_raise_on_schedule(starts) == 0
    assert not Duty.objects.exists()

    frozen.move_to(f"{raised_on} 10:00")
    assert duties_raise_on_schedule(raised_on) == 1

    duty = only_duty(worker)
    assert duty.kind == EventKind.DID_NOT_START
    assert duty.status == DutyStatus.OPEN
    assert duty.sponsor_id == level1.sponsor_id
    assert duty.event_date == start
    assert duty.clock_starts_on == starts
    assert duty.due_on == due
    assert duty.nation == nation
    assert duty.summary == "Not recorded as started within 28 days"


def test_running_the_sweep_twice_raises_nothing_twice(level1, level2, frozen):
    for owner in (level1, level1, level2):
        worker_in(owner, "ENG", date(2026, 11, 2))
    frozen.move_to("2026-12-01 10:00")
    assert duties_raise_on_schedule(date(2026, 12, 1)) == 3
    audits = AuditEvent.objects.filter(verb=AuditVerb.DUTY_RAISED).count()

    assert duties_raise_on_schedule(date(2026, 12, 1)) == 0
    frozen.move_to("2026-12-02 10:00")
    assert duties_raise_on_schedule(date(2026, 12, 2)) == 0

    assert Duty.objects.count() == 3
    assert AuditEvent.objects.filter(verb=AuditVerb.DUTY_RAISED).count() == audits


def test_the_sweep_writes_one_audit_event_per_sponsor(level1, other_level1, frozen):
    worker_in(level1, "ENG", date(2026, 11, 2))
    worker_in(level1, "SCT", date(2026, 11, 2))
    worker_in(other_level1, "NIR", date(2026, 11, 2))
    frozen.move_to("2026-12-01 10:00")
    duties_raise_on_schedule(date(2026, 12, 1))

    raised = AuditEvent.objects.filter(verb=AuditVerb.DUTY_RAISED)
    by_sponsor = {event.sponsor_id: event for event in raised}
    assert set(by_sponsor) == {level1.sponsor_id, other_level1.sponsor_id}
    assert by_sponsor[level1.sponsor_id].payload == {
        "raised": {"DID_NOT_START": 2},
        "on": "2026-12-01",
    }
    assert by_sponsor[other_level1.sponsor_id].payload["raised"] == {"DID_NOT_START": 1}
    assert by_sponsor[level1.sponsor_id].actor_label == "daily sweep"


def test_a_worker_who_started_raises_nothing(worker, level1, frozen):
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-11-16")
    frozen.move_to("2026-12-01 10:00")
    assert duties_raise_on_schedule(date(2026, 12, 1)) == 0
    assert not Duty.objects.exists()


def test_an_ended_worker_raises_nothing(worker, caseworker, frozen):
    certificate_record_outcome(
        actor=caseworker,
        certificate=worker.certificate,
        outcome=ApplicationOutcome.REFUSED,
        ip=None,
    )
    frozen.move_to("2026-12-01 10:00")
    assert duties_raise_on_schedule(date(2026, 12, 1)) == 0
    assert not Duty.objects.exists()


def test_a_did_not_start_duty_raised_by_a_late_first_day_is_not_raised_again(
    worker, level1, frozen
):
    frozen.move_to("2026-12-02 10:00")
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-12-01")
    assert duties_raise_on_schedule(date(2026, 12, 2)) == 0
    assert Duty.objects.count() == 1


# ---------------------------------------------------------------- absences still running


@pytest.fixture
def away(level1):
    """`away(nation)`: a worker who started on Mon 2 Nov 2026 and has been away without
    permission since Mon 16 Nov, with no return recorded."""

    def _away(nation):
        worker = worker_in(level1, nation, date(2026, 11, 2))
        hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-11-02")
        hr_event_record(
            actor=level1,
            worker=Worker.objects.get(pk=worker.pk),
            kind="ABSENCE",
            occurred_on="2026-11-16",
            absence_type="UNAUTHORISED",
        )
        return worker

    return _away


# (nation, last sweep day with nothing to raise, the day it is raised, clock starts, due)
ABSENCES = [
    # 16-20 Nov (5), 23-27 (10): ten working days by Fri 27 Nov; Mon 30 Nov is the 11th.
    # The clock starts on the 10th, Fri 27 Nov: 30 Nov-4 Dec (5), 7-11 (10).
    ("ENG", date(2026, 11, 27), date(2026, 11, 30), date(2026, 11, 27), date(2026, 12, 11)),
    ("WLS", date(2026, 11, 27), date(2026, 11, 30), date(2026, 11, 27), date(2026, 12, 11)),
    ("NIR", date(2026, 11, 27), date(2026, 11, 30), date(2026, 11, 27), date(2026, 12, 11)),
    # Scotland: 30 Nov is St Andrew's Day, so Tue 1 Dec is the 11th; 1-4 Dec (4), 7-11 (9),
    # Mon 14 Dec (10).
    ("SCT", date(2026, 11, 30), date(2026, 12, 1), date(2026, 11, 27), date(2026, 12, 14)),
]


@pytest.mark.parametrize(("nation", "quiet_on", "raised_on", "starts", "due"), ABSENCES)
def test_an_absence_running_past_10_working_days_gets_a_duty(
    away, frozen, nation, quiet_on, raised_on, starts, due
):
    worker = away(nation)
    frozen.move_to(f"{quiet_on} 10:00")
    assert duties_raise_on_schedule(quiet_on) == 0
    assert not Duty.objects.exists()

    frozen.move_to(f"{raised_on} 10:00")
    assert duties_raise_on_schedule(raised_on) == 1
    assert duties_raise_on_schedule(raised_on) == 0

    duty = only_duty(worker)
    assert duty.kind == EventKind.ABSENCE
    assert duty.event_date == date(2026, 11, 16)
    assert duty.clock_starts_on == starts
    assert duty.due_on == due
    assert duty.summary == "Absent without permission for more than 10 working days"


def test_an_absence_duty_raised_when_recorded_is_not_raised_again(level1, frozen):
    worker = worker_in(level1, "ENG", date(2026, 11, 2))
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-11-02")
    frozen.move_to("2026-12-01 10:00")
    hr_event_record(
        actor=level1,
        worker=Worker.objects.get(pk=worker.pk),
        kind="ABSENCE",
        occurred_on="2026-11-16",
        absence_type="UNAUTHORISED",
    )
    assert Duty.objects.count() == 1
    assert duties_raise_on_schedule(date(2026, 12, 1)) == 0
    assert Duty.objects.count() == 1


def test_an_absence_that_ended_raises_nothing(away, level1, frozen):
    worker = away("ENG")
    frozen.move_to("2026-11-18 10:00")
    hr_event_record(
        actor=level1,
        worker=Worker.objects.get(pk=worker.pk),
        kind="RETURN",
        occurred_on="2026-11-18",
    )
    frozen.move_to("2026-12-01 10:00")
    assert duties_raise_on_schedule(date(2026, 12, 1)) == 0


def test_an_ended_workers_absence_raises_nothing(away, level1, frozen):
    worker = away("ENG")
    hr_event_record(
        actor=level1,
        worker=Worker.objects.get(pk=worker.pk),
        kind="LEAVING",
        occurred_on="2026-11-16",
        details={"reason": "DISMISSED"},
    )
    frozen.move_to("2026-12-01 10:00")
    assert duties_raise_on_schedule(date(2026, 12, 1)) == 0
    assert list(Duty.objects.values_list("kind", flat=True)) == [EventKind.SPONSORSHIP_STOPPED]


def test_unpaid_leave_is_not_counted_as_absence(level1, frozen):
    worker = worker_in(level1, "ENG", date(2026, 11, 2))
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-11-02")
    hr_event_record(
        actor=level1,
        worker=Worker.objects.get(pk=worker.pk),
        kind="ABSENCE",
        occurred_on="2026-11-16",
        ends_on="2026-12-11",
        absence_type="UNPAID_LEAVE",
    )
    frozen.move_to("2026-12-01 10:00")
    assert duties_raise_on_schedule(date(2026, 12, 1)) == 0


# ---------------------------------------------------------------- through the daily sweep


def test_the_daily_sweep_runs_the_step_once_a_day(level1, away, frozen):
    waiting = worker_in(level1, "SCT", date(2026, 11, 2))
    absent = away("ENG")
    frozen.move_to("2026-12-01 07:00")

    results = daily_sweep()

    assert results[STEP] == 2
    assert only_duty(waiting).kind == EventKind.DID_NOT_START
    assert only_duty(waiting).due_on == date(2026, 12, 14)
    assert only_duty(absent).kind == EventKind.ABSENCE
    assert only_duty(absent).due_on == date(2026, 12, 11)

    assert daily_sweep()[STEP] == 0
    assert Duty.objects.count() == 2


def test_the_daily_sweep_catches_up_a_missed_day(level1, frozen):
    worker = worker_in(level1, "ENG", date(2026, 11, 2))
    # Nobody ran it on 1 Dec; on 3 Dec the duty is raised with the dates it always had.
    frozen.move_to("2026-12-03 07:00")
    assert daily_sweep(date(2026, 12, 3))[STEP] == 1
    duty = only_duty(worker)
    assert (duty.clock_starts_on, duty.due_on) == (date(2026, 11, 30), date(2026, 12, 14))
