"""The sponsored-worker register in the browser: the list, one worker's page, changing their
dates and recording what happened to them. Level 2 users see only the workers whose
certificates they own (the selectors' rule); another's worker is not found."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from sponsorship.certificates.models import CertificateStatus
from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound, NotPermitted
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission, can
from sponsorship.core.types import SignedInRequest

from .. import services
from ..fields import long_date
from ..forms import DutiesForm, HrEventForm, HrEventKindForm, RegisterFilterForm, WorkerDatesForm
from ..models import Duty, DutyStatus, HrEventKind, Worker
from ..selectors import (
    duty_list_for_user,
    report_list_for_user,
    worker_absences,
    worker_contacts,
    worker_events,
    worker_get_for_user,
    worker_list_for_user,
)
from .pages import WORKER_PAGES, Pages, pages_for


def _worker(request: SignedInRequest, worker_id: int) -> Worker:
    return worker_get_for_user(user=request.user, worker_id=worker_id)


def show_refusal(form: DutiesForm, error: ApplicationError) -> int:
    """Show a service's refusal on the form and answer with its status; a missing worker or
    right is the error pages'."""
    if isinstance(error, NotFound | NotPermitted):
        raise error
    form.add_service_error(error)
    return error.http_status


def may_report(user: object, worker: Worker) -> bool:
    """Whether to offer "Report activity" about a worker or a student: the service refuses a
    report unless the certificate is used and sponsorship has not been reported stopped."""
    certificate = worker.certificate
    return (
        can(user, pages_for(worker).report_permission)
        and certificate.status == CertificateStatus.USED
        and certificate.sponsorship_stopped_on is None
    )


@requires(Permission.WORKER_REGISTER_VIEW)
@require_safe
def register(request: SignedInRequest) -> HttpResponse:
    """Every sponsored worker, page by page, filtered by status or found by certificate number
    or family name."""
    form = RegisterFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "duties/register.html", {"form": form, "page": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    rows = worker_list_for_user(
        user=request.user, status=data.get("status", ""), search=data.get("q", "")
    ).annotate(
        # Counted in the same query, so the page costs the same for 3 workers or 30.
        open_duty_count=Count("duties", filter=Q(duties__status=DutyStatus.OPEN))
    )
    return render(
        request,
        "duties/register.html",
        {
            "form": form,
            "page": paginate(request, rows),
            "filtered": bool(data.get("status") or data.get("q")),
            "today": timezone.localdate(),
        },
    )


@requires(Permission.WORKER_REGISTER_VIEW)
@require_safe
def worker_page(request: SignedInRequest, worker_id: int) -> HttpResponse:
    """One worker: the register's details, contact history, absences, events, the duties still
    to report and the reports sent."""
    worker = _worker(request, worker_id)
    today = timezone.localdate()
    duties = [
        duty
        for duty in duty_list_for_user(user=request.user, today=today, worker=worker)
        if duty.is_open
    ]
    return render(
        request,
        "duties/worker.html",
        {
            "worker": worker,
            "certificate": worker.certificate,
            "contacts": worker_contacts(worker),
            "absences": worker_absences(worker),
            "events": worker_events(worker),
            "duties": duties,
            "reports": report_list_for_user(user=request.user, worker=worker),
            "may_report": may_report(request.user, worker),
            "today": today,
        },
    )


@requires(Permission.WORKER_EVENTS_RECORD)
@require_http_methods(["GET", "HEAD", "POST"])
def worker_dates(request: SignedInRequest, worker_id: int) -> HttpResponse:
    """Change the visa, permission and right to work dates; a blank date is cleared."""
    worker = _worker(request, worker_id)
    form = WorkerDatesForm(request.POST if request.method == "POST" else None, worker=worker)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.worker_update_dates(
                    actor=request.user,
                    worker=worker,
                    version=form.cleaned_data["version"],
                    values=form.values,
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(request, "The dates were saved.")
                return redirect("duties:worker", worker_id=worker.pk)
    return render(
        request, "duties/worker_dates.html", {"worker": worker, "form": form}, status=status
    )


@requires(Permission.WORKER_EVENTS_RECORD)
@require_http_methods(["GET", "HEAD", "POST"])
def event_new(request: SignedInRequest, worker_id: int) -> HttpResponse:
    """Record what happened: first choose the kind of event (`?kind=`), then its own form.
    Tells the user at once about any duty it makes reportable, and by when."""
    return record_event(request, _worker(request, worker_id), HrEventKindForm, WORKER_PAGES)


def record_event(
    request: SignedInRequest, worker: Worker, kinds: type[HrEventKindForm], pages: Pages
) -> HttpResponse:
    """The steps of recording a worker's or a student's event (`kinds` offers theirs)."""
    chosen = kinds(request.GET if "kind" in request.GET else None)
    if not chosen.is_bound or not chosen.is_valid():
        return render(
            request,
            "duties/event_kind.html",
            {"worker": worker, "form": chosen, "pages": pages},
            status=400 if chosen.is_bound else 200,
        )
    kind = chosen.cleaned_data["kind"]
    form = HrEventForm(request.POST if request.method == "POST" else None, kind=kind)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            today = timezone.localdate()
            before = {
                duty.pk
                for duty in duty_list_for_user(user=request.user, today=today, worker=worker)
            }
            try:
                services.hr_event_record(
                    actor=request.user, worker=worker, ip=client_ip(request), **form.event
                )
            except ApplicationError as error:
                status = show_refusal(form, error)
            else:
                raised = [
                    duty
                    for duty in duty_list_for_user(user=request.user, today=today, worker=worker)
                    if duty.pk not in before
                ]
                messages.success(request, _recorded(kind, raised))
                return redirect(pages.person, worker.pk)
    return render(
        request,
        "duties/event_form.html",
        {"worker": worker, "form": form, "kind": HrEventKind(kind), "pages": pages},
        status=status,
    )


def _recorded(kind: str, raised: list[Duty]) -> str:
    label = str(HrEventKind(kind).label)
    said = f"Recorded: {label[0].lower()}{label[1:]}."
    for duty in raised:
        said += (
            f" This must be reported to the Home Office ({duty.get_kind_display().lower()}). "
            f"You must report this by {long_date(duty.due_on)}."
        )
    return said
