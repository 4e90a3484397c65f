"""Shapes the record keeping API operations share, and how a file is answered."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import FileResponse
from ninja import Field, Schema

from sponsorship.core.errors import NotFound
from sponsorship.core.uploads import ALLOWED_TYPES
from sponsorship.licences.api.shapes import UserRef, user_ref

from ..items import RecordItem
from ..models import EvidencePack, RecordVersion
from ..selectors import ChecklistLine

API = "/api/v1"


def binary_response(description: str, content_types: list[str]) -> dict[str, Any]:
    """The OpenAPI description of a 200 that is a file, for `openapi_extra`."""
    schema = {"type": "string", "format": "binary"}
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {kind: {"schema": schema} for kind in content_types},
            }
        }
    }


DOCUMENT_TYPES = sorted({content_type for content_type, _ in ALLOWED_TYPES.values()})


def file_response(field_file: Any, filename: str, content_type: str) -> FileResponse:
    """The stored file as a download: never shown in a browser, never cached."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise NotFound("The stored file is missing.") from missing
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class VersionOut(Schema):
    number: int = Field(description="1 for the first upload; each upload adds one.")
    name: str = Field(description="The file's name as uploaded.")
    content_type: str
    size: int = Field(description="In bytes.")
    sha256: str
    uploaded_by: UserRef
    uploaded_at: datetime
    download_url: str = Field(description="The API path that serves this version.")


def version_out(worker_id: int, item: str, version: RecordVersion) -> VersionOut:
    return VersionOut(
        number=version.number,
        name=version.original_name,
        content_type=version.content_type,
        size=version.size,
        sha256=version.sha256,
        uploaded_by=user_ref(version.uploaded_by),
        uploaded_at=version.uploaded_at,
        download_url=f"{API}/workers/{worker_id}/records/{item}/versions/{version.number}",
    )


class ChecklistItemOut(Schema):
    item: RecordItem = Field(description="The document's code, used in the paths.")
    name: str
    hint: str = Field(description="What counts as this document.")
    status: Literal["uploaded", "not-needed", "missing"]
    may_be_not_needed: bool = Field(
        description="Whether the sponsor may record, with a reason, that a worker does not "
        "need this document."
    )
    not_needed_reason: str
    not_needed_at: datetime | None
    versions: int = Field(description="How many versions have been uploaded.")
    latest: VersionOut | None


def item_out(worker_id: int, line: ChecklistLine) -> ChecklistItemOut:
    record = line.record
    return ChecklistItemOut(
        item=line.item,
        name=line.label,
        hint=line.rule.hint,
        status=line.status,  # type: ignore[arg-type]
        may_be_not_needed=line.rule.may_be_not_needed,
        not_needed_reason=record.not_needed_reason if record is not None else "",
        not_needed_at=record.not_needed_at if record is not None else None,
        versions=record.versions_count if record is not None else 0,
        latest=version_out(worker_id, line.item.value, line.latest) if line.latest else None,
    )


class PackOut(Schema):
    id: int
    worker_id: int | None = Field(description="Empty for a pack of the whole licence.")
    status: Literal["QUEUED", "RUNNING", "DONE", "FAILED"]
    status_name: str
    progress_done: int
    progress_total: int = Field(description="Steps in all: one per document, and three more.")
    documents: int = Field(description="Documents in the finished pack.")
    size: int | None = Field(description="The ZIP's size in bytes, once done.")
    sha256: str = Field(description="The ZIP's SHA-256, once done.")
    error: str = Field(description="Why it failed, when it did.")
    requested_by: UserRef
    created_at: datetime
    finished_at: datetime | None
    download_url: str | None = Field(description="The API path of the ZIP, once done.")


def pack_out(pack: EvidencePack) -> PackOut:
    return PackOut(
        id=pack.pk,
        worker_id=pack.worker_id,
        status=pack.status,  # type: ignore[arg-type]
        status_name=pack.get_status_display(),
        progress_done=pack.progress_done,
        progress_total=pack.progress_total,
        documents=pack.documents,
        size=pack.size,
        sha256=pack.sha256,
        error=pack.error,
        requested_by=user_ref(pack.requested_by),
        created_at=pack.created_at,
        finished_at=pack.finished_at,
        download_url=f"{API}/evidence-packs/{pack.pk}/download" if pack.status == "DONE" else None,
    )


class DueForDeletionOut(Schema):
    worker_id: int
    worker_name: str
    certificate_number: str
    ended_on: date | None
    permission_expires_on: date | None
    keep_until: date
    files: int


class DeletedFileOut(Schema):
    item: str
    item_name: str
    version: int
    name: str
    size: int
    sha256: str
    uploaded_at: str


class DeletionOut(Schema):
    id: int
    worker_id: int
    worker_name: str
    certificate_number: str
    kept_until: date
    deleted_by: UserRef
    deleted_at: datetime
    files: list[DeletedFileOut]
    not_needed: list[str] = Field(description="Documents that had been marked as not needed.")
