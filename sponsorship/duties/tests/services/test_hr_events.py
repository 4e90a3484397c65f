"""Recording what happened to a worker, in the service or from an HR system, and the duties it
raises (DOMAIN.md "Reporting duties").

The clock is frozen at Monday 16 November 2026 (conftest). The `worker` fixture's certificate
starts on Monday 2 November 2026, in England, so their 28-day window ends on Monday 30 November.
Due dates are counted by hand (bank holidays: sponsorship/core/tests/test_workingdays.py).
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core.errors import ApplicationError, Conflict
from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import (
    Absence,
    AbsenceType,
    Duty,
    DutyStatus,
    EventSource,
    HrEvent,
    WorkerContact,
    WorkerStatus,
)
from sponsorship.duties.services import duties_raise_on_schedule, hr_event_record
from sponsorship.duties.tests.factories import sponsored_worker
from sponsorship.licences.models import Nation


def record(worker, actor, kind, occurred_on, **fields):
    event, _ = hr_event_record(
        actor=actor, worker=worker, kind=kind, occurred_on=occurred_on, **fields
    )
    return event


def duties(worker, kind=None):
    rows = Duty.objects.filter(worker=worker).order_by("pk")
    return list(rows.filter(kind=kind) if kind else rows)


def fresh(worker):
    worker.refresh_from_db()
    return worker


# ---------------------------------------------------------------- salary, job, place


def test_a_salary_cut_raises_a_duty_at_once(worker, level1):
    assert worker.annual_salary == Decimal("55000")
    record(worker, level1, "SALARY_CHANGE", "2026-11-16", details={"new_salary": "50000"})

    (duty,) = duties(worker)
    assert duty.kind == EventKind.SALARY_REDUCED
    assert duty.status == DutyStatus.OPEN
    assert duty.event_date == duty.clock_starts_on == date(2026, 11, 16)
    # Mon 16 Nov: 17-20 (4), 23-27 (9), Mon 30 Nov (10).
    assert duty.due_on == date(2026, 11, 30)
    assert "£55,000.00 to £50,000.00" in duty.summary
    assert fresh(worker).annual_salary == Decimal("50000")


def test_a_pay_rise_raises_nothing_but_the_register_follows_it(worker, level1):
    record(worker, level1, "SALARY_CHANGE", "2026-11-16", details={"new_salary": "60000.50"})
    assert duties(worker) == []
    assert fresh(worker).annual_salary == Decimal("60000.50")


def test_a_significant_job_change_raises_a_duty(worker, level1):
    record(
        worker,
        level1,
        "JOB_CHANGE",
        "2026-11-13",
        details={"new_job_title": "Lead developer", "significant": "yes"},
    )
    (duty,) = duties(worker)
    assert duty.kind == EventKind.JOB_CHANGED
    # Fri 13 Nov: 16-20 (5), 23-27 (10).
    assert duty.due_on == date(2026, 11, 27)
    assert fresh(worker).job_title == "Lead developer"


def test_a_job_change_that_is_not_significant_raises_nothing(worker, level1):
    record(
        worker,
        level1,
        "JOB_CHANGE",
        "2026-11-13",
        details={"new_job_title": "Senior developer", "significant": "no"},
    )
    assert duties(worker) == []
    assert fresh(worker).job_title == "Senior developer"


@pytest.mark.parametrize("location_kind", ["NEW_SITE", "CLIENT_SITE", "HOME_WORKING"])
def test_a_change_of_work_location_raises_a_duty(worker, level1, location_kind):
    record(
        worker,
        level1,
        "LOCATION_CHANGE",
        "2026-11-16",
        details={"location_kind": location_kind, "new_address": "5 Dock Road, Hull HU1 1AA"},
    )
    (duty,) = duties(worker)
    assert duty.kind == EventKind.LOCATION_CHANGED
    assert duty.due_on == date(2026, 11, 30)
    assert fresh(worker).work_address == "5 Dock Road, Hull HU1 1AA"


def test_hybrid_working_is_not_reportable_but_is_recorded(worker, level1):
    record(
        worker,
        level1,
        "LOCATION_CHANGE",
        "2026-11-16",
        details={"location_kind": "HYBRID", "new_address": "Home two days a week"},
    )
    assert duties(worker) == []
    assert HrEvent.objects.filter(worker=worker, kind="LOCATION_CHANGE").count() == 1
    assert fresh(worker).work_address == "Home two days a week"


def test_a_move_to_scotland_counts_scottish_bank_holidays(worker, level1):
    record(
        worker,
        level1,
        "LOCATION_CHANGE",
        "2026-11-16",
        details={
            "location_kind": "NEW_SITE",
            "new_address": "3 George Street, Edinburgh EH2 2LR",
            "nation": Nation.SCOTLAND,
        },
    )
    assert fresh(worker).nation == Nation.SCOTLAND
    (duty,) = duties(worker)
    # 30 Nov is St Andrew's Day in Scotland: 17-20 (4), 23-27 (9), Tue 1 Dec (10).
    assert duty.nation == Nation.SCOTLAND
    assert duty.due_on == date(2026, 12, 1)


def test_leaving_ends_sponsorship_and_raises_sponsorship_stopped(worker, level1):
    record(worker, level1, "FIRST_DAY", "2026-11-02")
    # A notice period: the last day may be ahead.
    record(worker, level1, "LEAVING", "2026-11-20", details={"reason": "RESIGNED"})

    worker = fresh(worker)
    assert worker.status == WorkerStatus.ENDED
    assert worker.ended_on == date(2026, 11, 20)
    assert worker.ended_reason == "RESIGNED"
    (duty,) = duties(worker)
    assert duty.kind == EventKind.SPONSORSHIP_STOPPED
    # Fri 20 Nov: 23-27 (5), 30 Nov-4 Dec (10).
    assert duty.due_on == date(2026, 12, 4)


def test_after_leaving_only_contact_details_can_be_recorded(worker, level1):
    record(worker, level1, "LEAVING", "2026-11-13", details={"reason": "DISMISSED"})
    worker = fresh(worker)
    with pytest.raises(ApplicationError) as refused:
        record(worker, level1, "SALARY_CHANGE", "2026-11-16", details={"new_salary": "1000"})
    assert refused.value.field == "kind"
    assert "sponsorship has ended" in refused.value.message

    record(worker, level1, "CONTACT_CHANGE", "2026-11-16", details={"email": "new@example.org"})
    assert fresh(worker).email == "new@example.org"


def test_a_change_of_contact_details_keeps_the_history(worker, level1):
    record(worker, level1, "CONTACT_CHANGE", "2026-11-10", details={"phone": "07700 900001"})
    record(worker, level1, "CONTACT_CHANGE", "2026-11-16", details={"phone": "07700 900002"})

    worker = fresh(worker)
    assert worker.phone == "07700 900002"
    # The home address copied from the certificate is kept when only the phone changes.
    assert worker.home_address == "14 Wellington Road, Leeds, LS1 4AB"
    history = list(WorkerContact.objects.filter(worker=worker).values_list("phone", "changed_on"))
    assert history == [("07700 900002", date(2026, 11, 16)), ("07700 900001", date(2026, 11, 10))]
    assert duties(worker) == []


# ---------------------------------------------------------------- first day


@pytest.mark.parametrize("first_day", ["2026-11-02", "2026-11-30"])
def test_starting_within_28_days_raises_nothing(worker, level1, first_day, frozen):
    frozen.move_to("2026-12-01 10:00")
    record(worker, level1, "FIRST_DAY", first_day)
    worker = fresh(worker)
    assert worker.status == WorkerStatus.WORKING
    assert worker.started_on == date.fromisoformat(first_day)
    assert duties(worker) == []


def test_a_start_recorded_late_but_within_the_window_cancels_the_sweeps_duty(
    worker, level1, frozen
):
    frozen.move_to("2026-12-01 10:00")
    assert duties_raise_on_schedule(date(2026, 12, 1)) == 1
    (duty,) = duties(worker, EventKind.DID_NOT_START)
    assert duty.is_open

    record(worker, level1, "FIRST_DAY", "2026-11-27")

    duty.refresh_from_db()
    assert duty.status == DutyStatus.CANCELLED
    assert "within the 28 days" in duty.closed_note
    assert AuditEvent.objects.filter(verb=AuditVerb.DUTY_CLOSED, target_id=str(duty.pk)).exists()


def test_starting_after_the_window_raises_did_not_start(worker, level1, frozen):
    frozen.move_to("2026-12-03 10:00")
    record(worker, level1, "FIRST_DAY", "2026-12-02")

    (duty,) = duties(worker)
    assert duty.kind == EventKind.DID_NOT_START
    assert duty.is_open
    # Trigger Mon 2 Nov + 28 days = Mon 30 Nov; then 1-4 Dec (4), 7-11 (9), Mon 14 Dec (10).
    assert duty.event_date == date(2026, 11, 2)
    assert duty.clock_starts_on == date(2026, 11, 30)
    assert duty.due_on == date(2026, 12, 14)
    assert "started 2 December 2026" in duty.summary


def test_a_late_start_after_the_sweep_raised_the_duty_leaves_that_one_open(worker, level1, frozen):
    frozen.move_to("2026-12-02 10:00")
    duties_raise_on_schedule(date(2026, 12, 2))
    record(worker, level1, "FIRST_DAY", "2026-12-01")
    (duty,) = duties(worker)
    assert duty.kind == EventKind.DID_NOT_START
    assert duty.is_open


def test_a_first_day_is_recorded_once(worker, level1):
    record(worker, level1, "FIRST_DAY", "2026-11-02")
    with pytest.raises(ApplicationError) as refused:
        record(fresh(worker), level1, "FIRST_DAY", "2026-11-03")
    assert refused.value.field == "kind"
    assert "already recorded (2 November 2026)" in refused.value.message


# ---------------------------------------------------------------- absence


@pytest.fixture
def working(worker, level1):
    record(worker, level1, "FIRST_DAY", "2026-11-02")
    return fresh(worker)


def working_days_from(first: date, count: int) -> list[date]:
    days: list[date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def test_one_event_a_day_for_11_working_days_is_one_spell_and_one_duty(working, level1, frozen):
    # Mon 16 Nov to Mon 30 Nov 2026, no bank holiday in England: two weekends in between.
    days = working_days_from(date(2026, 11, 16), 11)
    assert days[-1] == date(2026, 11, 30)
    for number, day in enumerate(days, start=1):
        frozen.move_to(f"{day} 17:00")
        _, created = hr_event_record(
            actor=level1,
            worker=working,
            kind="ABSENCE",
            occurred_on=day,
            ends_on=day,
            absence_type="UNAUTHORISED",
            external_id=f"absence-{day}",
            source=EventSource.API,
        )
        assert created
        # Ten working days away is not yet reportable; the eleventh is.
        assert len(duties(working)) == (1 if number == 11 else 0), day

    (spell,) = Absence.objects.filter(worker=working)
    assert (spell.first_day, spell.last_day) == (date(2026, 11, 16), date(2026, 11, 30))
    (duty,) = duties(working)
    assert duty.kind == EventKind.ABSENCE
    assert duty.event_date == date(2026, 11, 16)
    # The 10th working day of the absence is Fri 27 Nov; then 30 Nov-4 Dec (5), 7-11 Dec (10).
    assert duty.clock_starts_on == date(2026, 11, 27)
    assert duty.due_on == date(2026, 12, 11)
    assert HrEvent.objects.filter(worker=working, kind="ABSENCE").count() == 11


def test_an_absence_sent_again_after_the_duty_raises_no_second_duty(working, level1, frozen):
    frozen.move_to("2026-12-01 10:00")
    record(working, level1, "ABSENCE", "2026-11-16", absence_type="UNAUTHORISED")
    record(
        working,
        level1,
        "ABSENCE",
        "2026-11-20",
        ends_on="2026-11-30",
        absence_type="UNAUTHORISED",
    )
    assert len(duties(working)) == 1
    assert Absence.objects.filter(worker=working).count() == 1


def test_a_day_recorded_late_at_the_start_of_a_spell_joins_it(working, level1, frozen):
    frozen.move_to("2026-12-01 10:00")
    record(
        working, level1, "ABSENCE", "2026-11-17", ends_on="2026-11-30", absence_type="UNAUTHORISED"
    )
    assert duties(working) == []  # 17 to 30 November: 10 working days
    record(
        working, level1, "ABSENCE", "2026-11-16", ends_on="2026-11-16", absence_type="UNAUTHORISED"
    )
    (spell,) = Absence.objects.filter(worker=working)
    assert spell.first_day == date(2026, 11, 16)
    (duty,) = duties(working)
    assert duty.event_date == date(2026, 11, 16)


def test_an_earlier_first_day_recorded_late_brings_the_due_date_forward(working, level1, frozen):
    frozen.move_to("2026-12-02 10:00")
    record(
        working, level1, "ABSENCE", "2026-11-17", ends_on="2026-12-01", absence_type="UNAUTHORISED"
    )
    # 17-20 (4), 23-27 (9), 30 Nov (10), 1 Dec (11): reportable, clock Mon 30 Nov; due 1-4 Dec
    # (4), 7-11 (9), Mon 14 Dec (10).
    assert [d.due_on for d in duties(working)] == [date(2026, 12, 14)]
    record(
        working, level1, "ABSENCE", "2026-11-16", ends_on="2026-11-16", absence_type="UNAUTHORISED"
    )
    # The absence really began Mon 16 Nov: the 10th working day is Fri 27 Nov, and the report
    # is due 30 Nov-4 Dec (5), 7-11 (10): Fri 11 Dec.
    (duty,) = Duty.objects.filter(worker=working, status=DutyStatus.OPEN)
    assert duty.clock_starts_on == date(2026, 11, 27)
    assert duty.due_on == date(2026, 12, 11)


def test_absences_a_working_day_apart_are_separate_spells(working, level1, frozen):
    frozen.move_to("2026-12-01 10:00")
    record(
        working, level1, "ABSENCE", "2026-11-16", ends_on="2026-11-20", absence_type="UNAUTHORISED"
    )
    # Back on Mon 23 Nov, away again from Tue 24.
    record(
        working, level1, "ABSENCE", "2026-11-24", ends_on="2026-11-30", absence_type="UNAUTHORISED"
    )
    assert Absence.objects.filter(worker=working).count() == 2
    assert duties(working) == []


def test_a_return_closes_the_open_spell(working, level1, frozen):
    record(working, level1, "ABSENCE", "2026-11-09", absence_type="UNAUTHORISED")
    (spell,) = Absence.objects.filter(worker=working)
    assert spell.last_day is None

    record(working, level1, "RETURN", "2026-11-16")

    spell.refresh_from_db()
    assert spell.last_day == date(2026, 11, 15)
    # Mon 9 to Fri 13 Nov: 5 working days, nothing to report.
    assert duties(working) == []


def test_a_return_after_more_than_10_working_days_raises_the_absence_duty(working, level1, frozen):
    record(working, level1, "ABSENCE", "2026-11-03", absence_type="UNAUTHORISED")
    # Away today, Mon 16 Nov: 3-6 Nov (4), 9-13 (9), 16 (10). Not yet more than 10.
    assert duties(working) == []
    frozen.move_to("2026-11-18 10:00")
    record(working, level1, "RETURN", "2026-11-18")
    (spell,) = Absence.objects.filter(worker=working)
    assert spell.last_day == date(2026, 11, 17)  # the 11th working day away
    (duty,) = duties(working)
    # The 10th working day away is Mon 16 Nov; 17-20 (4), 23-27 (9), Mon 30 Nov (10).
    assert duty.clock_starts_on == date(2026, 11, 16)
    assert duty.due_on == date(2026, 11, 30)


def test_an_open_absence_counts_today_as_a_day_away(working, level1):
    record(working, level1, "ABSENCE", "2026-11-02", absence_type="UNAUTHORISED")
    # Mon 2 to Fri 13 Nov is 10 working days; today, Mon 16 Nov, is the 11th.
    (duty,) = duties(working)
    assert duty.clock_starts_on == date(2026, 11, 13)
    # 16-20 (5), 23-27 (10).
    assert duty.due_on == date(2026, 11, 27)


def test_a_return_with_no_open_absence_is_refused_and_nothing_saved(working, level1):
    before = HrEvent.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as refused:
        record(working, level1, "RETURN", "2026-11-16")
    assert refused.value.field == "kind"
    assert "no absence without a last day" in refused.value.message
    assert (HrEvent.objects.count(), AuditEvent.objects.count()) == before


def test_a_return_before_the_absence_began_is_refused(working, level1):
    record(working, level1, "ABSENCE", "2026-11-12", absence_type="UNAUTHORISED")
    before = HrEvent.objects.count()
    with pytest.raises(ApplicationError) as refused:
        record(working, level1, "RETURN", "2026-11-12")
    assert refused.value.field == "occurred_on"
    assert HrEvent.objects.count() == before
    assert Absence.objects.get(worker=working).last_day is None


# ---------------------------------------------------------------- unpaid leave


@pytest.fixture
def year_round(level1):
    """A worker who started on Monday 5 January 2026, so a whole year of leave can be
    recorded."""
    worker = sponsored_worker(level1, start_date=date(2026, 1, 5))
    record(worker, level1, "FIRST_DAY", "2026-01-05")
    return fresh(worker)


def unpaid(worker, actor, first, last):
    return record(worker, actor, "ABSENCE", first, ends_on=last, absence_type="UNPAID_LEAVE")


def test_unpaid_leave_over_28_days_in_a_year_across_spells_raises_a_duty(year_round, level1):
    unpaid(year_round, level1, "2026-06-01", "2026-06-14")  # 14 days
    assert duties(year_round) == []
    unpaid(year_round, level1, "2026-09-01", "2026-09-20")  # 20 more: 34 in the year

    (duty,) = duties(year_round)
    assert duty.kind == EventKind.UNPAID_LEAVE
    # 14 days in June; 1 Sep is the 15th, so the 29th (the limit passed) is Tue 15 Sep.
    assert duty.event_date == duty.clock_starts_on == date(2026, 9, 15)
    # 16-18 (3), 21-25 (8), 28 (9), Tue 29 Sep (10).
    assert duty.due_on == date(2026, 9, 29)
    spells = Absence.objects.filter(worker=year_round).order_by("first_day")
    assert [(s.absence_type, s.first_day, s.last_day) for s in spells] == [
        (AbsenceType.UNPAID_LEAVE, date(2026, 6, 1), date(2026, 6, 14)),
        (AbsenceType.UNPAID_LEAVE, date(2026, 9, 1), date(2026, 9, 20)),
    ]


def test_exactly_28_days_of_unpaid_leave_is_not_reportable_but_one_more_is(year_round, level1):
    unpaid(year_round, level1, "2026-03-02", "2026-03-15")  # 14 days
    unpaid(year_round, level1, "2026-07-06", "2026-07-19")  # 14 more: 28
    assert duties(year_round) == []
    unpaid(year_round, level1, "2026-10-05", "2026-10-05")  # the 29th day
    (duty,) = duties(year_round)
    assert duty.event_date == date(2026, 10, 5)
    # Mon 5 Oct: 6-9 (4), 12-16 (9), Mon 19 Oct (10).
    assert duty.due_on == date(2026, 10, 19)
    # More leave the same year raises nothing more.
    unpaid(year_round, level1, "2026-11-02", "2026-11-06")
    assert len(duties(year_round)) == 1


def test_unpaid_leave_counts_each_calendar_year_on_its_own(level1, frozen):
    worker = sponsored_worker(level1, start_date=date(2025, 11, 3))
    record(worker, level1, "FIRST_DAY", "2025-11-03")
    # 20 days at the end of 2025 and 20 at the start of 2026: 40 in a row, but neither year
    # has more than 28.
    unpaid(worker, level1, "2025-12-12", "2026-01-20")
    assert duties(worker) == []


def test_planned_leave_may_end_in_the_future_but_needs_its_last_day(year_round, level1):
    with pytest.raises(ApplicationError) as refused:
        record(year_round, level1, "ABSENCE", "2026-11-16", absence_type="UNPAID_LEAVE")
    assert refused.value.field == "ends_on"
    unpaid(year_round, level1, "2026-11-16", "2027-01-31")
    # 16 Nov to 31 Dec is 46 days: the 29th is Mon 14 Dec. 2027: 31 days, the 29th is 29 Jan.
    assert [d.event_date for d in duties(year_round)] == [date(2026, 12, 14), date(2027, 1, 29)]


# ---------------------------------------------------------------- external ids


def absence_from_hr(worker, actor, **changes):
    fields = {
        "actor": actor,
        "worker": worker,
        "kind": "ABSENCE",
        "occurred_on": "2026-11-16",
        "ends_on": "2026-11-16",
        "absence_type": "UNAUTHORISED",
        "external_id": "HR-000123",
        "source": EventSource.API,
        **changes,
    }
    return hr_event_record(**fields)


def test_the_same_event_sent_again_is_recorded_once(working, level1):
    first, created = absence_from_hr(working, level1)
    assert created
    counts = HrEvent.objects.count(), Absence.objects.count(), AuditEvent.objects.count()

    again, created = absence_from_hr(working, level1, external_id=" HR-000123 ")

    assert not created
    assert again == first
    assert (HrEvent.objects.count(), Absence.objects.count(), AuditEvent.objects.count()) == counts


@pytest.mark.parametrize(
    "changes",
    [
        {"occurred_on": "2026-11-13", "ends_on": "2026-11-13"},
        {"kind": "RETURN", "ends_on": None, "absence_type": ""},
        {"absence_type": "UNPAID_LEAVE"},
        {"ends_on": None},
    ],
)
def test_a_different_event_under_a_used_id_is_a_conflict(working, level1, changes):
    absence_from_hr(working, level1)
    before = HrEvent.objects.count()
    with pytest.raises(Conflict) as refused:
        absence_from_hr(working, level1, **changes)
    assert refused.value.code == "external_id_reused"
    assert refused.value.field == "external_id"
    assert "HR-000123" in refused.value.message
    assert HrEvent.objects.count() == before


def test_a_used_id_for_another_worker_is_a_conflict(working, level1):
    absence_from_hr(working, level1)
    other = sponsored_worker(level1, start_date=date(2026, 11, 2))
    with pytest.raises(Conflict):
        absence_from_hr(other, level1)


def test_a_changed_detail_under_a_used_id_is_a_conflict(worker, level1):
    hr_event_record(
        actor=level1,
        worker=worker,
        kind="SALARY_CHANGE",
        occurred_on="2026-11-16",
        details={"new_salary": "60000"},
        external_id="PAY-1",
    )
    _, created = hr_event_record(
        actor=level1,
        worker=worker,
        kind="SALARY_CHANGE",
        occurred_on="2026-11-16",
        details={"new_salary": "60000"},
        external_id="PAY-1",
    )
    assert not created
    with pytest.raises(Conflict):
        hr_event_record(
            actor=level1,
            worker=worker,
            kind="SALARY_CHANGE",
            occurred_on="2026-11-16",
            details={"new_salary": "61000"},
            external_id="PAY-1",
        )


def test_external_ids_are_each_sponsors_own(worker, level1, other_level1):
    theirs = sponsored_worker(other_level1, start_date=date(2026, 11, 2))
    _, mine_created = absence_from_hr(worker, level1)
    _, theirs_created = absence_from_hr(theirs, other_level1)
    assert mine_created and theirs_created


def test_the_event_is_audited(worker, level1):
    version = worker.version
    event, _ = hr_event_record(
        actor=level1,
        worker=worker,
        kind="SALARY_CHANGE",
        occurred_on="2026-11-16",
        details={"new_salary": "50000"},
        external_id="PAY-2",
        ip="192.0.2.10",
    )
    audit = AuditEvent.objects.get(verb=AuditVerb.HR_EVENT_RECORDED)
    assert audit.sponsor_id == worker.sponsor_id
    assert audit.actor == level1
    assert audit.target_id == str(worker.pk)
    assert audit.payload["kind"] == "SALARY_CHANGE"
    assert audit.payload["external_id"] == "PAY-2"
    assert audit.payload["new_salary"] == "50000"
    assert audit.ip_address == "192.0.2.10"
    assert AuditEvent.objects.filter(verb=AuditVerb.DUTY_RAISED).count() == 1
    assert event.recorded_by == level1
    assert fresh(worker).version == version + 1


# ---------------------------------------------------------------- bad input

BAD = [
    # (what is sent, the field named)
    ({"kind": "HOLIDAY", "occurred_on": "2026-11-16"}, "kind"),
    ({"kind": "", "occurred_on": "2026-11-16"}, "kind"),
    (
        {"kind": "SALARY_CHANGE", "occurred_on": None, "details": {"new_salary": "50000"}},
        "occurred_on",
    ),
    (
        {"kind": "SALARY_CHANGE", "occurred_on": "2026-02-30", "details": {"new_salary": "1"}},
        "occurred_on",
    ),
    (
        {"kind": "SALARY_CHANGE", "occurred_on": "16/11/2026", "details": {"new_salary": "1"}},
        "occurred_on",
    ),
    (
        {"kind": "SALARY_CHANGE", "occurred_on": "2026-11-17", "details": {"new_salary": "1"}},
        "occurred_on",
    ),
    ({"kind": "ABSENCE", "occurred_on": "2026-11-16"}, "absence_type"),
    ({"kind": "ABSENCE", "occurred_on": "2026-11-16", "absence_type": "SICK"}, "absence_type"),
    (
        {"kind": "ABSENCE", "occurred_on": "2026-11-16", "absence_type": "UNPAID_LEAVE"},
        "ends_on",
    ),
    (
        {
            "kind": "ABSENCE",
            "occurred_on": "2026-11-16",
            "ends_on": "2026-11-13",
            "absence_type": "UNAUTHORISED",
        },
        "ends_on",
    ),
    (
        {
            "kind": "ABSENCE",
            "occurred_on": "2026-11-16",
            "ends_on": "2026-11-18",
            "absence_type": "UNAUTHORISED",
        },
        "ends_on",
    ),
    (
        {
            "kind": "ABSENCE",
            "occurred_on": "2026-11-16",
            "ends_on": "yesterday",
            "absence_type": "UNAUTHORISED",
        },
        "ends_on",
    ),
    (
        {
            "kind": "SALARY_CHANGE",
            "occurred_on": "2026-11-16",
            "ends_on": "2026-11-16",
            "details": {"new_salary": "1"},
        },
        "ends_on",
    ),
    (
        {
            "kind": "SALARY_CHANGE",
            "occurred_on": "2026-11-16",
            "absence_type": "UNAUTHORISED",
            "details": {"new_salary": "1"},
        },
        "absence_type",
    ),
    ({"kind": "SALARY_CHANGE", "occurred_on": "2026-11-16"}, "details.new_salary"),
    (
        {"kind": "SALARY_CHANGE", "occurred_on": "2026-11-16", "details": {"new_salary": "38,500"}},
        "details.new_salary",
    ),
    (
        {"kind": "SALARY_CHANGE", "occurred_on": "2026-11-16", "details": {"new_salary": "-5"}},
        "details.new_salary",
    ),
    (
        {"kind": "SALARY_CHANGE", "occurred_on": "2026-11-16", "details": {"new_salary": "1.234"}},
        "details.new_salary",
    ),
    (
        {
            "kind": "JOB_CHANGE",
            "occurred_on": "2026-11-16",
            "details": {"new_job_title": "Lead", "significant": "maybe"},
        },
        "details.significant",
    ),
    (
        {
            "kind": "JOB_CHANGE",
            "occurred_on": "2026-11-16",
            "details": {"new_job_title": "x" * 201, "significant": "no"},
        },
        "details.new_job_title",
    ),
    (
        {
            "kind": "LOCATION_CHANGE",
            "occurred_on": "2026-11-16",
            "details": {"location_kind": "MOON", "new_address": "Base 1"},
        },
        "details.location_kind",
    ),
    (
        {
            "kind": "LOCATION_CHANGE",
            "occurred_on": "2026-11-16",
            "details": {"location_kind": "NEW_SITE", "new_address": "1 Street", "nation": "GB"},
        },
        "details.nation",
    ),
    ({"kind": "CONTACT_CHANGE", "occurred_on": "2026-11-16"}, "details.email"),
    (
        {"kind": "CONTACT_CHANGE", "occurred_on": "2026-11-16", "details": {"email": "not-one"}},
        "details.email",
    ),
    (
        {
            "kind": "FIRST_DAY",
            "occurred_on": "2026-11-02",
            "details": {"colour": "blue"},
        },
        "details.colour",
    ),
    ({"kind": "LEAVING", "occurred_on": "2026-11-30"}, "details.reason"),
    (
        {"kind": "LEAVING", "occurred_on": "2026-11-30", "details": {"reason": "BORED"}},
        "details.reason",
    ),
    ({"kind": "FIRST_DAY", "occurred_on": "2026-11-02", "external_id": "x" * 101}, "external_id"),
]


def row_counts():
    return (
        HrEvent.objects.count(),
        Duty.objects.count(),
        Absence.objects.count(),
        WorkerContact.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("sent", "field"), BAD, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD)])
def test_bad_input_names_its_field_and_saves_nothing(worker, level1, sent, field):
    before = row_counts()
    version = fresh(worker).version
    with pytest.raises(ApplicationError) as refused:
        hr_event_record(actor=level1, worker=worker, **sent)
    error = refused.value
    assert field in [error.field, *(name for name, _ in error.errors)]
    assert error.message
    assert row_counts() == before
    assert fresh(worker).version == version


def test_every_problem_is_named_at_once(worker, level1):
    with pytest.raises(ApplicationError) as refused:
        hr_event_record(
            actor=level1,
            worker=worker,
            kind="JOB_CHANGE",
            occurred_on="2026-11-31",
            ends_on="2026-12-01",
            details={"significant": "perhaps", "colour": "red"},
        )
    named = {name for name, _ in refused.value.errors}
    assert named == {
        "occurred_on",
        "ends_on",
        "details.colour",
        "details.new_job_title",
        "details.significant",
    }
    messages = dict(refused.value.errors)
    assert messages["occurred_on"] == (
        "The date it happened must be a real date, like 2026-11-27 (year, month, day)"
    )
    assert messages["details.new_job_title"] == "Enter new job title"
