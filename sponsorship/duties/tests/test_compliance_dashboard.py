"""The compliance dashboard: the buckets, the score and its workings, the charts' figures, and
what a Level 2 user sees. The clock is Monday 16 November 2026 (conftest)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sponsorship.duties.compliance import SCORE_RULES, compliance_dashboard
from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import Duty, DutyStatus, duty_key
from sponsorship.duties.services import activity_report_submit
from sponsorship.duties.tests.factories import sponsored_worker
from sponsorship.licences.tests.factories import AllocationFactory

TODAY = date(2026, 11, 16)


def open_duty(worker, due_on, kind=EventKind.SALARY_REDUCED, event_date=None):
    event_date = event_date or due_on - timedelta(days=14)
    return Duty.objects.create(
        sponsor=worker.sponsor,
        worker=worker,
        kind=kind,
        event_date=event_date,
        clock_starts_on=event_date,
        due_on=due_on,
        nation=worker.nation,
        key=duty_key(kind, worker.pk, event_date),
    )


def lines(board):
    return {line.rule.key: (line.count, line.deduction) for line in board.score.lines}


@pytest.mark.django_db
def test_an_empty_register_scores_full_marks(level1):
    board = compliance_dashboard(user=level1, today=TODAY)
    assert board.score.value == 100
    assert board.score.band == "Good"
    assert all(count == 0 for count in board.buckets.values())


def test_buckets_follow_the_due_dates(worker):
    open_duty(worker, TODAY - timedelta(days=1))  # overdue
    open_duty(worker, TODAY, kind=EventKind.JOB_CHANGED)  # due today: this week
    open_duty(worker, date(2026, 11, 22), kind=EventKind.LOCATION_CHANGED)  # Sunday: this week
    open_duty(worker, date(2026, 11, 23), kind=EventKind.UNPAID_LEAVE)  # next Monday: later
    board = compliance_dashboard(user=worker.certificate.owner, today=TODAY)
    assert board.buckets == {"overdue": 1, "this-week": 2, "later": 1, "done": 0}


def test_the_score_shows_its_workings_and_caps_each_line(level1):
    workers = [sponsored_worker(level1) for _ in range(4)]
    for index, worker in enumerate(workers):
        open_duty(worker, TODAY - timedelta(days=1 + index))
    board = compliance_dashboard(user=level1, today=TODAY)
    # Four overdue at 15 points each would be 60, capped at 45; the four have no documents
    # uploaded yet, 2 points each.
    assert lines(board)["overdue"] == (4, 45)
    assert lines(board)["records_incomplete"] == (4, 8)
    assert board.score.value == 100 - 45 - 8
    assert board.score.band == "At risk"


def test_reporting_an_open_duty_raises_the_score(worker, level1):
    open_duty(worker, date(2026, 11, 27), kind=EventKind.SALARY_REDUCED, event_date=TODAY)
    before = compliance_dashboard(user=level1, today=TODAY)
    assert lines(before)["open"] == (1, 2)
    activity_report_submit(
        actor=level1,
        worker=worker,
        kind=EventKind.SALARY_REDUCED,
        event_date=TODAY.isoformat(),
        details={"new_salary": "39000", "reason": "Hours cut by agreement"},
    )
    after = compliance_dashboard(user=level1, today=TODAY)
    assert after.buckets["done"] == 1
    assert after.score.value == before.score.value + 2


def test_expired_permission_and_overdue_right_to_work_checks_count(worker, level1):
    worker.permission_expires_on = TODAY - timedelta(days=1)
    worker.right_to_work_follow_up_on = TODAY - timedelta(days=3)
    worker.save()
    found = lines(compliance_dashboard(user=level1, today=TODAY))
    assert found["expired_permission"] == (1, 10)
    assert found["right_to_work_overdue"] == (1, 5)


def test_expiring_permissions_within_90_days_are_listed_soonest_first(level1):
    later = sponsored_worker(level1, family_name="Later")
    sooner = sponsored_worker(level1, family_name="Sooner")
    beyond = sponsored_worker(level1, family_name="Beyond")
    for worker, days in ((later, 60), (sooner, 10), (beyond, 91)):
        worker.permission_expires_on = TODAY + timedelta(days=days)
        worker.save()
    board = compliance_dashboard(user=level1, today=TODAY)
    assert [w.certificate.family_name for w in board.expiring] == ["Sooner", "Later"]
    assert board.expiring_count == 2


def test_the_weeks_chart_counts_open_duties_by_week_due(worker):
    open_duty(worker, TODAY - timedelta(days=3))
    open_duty(worker, date(2026, 11, 18), kind=EventKind.JOB_CHANGED)
    open_duty(worker, date(2026, 11, 30), kind=EventKind.LOCATION_CHANGED)
    open_duty(worker, date(2026, 12, 4), kind=EventKind.UNPAID_LEAVE)
    board = compliance_dashboard(user=worker.certificate.owner, today=TODAY)
    figures = [(bar.label, bar.count) for bar in board.weeks]
    assert figures[:4] == [("Overdue", 1), ("This week", 1), ("w/c 23 Nov", 0), ("w/c 30 Nov", 2)]
    assert len(figures) == 9


def test_a_level_2_user_sees_only_their_own_workers_and_no_allocation(level1, level2):
    mine = sponsored_worker(level2)
    theirs = sponsored_worker(level1)
    open_duty(mine, TODAY - timedelta(days=1))
    open_duty(theirs, TODAY - timedelta(days=1))
    AllocationFactory(sponsor=level1.sponsor)
    own = compliance_dashboard(user=level2, today=TODAY)
    everyone = compliance_dashboard(user=level1, today=TODAY)
    assert own.buckets["overdue"] == 1
    assert everyone.buckets["overdue"] == 2
    assert own.allocations == []
    assert everyone.allocations


def test_another_sponsors_duties_never_count(worker, other_level1):
    open_duty(worker, TODAY - timedelta(days=1))
    board = compliance_dashboard(user=other_level1, today=TODAY)
    assert board.buckets["overdue"] == 0
    assert board.score.value == 100


def test_the_number_of_queries_does_not_grow_with_workers(level1):
    def queries_for(count):
        for _ in range(count):
            worker = sponsored_worker(level1)
            worker.permission_expires_on = TODAY + timedelta(days=30)
            worker.save()
            open_duty(worker, TODAY - timedelta(days=1))
        compliance_dashboard(user=level1, today=TODAY)  # warm the process caches first
        with CaptureQueriesContext(connection) as captured:
            compliance_dashboard(user=level1, today=TODAY)
        return len(captured.captured_queries)

    assert queries_for(3) == queries_for(27)


def test_every_score_rule_is_explained():
    for rule in SCORE_RULES:
        assert rule.label and rule.advice and rule.points_each > 0 and rule.cap >= rule.points_each


def test_a_closed_duty_counts_as_done(worker):
    duty = open_duty(worker, TODAY - timedelta(days=1))
    Duty.objects.filter(pk=duty.pk).update(
        status=DutyStatus.CANCELLED, closed_at="2026-11-15T10:00:00Z"
    )
    board = compliance_dashboard(user=worker.certificate.owner, today=TODAY)
    assert board.buckets == {"overdue": 0, "this-week": 0, "later": 0, "done": 1}
