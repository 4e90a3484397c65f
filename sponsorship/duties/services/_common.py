"""What the duty services share: raising and closing a duty, each with its audit event."""

from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record

from ..deadlines import clock_start, due_date
from ..kinds import EventKind
from ..models import Duty, DutyStatus, Worker, duty_key

if TYPE_CHECKING:
    from sponsorship.accounts.models import User
    from sponsorship.licences.models import LicenceRequest

    from ..models import ActivityReport, HrEvent


def duty_raise(
    worker: Worker,
    kind: EventKind,
    event_date: date,
    summary: str,
    *,
    actor: "User | None",
    event: "HrEvent | None" = None,
) -> tuple[Duty, bool]:
    """The duty to report `kind` for `worker`, raised once however often it is asked for.
    Returns it and whether it is new."""
    key = duty_key(kind, worker.pk, event_date)
    existing = Duty.objects.filter(sponsor_id=worker.sponsor_id, key=key).first()
    if existing is not None:
        return existing, False
    start = clock_start(kind, event_date, worker.nation)
    due = due_date(kind, event_date, worker.nation)
    if due is None:
        raise ValueError(f"{kind} has no due date, so it cannot be a duty.")
    duty = Duty.objects.create(
        sponsor_id=worker.sponsor_id,
        worker=worker,
        kind=kind,
        event_date=event_date,
        clock_starts_on=start,
        due_on=due,
        nation=worker.nation,
        summary=summary[:300],
        key=key,
        event=event,
    )
    audit_record(
        AuditVerb.DUTY_RAISED,
        actor=actor,
        actor_label="" if actor else "service",
        sponsor=worker.sponsor,
        target=Target.of(duty),
        payload={"kind": kind, "event_date": event_date, "due_on": due, "worker": worker.pk},
    )
    return duty, True


def duty_redate(duty: Duty, event_date: date, summary: str, *, actor: "User | None") -> None:
    """An open duty whose event turned out to be on another day: its clock and deadline follow."""
    worker = duty.worker
    if worker is None:
        raise ValueError("Only a worker's duty is dated by its event.")
    due = due_date(duty.kind, event_date, worker.nation)
    if due is None:
        raise ValueError(f"{duty.kind} has no due date, so it cannot be a duty.")
    before = duty.due_on
    duty.event_date = event_date
    duty.clock_starts_on = clock_start(duty.kind, event_date, worker.nation)
    duty.due_on = due
    duty.summary = summary[:300]
    duty.key = duty_key(duty.kind, worker.pk, event_date)
    duty.save(update_fields=["event_date", "clock_starts_on", "due_on", "summary", "key"])
    audit_record(
        AuditVerb.DUTY_RAISED,
        actor=actor,
        actor_label="" if actor else "service",
        sponsor=worker.sponsor,
        target=Target.of(duty),
        payload={"kind": duty.kind, "event_date": event_date, "due_on": due, "was_due": before},
    )


def duty_close(
    duty: Duty,
    status: DutyStatus,
    note: str,
    *,
    actor: "User | None",
    report: "ActivityReport | None" = None,
    licence_request: "LicenceRequest | None" = None,
) -> None:
    """Close an open duty, saying why: met by a report (or, for an organisation change, a
    change of circumstances request), or no longer needed."""
    duty.status = status
    duty.closed_at = timezone.now()
    duty.closed_note = note[:300]
    duty.report = report
    duty.licence_request = licence_request
    duty.save(update_fields=["status", "closed_at", "closed_note", "report", "licence_request"])
    audit_record(
        AuditVerb.DUTY_CLOSED,
        actor=actor,
        actor_label="" if actor else "service",
        sponsor=duty.sponsor,
        target=Target.of(duty),
        payload={
            "status": status,
            "note": note,
            **({"report": report.reference} if report else {}),
            **({"request": licence_request.reference} if licence_request else {}),
        },
    )
