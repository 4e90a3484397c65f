"""API: evidence packs (asked for, produced in the background, polled, downloaded), the mock
audit, and records past their retention date with their deletion. Level 1 tokens only."""

from datetime import date
from typing import Annotated

from django.http import FileResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.certificates.api.schemas import Id
from sponsorship.core.errors import NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, PageQuery
from sponsorship.licences.selectors import sponsor_of

from .. import selectors, services
from ..mock_audit import Severity, mock_audit
from ..models import PackStatus
from .shapes import (
    DueForDeletionOut,
    PackOut,
    binary_response,
    file_response,
    pack_out,
)

packs_router = Router(tags=["Evidence packs"])
compliance_router = Router(tags=["Audit readiness"])

PackId = Annotated[int, Path(description="The pack's `id`.")]


class PackIn(StrictSchema):
    worker_id: Id | None = Field(
        None, description="A worker's `id` for their pack alone; leave out for the whole licence."
    )


class PackPage(Schema):
    items: list[PackOut]
    page: PageInfo


class FindingOut(Schema):
    code: str = Field(description="What was found, stably: key_person_missing, duty_overdue...")
    severity: Severity
    severity_name: str
    title: str
    what_to_do: str
    link: str = Field(description="The web page where it is put right.")
    worker_id: int | None


class MockAuditOut(Schema):
    checked_on: date
    findings: list[FindingOut] = Field(description="The most serious first; empty: all passed.")


@packs_router.post(
    "/evidence-packs",
    response={202: PackOut, **RESPONSES},
    summary="Ask for an evidence pack: produced in the background",
    description="Answers at once with the pack `QUEUED`; poll `GET /evidence-packs/{id}` until "
    "it is `DONE` (then download it) or `FAILED`. While the same pack is still being produced, "
    "another is refused (409 `pack_in_progress`).",
)
@api_requires(Permission.EVIDENCE_PACK_CREATE)
def pack_create(request: ApiRequest, payload: PackIn) -> Status:
    worker = (
        selectors.worker_for_records(user=request.auth, worker_id=payload.worker_id)
        if payload.worker_id is not None
        else None
    )
    pack = services.evidence_pack_request(actor=request.auth, worker=worker, ip=client_ip(request))
    return Status(
        202, pack_out(selectors.evidence_pack_get_for_user(user=request.auth, pack_id=pack.pk))
    )


@packs_router.get(
    "/evidence-packs",
    response={200: PackPage, **RESPONSES},
    summary="Your evidence packs, newest first",
)
@api_requires(Permission.EVIDENCE_PACK_CREATE)
def packs(request: ApiRequest, query: Query[PageQuery]) -> PackPage:
    items, info = paginate(
        selectors.evidence_pack_list_for_user(user=request.auth), query.page, query.page_size
    )
    return PackPage(items=[pack_out(p) for p in items], page=info)


@packs_router.get(
    "/evidence-packs/{int:pack_id}",
    response={200: PackOut, **RESPONSES},
    summary="One evidence pack: its status and progress",
)
@api_requires(Permission.EVIDENCE_PACK_CREATE)
def pack(request: ApiRequest, pack_id: PackId) -> PackOut:
    return pack_out(selectors.evidence_pack_get_for_user(user=request.auth, pack_id=pack_id))


@packs_router.get(
    "/evidence-packs/{int:pack_id}/download",
    response=RESPONSES,
    summary="Download a finished evidence pack (ZIP)",
    description="404 until the pack is `DONE`. Each download is on the licence's audit trail.",
    openapi_extra=binary_response("The evidence pack.", ["application/zip"]),
)
@api_requires(Permission.EVIDENCE_PACK_CREATE)
def pack_download(request: ApiRequest, pack_id: PackId) -> FileResponse:
    found = selectors.evidence_pack_get_for_user(user=request.auth, pack_id=pack_id)
    if found.status != PackStatus.DONE or not found.file:
        raise NotFound("This evidence pack is not ready.")
    response = file_response(found.file, found.filename, "application/zip")
    services.evidence_pack_download_record(user=request.auth, pack=found, ip=client_ip(request))
    return response


@compliance_router.get(
    "/compliance/mock-audit",
    response={200: MockAuditOut, **RESPONSES},
    summary="The mock audit: the licence checked as a compliance officer would",
)
@api_requires(Permission.MOCK_AUDIT_VIEW)
def mock_audit_report(request: ApiRequest) -> MockAuditOut:
    today = timezone.localdate()
    findings = mock_audit(sponsor=sponsor_of(request.auth), today=today)
    return MockAuditOut(
        checked_on=today,
        findings=[
            FindingOut(
                code=f.code,
                severity=f.severity,
                severity_name=f.severity.label,
                title=f.title,
                what_to_do=f.what_to_do,
                link=f.link,
                worker_id=f.worker.pk if f.worker is not None else None,
            )
            for f in findings
        ],
    )


@compliance_router.get(
    "/compliance/records-to-delete",
    response={200: list[DueForDeletionOut], **RESPONSES},
    summary="Former workers whose records are past their retention date",
)
@api_requires(Permission.WORKER_RECORDS_DELETE)
def records_to_delete(request: ApiRequest) -> list[DueForDeletionOut]:
    due = selectors.records_due_for_deletion(
        sponsor=sponsor_of(request.auth), today=timezone.localdate()
    )
    return [
        DueForDeletionOut(
            worker_id=d.worker.pk,
            worker_name=d.worker.certificate.full_name,
            certificate_number=d.worker.certificate.number or "",
            ended_on=d.worker.ended_on,
            permission_expires_on=d.worker.permission_expires_on,
            keep_until=d.kept_until,
            files=d.documents,
        )
        for d in due
    ]
