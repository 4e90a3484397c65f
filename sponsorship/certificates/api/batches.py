"""API: batches and Creative Worker groups."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, Count, PageQuery, Text100

from .. import selectors, services
from ..models import Batch, Certificate

router = Router(tags=["Batches and groups"])


class BatchIn(StrictSchema):
    name: Text100
    kind: Literal["BATCH", "GROUP"] = Field(
        "BATCH",
        description="BATCH: each certificate assigned when ready. GROUP (Creative Worker "
        "only): all assigned together, or none.",
    )


class MemberOut(Schema):
    id: int
    number: str | None
    family_name: str
    given_names: str
    route: str
    status: str


class BatchOut(Schema):
    id: int
    kind: str
    name: str
    owner: str = Field(description="The owner's user ID")
    created_at: datetime
    version: int
    certificates: list[MemberOut]


class BatchSummary(Schema):
    id: int
    kind: str
    name: str
    owner: str
    created_at: datetime


class BatchPage(Schema):
    items: list[BatchSummary]
    page: PageInfo


class DraftsIn(StrictSchema):
    family_names: Annotated[list[Text100], Field(min_length=1, max_length=100)]
    based_on_id: Count | None = Field(None, description="A certificate to copy the job from")
    route: str = Field("", max_length=40, description="Needed unless based_on_id is given")
    category: str = Field("", max_length=24, description="Needed unless based_on_id is given")


class LinkIn(StrictSchema):
    certificate_id: Count


class BatchVersionIn(StrictSchema):
    version: Count = Field(ge=1, description="The batch's `version` as you read it")


class BatchTransferIn(BatchVersionIn):
    to_user_id: Count


class Refusal(Schema):
    certificate_id: int
    reasons: list[str]


class AssignOut(Schema):
    assigned: list[MemberOut]
    refused: list[Refusal]


def _member(c: Certificate) -> MemberOut:
    return MemberOut(
        id=c.pk,
        number=c.number,
        family_name=c.family_name,
        given_names=c.given_names,
        route=c.route,
        status=c.status,
    )


def _out(batch: Batch) -> BatchOut:
    return BatchOut(
        id=batch.pk,
        kind=batch.kind,
        name=batch.name,
        owner=batch.owner.username,
        created_at=batch.created_at,
        version=batch.version,
        certificates=[_member(c) for c in selectors.batch_certificates(batch)],
    )


def _batch(request: ApiRequest, batch_id: int) -> Batch:
    return selectors.batch_get_for_user(user=request.auth, batch_id=batch_id)


@router.get("/batches", response={200: BatchPage, **RESPONSES}, summary="Batches and groups")
@api_requires(Permission.CERTIFICATES_MANAGE)
def batch_list(request: ApiRequest, query: Query[PageQuery]) -> BatchPage:
    items, info = paginate(
        selectors.batch_list_for_user(user=request.auth), query.page, query.page_size
    )
    return BatchPage(
        items=[
            BatchSummary(
                id=b.pk, kind=b.kind, name=b.name, owner=b.owner.username, created_at=b.created_at
            )
            for b in items
        ],
        page=info,
    )


@router.post("/batches", response={201: BatchOut, **RESPONSES}, summary="Start a batch or a group")
@api_requires(Permission.CERTIFICATES_MANAGE)
def batch_create(request: ApiRequest, payload: BatchIn) -> Status:
    batch = services.batch_create(
        actor=request.auth, kind=payload.kind, name=payload.name, ip=client_ip(request)
    )
    return Status(201, _out(batch))


@router.get(
    "/batches/{int:batch_id}",
    response={200: BatchOut, **RESPONSES},
    summary="A batch or group with its certificates",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def batch_detail(request: ApiRequest, batch_id: int) -> BatchOut:
    return _out(_batch(request, batch_id))


@router.post(
    "/batches/{int:batch_id}/drafts",
    response={201: BatchOut, **RESPONSES},
    summary="Add a draft for each family name, optionally based on a certificate",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def batch_drafts(request: ApiRequest, batch_id: int, payload: DraftsIn) -> Status:
    batch = _batch(request, batch_id)
    based_on = None
    if payload.based_on_id is not None:
        based_on = selectors.certificate_get_for_user(
            user=request.auth, certificate_id=payload.based_on_id
        )
    services.batch_add_drafts(
        actor=request.auth,
        batch=batch,
        family_names="\n".join(payload.family_names),
        route=payload.route,
        category=payload.category,
        based_on=based_on,
        ip=client_ip(request),
    )
    return Status(201, _out(batch))


@router.post(
    "/batches/{int:batch_id}/link",
    response={200: BatchOut, **RESPONSES},
    summary="Put one of your drafts into the batch or group",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def batch_link(request: ApiRequest, batch_id: int, payload: LinkIn) -> BatchOut:
    batch = _batch(request, batch_id)
    certificate = selectors.certificate_get_for_user(
        user=request.auth, certificate_id=payload.certificate_id
    )
    services.batch_link(
        actor=request.auth, batch=batch, certificate=certificate, ip=client_ip(request)
    )
    return _out(batch)


@router.post(
    "/batches/{int:batch_id}/unlink",
    response={200: BatchOut, **RESPONSES},
    summary="Take a draft out of the batch or group",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def batch_unlink(request: ApiRequest, batch_id: int, payload: LinkIn) -> BatchOut:
    batch = _batch(request, batch_id)
    certificate = selectors.certificate_get_for_user(
        user=request.auth, certificate_id=payload.certificate_id
    )
    services.batch_unlink(
        actor=request.auth, batch=batch, certificate=certificate, ip=client_ip(request)
    )
    return _out(batch)


@router.post(
    "/batches/{int:batch_id}/assign",
    response={200: AssignOut, **RESPONSES},
    summary="Assign the batch's ready drafts, or the whole group (all or none)",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def batch_assign(request: ApiRequest, batch_id: int, payload: BatchVersionIn) -> AssignOut:
    outcome = services.batch_assign(
        actor=request.auth,
        batch=_batch(request, batch_id),
        version=payload.version,
        ip=client_ip(request),
    )
    return AssignOut(
        assigned=[_member(c) for c in outcome.assigned],
        refused=[Refusal(certificate_id=c.pk, reasons=r) for c, r in outcome.refused],
    )


@router.post(
    "/batches/{int:batch_id}/transfer",
    response={200: BatchOut, **RESPONSES},
    summary="Give the batch or group, and its certificates, to another user (Level 1)",
)
@api_requires(Permission.CERTIFICATES_TRANSFER)
def batch_transfer(request: ApiRequest, batch_id: int, payload: BatchTransferIn) -> BatchOut:
    batch = services.batch_transfer(
        actor=request.auth,
        batch=_batch(request, batch_id),
        version=payload.version,
        to_user_id=payload.to_user_id,
        ip=client_ip(request),
    )
    return _out(batch)
