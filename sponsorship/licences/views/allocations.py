"""Allocations of undefined certificates, as a Level 1 user sees them: this year's and next
year's per route, the renewal window, the allocation requests; asking for an increase or for
next year's allocation. A suspended or dormant licence is refused every page here (409, with
the reason), by the access rule."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.middleware import forbidden
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from .. import selectors, services
from ..forms.requests import AllocationIncreaseForm, AllocationRenewalForm, add_service_error
from ..models import ALLOCATION_KINDS, LicenceRequest, RequestKind, Route, Sponsor
from ..selectors import RouteAllocation


def route_slug(route: str) -> str:
    """`SKILLED_WORKER` is `skilled-worker` in addresses."""
    return route.lower().replace("_", "-")


def _held_route(sponsor: Sponsor, slug: str) -> str:
    route = slug.upper().replace("-", "_")
    if route not in sponsor.route_codes:
        raise NotFound("Your licence does not include that route.")
    return route


@dataclass(frozen=True)
class RouteLine:
    """One route's allocations, and whether its renewal can be asked for now."""

    allocation: RouteAllocation
    renewal_refused: str | None
    open_renewal: LicenceRequest | None

    @property
    def slug(self) -> str:
        return route_slug(self.allocation.route)


def _routes(sponsor: Sponsor) -> list[str]:
    return sorted(sponsor.route_codes, key=lambda route: Route(route).label)


@requires(Permission.ALLOCATIONS_REQUEST)
def overview(request: SignedInRequest) -> HttpResponse:
    sponsor = selectors.sponsor_get_for_user(user=request.user)
    today = timezone.localdate()
    outstanding = list(
        selectors.request_list_for_user(user=request.user, kinds=ALLOCATION_KINDS, open_only=True)
    )
    lines = [
        RouteLine(
            allocation=line,
            renewal_refused=services.renewal_denial(sponsor, line.route, today),
            open_renewal=next(
                (
                    r
                    for r in outstanding
                    if r.kind == RequestKind.ALLOCATION_RENEWAL and r.route == line.route
                ),
                None,
            ),
        )
        for line in selectors.allocation_summary(sponsor=sponsor, on=today)
    ]
    decided = paginate(
        request,
        selectors.request_list_for_user(user=request.user, kinds=ALLOCATION_KINDS, open_only=False),
        per_page=10,
    )
    return render(
        request,
        "licences/allocations/overview.html",
        {"sponsor": sponsor, "lines": lines, "outstanding": outstanding, "page": decided},
    )


@requires(Permission.ALLOCATIONS_REQUEST)
def increase(request: SignedInRequest) -> HttpResponse:
    """Ask for more certificates this year, with a justification and optional evidence."""
    sponsor = selectors.sponsor_get_for_user(user=request.user)
    routes = _routes(sponsor)
    posted = request.method == "POST"
    form = AllocationIncreaseForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        routes=routes,
        initial={"route": _held_route(sponsor, request.GET["route"])}
        if request.GET.get("route")
        else None,
    )
    error_status = None
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.allocation_increase_request(
                actor=request.user,
                route=data["route"],
                number=data["number"],
                justification=data["justification"],
                evidence=data["evidence"],
                ip=client_ip(request),
            )
        except ApplicationError as error:
            add_service_error(form, error)
            error_status = error.http_status
        else:
            return redirect("licences:request_sent", request_id=created.pk)
    return render(
        request,
        "licences/allocations/increase.html",
        {"form": form},
        status=error_status or (400 if form.errors else 200),
    )


@requires(Permission.ALLOCATIONS_REQUEST)
def renew(request: SignedInRequest, route: str) -> HttpResponse:
    """Ask for next year's allocation of one route: only inside its renewal window."""
    sponsor = selectors.sponsor_get_for_user(user=request.user)
    code = _held_route(sponsor, route)
    today = timezone.localdate()
    refused = services.renewal_denial(sponsor, code, today)
    if refused:
        return forbidden(request, refused, status=409)
    current = selectors.allocation_current(sponsor, code, today)
    posted = request.method == "POST"
    form = AllocationRenewalForm(
        request.POST if posted else None, initial={"number": current.limit if current else None}
    )
    error_status = None
    if posted and form.is_valid():
        try:
            created = services.allocation_renewal_request(
                actor=request.user,
                route=code,
                number=form.cleaned_data["number"],
                justification=form.cleaned_data["justification"],
                ip=client_ip(request),
            )
        except ApplicationError as error:
            add_service_error(form, error)
            error_status = error.http_status
        else:
            return redirect("licences:request_sent", request_id=created.pk)
    return render(
        request,
        "licences/allocations/renew.html",
        {"form": form, "route_label": Route(code).label, "current": current},
        status=error_status or (400 if form.errors else 200),
    )
