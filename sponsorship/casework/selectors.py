"""Caseworkers see every sponsor."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from sponsorship.core.errors import NotFound
from sponsorship.licences.models import (
    OPEN_STATUSES,
    QUEUE_KINDS,
    ActionPlan,
    LicenceRequest,
    Message,
    Sponsor,
    normalise_postcode,
)
from sponsorship.licences.selectors import waiting_working_days


def sponsor_search(*, query: str) -> QuerySet[Sponsor]:
    """By licence number or postcode (exact, the fast paths) or by part of the name."""
    sponsors = Sponsor.objects.all()
    query = query.strip()
    if query:
        sponsors = sponsors.filter(
            Q(licence_number=query.upper())
            | Q(postcode_normalised=normalise_postcode(query))
            | Q(name__icontains=query)
        )
    return sponsors.order_by("name", "pk")


def sponsor_get_for_caseworker(*, sponsor_id: int) -> Sponsor:
    sponsor = Sponsor.objects.prefetch_related("routes", "key_people").filter(pk=sponsor_id).first()
    if sponsor is None:
        raise NotFound("There is no such sponsor.")
    return sponsor


# Work queues, action plans and the message board, as caseworkers see them.


def queue_open_counts() -> dict[str, int]:
    """Open requests in each work queue (one query, whatever the number of requests)."""
    by_kind = dict(
        LicenceRequest.objects.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {
        queue: sum(by_kind.get(kind, 0) for kind in kinds) for queue, kinds in QUEUE_KINDS.items()
    }


@dataclass(frozen=True)
class WaitingClock:
    """Working days a request has waited for the Home Office, against its queue's target."""

    waited: int
    target: int

    @property
    def over_target(self) -> bool:
        return self.waited > self.target


def waiting_clock(request: LicenceRequest, on: date | None = None) -> WaitingClock:
    return WaitingClock(
        waited=waiting_working_days(request, on),
        target=settings.CASEWORK_TARGET_WORKING_DAYS[request.queue],
    )


def action_plan_list_for_caseworker(*, sponsor_id: int) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(sponsor_id=sponsor_id).order_by("-created_at", "-pk")


class MessageState(models.TextChoices):
    LIVE = "live", "Live"
    SCHEDULED = "scheduled", "Scheduled"
    ARCHIVED = "archived", "Archived"


def message_list_by_state(*, state: str = "") -> QuerySet[Message]:
    """Board messages, each annotated with its `state`: scheduled until its active-from time,
    then live until archived. Only a scheduled message can still be edited."""
    messages = Message.objects.annotate(
        state=Case(
            When(archived_at__isnull=False, then=Value(MessageState.ARCHIVED.value)),
            When(published_at__gt=timezone.now(), then=Value(MessageState.SCHEDULED.value)),
            default=Value(MessageState.LIVE.value),
            output_field=models.CharField(),
        )
    ).prefetch_related("routes")
    if state in MessageState.values:
        messages = messages.filter(state=state)
    return messages.order_by("-published_at", "-pk")


def message_get_with_state(*, message_id: int) -> Message:
    message = message_list_by_state().filter(pk=message_id).first()
    if message is None:
        raise NotFound("There is no such message.")
    return message
