"""Reads about sponsors, licences and the message board, scoped to the asking user."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from sponsorship.core.errors import NotFound
from sponsorship.core.workingdays import working_days_between

from .models import (
    OPEN_STATUSES,
    QUEUE_KINDS,
    ActionPlan,
    Allocation,
    EvidenceFile,
    LicenceRequest,
    Message,
    MessageRead,
    PayeReference,
    Queue,
    RequestMessage,
    Route,
    Sponsor,
)

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def sponsor_get_for_user(*, user: "User") -> Sponsor:
    """The user's own sponsor, with its routes and key people loaded."""
    sponsor_id = getattr(user, "sponsor_id", None)
    if sponsor_id is None:
        raise NotFound("You are not a user of a sponsor.")
    return Sponsor.objects.prefetch_related("routes", "key_people").get(pk=sponsor_id)


def sponsor_of(user: "User") -> Sponsor:
    """The user's sponsor; caseworkers have none, and sponsor-only reads find nothing for them."""
    if user.sponsor is None:
        raise NotFound("This is for sponsor users only.")
    return user.sponsor


def _messages_for_sponsor(sponsor: Sponsor) -> QuerySet[Message]:
    """Live messages addressed to every sponsor, or to a route this sponsor holds. A message
    scheduled for later is not shown before its time."""
    return Message.objects.filter(
        Q(for_all_routes=True) | Q(routes__route__in=sponsor.route_codes),
        published_at__lte=timezone.now(),
    ).distinct()


def _board_for(user: "User") -> QuerySet[Message]:
    """Every message the user's sponsor may see, each annotated with `is_read` for this user."""
    return _messages_for_sponsor(sponsor_of(user)).annotate(
        is_read=Exists(MessageRead.objects.filter(message=OuterRef("pk"), user=user))
    )


def message_list_for_user(*, user: "User", archived: bool) -> QuerySet[Message]:
    """The active or the archived board, newest first."""
    return (
        _board_for(user).filter(archived_at__isnull=not archived).order_by("-published_at", "-id")
    )


def message_unread_for_user(*, user: "User") -> QuerySet[Message]:
    """Active messages this user has not yet marked as read, oldest first."""
    return (
        _messages_for_sponsor(sponsor_of(user))
        .filter(archived_at__isnull=True)
        .exclude(Exists(MessageRead.objects.filter(message=OuterRef("pk"), user=user)))
        .order_by("published_at", "id")
    )


def message_has_unread(*, user: "User") -> bool:
    return message_unread_for_user(user=user).exists()


def message_get_for_user(*, user: "User", message_id: int) -> Message:
    """A message the user's sponsor may see; any other is not found."""
    message = _board_for(user).filter(pk=message_id).first()
    if message is None:
        raise NotFound("There is no such message.")
    return message


def message_due_for_archive(*, today: date) -> QuerySet[Message]:
    return Message.objects.filter(archived_at__isnull=True, archive_on__lte=today)


# Requests, evidence, PAYE, allocations and action plans.

_REQUEST_RELATED = ("sponsor", "submitted_by", "subject_user", "assigned_to", "decided_by")


def _request_detail(requests: QuerySet[LicenceRequest]) -> QuerySet[LicenceRequest]:
    return requests.select_related(*_REQUEST_RELATED).prefetch_related(
        Prefetch("messages", RequestMessage.objects.select_related("author")),
        Prefetch("evidence", EvidenceFile.objects.select_related("uploaded_by")),
    )


def request_list_for_user(
    *, user: "User", kinds: tuple[str, ...] = (), open_only: bool | None = None
) -> QuerySet[LicenceRequest]:
    """The sponsor's own requests, newest first."""
    requests = LicenceRequest.objects.filter(sponsor=sponsor_of(user))
    if kinds:
        requests = requests.filter(kind__in=kinds)
    if open_only is True:
        requests = requests.filter(status__in=OPEN_STATUSES)
    elif open_only is False:
        requests = requests.exclude(status__in=OPEN_STATUSES)
    return requests.select_related(*_REQUEST_RELATED).order_by("-submitted_at", "-pk")


def request_get_for_user(*, user: "User", request_id: int) -> LicenceRequest:
    request = _request_detail(LicenceRequest.objects.filter(sponsor=sponsor_of(user))).filter(
        pk=request_id
    )
    found = request.first()
    if found is None:
        raise NotFound("There is no such request.")
    return found


def request_get_for_caseworker(*, request_id: int) -> LicenceRequest:
    found = _request_detail(LicenceRequest.objects.filter(pk=request_id)).first()
    if found is None:
        raise NotFound("There is no such request.")
    return found


