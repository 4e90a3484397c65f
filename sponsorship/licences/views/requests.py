"""A sponsor's requests to the Home Office, as its Level 1 users see them: reporting a change of
circumstances, the list of every request, one request with its questions, answers, evidence and
outcome, withdrawing it and answering a question. Also the one way any document is downloaded,
for the sponsor's people and caseworkers alike."""

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sponsorship.core.access import requires, signed_in
from sponsorship.core.errors import ApplicationError, Conflict, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.middleware import forbidden
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Denial, Permission, denial
from sponsorship.core.rules import Rule, rule_value
from sponsorship.core.types import SignedInRequest

from .. import selectors, services
from ..forms.requests import AnswerForm, ChangeRequestForm, add_service_error
from ..models import (
    EvidenceFile,
    KeyPersonRole,
    LicenceRequest,
    RequestKind,
    RequestStatus,
)
from ..permissions import request_action_permission
from ..services.evidence import evidence_download_record

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def refused_page(request: SignedInRequest, refused: Denial) -> HttpResponse:
    """A licence-state refusal is a conflict with the licence (409); any other, 403."""
    return forbidden(request, refused.reason, status=409 if refused.code else 403)


def action_refusal(user: "User", licence_request: LicenceRequest) -> Denial | None:
    return denial(user, request_action_permission(licence_request))


def _no_longer_open(licence_request: LicenceRequest, action: str) -> str:
    return (
        f"Request {licence_request.reference} is "
        f"{licence_request.get_status_display().lower()}: you can no longer {action} it."
    )


