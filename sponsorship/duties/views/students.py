"""Sponsored students in the browser: the register (every student on a used CAS), one student's
page with their course, events, duties and reports, and recording what happened to them.
Level 2 users see only the students whose CAS they own; another's student is not found."""

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from sponsorship.certificates.models import CertificateStatus
from sponsorship.core.access import requires
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission, can
from sponsorship.core.types import SignedInRequest

from ..forms import StudentEventKindForm, StudentRegisterFilterForm
from ..kinds import EventKind
from ..models import ActivityReport, DutyStatus
from ..selectors import (
    duty_list_for_user,
    report_list_for_user,
    student_get_for_user,
    student_list_for_user,
    worker_contacts,
    worker_events,
)
from .pages import STUDENT_PAGES
from .register import may_report, record_event


@requires(Permission.STUDENT_REGISTER_VIEW)
@require_safe
def student_list(request: SignedInRequest) -> HttpResponse:
    """Every sponsored student, page by page, filtered by status or course, or found by CAS
    number, student ID or family name."""
    form = StudentRegisterFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "duties/students.html", {"form": form, "page": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    rows = student_list_for_user(
        user=request.user,
        status=data.get("status", ""),
        search=data.get("q", ""),
        course=data.get("course", ""),
    ).annotate(
        # Counted in the same query, so the page costs the same for 3 students or 30.
        open_duty_count=Count("duties", filter=Q(duties__status=DutyStatus.OPEN))
    )
    return render(
        request,
        "duties/students.html",
        {
            "form": form,
            "page": paginate(request, rows),
            "filtered": any(data.get(name) for name in ("status", "q", "course")),
        },
    )


def _may_notify_graduation(reports: list[ActivityReport]) -> bool:
    """After a report that the course was completed early, the graduate notification may
    still be sent, once."""
    kinds = {report.kind for report in reports}
    return EventKind.COMPLETED_EARLY in kinds and EventKind.GRADUATED not in kinds


@requires(Permission.STUDENT_REGISTER_VIEW)
@require_safe
def student_page(request: SignedInRequest, student_id: int) -> HttpResponse:
    """One student: the course and study address, contact details, events, the duties still
    to report and the reports sent."""
    student = student_get_for_user(user=request.user, student_id=student_id)
    today = timezone.localdate()
    duties = [
        duty
        for duty in duty_list_for_user(user=request.user, today=today, worker=student)
        if duty.is_open
    ]
    reports = list(report_list_for_user(user=request.user, worker=student))
    reporting = may_report(request.user, student)
    return render(
        request,
        "duties/student.html",
        {
            "worker": student,
            "certificate": student.certificate,
            "contacts": worker_contacts(student),
            "events": worker_events(student),
            "duties": duties,
            "reports": reports,
            "may_report": reporting,
            "may_notify_graduation": not reporting
            and can(request.user, Permission.STUDENT_ACTIVITY_REPORT)
            and student.certificate.status == CertificateStatus.USED
            and _may_notify_graduation(reports),
            "pages": STUDENT_PAGES,
            "today": today,
        },
    )


@requires(Permission.STUDENT_EVENTS_RECORD)
@require_http_methods(["GET", "HEAD", "POST"])
def student_event_new(request: SignedInRequest, student_id: int) -> HttpResponse:
    """Record what happened to a student: enrolled, stopped engaging, withdrew, took a break,
    completed the course... Tells the user at once about any duty it makes reportable."""
    student = student_get_for_user(user=request.user, student_id=student_id)
    return record_event(request, student, StudentEventKindForm, STUDENT_PAGES)
