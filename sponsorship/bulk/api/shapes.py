"""The shapes of the bulk data transfer API, and how a streamed document is described."""

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from sponsorship.api.pagination import PageInfo
from sponsorship.licences.api.shapes import UserRef, user_ref

from ..models import BulkFile, BulkRecord

API = "/api/v1"


def document_response(description: str, content_type: str) -> dict[str, Any]:
    """The OpenAPI description of a 200 that is a streamed document, for `openapi_extra`."""
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {content_type: {"schema": {"type": "string"}}},
            }
        }
    }


class BulkFileOut(Schema):
    id: int
    kind: Literal["UPLOAD", "UPDATE", "REPORT", "GRADUATE"] = Field(
        description="From the root element: BulkUpload, BulkUpdate, BulkReport or "
        "GraduateNotification."
    )
    kind_name: str
    file_id: str = Field(
        description="The file's own id (BulkUploadFileId, BulkUpdateFileId or BulkReportingID)."
    )
    name: str = Field(description="The file's name as sent.")
    size: int = Field(description="In bytes.")
    sha256: str
    sent_by: UserRef
    received_at: datetime
    status: Literal["QUEUED", "RUNNING", "DONE", "FAILED"]
    status_name: str
    records_total: int = Field(description="Records in the file.")
    records_succeeded: int = Field(description="CAS created, fees updated or reports made.")
    records_already_done: int = Field(
        description="Records an earlier file with the same file id had done: not done again."
    )
    records_rejected: int
    records_remaining: int = Field(description="Records not processed yet.")
    started_at: datetime | None
    finished_at: datetime | None
    error: str = Field(description="Why processing stopped, when it did (status FAILED).")
    records_url: str = Field(description="The API path of each record's result.")
    result_xml_url: str | None = Field(description="The BulkResult document, once finished.")
    result_csv_url: str | None = Field(description="The results as CSV, once finished.")


def bulk_file_out(bulk_file: BulkFile) -> BulkFileOut:
    base = f"{API}/bulk-files/{bulk_file.pk}"
    finished = bulk_file.is_finished
    return BulkFileOut(
        id=bulk_file.pk,
        kind=bulk_file.kind,  # type: ignore[arg-type]
        kind_name=bulk_file.get_kind_display(),
        file_id=bulk_file.file_id,
        name=bulk_file.original_name,
        size=bulk_file.size,
        sha256=bulk_file.sha256,
        sent_by=user_ref(bulk_file.sent_by),
        received_at=bulk_file.received_at,
        status=bulk_file.status,  # type: ignore[arg-type]
        status_name=bulk_file.get_status_display(),
        records_total=bulk_file.records_total,
        records_succeeded=bulk_file.records_succeeded,
        records_already_done=bulk_file.records_already_done,
        records_rejected=bulk_file.records_rejected,
        records_remaining=bulk_file.records_remaining,
        started_at=bulk_file.started_at,
        finished_at=bulk_file.finished_at,
        error=bulk_file.error,
        records_url=f"{base}/records",
        result_xml_url=f"{base}/result.xml" if finished else None,
        result_csv_url=f"{base}/result.csv" if finished else None,
    )


class BulkFilePage(Schema):
    items: list[BulkFileOut]
    page: PageInfo


class ReasonOut(Schema):
    element: str = Field(description="The record's element the reason is about; empty for all.")
    message: str


class BulkRecordOut(Schema):
    position: int = Field(description="1 for the first record after the file id.")
    applicant_id: str
    cas_number: str = Field(description="The CAS created, updated or reported on.")
    outcome: Literal["CREATED", "UPDATED", "REPORTED", "ALREADY_DONE", "REJECTED"]
    outcome_name: str
    reasons: list[ReasonOut] = Field(
        description="Every reason a record was rejected; for ALREADY_DONE, which record did it."
    )


def bulk_record_out(record: BulkRecord) -> BulkRecordOut:
    return BulkRecordOut(
        position=record.position,
        applicant_id=record.applicant_id,
        cas_number=record.cas_number,
        outcome=record.outcome,  # type: ignore[arg-type]
        outcome_name=record.get_outcome_display(),
        reasons=[ReasonOut(**reason) for reason in record.reasons],
    )


class BulkRecordPage(Schema):
    items: list[BulkRecordOut]
    page: PageInfo
