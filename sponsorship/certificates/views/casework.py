"""The Home Office's certificate pages: find any sponsor's certificate (a CoS or a CAS) by its
number or the person's passport number, read it with its history, mark it used, record the
application's outcome, cancel it, print it. The services write the history and the audit
events."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from .. import printing, services
from ..casework_selectors import certificate_find_for_caseworker
from ..display import sections_for
from ..forms.casework import CancelForm, FindForm, OutcomeForm
from ..models import (
    FINAL_OUTCOMES,
    LIVE_STATUSES,
    Certificate,
    CertificateKind,
    CertificateStatus,
)
from ..selectors import certificate_get_for_caseworker, certificate_history
from .printing import pdf_response

FIND_HINT = (
    "The whole number, like C2G8H88871U (a CoS), E4K7M2P9Q3R8T6 (a CAS) or EP1234567 (a "
    "passport). Spaces and upper or lower case do not matter."
)


def _status(certificate: Certificate) -> str:
    if certificate.is_draft:
        return "a draft, not assigned"
    return certificate.get_status_display().lower()


def _noun(certificate: Certificate) -> str:
    """What the pages call it: "certificate" for a CoS, "CAS" for a CAS."""
    return "CAS" if certificate.kind == CertificateKind.CAS else "certificate"


def _person(certificate: Certificate) -> str:
    return "student" if certificate.kind == CertificateKind.CAS else "worker"


def _context(certificate: Certificate, **extra: Any) -> dict[str, Any]:
    """What every casework certificate page needs to word itself for a CoS or a CAS."""
    noun = _noun(certificate)
    return {
        "certificate": certificate,
        "noun": noun,
        "Noun": noun[:1].upper() + noun[1:],
        "person": _person(certificate),
        **extra,
    }


def _called(certificate: Certificate) -> str:
    """ "Certificate C2G8H88871U", "CAS E4K7M2P9Q3R8T6"."""
    noun = _noun(certificate)
    return f"{noun[:1].upper()}{noun[1:]} {certificate.reference}"


def _cannot_mark_used(certificate: Certificate) -> str:
    return (
        f"{_called(certificate)} is {_status(certificate)}: only an assigned "
        f"{_noun(certificate)} can be marked as used."
    )


def _cannot_record_outcome(certificate: Certificate) -> str:
    noun = _noun(certificate)
    if certificate.status == CertificateStatus.USED:
        return (
            f"The outcome of the application {noun} {certificate.reference} was used in is "
            f"already recorded: {certificate.get_application_outcome_display().lower()}."
        )
    return (
        f"{_called(certificate)} is {_status(certificate)}: an outcome can be "
        f"recorded only for a used {noun} whose application is still undecided."
    )


def _cannot_cancel(certificate: Certificate) -> str:
    return (
        f"{_called(certificate)} is {_status(certificate)}: only an assigned or "
        f"used {_noun(certificate)} can be cancelled."
    )


def _refused(request: SignedInRequest, certificate: Certificate, reason: str) -> HttpResponse:
    """The action does not fit the certificate's status (409), with the way back to it."""
    return render(
        request,
        "casework/certificates/refused.html",
        _context(certificate, reason=reason),
        status=409,
    )


def _reread(certificate_id: int) -> Certificate:
    """The certificate as it is now, after another caseworker changed it first."""
    return certificate_get_for_caseworker(certificate_id=certificate_id)