def request_queue(
    *,
    queue: str,
    kind: str = "",
    status: str = "",
    search: str = "",
    assigned_to: "User | None" = None,
) -> QuerySet[LicenceRequest]:
    """A caseworker's work queue: open requests of the queue's kinds, oldest first."""
    if queue not in Queue.values:
        raise NotFound("There is no such queue.")
    kinds = QUEUE_KINDS[Queue(queue)]
    requests = LicenceRequest.objects.filter(kind__in=[kind] if kind in kinds else kinds)
    requests = (
        requests.filter(status=status) if status else requests.filter(status__in=OPEN_STATUSES)
    )
    search = search.strip()
    if search:
        requests = requests.filter(
            Q(sponsor__name__icontains=search) | Q(sponsor__licence_number=search.upper())
        )
    if assigned_to is not None:
        requests = requests.filter(assigned_to=assigned_to)
    return requests.select_related(*_REQUEST_RELATED).order_by("submitted_at", "pk")


def request_list_for_caseworker(*, sponsor_id: int) -> QuerySet[LicenceRequest]:
    return (
        LicenceRequest.objects.filter(sponsor_id=sponsor_id)
        .select_related(*_REQUEST_RELATED)
        .order_by("-submitted_at", "-pk")
    )


def evidence_get_for_user(*, user: "User", evidence_id: int) -> EvidenceFile:
    """People of the sponsor that uploaded it, and caseworkers; for anyone else, not found."""
    evidence = EvidenceFile.objects.filter(pk=evidence_id).select_related("request").first()
    if evidence is None or not (user.is_caseworker or evidence.sponsor_id == user.sponsor_id):
        raise NotFound("There is no such document.")
    return evidence


def paye_list_for_user(*, user: "User") -> QuerySet[PayeReference]:
    return PayeReference.objects.filter(sponsor=sponsor_of(user)).select_related("added_by")


@dataclass(frozen=True)
class RouteAllocation:
    """One route's line on the licence summary."""

    route: str
    current: Allocation | None
    next_year: Allocation | None

    @property
    def label(self) -> str:
        return Route(self.route).label

    @property
    def renewal_opens(self) -> date | None:
        return self.current.renewal_opens if self.current else None


def allocation_summary(*, sponsor: Sponsor, on: date) -> list[RouteAllocation]:
    """Per route the licence holds: this year's allocation and next year's, if granted."""
    rows = Allocation.objects.filter(sponsor=sponsor, year_end__gte=on).order_by("year_start")
    current: dict[str, Allocation] = {}
    upcoming: dict[str, Allocation] = {}
    for allocation in rows:
        if allocation.year_start <= on:
            current[allocation.route] = allocation
        else:
            upcoming.setdefault(allocation.route, allocation)
    return [
        RouteAllocation(route, current.get(route), upcoming.get(route))
        for route in sorted(sponsor.route_codes)
    ]


def allocation_current(sponsor: Sponsor, route: str, on: date) -> Allocation | None:
    """The route's allocation year that `on` falls in, if any."""
    return Allocation.objects.filter(
        sponsor=sponsor, route=route, year_start__lte=on, year_end__gte=on
    ).first()


def allocation_list_for_caseworker(*, sponsor_id: int) -> QuerySet[Allocation]:
    return Allocation.objects.filter(sponsor_id=sponsor_id).order_by("route", "-year_start")


def action_plan_list_for_user(*, user: "User") -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(sponsor=sponsor_of(user))


def action_plan_get_for_user(*, user: "User", plan_id: int) -> ActionPlan:
    plan = action_plan_list_for_user(user=user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound("There is no such action plan.")
    return plan


def message_list_for_caseworker() -> QuerySet[Message]:
    return Message.objects.prefetch_related("routes").order_by("-published_at", "-pk")


def message_get_for_caseworker(*, message_id: int) -> Message:
    message = message_list_for_caseworker().filter(pk=message_id).first()
    if message is None:
        raise NotFound("There is no such message.")
    return message


def waiting_working_days(request: LicenceRequest, on: date | None = None) -> int:
    """Working days the request has waited for the Home Office: from submission to its decision
    (or today), less the days it waited for the sponsor's answers."""
    end = (
        timezone.localdate(request.decided_at)
        if request.decided_at
        else (on or timezone.localdate())
    )
    nation = request.sponsor.nation
    waited = working_days_between(timezone.localdate(request.submitted_at), end, nation)
    paused = request.paused_working_days
    if request.paused_since is not None:
        paused += working_days_between(timezone.localdate(request.paused_since), end, nation)
    return max(0, waited - paused)
