"""API: the licence summary and the message board."""

from datetime import date, datetime
from typing import Literal

from django.conf import settings
from ninja import Field, Query, Router, Schema

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import ERRORS
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest

from . import selectors, services
from .models import Message

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


class LicenceOut(Schema):
    name: str
    licence_number: str
    status: str
    licence_granted_on: date
    licence_expires_on: date | None
    size: str
    routes: list[RouteOut]
    key_people: list[KeyPersonOut]


@router.get(
    "/licence",
    response={200: LicenceOut, **ERRORS},
    summary="Your licence: status, routes and ratings",
)
@api_requires(Permission.LICENCE_SUMMARY_VIEW)
def licence(request: ApiRequest) -> LicenceOut:
    sponsor = selectors.sponsor_get_for_user(user=request.auth)
    return LicenceOut(
        name=sponsor.name,
        licence_number=sponsor.licence_number,
        status=sponsor.status,
        licence_granted_on=sponsor.licence_granted_on,
        licence_expires_on=sponsor.licence_expires_on,
        size=sponsor.size,
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
