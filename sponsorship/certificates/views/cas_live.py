"""A sponsor's CAS after assignment, as its users see them in the browser: the search (single box
and advanced), exports of the results, one CAS with its sections and history, and what the
sponsor may do with it: update its fees, withdraw it, add or amend its note, transfer it to
another user (Level 1), print it. The CoS pages (views/live.py) are the model; the services
hold the rules and write the audit events."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound, NotPermitted
from sponsorship.core.http import client_ip
from sponsorship.core.middleware import forbidden
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from .. import printing, services
from ..display import sections_for
from ..exports import certificates_export_rows, csv_response, xlsx_response
from ..forms.cas_live import (
    CasFeesForm,
    CasNoteForm,
    CasSearchForm,
    CasTransferForm,
    CasWithdrawForm,
)
from ..forms.live import VersionedForm
from ..models import Certificate, CertificateKind, CertificateStatus
from ..search import certificates_matching, transfer_recipient_list_for_user
from ..sections import FEE_FIELDS
from ..selectors import cas_superseding, certificate_get_for_user, certificate_history
from .printing import pdf_response

CAS = CertificateKind.CAS
LIST_TEMPLATE = "certificates/cas/live/list.html"


def _cas(request: SignedInRequest, certificate_id: int) -> Certificate:
    return certificate_get_for_user(user=request.user, certificate_id=certificate_id, kind=CAS)


def _posted(request: SignedInRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _refused(form: VersionedForm, error: ApplicationError) -> int:
    """Show a service's refusal on the form (a stale version, a field's rule) and answer with
    its status; a missing CAS or right is the error pages'."""
    if isinstance(error, NotFound | NotPermitted):
        raise error
    form.add_service_error(error)
    return error.http_status


def _status_words(certificate: Certificate) -> str:
    if certificate.is_draft:
        return "a draft, not assigned yet"
    return certificate.get_status_display().lower()


def _search_page(request: SignedInRequest, form: CasSearchForm) -> HttpResponse:
    return render(request, LIST_TEMPLATE, {"form": form, "page": None}, status=400)


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_list(request: SignedInRequest) -> HttpResponse:
    """Search by CAS number, passport number or student ID (one match opens it) or by the
    student's details, status, course, dates, batch and owner; the results page by page."""
    form = CasSearchForm(request.GET or None, user=request.user)
    query = form.to_query()
    if query is None:
        return _search_page(request, form)
    rows = certificates_matching(user=request.user, query=query, kind=CAS)
    if query.text:
        found = list(rows[:2])
        if len(found) == 1:
            return redirect("certificates:cas_detail", certificate_id=found[0].pk)
    page = paginate(request, rows)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        LIST_TEMPLATE,
        {
            "form": form,
            "page": page,
            "query": query,
            "export_query": export_query.urlencode(),
        },
    )


