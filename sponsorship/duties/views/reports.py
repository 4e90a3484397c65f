"""Reporting a worker's or a student's activity in the browser: choose what to report, answer
its questions, check the answers (with the deadline and whether the report is late), send; and
the reports sent, each final, a correction being a new report linked to the one it corrects.
Workers' pages and students' pages are the same steps over their own register (views.pages)."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from sponsorship.certificates.models import CertificateStatus
from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.middleware import forbidden
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from .. import services
from ..deadlines import due_date
from ..forms import ReportForm, ReportKindForm, StudentReportKindForm
from ..kinds import EventKind
from ..models import ActivityReport, Duty, EventSource, PersonKind, Worker
from ..selectors import (
    duty_get_for_user,
    duty_list_for_user,
    report_get_for_user,
    report_list_for_user,
    student_get_for_user,
    worker_get_for_user,
)
from .answers import answer_rows
from .pages import STUDENT_PAGES, WORKER_PAGES, Pages
from .register import show_refusal


def _number(request: SignedInRequest, name: str) -> int | None:
    """An id from the query string; anything else names nothing, so nothing is found."""
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise NotFound("There is no such page.")
    return int(value)


def _refusal(worker: Worker, correcting: bool, kind: str = "") -> str:
    """Why no report can be sent on this worker or student now, or "" (the service says the
    same). A graduate notification may still follow an early completion: the service decides."""
    certificate = worker.certificate
    if certificate.status != CertificateStatus.USED:
        what = "CAS" if worker.is_student else "certificate"
        return (
            f"Activity can be reported only on a used {what}; {certificate.number} is "
            f"{certificate.get_status_display().lower()}."
        )
    if certificate.sponsorship_stopped_on and not correcting and kind != EventKind.GRADUATED:
        return (
            "You reported that sponsorship stopped on "
            f"{certificate.sponsorship_stopped_on.day} "
            f"{certificate.sponsorship_stopped_on:%B %Y}. Only a correction to an earlier "
            "report can be sent now."
        )
    return ""


@requires(Permission.ACTIVITY_REPORT)
@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request: SignedInRequest, worker_id: int) -> HttpResponse:
    """Choose the kind (`?kind=`), answer, check, send. `?duty=` fills the event date from
    a duty being met; `?corrects=` starts a correction of an earlier report, prefilled."""
    worker = worker_get_for_user(user=request.user, worker_id=worker_id)
    return _report_new(request, worker, WORKER_PAGES)


@requires(Permission.STUDENT_ACTIVITY_REPORT)
@require_http_methods(["GET", "HEAD", "POST"])
def student_report_new(request: SignedInRequest, student_id: int) -> HttpResponse:
    """A student's report, as a worker's: choose, answer, check, send; a graduate notification
    is one of the kinds."""
    student = student_get_for_user(user=request.user, student_id=student_id)
    return _report_new(request, student, STUDENT_PAGES)


def _report_new(request: SignedInRequest, worker: Worker, pages: Pages) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    duty_id, corrects_id = _number(request, "duty"), _number(request, "corrects")
    duty = duty_get_for_user(user=user, duty_id=duty_id, today=today) if duty_id else None
    corrects = report_get_for_user(user=user, report_id=corrects_id) if corrects_id else None
    if (duty and duty.worker_id != worker.pk) or (corrects and corrects.worker_id != worker.pk):
        raise NotFound("There is no such duty or report for this worker.")
    source = duty or corrects
    asked = {"kind": request.GET["kind"]} if "kind" in request.GET else None
    if source is not None:
        asked = {"kind": source.kind}
    refused = _refusal(worker, corrects is not None, (asked or {}).get("kind", ""))
    if refused:
        return forbidden(request, refused, status=409)

    chosen = (StudentReportKindForm if worker.is_student else ReportKindForm)(asked)
    base: dict[str, Any] = {"worker": worker, "duty": duty, "corrects": corrects, "pages": pages}
    if not chosen.is_bound or not chosen.is_valid():
        return render(
            request,
            "duties/report_kind.html",
            {**base, "form": chosen},
            status=400 if chosen.is_bound else 200,
        )
    kind = chosen.cleaned_data["kind"]
    if duty is None and corrects is None:
        duty = next(
            (
                found
                for found in duty_list_for_user(user=user, today=today, worker=worker)
                if found.is_open and found.kind == kind
            ),
            None,
        )
    form = _form(request, kind, duty, corrects)
    base.update({"duty": duty, "kind": EventKind(kind), "form": form})
    action = request.POST.get("action", "check")
    if request.method != "POST" or action == "change":
        return render(request, "duties/report_form.html", base)
    if not form.is_valid():
        return render(request, "duties/report_form.html", base, status=400)
    if action == "send":
        try:
            report = _send(request, worker, kind, form, corrects)
        except ApplicationError as error:
            status = show_refusal(form, error)
            return render(request, "duties/report_form.html", base, status=status)
        return redirect(pages.report_sent, report_id=report.pk)
    due = due_date(kind, form.event_date, worker.nation) if form.event_date else None
    return render(
        request,
        "duties/report_check.html",
        {
            **base,
            "rows": answer_rows(kind, form.event_date, form.answers),
            "due": due,
            "late": due is not None and today > due,
        },
    )


def _send(
    request: SignedInRequest,
    worker: Worker,
    kind: str,
    form: ReportForm,
    corrects: ActivityReport | None,
) -> ActivityReport:
    if worker.is_student:
        if form.event_date is None:
            raise ApplicationError("Enter the date of the event", field="event_date")
        return services.student_activity_report(
            actor=request.user,
            certificate=worker.certificate,
            kind=kind,
            event_date=form.event_date,
            answers=form.answers,
            source=EventSource.WEB,
            ip=client_ip(request),
            corrects=corrects,
        )
    return services.activity_report_submit(
        actor=request.user,
        worker=worker,
        kind=kind,
        event_date=form.event_date,
        details=form.answers,
        corrects=corrects,
        ip=client_ip(request),
    )


def _form(
    request: SignedInRequest, kind: str, duty: Duty | None, corrects: ActivityReport | None
) -> ReportForm:
    if request.method == "POST":
        return ReportForm(request.POST, kind=kind)
    prefill: dict[str, Any] = {}
    if corrects is not None:
        prefill = {"event_date": corrects.event_date, "answers": corrects.details}
    elif duty is not None:
        prefill = {"event_date": duty.event_date}
    return ReportForm(kind=kind, **prefill)


@requires(Permission.ACTIVITY_REPORT)
@require_safe
def report_sent(request: SignedInRequest, report_id: int) -> HttpResponse:
    return _report_sent(request, report_id, WORKER_PAGES)


@requires(Permission.STUDENT_ACTIVITY_REPORT)
@require_safe
def student_report_sent(request: SignedInRequest, report_id: int) -> HttpResponse:
    return _report_sent(request, report_id, STUDENT_PAGES)


def _about(pages: Pages) -> str:
    return PersonKind.STUDENT if pages is STUDENT_PAGES else PersonKind.WORKER


def _report_sent(request: SignedInRequest, report_id: int, pages: Pages) -> HttpResponse:
    report = report_get_for_user(user=request.user, report_id=report_id, about=_about(pages))
    return render(request, "duties/report_sent.html", {"report": report, "pages": pages})


@requires(Permission.ACTIVITY_REPORT)
@require_safe
def report_list(request: SignedInRequest) -> HttpResponse:
    """Every report about a worker sent, newest first, page by page, late ones flagged."""
    return _report_list(request, WORKER_PAGES)


@requires(Permission.STUDENT_ACTIVITY_REPORT)
@require_safe
def student_report_list(request: SignedInRequest) -> HttpResponse:
    """Every report about a student sent (graduate notifications too), newest first."""
    return _report_list(request, STUDENT_PAGES)


def _report_list(request: SignedInRequest, pages: Pages) -> HttpResponse:
    rows = report_list_for_user(user=request.user, about=_about(pages))
    return render(request, "duties/reports.html", {"page": paginate(request, rows), "pages": pages})


@requires(Permission.ACTIVITY_REPORT)
@require_safe
def report_page(request: SignedInRequest, report_id: int) -> HttpResponse:
    """One report: every answer, its deadline, when it was sent, whether it was late, and the
    corrections either way."""
    report = report_get_for_user(user=request.user, report_id=report_id, about=PersonKind.WORKER)
    worker = worker_get_for_user(user=request.user, worker_id=report.worker_id)
    return _report_page(request, report, worker, WORKER_PAGES)


@requires(Permission.STUDENT_ACTIVITY_REPORT)
@require_safe
def student_report_page(request: SignedInRequest, report_id: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, report_id=report_id, about=PersonKind.STUDENT)
    student = student_get_for_user(user=request.user, student_id=report.worker_id)
    return _report_page(request, report, student, STUDENT_PAGES)


def _report_page(
    request: SignedInRequest, report: ActivityReport, worker: Worker, pages: Pages
) -> HttpResponse:
    return render(
        request,
        "duties/report.html",
        {
            "report": report,
            "worker": worker,
            "pages": pages,
            "rows": answer_rows(report.kind, report.event_date, report.details),
            "corrections": report_list_for_user(user=request.user, worker=worker).filter(
                corrects=report
            ),
            "may_correct": worker.certificate.status == CertificateStatus.USED,
        },
    )
