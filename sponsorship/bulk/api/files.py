"""API: sending bulk files (multipart upload), following their progress, reading each record's
result and downloading the result documents; and the Bulk Export. Level 1 tokens only.
Another sponsor's file is not found."""

from datetime import date
from typing import Annotated, Literal

from django.http import StreamingHttpResponse
from ninja import Field, File, Path, Query, Router, Schema, Status, UploadedFile
from pydantic import model_validator

from sponsorship.api.pagination import paginate
from sponsorship.api.permissions import api_requires
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, PageQuery
from sponsorship.licences.selectors import sponsor_of

from .. import documents, selectors, services
from ..models import BulkFile, RecordOutcome
from ..services._common import ensure_kind_allowed
from ..xmlfiles import NAMESPACE, SCHEMA_PATH
from .shapes import (
    BulkFileOut,
    BulkFilePage,
    BulkRecordPage,
    bulk_file_out,
    bulk_record_out,
    document_response,
)

router = Router(tags=["Bulk data transfer"])

BulkFileId = Annotated[int, Path(description="The file's `id`, as answered when it was sent.")]

SENDING = f"""The file goes in `file` (multipart/form-data): an XML file in UTF-8 following the
schema at `{SCHEMA_PATH}` (namespace `{NAMESPACE}`). Its root element says what it is:
`BulkUpload` (create and assign CAS), `BulkUpdate` (fees of live CAS), `BulkReport` (student
activity) or `GraduateNotification`; its first element is its file id.

The file as a whole is checked at once: one that is too large, not XML, not UTF-8, declares a
DOCTYPE or entities, has an unknown root element, no file id or no records is refused with 400
`bulk_file_refused` and the reason. Otherwise it is kept and answered **202** with status
`QUEUED`: each record is then processed in the background, on its own. Poll `GET
/bulk-files/{{id}}` for progress and `GET /bulk-files/{{id}}/records` for each record's result.

**Sending again.** A record done once is never done again under the same file id (records of
an upload are told apart by `ApplicantID`, of an update by `CASNumber`): send a corrected file
with the same file id and only what was not done is tried. The very same file sent again while
it is being processed, or after it went through with nothing rejected, is answered **200**
with that file. A changed file with the same id is refused with 409 `bulk_file_in_progress`
until the earlier one is finished.

Upload and Update files are refused with 409 `licence_suspended` while the licence is
suspended; Report and Graduate files are taken."""


ExportedStatus = Literal["ASSIGNED", "USED", "WITHDRAWN", "EXPIRED", "CANCELLED", "OBSOLETE"]


class ExportQuery(Schema):
    status: list[ExportedStatus] = Field(
        [], description="Only CAS with these statuses (repeat it for several); all when left out."
    )
    assigned_from: date | None = Field(None, description="Assigned on or after this day.")
    assigned_to: date | None = Field(None, description="Assigned on or before this day.")

    @model_validator(mode="after")
    def _in_order(self) -> "ExportQuery":
        if self.assigned_from and self.assigned_to and self.assigned_from > self.assigned_to:
            raise ValueError("assigned_to must be the same day as assigned_from or after it")
        return self


class RecordQuery(PageQuery):
    outcome: RecordOutcome | None = Field(
        None,
        description="Only records with this outcome: CREATED, UPDATED, REPORTED, ALREADY_DONE "
        "or REJECTED.",
    )


def _file(request: ApiRequest, bulk_file_id: int) -> BulkFile:
    found = selectors.bulk_file_get_for_user(user=request.auth, bulk_file_id=bulk_file_id)
    ensure_kind_allowed(request.auth, found.kind)
    return found


