"""A sponsor's certificates after assignment, as its users see them in the browser: the search
(single box and advanced), exports of the results, one certificate with its charges and
history, and what the sponsor may do with it: withdraw it, add or amend its note, transfer it
to another user (Level 1). The services hold the rules and write the audit events."""

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

from .. import services
from ..display import sections_for
from ..exports import certificates_export_rows, csv_response, xlsx_response
from ..fees import pounds
from ..forms.live import CertificateSearchForm, NoteForm, TransferForm, VersionedForm, WithdrawForm
from ..models import Certificate, CertificateStatus
from ..search import certificates_matching, transfer_recipient_list_for_user
from ..selectors import certificate_get_for_user, certificate_history

LIST_TEMPLATE = "certificates/live/list.html"


def _certificate(request: SignedInRequest, certificate_id: int) -> Certificate:
    return certificate_get_for_user(user=request.user, certificate_id=certificate_id)


def _posted(request: SignedInRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _refused(form: VersionedForm, error: ApplicationError) -> int:
    """Show a service's refusal on the form (a stale version, a missing reason) and answer
    with its status; a missing certificate or right is the error pages'."""
    if isinstance(error, NotFound | NotPermitted):
        raise error
    form.add_service_error(error)
    return error.http_status


def _search_page(request: SignedInRequest, form: CertificateSearchForm) -> HttpResponse:
    return render(request, LIST_TEMPLATE, {"form": form, "page": None}, status=400)


@requires(Permission.CERTIFICATES_MANAGE)
@require_safe
def certificate_list(request: SignedInRequest) -> HttpResponse:
    """Search by certificate or passport number (one match opens it) or by the person's
    details, status, dates, batch and owner; the results page by page."""
    form = CertificateSearchForm(request.GET or None, user=request.user)
    query = form.to_query()
    if query is None:
        return _search_page(request, form)
    rows = certificates_matching(user=request.user, query=query)
    if query.text:
        found = list(rows[:2])
        if len(found) == 1:
            return redirect("certificates:detail", certificate_id=found[0].pk)
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
    form = CertificateSearchForm(request.GET or None, user=request.user)
    query = form.to_query()
    if query is None:
        # Show the errors on the search page rather than export a file nobody asked for.
        return _search_page(request, form)
    export = certificates_export_rows(
        user=request.user, query=query, file_format=file_format, ip=client_ip(request)
    )
    response: StreamingHttpResponse | FileResponse = (
        csv_response(export) if file_format == "csv" else xlsx_response(export)
    )
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Permission.CERTIFICATES_MANAGE)
@require_safe
def certificate_export_csv(request: SignedInRequest) -> HttpResponseBase:
    """The current search's results as CSV, streamed."""
    return _export(request, "csv")


@requires(Permission.CERTIFICATES_MANAGE)
@require_safe
def certificate_export_xlsx(request: SignedInRequest) -> HttpResponseBase:
    """The current search's results as an Excel workbook."""
    return _export(request, "xlsx")


@requires(Permission.CERTIFICATES_MANAGE)
@require_safe
def certificate_detail(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    certificate = _certificate(request, certificate_id)
    has_cos = getattr(certificate, "cos", None) is not None
    return render(
        request,
        "certificates/live/detail.html",
        {
            "certificate": certificate,
            "sections": sections_for(certificate) if has_cos else [],
            "fee": pounds(certificate.fee_pence) if certificate.fee_pence is not None else "",
            "skills_charge": (
                pounds(certificate.skills_charge_pence) if certificate.skills_charge_pence else ""
            ),
            "may_withdraw": certificate.status == CertificateStatus.ASSIGNED,
        },
    )


@requires(Permission.CERTIFICATES_MANAGE)
@require_safe
def certificate_history_page(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Every status change and activity, oldest first, laid out to print."""
    certificate = _certificate(request, certificate_id)
    return render(
        request,
        "certificates/live/history.html",
        {"certificate": certificate, "events": certificate_history(certificate)},
    )


@requires(Permission.CERTIFICATES_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def certificate_withdraw(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Withdraw an assigned certificate, with the reason. Final."""
    certificate = _certificate(request, certificate_id)
    if certificate.status != CertificateStatus.ASSIGNED:
        return forbidden(
            request,
            f"Certificate {certificate.reference} is "
            f"{certificate.get_status_display().lower()}: only an assigned certificate can be "
            "withdrawn.",
            status=409,
        )
    form = WithdrawForm(_posted(request), initial={"version": certificate.version})
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
                messages.success(request, f"Certificate {certificate.reference} was withdrawn.")
                return redirect("certificates:detail", certificate_id=certificate.pk)
    return render(
        request,
        "certificates/live/withdraw.html",
        {"certificate": certificate, "form": form},
        status=status,
    )


@requires(Permission.CERTIFICATES_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def certificate_note(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Add or amend the sponsor note of an assigned or used certificate."""
    certificate = _certificate(request, certificate_id)
    if not certificate.is_live:
        return forbidden(
            request,
            "Notes can be added only to assigned or used certificates. Certificate "
            f"{certificate.reference} is {certificate.get_status_display().lower()}.",
            status=409,
        )
    had_note = bool(certificate.sponsor_note)
    form = NoteForm(
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
                messages.success(request, f"The note on {certificate.reference} was {done}.")
                return redirect("certificates:detail", certificate_id=certificate.pk)
    return render(
        request,
        "certificates/live/note.html",
        {"certificate": certificate, "form": form, "had_note": had_note},
        status=status,
    )


@requires(Permission.CERTIFICATES_TRANSFER)
@require_http_methods(["GET", "HEAD", "POST"])
def certificate_transfer(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Give the certificate to another active user of the organisation (Level 1 only)."""
    certificate = _certificate(request, certificate_id)
    recipients = [
        (str(user.pk), f"{user.full_name} ({user.username}, {user.get_level_display()})")
        for user in transfer_recipient_list_for_user(user=request.user, certificate=certificate)
    ]
    form = TransferForm(
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
                    f"Certificate {certificate.reference} now belongs to "
                    f"{certificate.owner.full_name}.",
                )
                return redirect("certificates:detail", certificate_id=certificate.pk)
    return render(
        request,
        "certificates/live/transfer.html",
        {"certificate": certificate, "form": form},
        status=status,
    )
