"""API: batches and Creative Worker groups of certificates of sponsorship (/batches), and
batches of CAS (/cas-batches), with the same shapes and the CAS permissions."""

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
from ..models import Batch, BatchKind, Certificate, CertificateKind

router = Router(tags=["Batches and groups"])
CAS_TAGS = ["CAS batches"]
COS = CertificateKind.COS
CAS = CertificateKind.CAS


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


class CasBatchIn(StrictSchema):
    name: Text100


class CasDraftsIn(StrictSchema):
    family_names: Annotated[list[Text100], Field(min_length=1, max_length=100)]
    based_on_id: Count | None = Field(
        None,
        description="A CAS to copy the course, study address, ATAS and fees from (never the "
        "student)",
    )
    route: Literal["", "STUDENT", "CHILD_STUDENT"] = Field(
        "", description="STUDENT or CHILD_STUDENT: needed unless based_on_id is given"
    )


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


def _batch(request: ApiRequest, batch_id: int, kind: str = COS) -> Batch:
    return selectors.batch_get_for_user(user=request.auth, batch_id=batch_id, kind=kind)


def _list(request: ApiRequest, query: PageQuery, kind: str) -> BatchPage:
    items, info = paginate(
        selectors.batch_list_for_user(user=request.auth, kind=kind), query.page, query.page_size
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


def _add_drafts(
    request: ApiRequest,
    batch: Batch,
    *,
    family_names: list[str],
    based_on_id: int | None,
    route: str,
    category: str,
) -> BatchOut:
    based_on = None
    if based_on_id is not None:
        based_on = selectors.certificate_get_for_user(
            user=request.auth, certificate_id=based_on_id, kind=batch.certificate_kind
        )
    services.batch_add_drafts(
        actor=request.auth,
        batch=batch,
        family_names="\n".join(family_names),
        route=route,
        category=category,
        based_on=based_on,
        ip=client_ip(request),
    )
    return _out(batch)


def _link(request: ApiRequest, batch: Batch, certificate_id: int) -> BatchOut:
    certificate = selectors.certificate_get_for_user(
        user=request.auth, certificate_id=certificate_id, kind=batch.certificate_kind
    )
    services.batch_link(
        actor=request.auth, batch=batch, certificate=certificate, ip=client_ip(request)
    )
    return _out(batch)


def _unlink(request: ApiRequest, batch: Batch, certificate_id: int) -> BatchOut:
    certificate = selectors.certificate_get_for_user(
        user=request.auth, certificate_id=certificate_id, kind=batch.certificate_kind
    )
    services.batch_unlink(
        actor=request.auth, batch=batch, certificate=certificate, ip=client_ip(request)
    )
    return _out(batch)


def _assign(request: ApiRequest, batch: Batch, version: int) -> AssignOut:
    outcome = services.batch_assign(
        actor=request.auth, batch=batch, version=version, ip=client_ip(request)
    )
    return AssignOut(
        assigned=[_member(c) for c in outcome.assigned],
        refused=[Refusal(certificate_id=c.pk, reasons=r) for c, r in outcome.refused],
    )


def _transfer(request: ApiRequest, batch: Batch, payload: BatchTransferIn) -> BatchOut:
    batch = services.batch_transfer(
        actor=request.auth,
        batch=batch,
        version=payload.version,
        to_user_id=payload.to_user_id,
        ip=client_ip(request),
    )
    return _out(batch)


# ---------------------------------------------------------------- certificates of sponsorship


@router.get("/batches", response={200: BatchPage, **RESPONSES}, summary="Batches and groups")
@api_requires(Permission.CERTIFICATES_MANAGE)
def batch_list(request: ApiRequest, query: Query[PageQuery]) -> BatchPage:
    return _list(request, query, COS)


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
    out = _add_drafts(
        request,
        _batch(request, batch_id),
        family_names=payload.family_names,
        based_on_id=payload.based_on_id,
        route=payload.route,
        category=payload.category,
    )
    return Status(201, out)


@router.post(
    "/batches/{int:batch_id}/link",
    response={200: BatchOut, **RESPONSES},
    summary="Put one of your drafts into the batch or group",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def batch_link(request: ApiRequest, batch_id: int, payload: LinkIn) -> BatchOut:
    return _link(request, _batch(request, batch_id), payload.certificate_id)


@router.post(
    "/batches/{int:batch_id}/unlink",
    response={200: BatchOut, **RESPONSES},
    summary="Take a draft out of the batch or group",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def batch_unlink(request: ApiRequest, batch_id: int, payload: LinkIn) -> BatchOut:
    return _unlink(request, _batch(request, batch_id), payload.certificate_id)


@router.post(
    "/batches/{int:batch_id}/assign",
    response={200: AssignOut, **RESPONSES},
    summary="Assign the batch's ready drafts, or the whole group (all or none)",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def batch_assign(request: ApiRequest, batch_id: int, payload: BatchVersionIn) -> AssignOut:
    return _assign(request, _batch(request, batch_id), payload.version)


@router.post(
    "/batches/{int:batch_id}/transfer",
    response={200: BatchOut, **RESPONSES},
    summary="Give the batch or group, and its certificates, to another user (Level 1)",
)
@api_requires(Permission.CERTIFICATES_TRANSFER)
def batch_transfer(request: ApiRequest, batch_id: int, payload: BatchTransferIn) -> BatchOut:
    return _transfer(request, _batch(request, batch_id), payload)


# ---------------------------------------------------------------- CAS


@router.get(
    "/cas-batches", response={200: BatchPage, **RESPONSES}, summary="Batches of CAS", tags=CAS_TAGS
)
@api_requires(Permission.CAS_MANAGE)
def cas_batch_list(request: ApiRequest, query: Query[PageQuery]) -> BatchPage:
    return _list(request, query, CAS)


@router.post(
    "/cas-batches",
    response={201: BatchOut, **RESPONSES},
    summary="Start a batch of CAS",
    tags=CAS_TAGS,
)
@api_requires(Permission.CAS_MANAGE)
def cas_batch_create(request: ApiRequest, payload: CasBatchIn) -> Status:
    batch = services.batch_create(
        actor=request.auth,
        kind=BatchKind.BATCH,
        name=payload.name,
        certificate_kind=CAS,
        ip=client_ip(request),
    )
    return Status(201, _out(batch))


@router.get(
    "/cas-batches/{int:batch_id}",
    response={200: BatchOut, **RESPONSES},
    summary="A batch of CAS with its CAS",
    tags=CAS_TAGS,
)
@api_requires(Permission.CAS_MANAGE)
def cas_batch_detail(request: ApiRequest, batch_id: int) -> BatchOut:
    return _out(_batch(request, batch_id, CAS))


@router.post(
    "/cas-batches/{int:batch_id}/drafts",
    response={201: BatchOut, **RESPONSES},
    summary="Add a CAS draft for each family name, optionally based on a CAS",
    tags=CAS_TAGS,
)
@api_requires(Permission.CAS_MANAGE)
def cas_batch_drafts(request: ApiRequest, batch_id: int, payload: CasDraftsIn) -> Status:
    out = _add_drafts(
        request,
        _batch(request, batch_id, CAS),
        family_names=payload.family_names,
        based_on_id=payload.based_on_id,
        route=payload.route,
        category="",
    )
    return Status(201, out)


@router.post(
    "/cas-batches/{int:batch_id}/link",
    response={200: BatchOut, **RESPONSES},
    summary="Put one of your CAS drafts into the batch",
    tags=CAS_TAGS,
)
@api_requires(Permission.CAS_MANAGE)
def cas_batch_link(request: ApiRequest, batch_id: int, payload: LinkIn) -> BatchOut:
    return _link(request, _batch(request, batch_id, CAS), payload.certificate_id)


@router.post(
    "/cas-batches/{int:batch_id}/unlink",
    response={200: BatchOut, **RESPONSES},
    summary="Take a CAS draft out of the batch",
    tags=CAS_TAGS,
)
@api_requires(Permission.CAS_MANAGE)
def cas_batch_unlink(request: ApiRequest, batch_id: int, payload: LinkIn) -> BatchOut:
    return _unlink(request, _batch(request, batch_id, CAS), payload.certificate_id)


@router.post(
    "/cas-batches/{int:batch_id}/assign",
    response={200: AssignOut, **RESPONSES},
    summary="Assign the batch's ready CAS drafts; the others say why not",
    tags=CAS_TAGS,
)
@api_requires(Permission.CAS_MANAGE)
def cas_batch_assign(request: ApiRequest, batch_id: int, payload: BatchVersionIn) -> AssignOut:
    return _assign(request, _batch(request, batch_id, CAS), payload.version)


@router.post(
    "/cas-batches/{int:batch_id}/transfer",
    response={200: BatchOut, **RESPONSES},
    summary="Give the batch, and its CAS, to another user (Level 1)",
    tags=CAS_TAGS,
)
@api_requires(Permission.CAS_TRANSFER)
def cas_batch_transfer(request: ApiRequest, batch_id: int, payload: BatchTransferIn) -> BatchOut:
    return _transfer(request, _batch(request, batch_id, CAS), payload)
