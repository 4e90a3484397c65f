"""API: PAYE references: list, add, delete."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest

from .. import selectors, services
from ..models import (
    PayeReference,
)
from .shapes import NOT_BLANK, RESPONSES, PageQuery, UserRef, user_ref

paye_router = Router(tags=["PAYE references"])


class PayeOut(Schema):
    id: int
    reference: str
    added_by: UserRef
    added_at: datetime


class PayePage(Schema):
    items: list[PayeOut]
    page: PageInfo


class PayeIn(StrictSchema):
    reference: Annotated[
        str,
        Field(
            min_length=1,
            max_length=30,
            json_schema_extra={"pattern": NOT_BLANK},
            description="Like 123/AB45678: three digits, a slash, up to 10 letters and digits.",
        ),
    ]


def _paye_out(paye: PayeReference) -> PayeOut:
    return PayeOut(
        id=paye.pk,
        reference=paye.reference,
        added_by=user_ref(paye.added_by),
        added_at=paye.added_at,
    )


@paye_router.get(
    "/paye-references", response={200: PayePage, **RESPONSES}, summary="Your PAYE references"
)
@api_requires(Permission.PAYE_MANAGE)
def paye_references(request: ApiRequest, query: Query[PageQuery]) -> PayePage:
    items, info = paginate(
        selectors.paye_list_for_user(user=request.auth), query.page, query.page_size
    )
    return PayePage(items=[_paye_out(p) for p in items], page=info)


@paye_router.post(
    "/paye-references", response={201: PayeOut, **RESPONSES}, summary="Add a PAYE reference"
)
@api_requires(Permission.PAYE_MANAGE)
def paye_add(request: ApiRequest, payload: PayeIn) -> Status:
    paye = services.paye_add(actor=request.auth, reference=payload.reference, ip=client_ip(request))
    return Status(201, _paye_out(paye))


@paye_router.delete(
    "/paye-references/{int:paye_id}",
    response={204: None, **RESPONSES},
    summary="Delete a PAYE reference",
)
@api_requires(Permission.PAYE_MANAGE)
def paye_delete(request: ApiRequest, paye_id: int) -> Status:
    services.paye_delete(actor=request.auth, paye_id=paye_id, ip=client_ip(request))
    return Status(204, None)
