"""Reading the audit trail, always scoped: a sponsor user sees their licence's trail only."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .chain import stored_event_hash
from .models import AuditChain, AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    verb: str = ""
    actor: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_for_sponsor(*, sponsor_id: int, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """One sponsor's events, newest first, narrowed by the filter."""
    events = AuditEvent.objects.filter(sponsor_id=sponsor_id)
    if filters.verb:
        events = events.filter(verb=filters.verb)
    if filters.actor:
        events = events.filter(actor_label=filters.actor)
    if filters.date_from:
        events = events.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(created_at__lt=_start_of(filters.date_to) + timedelta(days=1))
    return events.order_by("-created_at", "-id")


@dataclass(frozen=True)
class BrokenLink:
    chain: str
    seq: int
    event_id: int | None
    problem: str


def audit_chain_first_break(chain: AuditChain) -> BrokenLink | None:
    """Walk one chain in order; the first event whose hash or link does not add up."""
    expected_prev = "0" * 64
    expected_seq = 1
    events: Iterator[AuditEvent] = (
        AuditEvent.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000)
    )
    for event in events:
        if event.seq != expected_seq:
            return BrokenLink(chain.key, expected_seq, None, f"event {expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return BrokenLink(
                chain.key, event.seq, event.pk, "it does not link to the event before it"
            )
        recomputed = stored_event_hash(event)
        if recomputed != event.hash:
            return BrokenLink(
                chain.key, event.seq, event.pk, "its contents were changed after it was written"
            )
        expected_prev = event.hash
        expected_seq += 1
    if expected_seq - 1 != chain.last_seq:
        return BrokenLink(
            chain.key,
            expected_seq,
            None,
            f"the chain ends at {expected_seq - 1} but should reach {chain.last_seq}",
        )
    return None
