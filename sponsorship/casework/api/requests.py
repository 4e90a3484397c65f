"""Casework API: work queues and decisions on requests."""

from typing import Annotated, Any, Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.errors import ApplicationError
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences import selectors as licence_selectors
from sponsorship.licences import services as licence_services
from sponsorship.licences.api.shapes import (
    NO_NUL,
    RESPONSES,
    Count,
    EvidenceOut,
    Optional5000,
    PageQuery,
    RequestMessageOut,
    RequestOut,
    Text5000,
    UserRef,
    optional_user_ref,
    request_detail_fields,
    request_fields,
    whole,
)
from sponsorship.licences.models import (
    QUEUE_KINDS,
    LicenceRequest,
    Queue,
    RequestKind,
    RequestStatus,
    Sponsor,
)
from sponsorship.licences.selectors import waiting_working_days

requests_router = Router(tags=["Casework: requests"])

Search = Annotated[str, Field(max_length=200, pattern=NO_NUL)]


class CaseworkSponsorRef(Schema):
    id: int
    name: str
    licence_number: str


def sponsor_ref(sponsor: Sponsor) -> CaseworkSponsorRef:
    return CaseworkSponsorRef(
        id=sponsor.pk, name=sponsor.name, licence_number=sponsor.licence_number
    )


class CaseworkRequestOut(RequestOut):
    sponsor: CaseworkSponsorRef
    queue: str
    assigned_to: UserRef | None
    decided_by: UserRef | None
    waited_working_days: int = Field(
        description="Working days waited for the Home Office, less those waiting for the sponsor."
    )
    target_working_days: int = Field(description="The queue's target for a decision.")
    overdue: bool


class CaseworkRequestDetailOut(CaseworkRequestOut):
    messages: list[RequestMessageOut]
    evidence: list[EvidenceOut]


class QueuePage(Schema):
    items: list[CaseworkRequestOut]
    page: PageInfo


class QueueQuery(PageQuery):
    kind: RequestKind | None = Field(None, description="One of the queue's kinds.")
    status: RequestStatus | None = Field(None, description="Default: the outstanding ones.")
    search: Search = Field("", description="Sponsor name, or licence number.")
    mine: bool = Field(False, description="Only the requests assigned to you.")


class QuestionIn(StrictSchema):
    question: Text5000 = Field(description="What the sponsor needs to send.")


def casework_fields(request: LicenceRequest) -> dict[str, Any]:
    on = timezone.localdate()
    waited = waiting_working_days(request, on)
    target = settings.CASEWORK_TARGET_WORKING_DAYS[request.queue]
    return {
        **request_fields(request),
        "sponsor": sponsor_ref(request.sponsor),
        "queue": request.queue,
        "assigned_to": optional_user_ref(request.assigned_to),
        "decided_by": optional_user_ref(request.decided_by),
        "waited_working_days": waited,
        "target_working_days": target,
        "overdue": request.is_open and waited > target,
    }


def _request_detail(request_id: int) -> CaseworkRequestDetailOut:
    found = licence_selectors.request_get_for_caseworker(request_id=request_id)
    return CaseworkRequestDetailOut(
        **{**request_detail_fields(found, for_home_office=True), **casework_fields(found)}
    )


@requests_router.get(
    "/queues/{queue}",
    response={200: QueuePage, **RESPONSES},
    summary="A work queue: outstanding requests, oldest first, with the time each has waited",
)
@api_requires(Permission.CASEWORK_REQUEST_DECIDE)
def queue(
    request: ApiRequest,
    queue: Literal["users", "changes", "allocations", "status"],
    query: Query[QueueQuery],
) -> QueuePage:
    if query.kind and query.kind not in QUEUE_KINDS[Queue(queue)]:
        raise ApplicationError("Choose a kind of request this queue holds.", field="kind")
    listing = licence_selectors.request_queue(
        queue=queue,
        kind=query.kind or "",
        status=query.status or "",
        search=query.search,
        assigned_to=request.auth if query.mine else None,
    )
    items, info = paginate(listing, query.page, query.page_size)
    return QueuePage(items=[CaseworkRequestOut(**casework_fields(r)) for r in items], page=info)


@requests_router.get(
    "/requests/{int:request_id}",
    response={200: CaseworkRequestDetailOut, **RESPONSES},
    summary="One request, with its questions, answers and evidence",
)
@api_requires(Permission.CASEWORK_REQUEST_DECIDE)
def request_detail(request: ApiRequest, request_id: int) -> CaseworkRequestDetailOut:
    return _request_detail(request_id)


@requests_router.post(
    "/requests/{int:request_id}/assign",
    response={200: CaseworkRequestDetailOut, **RESPONSES},
    summary="Take a request: it shows as yours in the queue",
)
@api_requires(Permission.CASEWORK_REQUEST_DECIDE)
def request_assign(request: ApiRequest, request_id: int) -> CaseworkRequestDetailOut:
    licence_services.request_assign(
        caseworker=request.auth, request_id=request_id, ip=client_ip(request)
    )
    return _request_detail(request_id)


@requests_router.post(
    "/requests/{int:request_id}/information-requests",
    response={201: CaseworkRequestDetailOut, **RESPONSES},
    summary="Ask the sponsor for more information: the request's clock pauses until they answer",
)
@api_requires(Permission.CASEWORK_REQUEST_DECIDE)
def request_ask(request: ApiRequest, request_id: int, payload: QuestionIn) -> Status:
    licence_services.request_ask_for_information(
        caseworker=request.auth,
        request_id=request_id,
        question=payload.question,
        ip=client_ip(request),
    )
    return Status(201, _request_detail(request_id))


class DecisionIn(StrictSchema):
    outcome: Literal["GRANTED", "PARTLY_GRANTED", "REFUSED", "REJECTED"] = Field(
        description="PARTLY_GRANTED: allocation requests only, with fewer than asked. "
        "REJECTED: defined certificate applications only, when not valid."
    )
    reasons: Optional5000 = Field(
        "", description="Required unless granted; the sponsor reads them."
    )
    number_granted: Annotated[int, Field(ge=1), BeforeValidator(whole)] | None = Field(
        None, description="For a partial grant: from 1 to one less than asked."
    )
    version: Count = Field(ge=1, description="The request's `version` as you read it.")


@requests_router.post(
    "/requests/{int:request_id}/decision",
    response={200: CaseworkRequestDetailOut, **RESPONSES},
    summary="Grant, partly grant or refuse, with reasons; the sponsor is e-mailed",
)
@api_requires(Permission.CASEWORK_REQUEST_DECIDE)
def request_decide(
    request: ApiRequest, request_id: int, payload: DecisionIn
) -> CaseworkRequestDetailOut:
    licence_services.request_decide(
        caseworker=request.auth,
        request_id=request_id,
        outcome=payload.outcome,
        reasons=payload.reasons,
        number_granted=payload.number_granted,
        version=payload.version,
        ip=client_ip(request),
    )
    return _request_detail(request_id)
