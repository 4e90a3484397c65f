"""A sponsor's CAS after assignment, as its users see them in the browser: the search (single box
and advanced), exports of the results, one CAS with its sections and history, and what the
sponsor may do with it: update its fees, withdraw it, add or amend its note, transfer it to
another user (Level 1), print it. The pages a CAS shares with a certificate of sponsorship are
views/live.py's, given the CAS forms, URL names and templates; the services hold the rules and
write the audit events."""

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError
from sponsorship.core.http import client_ip
from sponsorship.core.middleware import forbidden
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from .. import printing, services
from ..display import sections_for
from ..forms.cas_live import (
    CasFeesForm,
    CasNoteForm,
    CasSearchForm,
    CasTransferForm,
    CasWithdrawForm,
)
from ..models import Certificate, CertificateKind, CertificateStatus
from ..sections import FEE_FIELDS
from ..selectors import cas_superseding
from .live import (
    LivePages,
    certificate_for,
    export,
    history,
    note,
    posted,
    refused,
    search,
    status_words,
    transfer,
    withdraw,
)
from .printing import pdf_response

CAS_PAGES = LivePages(
    kind=CertificateKind.CAS,
    search_form=CasSearchForm,
    withdraw_form=CasWithdrawForm,
    note_form=CasNoteForm,
    transfer_form=CasTransferForm,
    url_prefix="certificates:cas_",
    templates="certificates/cas/live",
)


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_list(request: SignedInRequest) -> HttpResponse:
    """Search by CAS number, passport number or student ID (one match opens it) or by the
    student's details, status, course, dates, batch and owner; the results page by page."""
    return search(request, CAS_PAGES)


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_export_csv(request: SignedInRequest) -> HttpResponseBase:
    """The current search's results as CSV, streamed."""
    return export(request, CAS_PAGES, "csv")


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_export_xlsx(request: SignedInRequest) -> HttpResponseBase:
    """The current search's results as an Excel workbook."""
    return export(request, CAS_PAGES, "xlsx")


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_detail(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """The CAS with every section, its status (an obsolete one names the CAS that replaced it)
    and what can be done with it."""
    certificate = certificate_for(request, CAS_PAGES, certificate_id)
    later = certificate.cas.superseded_by
    return render(
        request,
        "certificates/cas/live/detail.html",
        {
            "certificate": certificate,
            "sections": sections_for(certificate),
            "superseded_by": later,
            # A Level 2 user may not own the CAS that replaced theirs: then it is not a link.
            "superseded_by_visible": later is not None
            and cas_superseding(user=request.user, certificate=certificate) is not None,
            "may_withdraw": certificate.status == CertificateStatus.ASSIGNED,
        },
    )


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_history(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Every status change and activity, oldest first, laid out to print."""
    return history(request, CAS_PAGES, certificate_id)


def _fee_values(certificate: Certificate) -> dict[str, object]:
    return {name: getattr(certificate.cas, name) for name in FEE_FIELDS}


@requires(Permission.CAS_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def cas_fees(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Update the fees of an assigned or used CAS: the only fields that change after
    assignment."""
    certificate = certificate_for(request, CAS_PAGES, certificate_id)
    if not certificate.is_live:
        return forbidden(
            request,
            f"This CAS is {status_words(certificate)}: fees can be updated here only on an "
            "assigned or used CAS."
            + (" Change a draft's fees on the draft itself." if certificate.is_draft else ""),
            status=409,
        )
    before = _fee_values(certificate)
    form = CasFeesForm(posted(request), initial={"version": certificate.version, **before})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            values = form.values()
            if values == before:
                messages.info(request, f"Nothing was changed on CAS {certificate.reference}.")
                return redirect("certificates:cas_detail", certificate_id=certificate.pk)
            try:
                services.cas_fees_update(
                    actor=request.user,
                    certificate=certificate,
                    version=form.cleaned_data["version"],
                    values=values,
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                status = refused(form, error)
            else:
                messages.success(request, f"The fees on CAS {certificate.reference} were updated.")
                return redirect("certificates:cas_detail", certificate_id=certificate.pk)
    return render(
        request,
        "certificates/cas/live/fees.html",
        {"certificate": certificate, "form": form},
        status=status,
    )


@requires(Permission.CAS_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def cas_withdraw(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Withdraw an assigned CAS, with the reason. Final."""
    return withdraw(request, CAS_PAGES, certificate_id)


@requires(Permission.CAS_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def cas_note(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Add or amend the sponsor note of an assigned or used CAS."""
    return note(request, CAS_PAGES, certificate_id)


@requires(Permission.CAS_TRANSFER)
@require_http_methods(["GET", "HEAD", "POST"])
def cas_transfer(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Give the CAS to another active user of the organisation (Level 1 only)."""
    return transfer(request, CAS_PAGES, certificate_id)


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_print(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """One of the sponsor's CAS as a PDF, drafts included (a Level 2 user: only their own),
    audited."""
    certificate = certificate_for(request, CAS_PAGES, certificate_id)
    pdf = printing.certificate_print(
        actor=request.user, certificate=certificate, ip=client_ip(request)
    )
    return pdf_response(pdf, certificate)