@router.post(
    "/bulk-files",
    response={200: BulkFileOut, 202: BulkFileOut, **RESPONSES},
    summary="Send a bulk file (multipart/form-data): processed in the background",
    description=SENDING,
)
@api_requires(Permission.BULK_REPORT)
def bulk_file_send(
    request: ApiRequest,
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status:
    if file is None:
        # Django drops an empty file part, so "no file" and "an empty file" arrive alike.
        raise ApplicationError(
            "Send the XML file in the part called file: it must not be empty.",
            field="file",
            code="bulk_file_refused",
        )
    received = services.bulk_file_receive(
        actor=request.auth, upload=file, name=file.name or "", ip=client_ip(request)
    )
    found = selectors.bulk_file_get_for_user(user=request.auth, bulk_file_id=received.bulk_file.pk)
    return Status(202 if received.created else 200, bulk_file_out(found))


@router.get(
    "/bulk-files",
    response={200: BulkFilePage, **RESPONSES},
    summary="The bulk files you have sent, newest first",
)
@api_requires(Permission.BULK_REPORT)
def bulk_files(request: ApiRequest, query: Query[PageQuery]) -> BulkFilePage:
    items, info = paginate(
        selectors.bulk_file_list_for_user(user=request.auth), query.page, query.page_size
    )
    return BulkFilePage(items=[bulk_file_out(f) for f in items], page=info)


@router.get(
    "/bulk-files/{int:bulk_file_id}",
    response={200: BulkFileOut, **RESPONSES},
    summary="One bulk file: its status and progress (records done, rejected, remaining)",
)
@api_requires(Permission.BULK_REPORT)
def bulk_file(request: ApiRequest, bulk_file_id: BulkFileId) -> BulkFileOut:
    return bulk_file_out(_file(request, bulk_file_id))


@router.get(
    "/bulk-files/{int:bulk_file_id}/records",
    response={200: BulkRecordPage, **RESPONSES},
    summary="What became of each record of a file, in file order",
    description="Records appear as they are processed. A REJECTED record lists every reason, "
    "each naming the element it is about.",
)
@api_requires(Permission.BULK_REPORT)
def bulk_file_records(
    request: ApiRequest, bulk_file_id: BulkFileId, query: Query[RecordQuery]
) -> BulkRecordPage:
    found = _file(request, bulk_file_id)
    outcome = query.outcome.value if query.outcome else None
    items, info = paginate(selectors.bulk_records(found, outcome), query.page, query.page_size)
    return BulkRecordPage(items=[bulk_record_out(r) for r in items], page=info)


def _finished(request: ApiRequest, bulk_file_id: int) -> BulkFile:
    found = _file(request, bulk_file_id)
    if not found.is_finished:
        raise NotFound("The results are not ready yet: the file is still being processed.")
    return found


@router.get(
    "/bulk-files/{int:bulk_file_id}/result.xml",
    response=RESPONSES,
    summary="The file's results as a BulkResult document (XML)",
    description="Valid against the schema's BulkResult element. 404 until the file is finished.",
    openapi_extra=document_response("The BulkResult document.", "application/xml"),
)
@api_requires(Permission.BULK_REPORT)
def bulk_file_result_xml(request: ApiRequest, bulk_file_id: BulkFileId) -> StreamingHttpResponse:
    found = _finished(request, bulk_file_id)
    return documents.xml_response(documents.result_xml(found), f"{found.result_name}.xml")


@router.get(
    "/bulk-files/{int:bulk_file_id}/result.csv",
    response=RESPONSES,
    summary="The file's results as CSV",
    description="One row per record: position, ApplicantID, CAS number, outcome and every "
    "reason. 404 until the file is finished.",
    openapi_extra=document_response("The results.", "text/csv"),
)
@api_requires(Permission.BULK_REPORT)
def bulk_file_result_csv(request: ApiRequest, bulk_file_id: BulkFileId) -> StreamingHttpResponse:
    return documents.result_csv(_finished(request, bulk_file_id))


@router.get(
    "/bulk-export.xml",
    response=RESPONSES,
    summary="Bulk Export: your CAS numbers and statuses (XML)",
    description="A BulkExport document, valid against the schema: every CAS assigned (never "
    "drafts), oldest assignment first, with its ApplicantID, status, dates and course. Each "
    "export is on the licence's audit trail. Refused with 409 `licence_suspended` while the "
    "licence is suspended.",
    openapi_extra=document_response("The BulkExport document.", "application/xml"),
)
@api_requires(Permission.BULK_TRANSFER)
def bulk_export(request: ApiRequest, query: Query[ExportQuery]) -> StreamingHttpResponse:
    services.bulk_export_record(
        actor=request.auth,
        statuses=list(query.status),
        assigned_from=query.assigned_from,
        assigned_to=query.assigned_to,
        ip=client_ip(request),
    )
    rows = selectors.bulk_export_rows_for_user(
        user=request.auth,
        statuses=list(query.status),
        assigned_from=query.assigned_from,
        assigned_to=query.assigned_to,
    )
    licence_number = sponsor_of(request.auth).licence_number
    return documents.xml_response(
        documents.export_xml(rows, licence_number=licence_number), documents.export_filename()
    )
