"""API: the Home Office back office. Work queues and decisions on requests, finding a sponsor
and acting on its licence, users (deactivate, unlock) and the message board, calling the services
the casework pages call."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator

from sponsorship.accounts import services as account_services
from sponsorship.accounts.models import User
from sponsorship.accounts.selectors import (
    locked_user_ids,
    user_get_for_caseworker,
    user_list_for_sponsor,
)
from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.errors import ApplicationError
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences import selectors as licence_selectors
from sponsorship.licences import services as licence_services
from sponsorship.licences.api.key_people import KeyPersonDetailOut, key_person_out
from sponsorship.licences.api.licence import AllocationYearOut
from sponsorship.licences.api.shapes import (
    NO_NUL,
    RESPONSES,
    Count,
    EvidenceOut,
    Optional5000,
    PageQuery,
    RequestMessageOut,
    RequestOut,
    RouteCode,
    Text200,
    Text5000,
    UserRef,
    optional_user_ref,
    request_detail_fields,
    request_fields,
    whole,
)
from sponsorship.licences.models import (
    OPEN_STATUSES,
    QUEUE_KINDS,
    Allocation,
    LicenceRequest,
    LicenceStatus,
    Message,
    Queue,
    Rating,
    RequestKind,
    RequestStatus,
    Route,
    SettledWorkerException,
    Sponsor,
    SponsorRoute,
)
from sponsorship.licences.services._common import waiting_working_days

from .selectors import sponsor_get_for_caseworker, sponsor_search

router = Router(tags=["Casework"])

Search = Annotated[str, Field(max_length=200, pattern=NO_NUL)]


# Requests


class CaseworkSponsorRef(Schema):
    id: int
    name: str
    licence_number: str


def _sponsor_ref(sponsor: Sponsor) -> CaseworkSponsorRef:
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


def _casework_fields(request: LicenceRequest) -> dict[str, Any]:
    on = timezone.localdate()
    waited = waiting_working_days(request, on)
    target = settings.CASEWORK_TARGET_WORKING_DAYS[request.queue]
    return {
        **request_fields(request),
        "sponsor": _sponsor_ref(request.sponsor),
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
        **{**request_detail_fields(found, for_home_office=True), **_casework_fields(found)}
    )


@router.get(
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
    return QueuePage(items=[CaseworkRequestOut(**_casework_fields(r)) for r in items], page=info)


@router.get(
    "/requests/{int:request_id}",
    response={200: CaseworkRequestDetailOut, **RESPONSES},
    summary="One request, with its questions, answers and evidence",
)
@api_requires(Permission.CASEWORK_REQUEST_DECIDE)
def request_detail(request: ApiRequest, request_id: int) -> CaseworkRequestDetailOut:
    return _request_detail(request_id)


@router.post(
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


@router.post(
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
    outcome: Literal["GRANTED", "PARTLY_GRANTED", "REFUSED"] = Field(
        description="PARTLY_GRANTED: allocation requests only, with fewer than asked."
    )
    reasons: Optional5000 = Field(
        "", description="Required unless granted; the sponsor reads them."
    )
    number_granted: Annotated[int, Field(ge=1), BeforeValidator(whole)] | None = Field(
        None, description="For a partial grant: from 1 to one less than asked."
    )
    version: Count = Field(ge=1, description="The request's `version` as you read it.")


@router.post(
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


# Sponsors


class RouteRatingOut(StrictSchema):
    route: str
    name: str
    group: str
    rating: str
    rating_changed_at: datetime


def _route_out(route: SponsorRoute) -> RouteRatingOut:
    return RouteRatingOut(
        route=route.route,
        name=route.get_route_display(),
        group=route.group,
        rating=route.rating,
        rating_changed_at=route.rating_changed_at,
    )


class SponsorSummaryOut(Schema):
    id: int
    name: str
    licence_number: str
    status: str
    town: str
    postcode: str
    routes: list[RouteRatingOut]


class SponsorPage(Schema):
    items: list[SponsorSummaryOut]
    page: PageInfo


class SponsorQuery(PageQuery):
    q: Search = Field("", description="Licence number or postcode (exact), or part of the name.")


class LicenceStateOut(Schema):
    id: int
    name: str
    licence_number: str
    status: str
    status_changed_at: datetime
    status_reason: str
    status_response_due: date | None
    settled_worker_exception: str


class CaseworkUserOut(Schema):
    id: int
    user_id: str
    given_names: str
    family_name: str
    email: str
    level: str
    status: str
    is_settled_worker: bool
    locked: bool = Field(description="Locked out after wrong passwords: unlock to let them in.")
    sponsor: CaseworkSponsorRef | None


class RouteAllocationYearOut(AllocationYearOut):
    route: str


class SponsorDetailOut(LicenceStateOut):
    organisation_type: str
    size: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    nation: str
    phone: str
    licence_granted_on: date
    licence_expires_on: date | None
    premium_since: date | None
    student_sponsor_status_since: date | None
    routes: list[RouteRatingOut]
    key_people: list[KeyPersonDetailOut]
    users: list[CaseworkUserOut]
    allocations: list[RouteAllocationYearOut]
    open_requests: list[CaseworkRequestOut]


def _licence_state_fields(sponsor: Sponsor) -> dict[str, Any]:
    return {
        "id": sponsor.pk,
        "name": sponsor.name,
        "licence_number": sponsor.licence_number,
        "status": sponsor.status,
        "status_changed_at": sponsor.status_changed_at,
        "status_reason": sponsor.status_reason,
        "status_response_due": sponsor.status_response_due,
        "settled_worker_exception": sponsor.settled_worker_exception,
    }


def _user_out(user: User, *, locked: bool, sponsor: Sponsor | None) -> CaseworkUserOut:
    return CaseworkUserOut(
        id=user.pk,
        user_id=user.username,
        given_names=user.given_names,
        family_name=user.family_name,
        email=user.email,
        level=user.level,
        status=user.status,
        is_settled_worker=user.is_settled_worker,
        locked=locked,
        sponsor=_sponsor_ref(sponsor) if sponsor is not None else None,
    )


def _allocation_out(allocation: Allocation) -> RouteAllocationYearOut:
    return RouteAllocationYearOut(
        route=allocation.route,
        year_start=allocation.year_start,
        year_end=allocation.year_end,
        limit=allocation.limit,
        used=allocation.used,
        remaining=allocation.remaining,
        renewed_automatically=allocation.renewed_automatically,
    )


@router.get(
    "/sponsors",
    response={200: SponsorPage, **RESPONSES},
    summary="Find sponsors by licence number, postcode or name",
)
@api_requires(Permission.CASEWORK_SPONSOR_VIEW)
def sponsors(request: ApiRequest, query: Query[SponsorQuery]) -> SponsorPage:
    listing = sponsor_search(query=query.q).prefetch_related("routes")
    items, info = paginate(listing, query.page, query.page_size)
    return SponsorPage(
        items=[
            SponsorSummaryOut(
                id=s.pk,
                name=s.name,
                licence_number=s.licence_number,
                status=s.status,
                town=s.town,
                postcode=s.postcode,
                routes=[_route_out(r) for r in s.routes.all()],
            )
            for s in items
        ],
        page=info,
    )


@router.get(
    "/sponsors/{int:sponsor_id}",
    response={200: SponsorDetailOut, **RESPONSES},
    summary="A sponsor: licence, routes, key people, users, allocations and open requests",
)
@api_requires(Permission.CASEWORK_SPONSOR_VIEW)
def sponsor_detail(request: ApiRequest, sponsor_id: int) -> SponsorDetailOut:
    sponsor = sponsor_get_for_caseworker(sponsor_id=sponsor_id)
    users = list(user_list_for_sponsor(sponsor_id=sponsor.pk))
    locked = locked_user_ids([u.username for u in users])
    open_requests = licence_selectors.request_list_for_caseworker(sponsor_id=sponsor.pk).filter(
        status__in=OPEN_STATUSES
    )
    return SponsorDetailOut(
        **_licence_state_fields(sponsor),
        organisation_type=sponsor.organisation_type,
        size=sponsor.size,
        address_line_1=sponsor.address_line_1,
        address_line_2=sponsor.address_line_2,
        town=sponsor.town,
        postcode=sponsor.postcode,
        nation=sponsor.nation,
        phone=sponsor.phone,
        licence_granted_on=sponsor.licence_granted_on,
        licence_expires_on=sponsor.licence_expires_on,
        premium_since=sponsor.premium_since,
        student_sponsor_status_since=sponsor.student_sponsor_status_since,
        routes=[_route_out(r) for r in sponsor.routes.all()],
        key_people=[key_person_out(p) for p in sponsor.key_people.all()],
        users=[_user_out(u, locked=u.username in locked, sponsor=sponsor) for u in users],
        allocations=[
            _allocation_out(a)
            for a in licence_selectors.allocation_list_for_caseworker(sponsor_id=sponsor.pk)
        ],
        open_requests=[CaseworkRequestOut(**_casework_fields(r)) for r in open_requests],
    )


class RatingIn(StrictSchema):
    route: RouteCode
    rating: Annotated[Rating, Field(strict=False)] = Field(
        description="PROVISIONAL: the UK Expansion Worker route only."
    )
    reasons: Text5000
    action_plan_steps: Optional5000 = Field(
        "", description="Required with a B rating: what the sponsor must do to be A-rated again."
    )


class StatusIn(StrictSchema):
    status: Annotated[LicenceStatus, Field(strict=False)]
    reasons: Text5000


class SettledExceptionIn(StrictSchema):
    exception: Annotated[SettledWorkerException, Field(strict=False)] = Field(
        description='"" removes the exception.'
    )
    reasons: Text5000


@router.post(
    "/sponsors/{int:sponsor_id}/ratings",
    response={200: RouteRatingOut, **RESPONSES},
    summary="Rate a route A, B (with an action plan) or provisional",
)
@api_requires(Permission.CASEWORK_LICENCE_ACT)
def sponsor_rating(request: ApiRequest, sponsor_id: int, payload: RatingIn) -> RouteRatingOut:
    return _route_out(
        licence_services.route_rating_change(
            caseworker=request.auth,
            sponsor_id=sponsor_id,
            route=payload.route,
            rating=payload.rating,
            reasons=payload.reasons,
            action_plan_steps=payload.action_plan_steps,
            ip=client_ip(request),
        )
    )


@router.post(
    "/sponsors/{int:sponsor_id}/status",
    response={200: LicenceStateOut, **RESPONSES},
    summary="Suspend, reinstate, make dormant, revoke or record the surrender of a licence",
)
@api_requires(Permission.CASEWORK_LICENCE_ACT)
def sponsor_status(request: ApiRequest, sponsor_id: int, payload: StatusIn) -> LicenceStateOut:
    sponsor = licence_services.licence_status_change(
        caseworker=request.auth,
        sponsor_id=sponsor_id,
        status=payload.status,
        reasons=payload.reasons,
        ip=client_ip(request),
    )
    return LicenceStateOut(**_licence_state_fields(sponsor))


@router.post(
    "/sponsors/{int:sponsor_id}/settled-worker-exception",
    response={200: LicenceStateOut, **RESPONSES},
    summary="Record or remove an exception to the settled Level 1 user rule",
)
@api_requires(Permission.CASEWORK_LICENCE_ACT)
def sponsor_settled_exception(
    request: ApiRequest, sponsor_id: int, payload: SettledExceptionIn
) -> LicenceStateOut:
    sponsor = licence_services.settled_exception_set(
        caseworker=request.auth,
        sponsor_id=sponsor_id,
        exception=payload.exception,
        reasons=payload.reasons,
        ip=client_ip(request),
    )
    return LicenceStateOut(**_licence_state_fields(sponsor))


# Users


class ReasonsIn(StrictSchema):
    reasons: Text5000


def _caseworker_user_out(user_id: int) -> CaseworkUserOut:
    user = user_get_for_caseworker(user_id=user_id)
    return _user_out(user, locked=bool(locked_user_ids([user.username])), sponsor=user.sponsor)


@router.post(
    "/users/{int:user_id}/deactivate",
    response={200: CaseworkUserOut, **RESPONSES},
    summary="Deactivate a sponsor's user, with reasons. Final",
)
@api_requires(Permission.CASEWORK_USER_DEACTIVATE)
def user_deactivate(request: ApiRequest, user_id: int, payload: ReasonsIn) -> CaseworkUserOut:
    licence_services.user_deactivate_by_home_office(
        caseworker=request.auth, user_id=user_id, reasons=payload.reasons, ip=client_ip(request)
    )
    return _caseworker_user_out(user_id)


@router.post(
    "/users/{int:user_id}/unlock",
    response={200: CaseworkUserOut, **RESPONSES},
    summary="Lift a lockout after wrong passwords",
)
@api_requires(Permission.CASEWORK_ACCOUNT_UNLOCK)
def user_unlock(request: ApiRequest, user_id: int) -> CaseworkUserOut:
    user = user_get_for_caseworker(user_id=user_id)
    account_services.account_unlock(caseworker=request.auth, user=user, ip=client_ip(request))
    return _caseworker_user_out(user_id)


# The message board


class CaseworkMessageOut(Schema):
    id: int
    title: str
    body: str
    for_all_routes: bool
    routes: list[str]
    active_from: datetime
    active_to: date
    archived_at: datetime | None
    is_live: bool = Field(description="Sponsors can read it: it can no longer be edited.")


class CaseworkMessagePage(Schema):
    items: list[CaseworkMessageOut]
    page: PageInfo


class MessageIn(StrictSchema):
    title: Text200
    body: Annotated[Text5000, Field(max_length=10_000)]
    routes: list[RouteCode] = Field(
        default_factory=list,
        max_length=len(Route),
        description="The routes whose sponsors see it; none: every sponsor.",
    )
    active_from: Annotated[datetime, Field(strict=False)] = Field(
        description="When it goes live. Without a UTC offset: UK time."
    )
    active_to: Annotated[date, Field(strict=False)] = Field(
        description="The last day it is active; it is archived after it."
    )

    def draft(self) -> licence_services.MessageDraft:
        active_from = self.active_from
        if not 2000 <= active_from.year <= 2999:
            raise ApplicationError("Enter a date from 2000 to 2999.", field="active_from")
        if not 2000 <= self.active_to.year <= 2999:
            raise ApplicationError("Enter a date from 2000 to 2999.", field="active_to")
        if timezone.is_naive(active_from):
            active_from = timezone.make_aware(active_from)
        return licence_services.MessageDraft(
            title=self.title,
            body=self.body,
            routes=[str(r) for r in self.routes],
            active_from=active_from,
            active_to=self.active_to,
        )


def _message_out(message: Message) -> CaseworkMessageOut:
    return CaseworkMessageOut(
        id=message.pk,
        title=message.title,
        body=message.body,
        for_all_routes=message.for_all_routes,
        routes=sorted(r.route for r in message.routes.all()),
        active_from=message.published_at,
        active_to=message.archive_on,
        archived_at=message.archived_at,
        is_live=message.archived_at is None and message.published_at <= timezone.now(),
    )


def _message_detail(message_id: int) -> CaseworkMessageOut:
    return _message_out(licence_selectors.message_get_for_caseworker(message_id=message_id))


@router.get(
    "/messages",
    response={200: CaseworkMessagePage, **RESPONSES},
    summary="Every message on the board, newest first",
)
@api_requires(Permission.CASEWORK_MESSAGE_MANAGE)
def messages(request: ApiRequest, query: Query[PageQuery]) -> CaseworkMessagePage:
    items, info = paginate(
        licence_selectors.message_list_for_caseworker(), query.page, query.page_size
    )
    return CaseworkMessagePage(items=[_message_out(m) for m in items], page=info)


@router.post(
    "/messages",
    response={201: CaseworkMessageOut, **RESPONSES},
    summary="Post a message for every sponsor, or for the sponsors of some routes",
)
@api_requires(Permission.CASEWORK_MESSAGE_MANAGE)
def message_post(request: ApiRequest, payload: MessageIn) -> Status:
    message = licence_services.message_post(
        caseworker=request.auth, draft=payload.draft(), ip=client_ip(request)
    )
    return Status(201, _message_detail(message.pk))


@router.put(
    "/messages/{int:message_id}",
    response={200: CaseworkMessageOut, **RESPONSES},
    summary="Change a message before it goes live",
)
@api_requires(Permission.CASEWORK_MESSAGE_MANAGE)
def message_edit(request: ApiRequest, message_id: int, payload: MessageIn) -> CaseworkMessageOut:
    licence_services.message_edit(
        caseworker=request.auth,
        message_id=message_id,
        draft=payload.draft(),
        ip=client_ip(request),
    )
    return _message_detail(message_id)


@router.post(
    "/messages/{int:message_id}/archive",
    response={200: CaseworkMessageOut, **RESPONSES},
    summary="Move a message to the archived view",
)
@api_requires(Permission.CASEWORK_MESSAGE_MANAGE)
def message_archive(request: ApiRequest, message_id: int) -> CaseworkMessageOut:
    licence_services.message_archive(
        caseworker=request.auth, message_id=message_id, ip=client_ip(request)
    )
    return _message_detail(message_id)
