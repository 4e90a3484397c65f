"""The compliance dashboard: what is owed and when, what expires, and a score whose workings are
shown line by line (no black box). Every figure is one aggregate query, however many workers."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from sponsorship.accounts.models import UserLevel
from sponsorship.licences.selectors import RouteAllocation, allocation_summary, sponsor_of
from sponsorship.records.selectors import (
    incomplete_checklist_count,
    records_due_for_deletion_count,
)

from .models import DutyStatus, Worker
from .selectors import (
    DutyBucket,
    duty_bucket_counts,
    duty_list_for_user,
    report_list_for_user,
    worker_list_for_user,
)

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

PERMISSION_EXPIRY_WINDOW_DAYS = 90
RIGHT_TO_WORK_WINDOW_DAYS = 30
CHART_WEEKS = 8
LATE_REPORT_LOOKBACK_DAYS = 365


@dataclass(frozen=True)
class ScoreRule:
    """One line of the score: points taken off for each instance, up to a cap."""

    key: str
    label: str
    points_each: int
    cap: int
    advice: str


# The whole score, in one table: 100 less each line's deduction.
SCORE_RULES = (
    ScoreRule(
        "overdue",
        "Reports overdue",
        15,
        45,
        "Report each overdue duty now: missed deadlines are the commonest reason licences are "
        "suspended.",
    ),
    ScoreRule(
        "late_reports",
        "Reports made late in the last 12 months",
        5,
        20,
        "Use the reminders: each late report stays on the record for a year here.",
    ),
    ScoreRule(
        "expired_permission",
        "Workers still sponsored whose permission has expired",
        10,
        20,
        "Check their status now; stop sponsorship or record the new permission's expiry date.",
    ),
    ScoreRule(
        "right_to_work_overdue",
        "Right to work follow-up checks overdue",
        5,
        15,
        "Do the follow-up check and record its date on the worker's page.",
    ),
    ScoreRule(
        "records_incomplete",
        "Sponsored workers with documents missing from their records",
        2,
        10,
        "Upload what is missing on each worker's records page: a compliance officer asks for "
        "them first.",
    ),
    ScoreRule(
        "open",
        "Reports waiting to be made (not yet due)",
        2,
        10,
        "Report early: nothing is gained by waiting for the deadline.",
    ),
)


@dataclass(frozen=True)
class ScoreLine:
    rule: ScoreRule
    count: int

    @property
    def deduction(self) -> int:
        return min(self.count * self.rule.points_each, self.rule.cap)


@dataclass(frozen=True)
class Score:
    lines: tuple[ScoreLine, ...]

    @property
    def value(self) -> int:
        return max(0, 100 - sum(line.deduction for line in self.lines))

    @property
    def band(self) -> str:
        if self.value >= 90:
            return "Good"
        if self.value >= 70:
            return "Needs attention"
        return "At risk"


@dataclass(frozen=True)
class WeekBar:
    """One bar of the "duties by week" chart: open duties falling due that week."""

    label: str
    starts: date
    count: int
    overdue: bool = False


@dataclass
class Dashboard:
    today: date
    buckets: dict[str, int]
    expiring: list[Worker]
    expiring_count: int
    follow_ups: list[Worker]
    follow_ups_count: int
    score: Score
    weeks: list[WeekBar]
    records_incomplete: int
    records_to_delete: int
    allocations: list[RouteAllocation] = field(default_factory=list)

    @property
    def bucket_rows(self) -> list[tuple[str, str, int]]:
        """(key, label, count) in the order shown."""
        return [(key, DutyBucket.LABELS[key], self.buckets[key]) for key in DutyBucket.ALL]

    @property
    def chart_height(self) -> int:
        return 40 * len(self.weeks)

    @property
    def busiest_week(self) -> int:
        return max([bar.count for bar in self.weeks] + [1])


def compliance_dashboard(*, user: "User", today: date) -> Dashboard:
    """Everything on the dashboard, for a Level 1 user the whole licence, for a Level 2 user the
    workers whose certificates they own."""
    buckets = duty_bucket_counts(user=user, today=today)
    sponsored = worker_list_for_user(user=user, status="sponsored").order_by()
    expiring_rows = sponsored.filter(
        permission_expires_on__gte=today,
        permission_expires_on__lte=today + timedelta(days=PERMISSION_EXPIRY_WINDOW_DAYS),
    ).order_by("permission_expires_on", "pk")
    follow_up_rows = sponsored.filter(
        right_to_work_follow_up_on__lte=today + timedelta(days=RIGHT_TO_WORK_WINDOW_DAYS)
    ).order_by("right_to_work_follow_up_on", "pk")
    worker_counts = sponsored.aggregate(
        expiring=Count("pk", filter=Q(pk__in=expiring_rows.values("pk"))),
        follow_ups=Count("pk", filter=Q(pk__in=follow_up_rows.values("pk"))),
        expired=Count("pk", filter=Q(permission_expires_on__lt=today)),
        follow_ups_overdue=Count("pk", filter=Q(right_to_work_follow_up_on__lt=today)),
    )
    late_reports = (
        report_list_for_user(user=user)
        .filter(
            late=True, submitted_at__date__gte=today - timedelta(days=LATE_REPORT_LOOKBACK_DAYS)
        )
        .count()
    )
    sponsor = sponsor_of(user)
    own_workers = (
        list(sponsored.values_list("pk", flat=True)) if user.level == UserLevel.LEVEL_2 else None
    )
    records_incomplete = incomplete_checklist_count(sponsor=sponsor, worker_ids=own_workers)
    found = {
        "overdue": buckets[DutyBucket.OVERDUE],
        "records_incomplete": records_incomplete,
        "late_reports": late_reports,
        "expired_permission": worker_counts["expired"],
        "right_to_work_overdue": worker_counts["follow_ups_overdue"],
        "open": buckets[DutyBucket.THIS_WEEK] + buckets[DutyBucket.LATER],
    }
    score = Score(tuple(ScoreLine(rule, found[rule.key]) for rule in SCORE_RULES))
    return Dashboard(
        today=today,
        buckets=buckets,
        expiring=list(expiring_rows.select_related("certificate")[:10]),
        expiring_count=worker_counts["expiring"],
        follow_ups=list(follow_up_rows.select_related("certificate")[:10]),
        follow_ups_count=worker_counts["follow_ups"],
        score=score,
        weeks=_weeks(user, today, buckets[DutyBucket.OVERDUE]),
        records_incomplete=records_incomplete,
        records_to_delete=(
            records_due_for_deletion_count(sponsor=sponsor, today=today)
            if user.level == UserLevel.LEVEL_1
            else 0
        ),
        allocations=(
            allocation_summary(sponsor=sponsor, on=today) if user.level == UserLevel.LEVEL_1 else []
        ),
    )


def _weeks(user: "User", today: date, overdue: int) -> list[WeekBar]:
    """Open duties by the week they fall due, for the next CHART_WEEKS weeks, after a bar of
    those already overdue."""
    monday = today - timedelta(days=today.weekday())
    last = monday + timedelta(weeks=CHART_WEEKS) - timedelta(days=1)
    by_monday: dict[date, int] = dict(
        duty_list_for_user(user=user, today=today)
        .order_by()  # grouped by week only
        .filter(status=DutyStatus.OPEN, due_on__gte=today, due_on__lte=last)
        .annotate(week=TruncWeek("due_on"))
        .values("week")
        .annotate(count=Count("pk"))
        .values_list("week", "count")
    )
    bars = [WeekBar("Overdue", today, overdue, overdue=True)]
    for index in range(CHART_WEEKS):
        starts = monday + timedelta(weeks=index)
        label = "This week" if index == 0 else f"w/c {starts.day} {starts:%b}"
        bars.append(WeekBar(label, starts, by_monday.get(starts, 0)))
    return bars