@requires(Permission.LICENCE_CHANGE_REQUEST)
def change_new(request: SignedInRequest) -> HttpResponse:
    """Report a change of circumstances, with evidence and a declaration."""
    today = timezone.localdate()
    posted = request.method == "POST"
    form = ChangeRequestForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.change_request_submit(
                actor=request.user,
                change_type=data["change_type"],
                change_date=data["change_date"],
                description=data["description"],
                declaration_name=data["declaration_name"],
                declaration_position=data["declaration_position"],
                evidence=data["evidence"],
                ip=client_ip(request),
                new_details=form.new_details(),
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            return redirect("licences:request_sent", request_id=created.pk)
    return render(
        request,
        "licences/requests/change_form.html",
        {
            "form": form,
            "today": today,
            "report_days": rule_value(Rule.ORGANISATION_CHANGE_WORKING_DAYS, today),
        },
        status=400 if form.errors else 200,
    )


@requires(Permission.LICENCE_SERVICES_VIEW)
def request_list(request: SignedInRequest) -> HttpResponse:
    """Every request of the sponsor: the outstanding ones, or (`?show=decided`) the decided."""
    decided = request.GET.get("show") == "decided"
    page = paginate(
        request, selectors.request_list_for_user(user=request.user, open_only=not decided)
    )
    other = selectors.request_list_for_user(user=request.user, open_only=decided).count()
    counts = (other, page.paginator.count) if decided else (page.paginator.count, other)
    return render(
        request,
        "licences/requests/list.html",
        {
            "page": page,
            "decided": decided,
            "outstanding_count": counts[0],
            "decided_count": counts[1],
        },
    )


def _details_rows(licence_request: LicenceRequest) -> list[tuple[str, str]]:
    """The free-form details of user and key personnel requests, labelled for people."""
    rows = []
    for key, value in licence_request.details.items():
        if key == "replace":
            continue
        if isinstance(value, bool):
            value = "Yes" if value else "No"
        rows.append((key.replace("_", " ").capitalize(), str(value) if value != "" else "None"))
    return rows


@requires(Permission.LICENCE_SERVICES_VIEW)
def request_detail(request: SignedInRequest, request_id: int) -> HttpResponse:
    licence_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    # Evidence is loaded once with the request; each answer shows the files sent with it.
    sent_with_request: list[EvidenceFile] = []
    sent_with_answer: dict[int, list[EvidenceFile]] = defaultdict(list)
    for evidence in licence_request.evidence.all():
        if evidence.message_id is None:
            sent_with_request.append(evidence)
        else:
            sent_with_answer[evidence.message_id].append(evidence)
    thread = [
        (message, sent_with_answer.get(message.pk, []))
        for message in licence_request.messages.all()
    ]
    return render(
        request,
        "licences/requests/detail.html",
        {
            "licence_request": licence_request,
            "evidence": sent_with_request,
            "thread": thread,
            "details": _details_rows(licence_request),
            "action_refused": action_refusal(request.user, licence_request),
            "info_requested": licence_request.status == RequestStatus.INFO_REQUESTED,
        },
    )


@requires(Permission.LICENCE_SERVICES_VIEW)
def request_sent(request: SignedInRequest, request_id: int) -> HttpResponse:
    """The confirmation after sending a request: its reference and, for a change of
    circumstances, the reporting deadline and whether it was met."""
    licence_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    template, context = _SENT_PAGES.get(licence_request.kind, _SENT_PAGES[""])
    return render(
        request, template, {"licence_request": licence_request, **context(licence_request)}
    )


# The confirmation each kind of request shows after its form redirects here (so refreshing
# the page never sends the request twice), with what its template needs.
_SENT_PAGES: dict[str, tuple[str, Callable[[LicenceRequest], dict[str, object]]]] = {
    RequestKind.LEVEL_1_USER: (
        "licences/users/requested.html",
        lambda r: {"new_user": r.subject_user},
    ),
    RequestKind.USER_DETAILS: (
        "licences/users/amend_sent.html",
        lambda r: {"subject": r.subject_user},
    ),
    RequestKind.KEY_PERSON: (
        "licences/key_people/submitted.html",
        lambda r: {"role": KeyPersonRole(r.key_person_role)},
    ),
    "": ("licences/requests/sent.html", lambda r: {}),
}


@requires(Permission.LICENCE_SERVICES_VIEW)
def request_withdraw(request: SignedInRequest, request_id: int) -> HttpResponse:
    """Withdraw an outstanding request, after a confirmation. Final."""
    licence_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    refused = action_refusal(request.user, licence_request)
    if refused is not None:
        return refused_page(request, refused)
    if not licence_request.is_open:
        return forbidden(request, _no_longer_open(licence_request, "withdraw"), status=409)
    if request.method == "POST":
        try:
            services.request_withdraw(
                actor=request.user, request_id=licence_request.pk, ip=client_ip(request)
            )
        except Conflict:
            # Decided or withdrawn in another tab since the page was read.
            licence_request.refresh_from_db(fields=["status"])
            return forbidden(request, _no_longer_open(licence_request, "withdraw"), status=409)
        messages.success(request, f"You withdrew request {licence_request.reference}.")
        return redirect("licences:request", request_id=licence_request.pk)
    return render(request, "licences/requests/withdraw.html", {"licence_request": licence_request})


@requires(Permission.LICENCE_SERVICES_VIEW)
def request_answer(request: SignedInRequest, request_id: int) -> HttpResponse:
    """Answer the caseworker's question, with evidence; the request goes back to the Home
    Office and its clock restarts."""
    licence_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    refused = action_refusal(request.user, licence_request)
    if refused is not None:
        return refused_page(request, refused)
    if licence_request.status != RequestStatus.INFO_REQUESTED:
        return forbidden(
            request,
            f"The Home Office has not asked for more information on request "
            f"{licence_request.reference}.",
            status=409,
        )
    posted = request.method == "POST"
    form = AnswerForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            services.request_answer(
                actor=request.user,
                request_id=licence_request.pk,
                body=form.cleaned_data["body"],
                evidence=form.cleaned_data["evidence"],
                ip=client_ip(request),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"You answered the Home Office's question. Request {licence_request.reference} "
                "is back with them.",
            )
            return redirect("licences:request", request_id=licence_request.pk)
    questions = [m for m in licence_request.messages.all() if m.from_home_office]
    return render(
        request,
        "licences/requests/answer.html",
        {
            "licence_request": licence_request,
            "question": questions[-1] if questions else None,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@signed_in
def evidence_download(request: SignedInRequest, evidence_id: int) -> FileResponse:
    """The document itself, for the people of its sponsor and for caseworkers (anyone else: not
    found). Always a download, never shown in the browser, and always audited."""
    evidence = selectors.evidence_get_for_user(user=request.user, evidence_id=evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise NotFound("The document is missing.") from missing
    evidence_download_record(user=request.user, evidence=evidence, ip=client_ip(request))
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
