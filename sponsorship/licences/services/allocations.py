"""Yearly allocations: requests to increase and renew, taking a unit, lapsing, automatic
renewal (DOMAIN.md "Allocations")."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import AllocationExhausted, ApplicationError, Conflict

from ..models import (
    OPEN_STATUSES,
    Allocation,
    LicenceRequest,
    LicenceStatus,
    Rating,
    RequestKind,
    Route,
    Sponsor,
)
from ..selectors import allocation_current
from ._common import lock_sponsor, save_evidence, today
from .requests import submitted

if TYPE_CHECKING:
    from sponsorship.accounts.models import User
    from sponsorship.core.uploads import CheckedUpload

# DOMAIN.md: these routes are never renewed automatically.
NOT_AUTO_RENEWED = frozenset(
    {Route.GBM_UK_EXPANSION, Route.SEASONAL_WORKER, Route.STUDENT, Route.CHILD_STUDENT}
)
MAX_UNITS_PER_REQUEST = 100_000


def allocation_year_end(start: date) -> date:
    """The last day of an allocation year starting on `start`: the day before its anniversary
    (a year from 29 February ends on 28 February)."""
    anniversary = start + relativedelta(years=1)
    if (start.month, start.day) == (2, 29):
        anniversary += timedelta(days=1)  # relativedelta clamps to 28 February
    return anniversary - timedelta(days=1)


def allocation_take(*, sponsor: Sponsor, route: str, on: date) -> Allocation:
    """Use one unit of the route's current allocation. A single conditional UPDATE, so two
    concurrent assignments can never both take the last unit; the CHECK constraint backs it."""
    allocation = allocation_current(sponsor, route, on)
    taken = (
        allocation is not None
        and Allocation.objects.filter(pk=allocation.pk, used__lt=F("limit")).update(
            used=F("used") + 1
        )
        == 1
    )
    if not taken:
        raise AllocationExhausted(
            f"You have insufficient remaining allocation for {Route(route).label}. "
            "Request an increase to your allocation."
        )
    allocation.refresh_from_db()  # type: ignore[union-attr]
    return allocation  # type: ignore[return-value]


def _held_route(sponsor: Sponsor, route: str) -> str:
    if route not in sponsor.route_codes:
        raise ApplicationError("Choose one of your licence's routes.", field="route")
    return route


def _check_number(number: int) -> None:
    if not 1 <= number <= MAX_UNITS_PER_REQUEST:
        raise ApplicationError(
            f"Enter a number of certificates from 1 to {MAX_UNITS_PER_REQUEST:,}.", field="number"
        )


def _ensure_none_outstanding(sponsor: Sponsor, kind: str, route: str) -> None:
    lock_sponsor(sponsor)
    if LicenceRequest.objects.filter(
        sponsor=sponsor, kind=kind, route=route, status__in=OPEN_STATUSES
    ).exists():
        raise Conflict(
            f"You already have an outstanding {RequestKind(kind).label.lower()} request for "
            f"{Route(route).label}. Wait for its decision or withdraw it first.",
            code="request_outstanding",
        )


def allocation_increase_request(
    *,
    actor: "User",
    route: str,
    number: int,
    justification: str,
    evidence: "list[CheckedUpload]",
    ip: str | None,
) -> LicenceRequest:
    """Ask for more certificates for a route this year, with reasons."""
    sponsor: Sponsor = actor.sponsor  # type: ignore[assignment]
    _held_route(sponsor, route)
    _check_number(number)
    if not justification.strip():
        raise ApplicationError(
            "Explain why you need more certificates: the roles, when you will fill them and "
            "why your allocation is not enough.",
            field="justification",
        )
    with transaction.atomic():
        _ensure_none_outstanding(sponsor, RequestKind.ALLOCATION_INCREASE, route)
        request = LicenceRequest.objects.create(
            sponsor=sponsor,
            kind=RequestKind.ALLOCATION_INCREASE,
            submitted_by=actor,
            route=route,
            number_requested=number,
            description=justification.strip(),
        )
        save_evidence(request, evidence, by=actor)
        submitted(request, actor, ip)
    return request


def renewal_denial(sponsor: Sponsor, route: str, on: date) -> str | None:
    """Why the route's allocation cannot be renewed today, or None."""
    allocation = allocation_current(sponsor, route, on)
    if allocation is None:
        return "You have no allocation this year to renew. Request an allocation instead."
    opens = allocation.renewal_opens
    if on < opens:
        return f"The renewal window opens on {opens:%-d %B %Y}."
    if Allocation.objects.filter(
        sponsor=sponsor, route=route, year_start=allocation.year_end + timedelta(days=1)
    ).exists():
        return "Next year's allocation is already in place."
    return None


