"""Every read of the register (workers and students), duties and reports, scoped to the reader:
a Level 2 user sees the workers and students whose certificates they own (and what belongs to
them); another sponsor's worker, student, duty or report is not found, never forbidden. Worker
reads never return a student, nor student reads a worker."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from sponsorship.accounts.models import UserLevel
from sponsorship.certificates.models import name_key, normalise_reference
from sponsorship.core.errors import NotFound
from sponsorship.licences.selectors import sponsor_of

from .models import (
    STUDENT_STATUSES,
    WORKER_STATUSES,
    Absence,
    ActivityReport,
    ComplianceSettings,
    Duty,
    DutyStatus,
    HrEvent,
    PersonKind,
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


def _register_for(user: "User", kind: str) -> QuerySet[Worker]:
    """The register rows of one kind (workers or students) `user` may see."""
    rows = Worker.objects.filter(sponsor=sponsor_of(user), kind=kind)
    if user.level == UserLevel.LEVEL_2:
        rows = rows.filter(certificate__owner=user)
    return rows


def _by_status(
    rows: QuerySet[Worker], status: str, statuses: list[WorkerStatus]
) -> QuerySet[Worker]:
    if status == "sponsored":
        return rows.exclude(status=WorkerStatus.ENDED)
    if status in statuses:
        return rows.filter(status=status)
    return rows


def _by_name(rows: QuerySet[Worker]) -> QuerySet[Worker]:
    return rows.select_related("certificate", "certificate__owner").order_by(
        "certificate__family_name_key", "certificate__given_names_key", "pk"
    )


def worker_list_for_user(*, user: "User", status: str = "", search: str = "") -> QuerySet[Worker]:
    """The register of workers (never students). `status` is a WorkerStatus or "sponsored"
    (everyone not ended); `search` is a certificate number or the start of a family name."""
    rows = _by_status(_register_for(user, PersonKind.WORKER), status, WORKER_STATUSES)
    text = search.strip()
    if text:
        number = normalise_reference(text)
        rows = rows.filter(
            Q(certificate__number=number)
            | Q(certificate__family_name_key__startswith=name_key(text))
        )
    return _by_name(rows)


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


def student_list_for_user(
    *,
    user: "User",
    status: str = "",
    search: str = "",
    course: str = "",
    course_starts_from: date | None = None,
    course_starts_to: date | None = None,
) -> QuerySet[Worker]:
    """The register of students (never workers), by family name. `status` is a student's
    WorkerStatus or "sponsored"; `search` is a CAS number or a student ID, exactly, or the
    start of a family name; `course` a part of the course title; the course start dates
    bound the course's start date."""
    rows = _by_status(_register_for(user, PersonKind.STUDENT), status, STUDENT_STATUSES)
    text = search.strip()
    if text:
        rows = rows.filter(
            Q(certificate__number=normalise_reference(text))
            | Q(student_id__iexact=text)
            | Q(certificate__family_name_key__startswith=name_key(text))
        )
    if course.strip():
        rows = rows.filter(course_title__icontains=course.strip())
    if course_starts_from is not None:
        rows = rows.filter(course_start_date__gte=course_starts_from)
    if course_starts_to is not None:
        rows = rows.filter(course_start_date__lte=course_starts_to)
    return _by_name(rows)


def student_get_for_user(*, user: "User", student_id: int) -> Worker:
    student = (
        _by_name(_register_for(user, PersonKind.STUDENT))
        .select_related("sponsor", "certificate__cas")
        .filter(pk=student_id)
        .first()
    )
    if student is None:
        raise NotFound("There is no such student on your register.")
    return student


def student_get_by_cas_number(*, user: "User", number: str) -> Worker:
    """How a student records system names a student: by the number of the CAS that sponsors
    them."""
    student = (
        _by_name(_register_for(user, PersonKind.STUDENT))
        .select_related("sponsor")
        .filter(certificate__number=normalise_reference(number))
        .first()
    )
    if student is None:
        raise NotFound(f"No student on your register has the CAS number {number!r}.")
    return student


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


def report_list_for_user(
    *, user: "User", worker: Worker | None = None, about: str = ""
) -> QuerySet[ActivityReport]:
    """Reports about workers and students; `about` (a PersonKind) keeps one or the other."""
    rows = ActivityReport.objects.filter(sponsor=sponsor_of(user))
    if user.level == UserLevel.LEVEL_2:
        rows = rows.filter(worker__certificate__owner=user)
    if worker is not None:
        rows = rows.filter(worker=worker)
    if about:
        rows = rows.filter(worker__kind=about)
    return rows.select_related("certificate", "submitted_by", "corrects")


def report_get_for_user(*, user: "User", report_id: int, about: str = "") -> ActivityReport:
    report = report_list_for_user(user=user, about=about).filter(pk=report_id).first()
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
