"""Organisation changes (DOMAIN.md: 20 working days; key personnel a setting): a Level 1 user
records a change when it happens and gets a duty with a clock and reminders; submitting the
change of circumstances request meets it. A request made without a duty is kept as a duty met,
so the record of what was reported, and when, is whole."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError
from sponsorship.licences.models import LicenceRequest, OrganisationChange
from sponsorship.licences.selectors import sponsor_of
from sponsorship.licences.services.requests import report_due_date

from ..fields import parse_date
from ..kinds import EventKind
from ..models import Duty, DutyStatus, duty_key
from ._common import duty_close

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

MAX_SUMMARY = 300


def _key_prefix(change_type: str) -> str:
    return f"{EventKind.ORGANISATION_CHANGE}:{change_type}:"


def organisation_change_record(
    *, actor: "User", change_type: str, change_date: Any, summary: str, ip: str | None
) -> Duty:
    """Start the clock on a change to report: a duty due 20 working days after it (key
    personnel: KEY_PERSONNEL_CHANGE_WORKING_DAYS), counted in the head office's nation."""
    errors: list[tuple[str, str]] = []
    if change_type not in OrganisationChange.values:
        errors.append(("change_type", "Choose the kind of change"))
    day: date | None = None
    try:
        day = parse_date(change_date, "The date of the change")
        if day > timezone.localdate():
            errors.append(("change_date", "The date of the change must be today or in the past"))
    except ApplicationError as error:
        errors.append(("change_date", error.message))
    summary = " ".join(str(summary or "").split())
    if not summary:
        errors.append(("summary", "Say what changed, in a sentence"))
    elif len(summary) > MAX_SUMMARY:
        errors.append(("summary", f"Say what changed in {MAX_SUMMARY} characters or fewer"))
    if errors:
        raise ApplicationError(errors[0][1], field=errors[0][0], errors=errors)
    changed_on = day if day is not None else timezone.localdate()
    sponsor = sponsor_of(actor)
    due = report_due_date(sponsor, change_type, changed_on)
    with transaction.atomic():
        duty, created = Duty.objects.get_or_create(
            sponsor=sponsor,
            key=duty_key(EventKind.ORGANISATION_CHANGE, None, changed_on, subject=change_type),
            defaults={
                "kind": EventKind.ORGANISATION_CHANGE,
                "event_date": changed_on,
                "clock_starts_on": changed_on,
                "due_on": due,
                "nation": sponsor.nation,
                "summary": f"{OrganisationChange(change_type).label}: {summary}",
            },
        )
        if not created:
            raise ApplicationError(
                "You have already recorded a change of this kind on that date",
                field="change_date",
            )
        audit_record(
            AuditVerb.DUTY_RAISED,
            actor=actor,
            target=Target.of(duty),
            payload={"kind": duty.kind, "change_type": change_type, "due_on": due},
            ip_address=ip,
        )
    return duty


def organisation_change_reported(*, request: LicenceRequest, actor: "User") -> None:
    """A step of CHANGE_REPORTED_STEPS: the change request meets the open duties of its kind,
    or, when none was recorded, stands as a duty met (late or not) in the sponsor's record."""
    open_duties = Duty.objects.filter(
        sponsor_id=request.sponsor_id,
        status=DutyStatus.OPEN,
        key__startswith=_key_prefix(request.change_type),
    )
    met = 0
    for duty in open_duties.select_for_update():
        duty_close(
            duty,
            DutyStatus.DONE,
            f"Reported in request {request.reference}.",
            actor=actor,
            licence_request=request,
        )
        met += 1
    if met or request.change_date is None or request.report_due is None:
        return
    Duty.objects.get_or_create(
        sponsor_id=request.sponsor_id,
        key=duty_key(
            EventKind.ORGANISATION_CHANGE, None, request.change_date, subject=request.change_type
        ),
        defaults={
            "kind": EventKind.ORGANISATION_CHANGE,
            "event_date": request.change_date,
            "clock_starts_on": request.change_date,
            "due_on": request.report_due,
            "nation": request.sponsor.nation,
            "summary": OrganisationChange(request.change_type).label,
            "status": DutyStatus.DONE,
            "closed_at": timezone.now(),
            "closed_note": f"Reported in request {request.reference}.",
            "licence_request": request,
        },
    )