def allocation_renewal_request(
    *, actor: "User", route: str, number: int, justification: str, ip: str | None
) -> LicenceRequest:
    """Ask for next year's allocation, inside the renewal window."""
    sponsor: Sponsor = actor.sponsor  # type: ignore[assignment]
    _held_route(sponsor, route)
    _check_number(number)
    refused = renewal_denial(sponsor, route, today())
    if refused:
        raise Conflict(refused, code="renewal_window")
    with transaction.atomic():
        _ensure_none_outstanding(sponsor, RequestKind.ALLOCATION_RENEWAL, route)
        request = LicenceRequest.objects.create(
            sponsor=sponsor,
            kind=RequestKind.ALLOCATION_RENEWAL,
            submitted_by=actor,
            route=route,
            number_requested=number,
            description=justification.strip(),
        )
        submitted(request, actor, ip)
    return request


def allocation_grant(request: LicenceRequest, number: int) -> Allocation:
    """Apply a granted increase (to this year's allocation, or a new year from today) or
    renewal (next year's allocation)."""
    on = today()
    current = allocation_current(request.sponsor, request.route, on)
    if request.kind == RequestKind.ALLOCATION_INCREASE and current is not None:
        Allocation.objects.filter(pk=current.pk).update(limit=F("limit") + number)
        current.refresh_from_db()
        allocation = current
    else:
        start = current.year_end + timedelta(days=1) if current else on
        allocation, created = Allocation.objects.get_or_create(
            sponsor=request.sponsor,
            route=request.route,
            year_start=start,
            defaults={"year_end": allocation_year_end(start), "limit": number},
        )
        if not created:
            Allocation.objects.filter(pk=allocation.pk).update(limit=F("limit") + number)
            allocation.refresh_from_db()
    audit_record(
        AuditVerb.ALLOCATION_CHANGED,
        actor=request.decided_by,
        sponsor=request.sponsor,
        target=Target.of(allocation),
        payload={"request": request.reference, "added": number, "limit": allocation.limit},
    )
    return allocation


def allocation_lapse_ended(day: date) -> int:
    """Daily sweep: record the unused units of every year that ended before `day` (DOMAIN.md:
    no carry-over). Idempotent: a lapsed year is not counted again."""
    ended = Allocation.objects.filter(year_end__lt=day, lapsed_units__isnull=True)
    count = 0
    for allocation in ended.select_related("sponsor").iterator(chunk_size=2000):
        with transaction.atomic():
            if not Allocation.objects.filter(pk=allocation.pk, lapsed_units__isnull=True).update(
                lapsed_units=F("limit") - F("used")
            ):
                continue
            allocation.refresh_from_db()
            audit_record(
                AuditVerb.ALLOCATION_LAPSED,
                actor_label="daily sweep",
                sponsor=allocation.sponsor,
                target=Target.of(allocation),
                payload={"route": allocation.route, "lapsed": allocation.lapsed_units},
            )
            count += 1
    return count


def allocation_renew_automatically(day: date) -> int:
    """Daily sweep: A-rated routes (not those of NOT_AUTO_RENEWED) get next year's allocation,
    with the same number as this year, shortly before the year ends. Idempotent: the unique
    year constraint means a second run creates nothing."""
    horizon = day + timedelta(days=settings.ALLOCATION_AUTO_RENEWAL_DAYS_BEFORE)
    due = (
        Allocation.objects.filter(
            year_start__lte=day,
            year_end__gte=day,
            year_end__lte=horizon,
            sponsor__status=LicenceStatus.ACTIVE,
            # One join: the sponsor's rating for this allocation's own route.
            sponsor__routes__route=F("route"),
            sponsor__routes__rating=Rating.A,
        )
        .exclude(route__in=NOT_AUTO_RENEWED)
        .select_related("sponsor")
    )
    count = 0
    for allocation in due.iterator(chunk_size=2000):
        number = (
            allocation.used
            if settings.ALLOCATION_AUTO_RENEWAL_BASIS == "used"
            else allocation.limit
        )
        start = allocation.year_end + timedelta(days=1)
        try:
            with transaction.atomic():
                renewed = Allocation.objects.create(
                    sponsor=allocation.sponsor,
                    route=allocation.route,
                    year_start=start,
                    year_end=allocation_year_end(start),
                    limit=number,
                    renewed_automatically=True,
                )
                audit_record(
                    AuditVerb.ALLOCATION_CHANGED,
                    actor_label="daily sweep",
                    sponsor=allocation.sponsor,
                    target=Target.of(renewed),
                    payload={"renewed_automatically": True, "limit": number},
                )
        except IntegrityError:
            continue  # already renewed, by hand or by an earlier run
        count += 1
    return count
