"""API: a worker's record keeping checklist, uploading versions of its documents (never
overwriting), their history and download, and "not needed" marks. Level 2 tokens reach the
workers whose certificates their owner owns; another sponsor's worker is not found."""

from typing import Annotated

from django.http import FileResponse
from django.utils import timezone
from ninja import Field, File, Path, Router, Schema, Status, UploadedFile

from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.errors import ApplicationError
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.core.uploads import ALLOWED_DESCRIPTION, check_upload
from sponsorship.licences.api.shapes import RESPONSES, Text2000, user_ref

from .. import selectors, services
from ..items import RecordItem
from ..models import RecordDeletion
from .shapes import (
    DOCUMENT_TYPES,
    ChecklistItemOut,
    DeletedFileOut,
    DeletionOut,
    VersionOut,
    binary_response,
    file_response,
    item_out,
    version_out,
)

router = Router(tags=["Worker records"])

WorkerId = Annotated[int, Path(description="The worker's `id` on the register.")]
ItemCode = Annotated[RecordItem, Path(description="Which document of the checklist.")]


class ChecklistOut(Schema):
    worker_id: int
    worker_name: str
    certificate_number: str
    keep_until: str | None = Field(
        description="The last day the records must be kept (YYYY-MM-DD); empty while the "
        "worker is sponsored."
    )
    complete: int = Field(description="Documents uploaded or marked as not needed.")
    total: int
    items: list[ChecklistItemOut]


class NotNeededIn(StrictSchema):
    reason: Text2000 = Field(description="Why this worker does not need the document.")


@router.get(
    "/workers/{int:worker_id}/records",
    response={200: ChecklistOut, **RESPONSES},
    summary="A worker's record keeping checklist",
)
@api_requires(Permission.WORKER_RECORDS_MANAGE)
def checklist(request: ApiRequest, worker_id: WorkerId) -> ChecklistOut:
    worker = selectors.worker_for_records(user=request.auth, worker_id=worker_id)
    lines = selectors.checklist(worker)
    keep_until = selectors.worker_keep_until(worker)
    return ChecklistOut(
        worker_id=worker.pk,
        worker_name=worker.certificate.full_name,
        certificate_number=worker.certificate.number or "",
        keep_until=keep_until.isoformat() if keep_until else None,
        complete=sum(1 for line in lines if line.is_complete),
        total=len(lines),
        items=[item_out(worker.pk, line) for line in lines],
    )


