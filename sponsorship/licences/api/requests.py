"""API: Changes of circumstances, and every request's life: list, read, withdraw, answer."""

from typing import Annotated, Literal

from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires, ensure_allowed
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest

from .. import selectors, services
from ..models import (
    OrganisationChange,
    RequestKind,
)
from ..permissions import request_action_permission
from .shapes import (
    RESPONSES,
    IsoDate,
    LongText,
    Optional10,
    Optional100,
    Optional200,
    PageQuery,
    RequestDetailOut,
    RequestOut,
    Text200,
    Text5000,
    checked_files,
    created_request,
    own_request_detail,
    request_out,
)

requests_router = Router(tags=["Requests"])


class ChangeRequestIn(StrictSchema):
    change_type: Annotated[OrganisationChange, Field(strict=False)] = Field(
        description="What changed."
    )
    change_date: IsoDate = Field(description="When the change happened: today or earlier.")
    description: LongText
    declaration_name: Text200 = Field(description="Your full name, declaring this is true.")
    declaration_position: Text200
    new_name: Optional200 = Field("", description="For a change of name: the new name.")
    new_address_line_1: Optional200 = Field(
        "", description="For a change of address: the new head office's building and street."
    )
    new_town: Optional100 = Field("", description="For a change of address: town or city.")
    new_postcode: Optional10 = Field("", description="For a change of address: postcode.")
    new_size: Literal["", "LARGE", "SMALL_OR_CHARITABLE"] = Field(
        "", description="For a change of size: the new size."
    )


class AnswerIn(StrictSchema):
    body: Text5000 = Field(description="Your answer to the caseworker's question.")


class RequestQuery(PageQuery):
    open: bool | None = Field(None, description="true: outstanding only; false: decided only.")
    kind: RequestKind | None = None


class RequestPage(Schema):
    items: list[RequestOut]
    page: PageInfo


@requests_router.post(
    "/change-requests",
    response={201: RequestDetailOut, **RESPONSES},
    summary="Report a change of circumstances, with evidence (multipart/form-data)",
    description="Files go in `evidence` (repeat it for several): PDF, JPG, PNG, Word, Excel or "
    "OpenDocument text. `report_due` and `reported_late` in the answer say whether the change "
    "was reported in time.",
)
@api_requires(Permission.LICENCE_CHANGE_REQUEST)
def change_request_create(
    request: ApiRequest,
    payload: Form[ChangeRequestIn],
    evidence: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status:
    uploads = checked_files(evidence)
    created = services.change_request_submit(
        actor=request.auth,
        change_type=payload.change_type,
        change_date=payload.change_date,
        description=payload.description,
        declaration_name=payload.declaration_name,
        declaration_position=payload.declaration_position,
        evidence=uploads,
        ip=client_ip(request),
        new_details={
            field: getattr(payload, f"new_{field}")
            for field in ("name", "address_line_1", "town", "postcode", "size")
        },
    )
    return created_request(request, created)


@requests_router.get(
    "/requests", response={200: RequestPage, **RESPONSES}, summary="Your requests, newest first"
)
@api_requires(Permission.LICENCE_SERVICES_VIEW)
def requests(request: ApiRequest, query: Query[RequestQuery]) -> RequestPage:
    listing = selectors.request_list_for_user(
        user=request.auth,
        kinds=(query.kind,) if query.kind else (),
        open_only=query.open,
    )
    items, info = paginate(listing, query.page, query.page_size)
    return RequestPage(items=[request_out(r) for r in items], page=info)


@requests_router.get(
    "/requests/{int:request_id}",
    response={200: RequestDetailOut, **RESPONSES},
    summary="One request, with the Home Office's questions, your answers and the evidence",
)
@api_requires(Permission.LICENCE_SERVICES_VIEW)
def request_detail(request: ApiRequest, request_id: int) -> RequestDetailOut:
    return own_request_detail(request, request_id)


@requests_router.post(
    "/requests/{int:request_id}/withdraw",
    response={200: RequestDetailOut, **RESPONSES},
    summary="Withdraw an outstanding request. Final",
)
@api_requires(Permission.LICENCE_SERVICES_VIEW)
def request_withdraw(request: ApiRequest, request_id: int) -> RequestDetailOut:
    found = selectors.request_get_for_user(user=request.auth, request_id=request_id)
    ensure_allowed(request.auth, request_action_permission(found))
    services.request_withdraw(actor=request.auth, request_id=found.pk, ip=client_ip(request))
    return own_request_detail(request, found.pk)


@requests_router.post(
    "/requests/{int:request_id}/answer",
    response={200: RequestDetailOut, **RESPONSES},
    summary="Answer the Home Office's question, with evidence (multipart/form-data)",
)
@api_requires(Permission.LICENCE_SERVICES_VIEW)
def request_answer(
    request: ApiRequest,
    request_id: int,
    payload: Form[AnswerIn],
    evidence: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> RequestDetailOut:
    # Scoped first: another sponsor's request is not found, whatever the files.
    found = selectors.request_get_for_user(user=request.auth, request_id=request_id)
    ensure_allowed(request.auth, request_action_permission(found))
    services.request_answer(
        actor=request.auth,
        request_id=found.pk,
        body=payload.body,
        evidence=checked_files(evidence),
        ip=client_ip(request),
    )
    return own_request_detail(request, found.pk)
