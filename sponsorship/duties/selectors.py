"""Every read of the register, duties and reports, scoped to the reader: a Level 2 user sees the
workers whose certificates they own (and what belongs to them); another sponsor's worker,
duty or report is not found, never forbidden."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from sponsorship.accounts.models import UserLevel
from sponsorship.certificates.models import name_key, normalise_reference
from sponsorship.core.errors import NotFound
from sponsorship.licences.selectors import sponsor_of

from .models import (
    Absence,
    ActivityReport,
    ComplianceSettings,
    Duty,
    DutyStatus,
    HrEvent,
    ReminderMode,
    ReminderPreference,
    Worker,
    WorkerContact,
    WorkerStatus,
)

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


class DutyBucket:
    """How the dashboard and the duties list group duties."""

    OVERDUE = "overdue"
    THIS_WEEK = "this-week"
    LATER = "later"
    DONE = "done"
    ALL = (OVERDUE, THIS_WEEK, LATER, DONE)
    LABELS = {
        OVERDUE: "Overdue",
        THIS_WEEK: "Due this week",
        LATER: "Due later",
        DONE: "Done",
    }


def end_of_week(today: date) -> date:
    """The Sunday ending `today`'s week: "due this week" runs to it."""
    return today + timedelta(days=6 - today.weekday())


def worker_list_for_user(*, user: "User", status: str = "", search: str = "") -> QuerySet[Worker]:
    """The register. `status` is a WorkerStatus or "sponsored" (everyone not ended); `search`
    is a certificate number or the start of a family name."""
    rows = Worker.objects.filter(sponsor=sponsor_of(user))
    if user.level == UserLevel.LEVEL_2:
        rows = rows.filter(certificate__owner=user)
    if status == "sponsored":
        rows = rows.exclude(status=WorkerStatus.ENDED)
    elif status in WorkerStatus.values:
        rows = rows.filter(status=status)
    text = search.strip()
    if text:
        number = normalise_reference(text)
        rows = rows.filter(
            Q(certificate__number=number)
            | Q(certificate__family_name_key__startswith=name_key(text))
        )
    return rows.select_related("certificate", "certificate__owner").order_by(
        "certificate__family_name_key", "certificate__given_names_key", "pk"
    )


def worker_get_for_user(*, user: "User", worker_id: int) -> Worker:
    worker = worker_list_for_user(user=user).select_related("sponsor").filter(pk=worker_id).first()
    if worker is None:
        raise NotFound("There is no such worker on your register.")
    return worker


def worker_get_by_certificate_number(*, user: "User", number: str) -> Worker:
    """How an HR system names a worker: by the number of the certificate that sponsors them."""
    worker = (
        worker_list_for_user(user=user)
        .select_related("sponsor")
        .filter(certificate__number=normalise_reference(number))
        .first()
    )
    if worker is None:
        raise NotFound(f"No worker on your register has the certificate number {number!r}.")
    return worker


def worker_events(worker: Worker) -> QuerySet[HrEvent]:
    return worker.events.select_related("recorded_by")


def worker_absences(worker: Worker) -> QuerySet[Absence]:
    return worker.absences.all()


def worker_contacts(worker: Worker) -> QuerySet[WorkerContact]:
    return worker.contacts.select_related("recorded_by")


def duties_raised_by(event: HrEvent) -> QuerySet[Duty]:
    """The duties a recorded event made reportable (however often the event was sent)."""
    return event.duties.order_by("pk")


def bucket_condition(bucket: str, today: date) -> Q:
    """Which duties a bucket holds, as the duties list, its tab counts and the dashboard all
    count them: open and past due; open and due by Sunday; open and due after; closed."""
    still_open = Q(status=DutyStatus.OPEN)
    if bucket == DutyBucket.OVERDUE:
        return still_open & Q(due_on__lt=today)
    if bucket == DutyBucket.THIS_WEEK:
        return still_open & Q(due_on__gte=today, due_on__lte=end_of_week(today))
    if bucket == DutyBucket.LATER:
        return still_open & Q(due_on__gt=end_of_week(today))
    if bucket == DutyBucket.DONE:
        return ~still_open
    return Q()


def _duties_for(user: "User") -> QuerySet[Duty]:
    """A Level 2 user sees their own workers' duties, and no organisation duties (those are
    for Level 1 users)."""
    rows = Duty.objects.filter(sponsor=sponsor_of(user))
    if user.level == UserLevel.LEVEL_2:
        rows = rows.filter(worker__certificate__owner=user)
    return rows


def duty_bucket_counts(*, user: "User", today: date) -> dict[str, int]:
    """How many duties each bucket holds, in one query."""
    return _duties_for(user).aggregate(
        **{bucket: Count("pk", filter=bucket_condition(bucket, today)) for bucket in DutyBucket.ALL}
    )


def duty_list_for_user(
    *, user: "User", bucket: str = "", today: date, worker: Worker | None = None
) -> QuerySet[Duty]:
    """Duties, open ones first by due date (see _duties_for for who sees which)."""
    rows = _duties_for(user).filter(bucket_condition(bucket, today))
    if worker is not None:
        rows = rows.filter(worker=worker)
    return rows.select_related("worker__certificate", "report").order_by("-status", "due_on", "pk")


def duty_get_for_user(*, user: "User", duty_id: int, today: date) -> Duty:
    duty = duty_list_for_user(user=user, today=today).filter(pk=duty_id).first()
    if duty is None:
        raise NotFound("There is no such duty.")
    return duty


def report_list_for_user(*, user: "User", worker: Worker | None = None) -> QuerySet[ActivityReport]:
    rows = ActivityReport.objects.filter(sponsor=sponsor_of(user))
    if user.level == UserLevel.LEVEL_2:
        rows = rows.filter(worker__certificate__owner=user)
    if worker is not None:
        rows = rows.filter(worker=worker)
    return rows.select_related("certificate", "submitted_by", "corrects")


def report_get_for_user(*, user: "User", report_id: int) -> ActivityReport:
    report = report_list_for_user(user=user).filter(pk=report_id).first()
    if report is None:
        raise NotFound("There is no such report.")
    return report


def report_list_for_caseworker(
    *, sponsor_search: str = "", kind: str = "", late_only: bool = False, number: str = ""
) -> QuerySet[ActivityReport]:
    """Every sponsor's reports, newest first, filtered."""
    rows = ActivityReport.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    if late_only:
        rows = rows.filter(late=True)
    if number.strip():
        rows = rows.filter(certificate__number=normalise_reference(number))
    text = sponsor_search.strip()
    if text:
        rows = rows.filter(
            Q(sponsor__licence_number__iexact=text) | Q(sponsor__name__icontains=text)
        )
    return rows.select_related("sponsor", "certificate", "submitted_by").order_by(
        "-submitted_at", "-pk"
    )


def report_get_for_caseworker(*, report_id: int) -> ActivityReport:
    report = (
        ActivityReport.objects.select_related("sponsor", "certificate", "submitted_by", "corrects")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound("There is no such report.")
    return report


def compliance_settings_for_user(*, user: "User") -> ComplianceSettings:
    """The sponsor's reminder settings, or the defaults (unsaved) when never changed."""
    sponsor = sponsor_of(user)
    found = ComplianceSettings.objects.filter(sponsor=sponsor).first()
    return found or ComplianceSettings(sponsor=sponsor, version=0)


def reminder_mode_for_user(*, user: "User") -> str:
    found = ReminderPreference.objects.filter(user=user).values_list("mode", flat=True).first()
    return found or ReminderMode.IMMEDIATE