@router.post(
    "/workers/{int:worker_id}/records/{item}",
    response={201: VersionOut, **RESPONSES},
    summary="Upload a new version of a document (multipart/form-data)",
    description=f"The file goes in `file`: a {ALLOWED_DESCRIPTION} file. Its type is checked "
    "from its first bytes, not its name. Each upload is a new version; earlier ones are kept. "
    "A document marked as not needed is needed again once uploaded.",
)
@api_requires(Permission.WORKER_RECORDS_MANAGE)
def upload(
    request: ApiRequest,
    worker_id: WorkerId,
    item: ItemCode,
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status:
    # Scoped first: another sponsor's worker is not found, whatever the file.
    worker = selectors.worker_for_records(user=request.auth, worker_id=worker_id)
    if file is None:
        # Django drops an empty file part, so "no file" and "an empty file" arrive alike.
        raise ApplicationError("Choose a file to upload: it must not be empty.", field="file")
    checked = check_upload(file, file.name or "", field="file")
    version = services.record_upload(
        actor=request.auth, worker=worker, item=item, upload=checked, ip=client_ip(request)
    )
    return Status(201, version_out(worker.pk, item.value, version))


@router.get(
    "/workers/{int:worker_id}/records/{item}",
    response={200: ChecklistItemOut, **RESPONSES},
    summary="One document of the checklist",
)
@api_requires(Permission.WORKER_RECORDS_MANAGE)
def record_item(request: ApiRequest, worker_id: WorkerId, item: ItemCode) -> ChecklistItemOut:
    worker = selectors.worker_for_records(user=request.auth, worker_id=worker_id)
    return item_out(worker.pk, selectors.checklist_line(worker, item))


@router.get(
    "/workers/{int:worker_id}/records/{item}/versions",
    response={200: list[VersionOut], **RESPONSES},
    summary="Every version of a document, newest first",
)
@api_requires(Permission.WORKER_RECORDS_MANAGE)
def versions(request: ApiRequest, worker_id: WorkerId, item: ItemCode) -> list[VersionOut]:
    worker = selectors.worker_for_records(user=request.auth, worker_id=worker_id)
    return [version_out(worker.pk, item.value, v) for v in selectors.record_versions(worker, item)]


@router.get(
    "/workers/{int:worker_id}/records/{item}/versions/{int:number}",
    response=RESPONSES,
    summary="Download one version, as it was uploaded",
    description="Answers the file itself, with the type it was stored with. Each download is "
    "recorded on the licence's audit trail.",
    openapi_extra=binary_response("The document.", DOCUMENT_TYPES),
)
@api_requires(Permission.WORKER_RECORDS_MANAGE)
def download(request: ApiRequest, worker_id: WorkerId, item: ItemCode, number: int) -> FileResponse:
    version = selectors.record_version_get_for_user(
        user=request.auth, worker_id=worker_id, item=item.value, number=number
    )
    response = file_response(version.file, version.original_name, version.content_type)
    services.record_download_record(user=request.auth, version=version, ip=client_ip(request))
    return response


@router.post(
    "/workers/{int:worker_id}/records/{item}/not-needed",
    response={200: ChecklistItemOut, **RESPONSES},
    summary="Record that a worker does not need a document, and why",
    description="Only for documents kept where needed (`may_be_not_needed` in the checklist), "
    "and not once one is uploaded (409 `already_uploaded`).",
)
@api_requires(Permission.WORKER_RECORDS_MANAGE)
def not_needed(
    request: ApiRequest, worker_id: WorkerId, item: ItemCode, payload: NotNeededIn
) -> ChecklistItemOut:
    worker = selectors.worker_for_records(user=request.auth, worker_id=worker_id)
    services.record_mark_not_needed(
        actor=request.auth, worker=worker, item=item, reason=payload.reason, ip=client_ip(request)
    )
    return item_out(worker.pk, selectors.checklist_line(worker, item))


@router.delete(
    "/workers/{int:worker_id}/records/{item}/not-needed",
    response={200: ChecklistItemOut, **RESPONSES},
    summary="Take back a 'not needed' mark: the document is missing again",
)
@api_requires(Permission.WORKER_RECORDS_MANAGE)
def needed_again(request: ApiRequest, worker_id: WorkerId, item: ItemCode) -> ChecklistItemOut:
    worker = selectors.worker_for_records(user=request.auth, worker_id=worker_id)
    services.record_mark_needed(actor=request.auth, worker=worker, item=item, ip=client_ip(request))
    return item_out(worker.pk, selectors.checklist_line(worker, item))


def _deletion_out(deletion: RecordDeletion) -> DeletionOut:
    return DeletionOut(
        id=deletion.pk,
        worker_id=deletion.worker_id,
        worker_name=deletion.worker_name,
        certificate_number=deletion.certificate_number,
        kept_until=deletion.kept_until,
        deleted_by=user_ref(deletion.deleted_by),
        deleted_at=deletion.deleted_at,
        files=[DeletedFileOut(**f) for f in deletion.files],
        not_needed=deletion.not_needed,
    )


@router.delete(
    "/workers/{int:worker_id}/records",
    response={200: DeletionOut, **RESPONSES},
    summary="Delete a former worker's records once their retention date has passed",
    description="Every version of every document goes; a note of what they were (names and "
    "SHA-256) stays and is answered. 404 unless the worker is in `GET "
    "/compliance/records-to-delete`.",
)
@api_requires(Permission.WORKER_RECORDS_DELETE)
def records_delete(request: ApiRequest, worker_id: WorkerId) -> DeletionOut:
    today = timezone.localdate()
    due = selectors.record_due_for_deletion_get_for_user(
        user=request.auth, worker_id=worker_id, today=today
    )
    tombstone = services.worker_records_delete(
        actor=request.auth, worker=due.worker, today=today, ip=client_ip(request)
    )
    return _deletion_out(tombstone)
