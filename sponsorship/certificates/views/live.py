"""A sponsor's certificates after assignment, as its users see them in the browser: the search
(single box and advanced), exports of the results, one certificate with its charges and
history, and what the sponsor may do with it: withdraw it, add or amend its note, transfer it
to another user (Level 1). The services hold the rules and write the audit events.

The pages both kinds share (search, export, history, withdraw, note, transfer) are written once
here, for a `LivePages` saying which kind, forms, URL names and templates; views/cas_live.py
declares the CAS pages with it."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import FileResponse, HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import capfirst
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
from ..models import Certificate, CertificateKind, CertificateStatus
from ..search import certificates_matching, transfer_recipient_list_for_user
from ..selectors import certificate_get_for_user, certificate_history


@dataclass(frozen=True)
class LivePages:
    kind: CertificateKind
    search_form: type[CertificateSearchForm]
    withdraw_form: type[WithdrawForm]
    note_form: type[NoteForm]
    transfer_form: type[TransferForm]
    url_prefix: str  # "certificates:" for certificates:detail, "certificates:cas_" for CAS
    templates: str  # the folder of the kind's own list.html, withdraw.html and note.html

    def url_name(self, page: str) -> str:
        return f"{self.url_prefix}{page}"

    def template(self, page: str) -> str:
        return f"{self.templates}/{page}.html"


COS_PAGES = LivePages(
    kind=CertificateKind.COS,
    search_form=CertificateSearchForm,
    withdraw_form=WithdrawForm,
    note_form=NoteForm,
    transfer_form=TransferForm,
    url_prefix="certificates:",
    templates="certificates/live",
)


def certificate_for(request: SignedInRequest, pages: LivePages, certificate_id: int) -> Certificate:
    return certificate_get_for_user(
        user=request.user, certificate_id=certificate_id, kind=pages.kind
    )


def posted(request: SignedInRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def refused(form: VersionedForm, error: ApplicationError) -> int:
    """Show a service's refusal on the form (a stale version, a field's rule) and answer with
    its status; a missing certificate or right is the error pages'."""
    if isinstance(error, NotFound | NotPermitted):
        raise error
    form.add_service_error(error)
    return error.http_status


def named(certificate: Certificate) -> str:
    """ "Certificate C2G8H88871U" or "CAS E4K7M2P9Q3R8T6", to start a sentence."""
    return f"{capfirst(certificate.noun)} {certificate.reference}"


def status_words(certificate: Certificate) -> str:
    if certificate.is_draft:
        return "a draft, not assigned yet"
    return certificate.get_status_display().lower()


def _search_page(
    request: SignedInRequest, pages: LivePages, form: CertificateSearchForm
) -> HttpResponse:
    return render(request, pages.template("list"), {"form": form, "page": None}, status=400)


def search(request: SignedInRequest, pages: LivePages) -> HttpResponse:
    form = pages.search_form(request.GET or None, user=request.user)
    query = form.to_query()
    if query is None:
        return _search_page(request, pages, form)
    rows = certificates_matching(user=request.user, query=query, kind=pages.kind)
    if query.text:
        found = list(rows[:2])
        if len(found) == 1:
            return redirect(pages.url_name("detail"), certificate_id=found[0].pk)
    page = paginate(request, rows)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        pages.template("list"),
        {
            "form": form,
            "page": page,
            "query": query,
            "export_query": export_query.urlencode(),
        },
    )


def export(request: SignedInRequest, pages: LivePages, file_format: str) -> HttpResponseBase:
    form = pages.search_form(request.GET or None, user=request.user)
    query = form.to_query()
    if query is None:
        # Show the errors on the search page rather than export a file nobody asked for.
        return _search_page(request, pages, form)
    rows = certificates_export_rows(
        user=request.user,
        query=query,
        file_format=file_format,
        ip=client_ip(request),
        kind=pages.kind,
    )
    response: StreamingHttpResponse | FileResponse = (
        csv_response(rows) if file_format == "csv" else xlsx_response(rows)
    )
    response["Cache-Control"] = "private, no-store"
    return response


def history(request: SignedInRequest, pages: LivePages, certificate_id: int) -> HttpResponse:
    certificate = certificate_for(request, pages, certificate_id)
    return render(
        request,
        "certificates/live/history.html",
        {
            "certificate": certificate,
            "events": certificate_history(certificate),
            "detail_page": pages.url_name("detail"),
        },
    )


