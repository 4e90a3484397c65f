"""API: the licence summary and the message board."""

from datetime import date, datetime
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import ERRORS, Error
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest

from .. import selectors, services
from ..models import Allocation, Message

router = Router(tags=["Licence"])


class RouteOut(Schema):
    route: str
    name: str
    group: str
    rating: str


class KeyPersonOut(Schema):
    role: str
    name: str
    email: str
    is_legal_representative: bool


class AllocationYearOut(Schema):
    """One allocation year of one route: unused units lapse after `year_end`."""

    year_start: date
    year_end: date
    limit: int
    used: int
    remaining: int
    renewed_automatically: bool


class RouteAllocationOut(Schema):
    route: str
    name: str
    current: AllocationYearOut | None
    next_year: AllocationYearOut | None
    renewal_window_opens: date | None


def allocation_year_out(allocation: Allocation | None) -> AllocationYearOut | None:
    if allocation is None:
        return None
    return AllocationYearOut(
        year_start=allocation.year_start,
        year_end=allocation.year_end,
        limit=allocation.limit,
        used=allocation.used,
        remaining=allocation.remaining,
        renewed_automatically=allocation.renewed_automatically,
    )


def route_allocation_fields(line: selectors.RouteAllocation) -> dict[str, Any]:
    return {
        "route": line.route,
        "name": line.label,
        "current": allocation_year_out(line.current),
        "next_year": allocation_year_out(line.next_year),
        "renewal_window_opens": line.renewal_opens,
    }


class LicenceOut(Schema):
    name: str
    licence_number: str
    status: str
    status_reason: str = Field(description="Why the licence has its status, when it is not active.")
    status_response_due: date | None = Field(
        description="While suspended: the day by which the sponsor must respond."
    )
    licence_granted_on: date
    licence_expires_on: date | None
    size: str
    premium_since: date | None
    student_sponsor_status_since: date | None
    routes: list[RouteOut]
    key_people: list[KeyPersonOut]
    allocations: list[RouteAllocationOut]


@router.get(
    "/licence",
    response={200: LicenceOut, **ERRORS, 409: Error},
    summary="Your licence: status, routes and ratings, allocations, Premium and Student Sponsor "
    "status",
)
@api_requires(Permission.LICENCE_SUMMARY_VIEW)
def licence(request: ApiRequest) -> LicenceOut:
    sponsor = selectors.sponsor_get_for_user(user=request.auth)
    allocations = selectors.allocation_summary(sponsor=sponsor, on=timezone.localdate())
    return LicenceOut(
        name=sponsor.name,
        licence_number=sponsor.licence_number,
        status=sponsor.status,
        status_reason=sponsor.status_reason,
        status_response_due=sponsor.status_response_due,
        licence_granted_on=sponsor.licence_granted_on,
        licence_expires_on=sponsor.licence_expires_on,
        size=sponsor.size,
        premium_since=sponsor.premium_since,
        student_sponsor_status_since=sponsor.student_sponsor_status_since,
        allocations=[RouteAllocationOut(**route_allocation_fields(a)) for a in allocations],
        routes=[
            RouteOut(route=r.route, name=r.get_route_display(), group=r.group, rating=r.rating)
            for r in sponsor.routes.all()
        ],
        key_people=[
            KeyPersonOut(
                role=p.role,
                name=p.full_name,
                email=p.email,
                is_legal_representative=p.is_legal_representative,
            )
            for p in sponsor.key_people.all()
        ],
    )


class MessageOut(Schema):
    id: int
    title: str
    body: str
    published_at: datetime
    archived: bool
    is_read: bool


class MessagePage(Schema):
    items: list[MessageOut]
    page: PageInfo


def _message_out(message: Message) -> MessageOut:
    return MessageOut(
        id=message.pk,
        title=message.title,
        body=message.body,
        published_at=message.published_at,
        archived=message.archived_at is not None,
        is_read=bool(getattr(message, "is_read", False)),
    )


class MessageQuery(Schema):
    view: Literal["active", "archived"] = "active"
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=settings.API_PAGE_SIZE_MAX)


@router.get(
    "/messages",
    response={200: MessagePage, **ERRORS},
    summary="Home Office messages for your routes",
)
@api_requires(Permission.MESSAGE_BOARD_VIEW)
def messages(request: ApiRequest, query: Query[MessageQuery]) -> MessagePage:
    listing = selectors.message_list_for_user(user=request.auth, archived=query.view == "archived")
    items, info = paginate(listing, query.page, query.page_size)
    return MessagePage(items=[_message_out(m) for m in items], page=info)


@router.get("/messages/{message_id}", response={200: MessageOut, **ERRORS}, summary="One message")
@api_requires(Permission.MESSAGE_BOARD_VIEW)
def message(request: ApiRequest, message_id: int) -> MessageOut:
    return _message_out(selectors.message_get_for_user(user=request.auth, message_id=message_id))


@router.post(
    "/messages/{message_id}/read",
    response={200: MessageOut, **ERRORS},
    summary="Mark a message as read",
)
@api_requires(Permission.MESSAGE_BOARD_VIEW)
def message_read(request: ApiRequest, message_id: int) -> MessageOut:
    services.message_mark_read(user=request.auth, message_id=message_id, ip=client_ip(request))
    return _message_out(selectors.message_get_for_user(user=request.auth, message_id=message_id))
