"""The Level 1 pages of audit readiness: records past their retention date and their deletion,
evidence packs (asked for, produced in the background, then downloaded) and the mock audit."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sponsorship.core.access import requires
from sponsorship.core.errors import Conflict, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest
from sponsorship.licences.selectors import sponsor_of

from .. import selectors, services
from ..forms import PackForm
from ..mock_audit import Severity, mock_audit
from ..models import PackStatus

# Seconds between reloads of a pack's page while it is being produced.
REFRESH_SECONDS = 5


@requires(Permission.WORKER_RECORDS_DELETE)
def records_to_delete(request: SignedInRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "records/to_delete.html",
        {
            "due": selectors.records_due_for_deletion(
                sponsor=sponsor_of(request.user), today=today
            ),
            "deletions": paginate(request, selectors.record_deletions_for_user(user=request.user)),
        },
    )


@requires(Permission.WORKER_RECORDS_DELETE)
def records_delete(request: SignedInRequest, worker_id: int) -> HttpResponse:
    """Confirm, then delete: the files go, a tombstone of what they were stays."""
    today = timezone.localdate()
    due = selectors.record_due_for_deletion_get_for_user(
        user=request.user, worker_id=worker_id, today=today
    )
    if request.method == "POST":
        tombstone = services.worker_records_delete(
            actor=request.user, worker=due.worker, today=today, ip=client_ip(request)
        )
        files = len(tombstone.files)
        messages.success(
            request,
            f"The records of {tombstone.worker_name} are deleted: {files} "
            f"file{'s' if files != 1 else ''}. A note of what was deleted is kept below.",
        )
        return redirect("records:to_delete")
    return render(
        request,
        "records/delete.html",
        {
            "due": due,
            "versions": selectors.stored_versions(due.worker),
        },
    )


@requires(Permission.EVIDENCE_PACK_CREATE)
def packs(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "records/packs.html",
        {
            "page": paginate(request, selectors.evidence_pack_list_for_user(user=request.user)),
            "form": PackForm(),
        },
    )


@requires(Permission.EVIDENCE_PACK_CREATE)
def pack_new(request: SignedInRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("records:packs")
    form = PackForm(request.POST)
    if not form.is_valid():
        raise NotFound("There is no such worker on your register.")
    worker_id = form.cleaned_data["worker_id"]
    worker = (
        selectors.worker_for_records(user=request.user, worker_id=worker_id) if worker_id else None
    )
    try:
        pack = services.evidence_pack_request(
            actor=request.user, worker=worker, ip=client_ip(request)
        )
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("records:packs")
    return redirect("records:pack", pack_id=pack.pk)


@requires(Permission.EVIDENCE_PACK_CREATE)
def pack(request: SignedInRequest, pack_id: int) -> HttpResponse:
    """Where the pack has got to; the page reloads itself until it is finished."""
    found = selectors.evidence_pack_get_for_user(user=request.user, pack_id=pack_id)
    response = render(
        request,
        "records/pack.html",
        {"pack": found, "refresh_seconds": REFRESH_SECONDS, "statuses": PackStatus},
    )
    if not found.is_finished:
        # The page's own <meta http-equiv="refresh"> reloads it; never from a cache.
        response["Cache-Control"] = "no-store"
    return response


@requires(Permission.EVIDENCE_PACK_CREATE)
def pack_download(request: SignedInRequest, pack_id: int) -> FileResponse:
    found = selectors.evidence_pack_get_for_user(user=request.user, pack_id=pack_id)
    if found.status != PackStatus.DONE or not found.file:
        raise NotFound("This evidence pack is not ready.")
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as missing:
        raise NotFound("The evidence pack's file is missing: ask for a new one.") from missing
    services.evidence_pack_download_record(user=request.user, pack=found, ip=client_ip(request))
    response = FileResponse(
        handle, as_attachment=True, filename=found.filename, content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Permission.MOCK_AUDIT_VIEW)
def mock_audit_page(request: SignedInRequest) -> HttpResponse:
    findings = mock_audit(sponsor=sponsor_of(request.user), today=timezone.localdate())
    groups = [(severity, [f for f in findings if f.severity == severity]) for severity in Severity]
    return render(
        request,
        "records/mock_audit.html",
        {
            "findings": findings,
            "groups": [(severity, items) for severity, items in groups if items],
            "today": timezone.localdate(),
        },
    )