@requires(Permission.CASEWORK_SPONSOR_VIEW)
def find(request: SignedInRequest) -> HttpResponse:
    form = FindForm(request.GET if "q" in request.GET else None)
    form.fields["q"].help_text = FIND_HINT
    page = None
    if form.is_bound and form.is_valid():
        page = paginate(request, certificate_find_for_caseworker(text=form.cleaned_data["q"]))
    return render(
        request,
        "casework/certificates/find.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )


@requires(Permission.CASEWORK_SPONSOR_VIEW)
def detail(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    certificate = certificate_get_for_caseworker(certificate_id=certificate_id)
    actions = {
        "can_mark_used": certificate.status == CertificateStatus.ASSIGNED,
        "can_record_outcome": certificate.status == CertificateStatus.USED
        and not certificate.application_outcome,
        "can_cancel": certificate.status in LIVE_STATUSES,
    }
    return render(
        request,
        "casework/certificates/detail.html",
        _context(
            certificate,
            sections=sections_for(certificate),
            history=certificate_history(certificate),
            final_outcome=certificate.application_outcome in FINAL_OUTCOMES,
            has_actions=any(actions.values()),
            **actions,
        ),
    )


@requires(Permission.CASEWORK_CERTIFICATE_ACT)
def mark_used(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """An application relying on the certificate was lodged: a confirmation, then the change."""
    certificate = certificate_get_for_caseworker(certificate_id=certificate_id)
    if certificate.status != CertificateStatus.ASSIGNED:
        return _refused(request, certificate, _cannot_mark_used(certificate))
    if request.method == "POST":
        try:
            services.certificate_mark_used(
                actor=request.user, certificate=certificate, ip=client_ip(request)
            )
        except InvalidTransition:
            certificate = _reread(certificate_id)
            return _refused(request, certificate, _cannot_mark_used(certificate))
        messages.success(
            request,
            f"{_called(certificate)} is marked as used. Record the application's outcome once "
            "it is decided.",
        )
        return redirect("casework:certificates:detail", certificate_id=certificate.pk)
    return render(request, "casework/certificates/mark_used.html", _context(certificate))


@requires(Permission.CASEWORK_CERTIFICATE_ACT)
def outcome(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Granted or refused: used for good. Rejected as invalid, void or withdrawn: assigned
    again, so the worker can rely on it once more."""
    certificate = certificate_get_for_caseworker(certificate_id=certificate_id)
    if certificate.status != CertificateStatus.USED or certificate.application_outcome:
        return _refused(request, certificate, _cannot_record_outcome(certificate))
    posted = request.method == "POST"
    form = OutcomeForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            services.certificate_record_outcome(
                actor=request.user,
                certificate=certificate,
                outcome=form.cleaned_data["outcome"],
                ip=client_ip(request),
            )
        except NotFound:
            raise
        except InvalidTransition:
            certificate = _reread(certificate_id)
            return _refused(request, certificate, _cannot_record_outcome(certificate))
        except ApplicationError as error:
            form.add_error("outcome" if error.field == "outcome" else None, error.message)
        else:
            label = certificate.get_application_outcome_display().lower()
            if certificate.application_outcome in FINAL_OUTCOMES:
                after = "It can never be used again."
            else:
                after = (
                    f"It is assigned again and the {_person(certificate)} can rely on it in "
                    "another application."
                )
            messages.success(
                request,
                f"Application outcome recorded for {certificate.reference}: {label}. {after}",
            )
            return redirect("casework:certificates:detail", certificate_id=certificate.pk)
    return render(
        request,
        "casework/certificates/outcome.html",
        _context(certificate, form=form),
        status=400 if form.errors else 200,
    )


@requires(Permission.CASEWORK_CERTIFICATE_ACT)
def cancel(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """The reason, a page to check it, then the cancellation. Final."""
    certificate = certificate_get_for_caseworker(certificate_id=certificate_id)
    if certificate.status not in LIVE_STATUSES:
        return _refused(request, certificate, _cannot_cancel(certificate))
    posted = request.method == "POST"
    form = CancelForm(request.POST if posted else None)
    form.fields["reason"].label = f"Why are you cancelling this {_noun(certificate)}?"
    if posted and form.is_valid() and "change" not in request.POST:
        if request.POST.get("confirmed") != "yes":
            return render(
                request,
                "casework/certificates/cancel_check.html",
                _context(certificate, reason=form.cleaned_data["reason"]),
            )
        try:
            services.certificate_cancel(
                actor=request.user,
                certificate=certificate,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except NotFound:
            raise
        except InvalidTransition:
            certificate = _reread(certificate_id)
            return _refused(request, certificate, _cannot_cancel(certificate))
        except ApplicationError as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
        else:
            messages.success(
                request,
                f"{_called(certificate)} is cancelled. The sponsor can read your reason in its "
                "history.",
            )
            return redirect("casework:certificates:detail", certificate_id=certificate.pk)
    return render(
        request,
        "casework/certificates/cancel.html",
        _context(certificate, form=form),
        status=400 if form.errors else 200,
    )


@requires(Permission.CASEWORK_SPONSOR_VIEW)
def certificate_print(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Any sponsor's certificate (a CoS or a CAS) as a PDF, audited."""
    certificate = certificate_get_for_caseworker(certificate_id=certificate_id)
    pdf = printing.certificate_print(
        actor=request.user, certificate=certificate, ip=client_ip(request)
    )
    return pdf_response(pdf, certificate)
