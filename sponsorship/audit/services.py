"""Writing to the audit trail. Call inside the transaction of the change being recorded."""

import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from .chain import event_hash
from .models import HOME_OFFICE_CHAIN, AuditChain, AuditEvent, AuditVerb


@dataclass(frozen=True)
class Target:
    type: str
    id: str
    label: str

    @classmethod
    def of(cls, obj: models.Model) -> "Target":
        return cls(type=obj._meta.label, id=str(obj.pk), label=str(obj)[:200])


def _as_stored(ip_address: str | None) -> str | None:
    """The address as the database will keep it (IPv6 compressed, lower case), so the hash
    computed now matches the one recomputed from the stored row."""
    if ip_address and ":" in ip_address:
        return clean_ipv6_address(ip_address)
    return ip_address or None


def _chain_key(sponsor_id: int | None) -> str:
    return f"sponsor:{sponsor_id}" if sponsor_id else HOME_OFFICE_CHAIN


def _event_fields(
    chain: AuditChain,
    verb: AuditVerb,
    *,
    actor: Any,
    actor_label: str,
    sponsor_id: int | None,
    target: Target | None,
    payload: dict[str, Any] | None,
    ip_address: str | None,
) -> dict[str, Any]:
    """The next event of `chain`, hashed; the chain's head moves on to it (not yet saved)."""
    # Store exactly what will be read back, so the hash verifies later.
    clean_payload = json.loads(json.dumps(payload or {}, default=str))
    fields: dict[str, Any] = {
        "prev_hash": chain.last_hash,
        "seq": chain.last_seq + 1,
        "sponsor_id": sponsor_id,
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": (actor.username if actor is not None else actor_label)[:100],
        "verb": str(verb),
        "target_type": target.type if target else "",
        "target_id": target.id if target else "",
        "target_label": target.label if target else "",
        "payload": clean_payload,
        "ip_address": _as_stored(ip_address),
        "created_at": timezone.now(),
    }
    fields["hash"] = event_hash(**fields)
    chain.last_seq, chain.last_hash = fields["seq"], fields["hash"]
    return fields


def _locked_chain(key: str) -> AuditChain:
    """The chain's head, locked until the transaction ends; made on its first event."""
    try:
        return AuditChain.objects.select_for_update().get(key=key)
    except AuditChain.DoesNotExist:
        AuditChain.objects.get_or_create(key=key)
        return AuditChain.objects.select_for_update().get(key=key)


def audit_record(
    verb: AuditVerb,
    *,
    actor: Any = None,
    actor_label: str = "",
    sponsor: Any = None,
    target: Target | None = None,
    payload: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event to its sponsor's chain (or the Home Office chain)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if sponsor is None and actor is not None:
        sponsor = actor.sponsor
    sponsor_id = sponsor.pk if sponsor is not None else None
    # No savepoint of its own: an event that cannot be written must undo the change it records.
    with transaction.atomic(savepoint=False):
        chain = _locked_chain(_chain_key(sponsor_id))
        fields = _event_fields(
            chain,
            verb,
            actor=actor,
            actor_label=actor_label,
            sponsor_id=sponsor_id,
            target=target,
            payload=payload,
            ip_address=ip_address,
        )
        event = AuditEvent.objects.create(chain=chain, **fields)
        AuditChain.objects.filter(pk=chain.pk).update(
            last_seq=chain.last_seq, last_hash=chain.last_hash
        )
    return event


def audit_record_many(
    verb: AuditVerb, entries: list[tuple[int, dict[str, Any]]], *, actor_label: str
) -> int:
    """One event each for many sponsors at once, from a job (no actor): `entries` is
    (sponsor id, payload). The chains are locked together, in key order so two jobs never
    deadlock, and written in a few statements: a sweep touching thousands of sponsors does not
    pay a round trip per event. Returns how many events were written."""
    if not entries:
        return 0
    keys = sorted({_chain_key(sponsor_id) for sponsor_id, _ in entries})
    with transaction.atomic():
        AuditChain.objects.bulk_create(
            [AuditChain(key=key) for key in keys], ignore_conflicts=True, batch_size=1000
        )
        chains = {
            chain.key: chain
            for chain in AuditChain.objects.select_for_update().filter(key__in=keys).order_by("key")
        }
        events = [
            AuditEvent(
                chain=chains[_chain_key(sponsor_id)],
                **_event_fields(
                    chains[_chain_key(sponsor_id)],
                    verb,
                    actor=None,
                    actor_label=actor_label,
                    sponsor_id=sponsor_id,
                    target=None,
                    payload=payload,
                    ip_address=None,
                ),
            )
            for sponsor_id, payload in entries
        ]
        AuditEvent.objects.bulk_create(events, batch_size=1000)
        AuditChain.objects.bulk_update(
            list(chains.values()), ["last_seq", "last_hash"], batch_size=1000
        )
    return len(events)
