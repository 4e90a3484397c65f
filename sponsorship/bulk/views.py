"""Bulk data transfer pages (Level 1): send a file, watch it being processed, read and download
its results; produce a Bulk Export; and the published schema, which anyone may read."""

from functools import cache

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sponsorship.core.access import public, requires
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest
from sponsorship.licences.selectors import sponsor_of

from . import documents, selectors, services
from .forms import DATE_HINT, BulkFileForm, ExportForm
from .models import BulkFile, BulkKind, BulkStatus, RecordOutcome
from .services._common import ensure_kind_allowed
from .xmlfiles import NAMESPACE, SCHEMA_FILE

# Seconds between two looks at a file's progress while it is being processed.
POLL_SECONDS = 3


def _file_for(request: SignedInRequest, bulk_file_id: int) -> BulkFile:
    """The user's file, if its kind is open to them now (Upload and Update files are not while
    the licence is suspended)."""
    found = selectors.bulk_file_get_for_user(user=request.user, bulk_file_id=bulk_file_id)
    ensure_kind_allowed(request.user, found.kind)
    return found


def progress_of(bulk_file: BulkFile) -> dict[str, object]:
    """What the page and its polling show of a file's progress."""
    done = {
        BulkKind.UPLOAD: "created",
        BulkKind.UPDATE: "updated",
        BulkKind.REPORT: "reported",
        BulkKind.GRADUATE: "reported",
    }[BulkKind(bulk_file.kind)]
    if bulk_file.status == BulkStatus.QUEUED:
        sentence = f"Waiting to start: {bulk_file.records_total:,} records to process."
    else:
        sentence = (
            f"{bulk_file.records_processed:,} of {bulk_file.records_total:,} records processed: "
            f"{bulk_file.records_succeeded:,} {done}, "
            f"{bulk_file.records_already_done:,} already done before, "
            f"{bulk_file.records_rejected:,} rejected, "
            f"{bulk_file.records_remaining:,} still to do."
        )
    return {
        "status": bulk_file.status,
        "status_name": bulk_file.get_status_display(),
        "finished": bulk_file.is_finished,
        "total": bulk_file.records_total,
        "succeeded": bulk_file.records_succeeded,
        "already_done": bulk_file.records_already_done,
        "rejected": bulk_file.records_rejected,
        "remaining": bulk_file.records_remaining,
        "percent": bulk_file.percent,
        "sentence": sentence,
    }


@requires(Permission.BULK_REPORT)
def files(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "bulk/files.html",
        {"page": paginate(request, selectors.bulk_file_list_for_user(user=request.user))},
    )


@requires(Permission.BULK_REPORT)
def send(request: SignedInRequest) -> HttpResponse:
    """Choose a file and send it: it is checked as a whole at once, then processed in the
    background."""
    form = BulkFileForm(request.POST, request.FILES) if request.method == "POST" else BulkFileForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                received = services.bulk_file_receive(
                    actor=request.user, upload=upload, name=upload.name or "", ip=client_ip(request)
                )
            except ApplicationError as error:
                if error.http_status == 404:
                    raise
                form.add_error("file", error.message)
                status = error.http_status
            else:
                sent = received.bulk_file
                if received.created:
                    messages.success(
                        request,
                        f"{sent.original_name} is received: {sent.records_total:,} records to "
                        "process.",
                    )
                else:
                    received_at = timezone.localtime(sent.received_at)
                    messages.info(
                        request,
                        f"You sent this file before, on {received_at.day} "
                        f"{received_at:%B %Y} at {received_at:%H:%M}. Nothing was done again: "
                        "this is the file you sent then.",
                    )
                return redirect("bulk:file", bulk_file_id=sent.pk)
    return render(request, "bulk/send.html", {"form": form, "namespace": NAMESPACE}, status=status)


@requires(Permission.BULK_REPORT)
def file(request: SignedInRequest, bulk_file_id: int) -> HttpResponse:
    """Where the file has got to, and once processed its results: the counts, the rejected
    records with every reason, and the result files."""
    found = _file_for(request, bulk_file_id)
    rejected = (
        paginate(request, selectors.bulk_records(found, RecordOutcome.REJECTED))
        if found.records_rejected
        else None
    )
    response = render(
        request,
        "bulk/file.html",
        {
            "bulk_file": found,
            "progress": progress_of(found),
            "rejected": rejected,
            "page": rejected,
            "poll_seconds": POLL_SECONDS,
        },
    )
    if not found.is_finished:
        response["Cache-Control"] = "no-store"
    return response


@requires(Permission.BULK_REPORT)
def progress(request: SignedInRequest, bulk_file_id: int) -> JsonResponse:
    """The file's progress, for the page to show without reloading."""
    response = JsonResponse(progress_of(_file_for(request, bulk_file_id)))
    response["Cache-Control"] = "no-store"
    return response


def _finished(request: SignedInRequest, bulk_file_id: int) -> BulkFile:
    found = _file_for(request, bulk_file_id)
    if not found.is_finished:
        raise NotFound("The results are not ready yet.")
    return found


@requires(Permission.BULK_REPORT)
def result_xml(request: SignedInRequest, bulk_file_id: int) -> StreamingHttpResponse:
    found = _finished(request, bulk_file_id)
    return documents.xml_response(documents.result_xml(found), f"{found.result_name}.xml")


@requires(Permission.BULK_REPORT)
def result_csv(request: SignedInRequest, bulk_file_id: int) -> StreamingHttpResponse:
    return documents.result_csv(_finished(request, bulk_file_id))


@requires(Permission.BULK_TRANSFER)
def export(request: SignedInRequest) -> HttpResponse:
    """What to export; the form sends its choices to the download."""
    return render(request, "bulk/export.html", {"form": ExportForm(), "date_hint": DATE_HINT})


@requires(Permission.BULK_TRANSFER)
def export_download(request: SignedInRequest) -> HttpResponse | StreamingHttpResponse:
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(
            request, "bulk/export.html", {"form": form, "date_hint": DATE_HINT}, status=400
        )
    assigned_from, assigned_to = form.dates["assigned_from"], form.dates["assigned_to"]
    services.bulk_export_record(
        actor=request.user,
        statuses=form.statuses,
        assigned_from=assigned_from,
        assigned_to=assigned_to,
        ip=client_ip(request),
    )
    rows = selectors.bulk_export_rows_for_user(
        user=request.user,
        statuses=form.statuses,
        assigned_from=assigned_from,
        assigned_to=assigned_to,
    )
    licence_number = sponsor_of(request.user).licence_number
    return documents.xml_response(
        documents.export_xml(rows, licence_number=licence_number), documents.export_filename()
    )


@cache
def _schema_bytes() -> bytes:
    return SCHEMA_FILE.read_bytes()


@public
def schema(request: HttpRequest) -> HttpResponse:
    """The published schema of bulk files, for student records systems to validate against."""
    response = HttpResponse(_schema_bytes(), content_type=documents.XML_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="cas-bulk-v1.xsd"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response
