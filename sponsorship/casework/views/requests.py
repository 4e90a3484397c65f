"""A request's page: every detail of it, the conversation with the sponsor, the evidence and
the waiting clock; asking the sponsor for more information, and the decision."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sponsorship.certificates.defined import defined_salary_verdict
from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest
from sponsorship.licences import selectors as licence_selectors
from sponsorship.licences import services as licence_services
from sponsorship.licences.models import (
    ALLOCATION_KINDS,
    EvidenceFile,
    LicenceRequest,
    RequestKind,
)
from sponsorship.licences.services.users import APPROVED_FIELDS

from ..forms import DecisionForm, QuestionForm, show_error
from ..selectors import waiting_clock

USER_FIELD_LABELS = {
    "given_names": "Given names",
    "family_name": "Family name",
    "email": "E-mail address",
    "job_title": "Job title",
    "phone": "Telephone",
    "work_address_line_1": "Work address",
    "work_town": "Town",
    "work_postcode": "Postcode",
}
KEY_PERSON_LABELS = {
    "given_names": "Given names",
    "family_name": "Family name",
    "job_title": "Job title",
    "email": "E-mail address",
    "phone": "Telephone",
    "address_line_1": "Address",
    "town": "Town",
    "postcode": "Postcode",
}


def evidence_href(evidence: EvidenceFile) -> str:
    """The download page of the licences app; its plain path until that page is routed."""
    try:
        return reverse("licences:evidence", kwargs={"evidence_id": evidence.pk})
    except NoReverseMatch:
        return f"/evidence/{evidence.pk}/"


def _kind_details(lr: LicenceRequest) -> dict[str, Any]:
    """What the page shows for this kind of request, beyond what every request has."""
    if lr.kind == RequestKind.LEVEL_1_USER and lr.subject_user is not None:
        user = lr.subject_user
        return {
            "person_rows": [
                (label, getattr(user, field)) for field, label in USER_FIELD_LABELS.items()
            ]
            + [("Settled worker", "Yes" if user.is_settled_worker else "No")]
        }
    if lr.kind == RequestKind.USER_DETAILS and lr.subject_user is not None:
        return {
            "change_rows": [
                (USER_FIELD_LABELS[field], getattr(lr.subject_user, field), lr.details[field])
                for field in APPROVED_FIELDS
                if field in lr.details
            ]
        }
    if lr.kind == RequestKind.KEY_PERSON:
        details = lr.details
        rows = [(label, details.get(field, "")) for field, label in KEY_PERSON_LABELS.items()]
        rows.append(
            ("Legal representative", "Yes" if details.get("is_legal_representative") else "No")
        )
        return {"person_rows": rows, "replaces": bool(details.get("replace"))}
    if lr.kind == RequestKind.DEFINED_COS:
        return {"salary_verdict": defined_salary_verdict(lr)}
    if lr.kind in ALLOCATION_KINDS:
        return {
            "allocation": licence_selectors.allocation_current(
                lr.sponsor, lr.route, timezone.localdate()
            )
        }
    return {}


def _render(
    request: SignedInRequest,
    lr: LicenceRequest,
    *,
    question_form: QuestionForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    evidence = list(lr.evidence.all())
    for item in evidence:
        item.href = evidence_href(item)  # type: ignore[attr-defined]
    conversation = [
        (message, [e for e in evidence if e.message_id == message.pk])
        for message in lr.messages.all()
    ]
    context: dict[str, Any] = {
        "lr": lr,
        "clock": waiting_clock(lr),
        "conversation": conversation,
        "submitted_evidence": [e for e in evidence if e.message_id is None],
        "routes": list(lr.sponsor.routes.all()),
        "is_allocation": lr.kind in ALLOCATION_KINDS,
        **_kind_details(lr),
    }
    if lr.is_open:
        question_form = question_form or QuestionForm()
        decision_form = decision_form or DecisionForm(request=lr)
    context |= {"question_form": question_form, "decision_form": decision_form}
    return render(request, "casework/request.html", context, status=status)


@requires(Permission.CASEWORK_REQUEST_DECIDE)
def request_detail(request: SignedInRequest, request_id: int) -> HttpResponse:
    return _render(request, licence_selectors.request_get_for_caseworker(request_id=request_id))


def _refused(form: forms.Form, error: ApplicationError) -> int:
    if isinstance(error, NotFound):
        raise error
    show_error(form, error)
    return error.http_status


@requires(Permission.CASEWORK_REQUEST_DECIDE)
@require_POST
def request_ask(request: SignedInRequest, request_id: int) -> HttpResponse:
    lr = licence_selectors.request_get_for_caseworker(request_id=request_id)
    form = QuestionForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            licence_services.request_ask_for_information(
                caseworker=request.user,
                request_id=lr.pk,
                question=form.cleaned_data["question"],
                ip=client_ip(request),
            )
        except ApplicationError as error:
            status = _refused(form, error)
        else:
            messages.success(
                request,
                f"Your question has been e-mailed to {lr.submitted_by.full_name}. The request "
                "waits for their answer.",
            )
            return redirect("casework:request", request_id=lr.pk)
    return _render(request, lr, question_form=form, status=status)


@requires(Permission.CASEWORK_REQUEST_DECIDE)
@require_POST
def request_decide(request: SignedInRequest, request_id: int) -> HttpResponse:
    lr = licence_selectors.request_get_for_caseworker(request_id=request_id)
    form = DecisionForm(request.POST, request=lr)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            licence_services.request_decide(
                caseworker=request.user,
                request_id=lr.pk,
                outcome=data["outcome"],
                reasons=data["reasons"],
                number_granted=data.get("number_granted"),
                version=data["version"],
                ip=client_ip(request),
            )
        except ApplicationError as error:
            status = _refused(form, error)
        else:
            return redirect("casework:request_decided", request_id=lr.pk)
    if not lr.is_open:  # decided meanwhile, in another tab or by a colleague
        for refusal in form.non_field_errors():
            messages.warning(request, str(refusal))
        return _render(request, lr, status=status)
    return _render(request, lr, decision_form=form, status=status)


@requires(Permission.CASEWORK_REQUEST_DECIDE)
def request_decided(request: SignedInRequest, request_id: int) -> HttpResponse:
    lr = licence_selectors.request_get_for_caseworker(request_id=request_id)
    if lr.is_open:
        return redirect("casework:request", request_id=lr.pk)
    return render(request, "casework/decided.html", {"lr": lr})
