"""How an event's hash is computed: the one definition both writing and verifying use."""

import hashlib
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import AuditEvent


def event_hash(
    *,
    prev_hash: str,
    seq: int,
    sponsor_id: int | None,
    actor_id: int | None,
    actor_label: str,
    verb: str,
    target_type: str,
    target_id: str,
    target_label: str,
    payload: dict[str, Any],
    ip_address: str | None,
    created_at: datetime,
) -> str:
    canonical = json.dumps(
        {
            "prev": prev_hash,
            "seq": seq,
            "sponsor": sponsor_id,
            "actor": actor_id,
            "actor_label": actor_label,
            "verb": verb,
            "target": [target_type, target_id, target_label],
            "payload": payload,
            "ip": ip_address,
            "at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def stored_event_hash(event: "AuditEvent") -> str:
    """The hash an event should carry, recomputed from its stored fields."""
    return event_hash(
        prev_hash=event.prev_hash,
        seq=event.seq,
        sponsor_id=event.sponsor_id,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        verb=event.verb,
        target_type=event.target_type,
        target_id=event.target_id,
        target_label=event.target_label,
        payload=event.payload,
        ip_address=event.ip_address,
        created_at=event.created_at,
    )
