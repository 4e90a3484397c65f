"""What the sponsor must report, by when: the duties list by how soon each falls due, and one
duty with how it was met."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sponsorship.core.access import requires
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from ..kinds import EVENT_DATE_LABELS
from ..selectors import DutyBucket, duty_bucket_counts, duty_get_for_user, duty_list_for_user
from .pages import pages_for
from .register import may_report


@dataclass(frozen=True)
class Tab:
    bucket: str
    label: str
    count: int
    selected: bool


@requires(Permission.COMPLIANCE_VIEW)
@require_safe
def duty_list(request: SignedInRequest) -> HttpResponse:
    """One bucket at a time (`?bucket=`), each tab with its count. With no choice made, the
    most pressing bucket that has duties in it opens."""
    today = timezone.localdate()
    counts = duty_bucket_counts(user=request.user, today=today)
    bucket = request.GET.get("bucket", "")
    if bucket not in DutyBucket.ALL:
        bucket = next(
            (b for b in (DutyBucket.OVERDUE, DutyBucket.THIS_WEEK, DutyBucket.LATER) if counts[b]),
            DutyBucket.OVERDUE,
        )
    tabs = [Tab(b, DutyBucket.LABELS[b], counts[b], b == bucket) for b in DutyBucket.ALL]
    rows = duty_list_for_user(user=request.user, bucket=bucket, today=today)
    if bucket == DutyBucket.DONE:
        rows = rows.order_by("-closed_at", "-pk")
    return render(
        request,
        "duties/duties.html",
        {
            "tabs": tabs,
            "bucket": bucket,
            "label": DutyBucket.LABELS[bucket],
            "page": paginate(request, rows),
            "today": today,
        },
    )


@requires(Permission.COMPLIANCE_VIEW)
@require_safe
def duty_page(request: SignedInRequest, duty_id: int) -> HttpResponse:
    """What must be reported, for whom, the dates of its clock, and how it was met."""
    today = timezone.localdate()
    duty = duty_get_for_user(user=request.user, duty_id=duty_id, today=today)
    worker = duty.worker
    return render(
        request,
        "duties/duty.html",
        {
            "duty": duty,
            "worker": worker,
            "pages": pages_for(worker),
            "event_date_label": EVENT_DATE_LABELS[duty.kind],
            "today": today,
            "overdue": duty.is_open and duty.due_on < today,
            "may_report": duty.is_open and worker is not None and may_report(request.user, worker),
        },
    )
