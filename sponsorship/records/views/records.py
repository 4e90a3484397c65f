"""A worker's record keeping checklist (Appendix D): what is uploaded, missing or not needed;
one document's versions with an upload form and, where allowed, a "not needed" form; and the
download of any version. Level 2 users reach the workers whose certificates they own."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest
from sponsorship.duties.models import Worker
from sponsorship.licences.forms.people import add_service_error

from .. import selectors, services
from ..forms import NotNeededForm, PackForm, UploadForm
from ..items import RecordItem


def _item_page(
    request: SignedInRequest,
    worker: Worker,
    item: RecordItem,
    *,
    upload_form: UploadForm | None = None,
    not_needed_form: NotNeededForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "records/item.html",
        {
            "worker": worker,
            "line": selectors.checklist_line(worker, item),
            "versions": list(selectors.record_versions(worker, item)),
            "upload_form": upload_form or UploadForm(),
            "not_needed_form": not_needed_form or NotNeededForm(),
            "errors_in": [f for f in (upload_form, not_needed_form) if f is not None],
        },
        status=status,
    )


@requires(Permission.WORKER_RECORDS_MANAGE)
def checklist(request: SignedInRequest, worker_id: int) -> HttpResponse:
    worker = selectors.worker_for_records(user=request.user, worker_id=worker_id)
    lines = selectors.checklist(worker)
    return render(
        request,
        "records/checklist.html",
        {
            "worker": worker,
            "lines": lines,
            "complete": sum(1 for line in lines if line.is_complete),
            "keep_until": selectors.worker_keep_until(worker),
            "pack_form": PackForm(initial={"worker_id": worker.pk}),
        },
    )


@requires(Permission.WORKER_RECORDS_MANAGE)
def item(request: SignedInRequest, worker_id: int, item: str) -> HttpResponse:
    worker = selectors.worker_for_records(user=request.user, worker_id=worker_id)
    return _item_page(request, worker, selectors.item_of(item))


@requires(Permission.WORKER_RECORDS_MANAGE)
def upload(request: SignedInRequest, worker_id: int, item: str) -> HttpResponse:
    worker = selectors.worker_for_records(user=request.user, worker_id=worker_id)
    chosen = selectors.item_of(item)
    if request.method != "POST":
        return redirect("records:item", worker_id=worker.pk, item=chosen.value)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.record_upload(
                actor=request.user,
                worker=worker,
                item=chosen,
                upload=form.cleaned_data["file"],
                ip=client_ip(request),
            )
        except ApplicationError as error:
            if error.http_status == 404:
                raise
            add_service_error(form, error.field or None, error.message)
        else:
            messages.success(
                request,
                f"{version.original_name} is uploaded as version {version.number} of "
                f"{chosen.label}.",
            )
            return redirect("records:item", worker_id=worker.pk, item=chosen.value)
    return _item_page(request, worker, chosen, upload_form=form, status=400)


@requires(Permission.WORKER_RECORDS_MANAGE)
def not_needed(request: SignedInRequest, worker_id: int, item: str) -> HttpResponse:
    worker = selectors.worker_for_records(user=request.user, worker_id=worker_id)
    chosen = selectors.item_of(item)
    if request.method != "POST":
        return redirect("records:item", worker_id=worker.pk, item=chosen.value)
    form = NotNeededForm(request.POST)
    if form.is_valid():
        try:
            services.record_mark_not_needed(
                actor=request.user,
                worker=worker,
                item=chosen,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except ApplicationError as error:
            if error.http_status == 404:
                raise
            # The reason box is only shown where a reason may be given: otherwise the error
            # stands above the page, not on a field the page does not show.
            shown = error.field if selectors.may_be_not_needed(chosen) else None
            add_service_error(form, shown, error.message)
        else:
            messages.success(request, f"{chosen.label} is recorded as not needed.")
            return redirect("records:checklist", worker_id=worker.pk)
    return _item_page(request, worker, chosen, not_needed_form=form, status=400)


@requires(Permission.WORKER_RECORDS_MANAGE)
def needed_again(request: SignedInRequest, worker_id: int, item: str) -> HttpResponse:
    worker = selectors.worker_for_records(user=request.user, worker_id=worker_id)
    chosen = selectors.item_of(item)
    if request.method == "POST":
        services.record_mark_needed(
            actor=request.user, worker=worker, item=chosen, ip=client_ip(request)
        )
        messages.success(request, f"{chosen.label} is needed again: upload it when you have it.")
    return redirect("records:item", worker_id=worker.pk, item=chosen.value)


@requires(Permission.WORKER_RECORDS_MANAGE)
def download(request: SignedInRequest, worker_id: int, item: str, number: int) -> FileResponse:
    """One version as it was uploaded: always a download, never shown in the browser, and
    always audited."""
    version = selectors.record_version_get_for_user(
        user=request.user, worker_id=worker_id, item=item, number=number
    )
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as missing:
        raise NotFound("The document is missing.") from missing
    services.record_download_record(user=request.user, version=version, ip=client_ip(request))
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
