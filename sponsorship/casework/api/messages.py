"""Casework API: the Home Office message board."""

from datetime import date, datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

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
    RESPONSES,
    PageQuery,
    RouteCode,
    Text200,
    Text5000,
)
from sponsorship.licences.models import (
    Message,
    Route,
)

messages_router = Router(tags=["Casework: messages"])


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


@messages_router.get(
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


@messages_router.post(
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


@messages_router.put(
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


@messages_router.post(
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