def withdraw(request: SignedInRequest, pages: LivePages, certificate_id: int) -> HttpResponse:
    certificate = certificate_for(request, pages, certificate_id)
    if certificate.status != CertificateStatus.ASSIGNED:
        return forbidden(
            request,
            f"{named(certificate)} is {status_words(certificate)}: only an assigned "
            f"{certificate.noun} can be withdrawn.",
            status=409,
        )
    form = pages.withdraw_form(posted(request), initial={"version": certificate.version})
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
                status = refused(form, error)
            else:
                messages.success(request, f"{named(certificate)} was withdrawn.")
                return redirect(pages.url_name("detail"), certificate_id=certificate.pk)
    return render(
        request,
        pages.template("withdraw"),
        {"certificate": certificate, "form": form},
        status=status,
    )


def note(request: SignedInRequest, pages: LivePages, certificate_id: int) -> HttpResponse:
    certificate = certificate_for(request, pages, certificate_id)
    if not certificate.is_live:
        return forbidden(
            request,
            f"Notes can be added only to an assigned or used {certificate.noun}. "
            f"{named(certificate)} is {status_words(certificate)}.",
            status=409,
        )
    had_note = bool(certificate.sponsor_note)
    form = pages.note_form(
        posted(request),
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
                status = refused(form, error)
            else:
                done = "amended" if had_note else "added"
                messages.success(
                    request, f"The note on {certificate.noun} {certificate.reference} was {done}."
                )
                return redirect(pages.url_name("detail"), certificate_id=certificate.pk)
    return render(
        request,
        pages.template("note"),
        {"certificate": certificate, "form": form, "had_note": had_note},
        status=status,
    )


def transfer(request: SignedInRequest, pages: LivePages, certificate_id: int) -> HttpResponse:
    certificate = certificate_for(request, pages, certificate_id)
    recipients = [
        (str(user.pk), f"{user.full_name} ({user.username}, {user.get_level_display()})")
        for user in transfer_recipient_list_for_user(user=request.user, certificate=certificate)
    ]
    form = pages.transfer_form(
        posted(request), recipients=recipients, initial={"version": certificate.version}
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
                status = refused(form, error)
            else:
                messages.success(
                    request,
                    f"{named(certificate)} now belongs to {certificate.owner.full_name}.",
                )
                return redirect(pages.url_name("detail"), certificate_id=certificate.pk)
    return render(
        request,
        "certificates/live/transfer.html",
        {"certificate": certificate, "form": form, "detail_page": pages.url_name("detail")},
        status=status,
    )


# --- The certificate of sponsorship pages -----------------------------------------------------


@requires(Permission.CERTIFICATES_MANAGE)
@require_safe
def certificate_list(request: SignedInRequest) -> HttpResponse:
    """Search by certificate or passport number (one match opens it) or by the person's
    details, status, dates, batch and owner; the results page by page."""
    return search(request, COS_PAGES)


@requires(Permission.CERTIFICATES_MANAGE)
@require_safe
def certificate_export_csv(request: SignedInRequest) -> HttpResponseBase:
    """The current search's results as CSV, streamed."""
    return export(request, COS_PAGES, "csv")


@requires(Permission.CERTIFICATES_MANAGE)
@require_safe
def certificate_export_xlsx(request: SignedInRequest) -> HttpResponseBase:
    """The current search's results as an Excel workbook."""
    return export(request, COS_PAGES, "xlsx")


@requires(Permission.CERTIFICATES_MANAGE)
@require_safe
def certificate_detail(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    certificate = certificate_for(request, COS_PAGES, certificate_id)
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
    return history(request, COS_PAGES, certificate_id)


@requires(Permission.CERTIFICATES_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def certificate_withdraw(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Withdraw an assigned certificate, with the reason. Final."""
    return withdraw(request, COS_PAGES, certificate_id)


@requires(Permission.CERTIFICATES_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def certificate_note(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Add or amend the sponsor note of an assigned or used certificate."""
    return note(request, COS_PAGES, certificate_id)


@requires(Permission.CERTIFICATES_TRANSFER)
@require_http_methods(["GET", "HEAD", "POST"])
def certificate_transfer(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Give the certificate to another active user of the organisation (Level 1 only)."""
    return transfer(request, COS_PAGES, certificate_id)
