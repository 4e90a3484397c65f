"""Casework API: finding a sponsor and acting on its licence."""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Query, Router, Schema

from sponsorship.accounts.models import User
from sponsorship.accounts.selectors import (
    locked_user_ids,
    user_list_for_sponsor,
)
from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences import selectors as licence_selectors
from sponsorship.licences import services as licence_services
from sponsorship.licences.api.key_people import KeyPersonDetailOut, key_person_out
from sponsorship.licences.api.licence import AllocationYearOut, allocation_year_out
from sponsorship.licences.api.shapes import (
    NO_NUL,
    RESPONSES,
    Optional5000,
    PageQuery,
    RouteCode,
    Text5000,
)
from sponsorship.licences.models import (
    OPEN_STATUSES,
    Allocation,
    LicenceStatus,
    Rating,
    SettledWorkerException,
    Sponsor,
    SponsorRoute,
)

from ..selectors import sponsor_get_for_caseworker, sponsor_search
from .requests import CaseworkRequestOut, CaseworkSponsorRef, casework_fields, sponsor_ref

sponsors_router = Router(tags=["Casework: sponsors"])

Search = Annotated[str, Field(max_length=200, pattern=NO_NUL)]


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


def user_out(user: User, *, locked: bool, sponsor: Sponsor | None) -> CaseworkUserOut:
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
        sponsor=sponsor_ref(sponsor) if sponsor is not None else None,
    )


def _allocation_out(allocation: Allocation) -> RouteAllocationYearOut:
    year = allocation_year_out(allocation)
    return RouteAllocationYearOut(route=allocation.route, **year.dict() if year else {})


@sponsors_router.get(
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


@sponsors_router.get(
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
        users=[user_out(u, locked=u.username in locked, sponsor=sponsor) for u in users],
        allocations=[
            _allocation_out(a)
            for a in licence_selectors.allocation_list_for_caseworker(sponsor_id=sponsor.pk)
        ],
        open_requests=[CaseworkRequestOut(**casework_fields(r)) for r in open_requests],
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


@sponsors_router.post(
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


@sponsors_router.post(
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


@sponsors_router.post(
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
