"""API: Allocations: this year's and next, requests to increase and renew."""

from django.utils import timezone
from ninja import Field, Router, Status

from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest

from .. import selectors, services
from ..services.allocations import MAX_UNITS_PER_REQUEST
from .licence import RouteAllocationOut, route_allocation_fields
from .shapes import (
    RESPONSES,
    Count,
    Optional5000,
    RequestDetailOut,
    RouteCode,
    Text5000,
    created_request,
)

allocations_router = Router(tags=["Allocations"])


class AllocationOut(RouteAllocationOut):
    rating: str
    renewal_available: bool = Field(description="Whether a renewal can be requested today.")
    renewal_unavailable_reason: str | None


class IncreaseIn(StrictSchema):
    route: RouteCode
    number: Count = Field(ge=1, le=MAX_UNITS_PER_REQUEST, description="Certificates to add.")
    justification: Text5000 = Field(
        description="The roles, when you will fill them and why your allocation is not enough."
    )


class RenewalIn(StrictSchema):
    route: RouteCode
    number: Count = Field(ge=1, le=MAX_UNITS_PER_REQUEST, description="Certificates for next year.")
    justification: Optional5000 = ""


@allocations_router.get(
    "/allocations",
    response={200: list[AllocationOut], **RESPONSES},
    summary="Per route: this year's and next year's allocation, and the renewal window",
)
@api_requires(Permission.ALLOCATIONS_REQUEST)
def allocations(request: ApiRequest) -> list[AllocationOut]:
    sponsor = selectors.sponsor_get_for_user(user=request.auth)
    on = timezone.localdate()
    ratings = sponsor.route_ratings
    result = []
    for line in selectors.allocation_summary(sponsor=sponsor, on=on):
        refused = services.renewal_denial(sponsor, line.route, on)
        result.append(
            AllocationOut(
                **route_allocation_fields(line),
                rating=ratings[line.route],
                renewal_available=refused is None,
                renewal_unavailable_reason=refused,
            )
        )
    return result


@allocations_router.post(
    "/allocations/increase-requests",
    response={201: RequestDetailOut, **RESPONSES},
    summary="Ask for more certificates for a route this year",
)
@api_requires(Permission.ALLOCATIONS_REQUEST)
def allocation_increase_request(request: ApiRequest, payload: IncreaseIn) -> Status:
    created = services.allocation_increase_request(
        actor=request.auth,
        route=payload.route,
        number=payload.number,
        justification=payload.justification,
        evidence=[],
        ip=client_ip(request),
    )
    return created_request(request, created)


@allocations_router.post(
    "/allocations/renewal-requests",
    response={201: RequestDetailOut, **RESPONSES},
    summary="Ask for next year's allocation of a route, inside the renewal window",
)
@api_requires(Permission.ALLOCATIONS_REQUEST)
def allocation_renewal_request(request: ApiRequest, payload: RenewalIn) -> Status:
    created = services.allocation_renewal_request(
        actor=request.auth,
        route=payload.route,
        number=payload.number,
        justification=payload.justification,
        ip=client_ip(request),
    )
    return created_request(request, created)