def _export(request: SignedInRequest, file_format: str) -> HttpResponseBase:
    form = CasSearchForm(request.GET or None, user=request.user)
    query = form.to_query()
    if query is None:
        # Show the errors on the search page rather than export a file nobody asked for.
        return _search_page(request, form)
    export = certificates_export_rows(
        user=request.user, query=query, file_format=file_format, ip=client_ip(request), kind=CAS
    )
    response: StreamingHttpResponse | FileResponse = (
        csv_response(export) if file_format == "csv" else xlsx_response(export)
    )
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_export_csv(request: SignedInRequest) -> HttpResponseBase:
    """The current search's results as CSV, streamed."""
    return _export(request, "csv")


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_export_xlsx(request: SignedInRequest) -> HttpResponseBase:
    """The current search's results as an Excel workbook."""
    return _export(request, "xlsx")


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_detail(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """The CAS with every section, its status (an obsolete one names the CAS that replaced it)
    and what can be done with it."""
    certificate = _cas(request, certificate_id)
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
    certificate = _cas(request, certificate_id)
    return render(
        request,
        "certificates/cas/live/history.html",
        {"certificate": certificate, "events": certificate_history(certificate)},
    )


def _fee_values(certificate: Certificate) -> dict[str, object]:
    return {name: getattr(certificate.cas, name) for name in FEE_FIELDS}


@requires(Permission.CAS_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def cas_fees(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Update the fees of an assigned or used CAS: the only fields that change after
    assignment."""
    certificate = _cas(request, certificate_id)
    if not certificate.is_live:
        return forbidden(
            request,
            f"This CAS is {_status_words(certificate)}: fees can be updated here only on an "
            "assigned or used CAS."
            + (" Change a draft's fees on the draft itself." if certificate.is_draft else ""),
            status=409,
        )
    before = _fee_values(certificate)
    form = CasFeesForm(_posted(request), initial={"version": certificate.version, **before})
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
                status = _refused(form, error)
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
    certificate = _cas(request, certificate_id)
    if certificate.status != CertificateStatus.ASSIGNED:
        return forbidden(
            request,
            f"This CAS is {_status_words(certificate)}: only an assigned CAS can be withdrawn.",
            status=409,
        )
    form = CasWithdrawForm(_posted(request), initial={"version": certificate.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.certificate_withdraw(
                    actor=request.user,
                    certificate=certificate,
                    version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                status = _refused(form, error)
            else:
                messages.success(request, f"CAS {certificate.reference} was withdrawn.")
                return redirect("certificates:cas_detail", certificate_id=certificate.pk)
    return render(
        request,
        "certificates/cas/live/withdraw.html",
        {"certificate": certificate, "form": form},
        status=status,
    )


@requires(Permission.CAS_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def cas_note(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Add or amend the sponsor note of an assigned or used CAS."""
    certificate = _cas(request, certificate_id)
    if not certificate.is_live:
        return forbidden(
            request,
            f"Notes can be added only to an assigned or used CAS. This CAS is "
            f"{_status_words(certificate)}.",
            status=409,
        )
    had_note = bool(certificate.sponsor_note)
    form = CasNoteForm(
        _posted(request),
        initial={"version": certificate.version, "note": certificate.sponsor_note},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.certificate_note_save(
                    actor=request.user,
                    certificate=certificate,
                    version=form.cleaned_data["version"],
                    note=form.cleaned_data["note"],
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                status = _refused(form, error)
            else:
                done = "amended" if had_note else "added"
                messages.success(request, f"The note on CAS {certificate.reference} was {done}.")
                return redirect("certificates:cas_detail", certificate_id=certificate.pk)
    return render(
        request,
        "certificates/cas/live/note.html",
        {"certificate": certificate, "form": form, "had_note": had_note},
        status=status,
    )


@requires(Permission.CAS_TRANSFER)
@require_http_methods(["GET", "HEAD", "POST"])
def cas_transfer(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Give the CAS to another active user of the organisation (Level 1 only)."""
    certificate = _cas(request, certificate_id)
    recipients = [
        (str(user.pk), f"{user.full_name} ({user.username}, {user.get_level_display()})")
        for user in transfer_recipient_list_for_user(user=request.user, certificate=certificate)
    ]
    form = CasTransferForm(
        _posted(request), recipients=recipients, initial={"version": certificate.version}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.certificate_transfer(
                    actor=request.user,
                    certificate=certificate,
                    version=form.cleaned_data["version"],
                    to_user_id=int(form.cleaned_data["to_user"]),
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                status = _refused(form, error)
            else:
                messages.success(
                    request,
                    f"CAS {certificate.reference} now belongs to {certificate.owner.full_name}.",
                )
                return redirect("certificates:cas_detail", certificate_id=certificate.pk)
    return render(
        request,
        "certificates/cas/live/transfer.html",
        {"certificate": certificate, "form": form},
        status=status,
    )


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_print(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """One of the sponsor's CAS as a PDF, drafts included (a Level 2 user: only their own),
    audited."""
    certificate = _cas(request, certificate_id)
    pdf = printing.certificate_print(
        actor=request.user, certificate=certificate, ip=client_ip(request)
    )
    return pdf_response(pdf, certificate)
