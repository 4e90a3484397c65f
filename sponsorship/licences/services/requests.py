"""What every licence request shares: submitting with evidence, withdrawing, answering a
caseworker's question. The caseworker's side is in `decisions.py`."""

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.rules import RULES, Rule, rule_value
from sponsorship.core.uploads import CheckedUpload
from sponsorship.core.workingdays import add_working_days

from ..models import (
    LicenceRequest,
    OrganisationChange,
    RequestKind,
    RequestMessage,
    RequestStatus,
    Sponsor,
    SponsorSize,
)
from ..selectors import sponsor_of
from ..transitions import REQUEST_TRANSITIONS, ensure_can_transition
from ._common import claim_version, notify, resume_clock, save_evidence, today

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def report_due_date(sponsor: Sponsor, change_type: str, change_date: date) -> date:
    """DOMAIN.md: organisation changes are reported within 20 working days (key personnel:
    a setting, as sources disagree), counted in the head office's nation."""
    if change_type == OrganisationChange.KEY_PERSONNEL:
        days = settings.KEY_PERSONNEL_CHANGE_WORKING_DAYS
    else:
        try:
            days = rule_value(Rule.ORGANISATION_CHANGE_WORKING_DAYS, change_date)
        except LookupError:
            first = RULES[Rule.ORGANISATION_CHANGE_WORKING_DAYS][0].effective_from
            raise ApplicationError(
                f"Enter a date of the change on or after {first.day} {first:%B %Y}. For older "
                "changes, contact the Home Office.",
                field="change_date",
            ) from None
    return add_working_days(change_date, days, sponsor.nation)


def _require(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise ApplicationError(message, field=field)
    return value.strip()


# The licence details a change of circumstances may carry, written onto the licence when a
# caseworker grants it: change type -> (field, what to call it in a message).
LICENCE_DETAILS: dict[str, tuple[tuple[str, str], ...]] = {
    OrganisationChange.NAME: (("name", "the new name of the organisation"),),
    OrganisationChange.ADDRESS: (
        ("address_line_1", "the building and street of the new head office"),
        ("town", "the town or city of the new head office"),
        ("postcode", "the postcode of the new head office"),
    ),
    OrganisationChange.SIZE: (("size", "the new size of the organisation"),),
}


def _licence_details(change_type: str, given: Mapping[str, str]) -> dict[str, str]:
    """The new details for this change type, checked; empty when none were given. Fields are
    named `new_<field>` for forms and the API."""
    wanted = LICENCE_DETAILS.get(change_type, ())
    values = {field: " ".join(str(given.get(field, "")).split()) for field, _ in wanted}
    if not any(values.values()):
        return {}
    for field, what in wanted:
        if not values[field]:
            raise ApplicationError(f"Enter {what}.", field=f"new_{field}")
    if "postcode" in values:
        values["postcode"] = values["postcode"].upper()
        if not 5 <= len(values["postcode"]) <= 8:
            raise ApplicationError("Enter a full UK postcode, like SW1A 1AA.", field="new_postcode")
    if "size" in values and values["size"] not in SponsorSize.values:
        raise ApplicationError("Choose large, or small or charitable.", field="new_size")
    limits = {"name": 200, "address_line_1": 200, "town": 100}
    for field, limit in limits.items():
        if len(values.get(field, "")) > limit:
            raise ApplicationError(
                f"Keep this to {limit} characters or fewer.", field=f"new_{field}"
            )
    return values


def change_request_submit(
    *,
    actor: "User",
    change_type: str,
    change_date: date,
    description: str,
    declaration_name: str,
    declaration_position: str,
    evidence: list[CheckedUpload],
    ip: str | None,
    new_details: Mapping[str, str] | None = None,
) -> LicenceRequest:
    """A change of circumstances, with its reporting deadline and whether it is late. For a
    change of name, address or size, the new details (optional) are written onto the licence
    when the change is granted."""
    if change_type not in OrganisationChange.values:
        raise ApplicationError("Choose the kind of change.", field="change_type")
    details = _licence_details(change_type, new_details or {})
    now = today()
    if change_date > now:
        raise ApplicationError(
            "The date of the change must be today or in the past. Report a change once it "
            "has happened.",
            field="change_date",
        )
    description = _require(description, "description", "Describe the change.")
    name = _require(declaration_name, "declaration_name", "Enter your full name to declare.")
    position = _require(
        declaration_position, "declaration_position", "Enter your position in the organisation."
    )
    sponsor = sponsor_of(actor)
    due = report_due_date(sponsor, change_type, change_date)
    with transaction.atomic():
        request = LicenceRequest.objects.create(
            sponsor=sponsor,
            kind=RequestKind.ORGANISATION_CHANGE,
            submitted_by=actor,
            change_type=change_type,
            change_date=change_date,
            description=description,
            declaration_name=name,
            declaration_position=position,
            declaration_date=now,
            report_due=due,
            reported_late=now > due,
            details=details,
        )
        save_evidence(request, evidence, by=actor)
        submitted(request, actor, ip)
    return request


def licence_details_apply(request: LicenceRequest) -> None:
    """A granted change of name, address or size: write the new details onto the licence."""
    if not request.details:
        return
    sponsor = Sponsor.objects.select_for_update().get(pk=request.sponsor_id)
    before = {field: getattr(sponsor, field) for field in request.details}
    Sponsor.objects.filter(pk=sponsor.pk).update(**request.details)
    audit_record(
        AuditVerb.LICENCE_DETAILS_CHANGED,
        actor=request.decided_by,
        sponsor=sponsor,
        target=Target.of(sponsor),
        payload={"request": request.reference, "from": before, "to": request.details},
    )


def submitted(
    request: LicenceRequest, actor: "User", ip: str | None, *, acknowledge: bool = True
) -> None:
    """Audit and acknowledge a new request (inside the caller's transaction)."""
    audit_record(
        AuditVerb.REQUEST_SUBMITTED,
        actor=actor,
        sponsor=request.sponsor,
        target=Target.of(request),
        payload={"kind": request.kind, "late": request.reported_late},
        ip_address=ip,
    )
    if request.change_type:
        # Other apps' part of an organisation change being reported (duties closes the duty).
        for path in settings.CHANGE_REPORTED_STEPS:
            import_string(path)(request=request, actor=actor)
    if acknowledge:
        notify(
            request.sponsor, "request_submitted", {"request": request, "user": actor}, [actor.email]
        )


def _own_open_request(actor: "User", request_id: int) -> LicenceRequest:
    request = (
        LicenceRequest.objects.select_for_update()
        .select_related("sponsor")
        .filter(pk=request_id, sponsor=sponsor_of(actor))
        .first()
    )
    if request is None:
        raise NotFound("There is no such request.")
    return request


def request_withdraw(*, actor: "User", request_id: int, ip: str | None) -> LicenceRequest:
    """The sponsor withdraws an outstanding request. Final."""
    from .users import level_1_request_withdraw

    with transaction.atomic():
        request = _own_open_request(actor, request_id)
        ensure_can_transition(REQUEST_TRANSITIONS, request.status, RequestStatus.WITHDRAWN)
        claim_version(LicenceRequest, request.pk, None)
        resume_clock(request)
        request.status = RequestStatus.WITHDRAWN
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at", "paused_since", "paused_working_days"])
        if request.kind == RequestKind.LEVEL_1_USER:
            level_1_request_withdraw(request)
        audit_record(
            AuditVerb.REQUEST_WITHDRAWN, actor=actor, target=Target.of(request), ip_address=ip
        )
        if request.assigned_to is not None:
            notify(
                request.sponsor,
                "request_withdrawn",
                {"request": request},
                [request.assigned_to.email],
            )
    return request


def request_answer(
    *,
    actor: "User",
    request_id: int,
    body: str,
    evidence: list[CheckedUpload],
    ip: str | None,
) -> LicenceRequest:
    """The sponsor answers a caseworker's question; the request goes back to the queue and its
    waiting clock restarts."""
    body = _require(body, "body", "Enter your answer to the caseworker's question.")
    with transaction.atomic():
        request = _own_open_request(actor, request_id)
        if request.status != RequestStatus.INFO_REQUESTED:
            raise ApplicationError(
                "The Home Office has not asked for more information on this request.",
                code="no_question",
            )
        claim_version(LicenceRequest, request.pk, None)
        resume_clock(request)
        request.status = RequestStatus.SUBMITTED
        request.save(update_fields=["status", "paused_since", "paused_working_days"])
        message = RequestMessage.objects.create(
            request=request,
            sponsor=request.sponsor,
            author=actor,
            from_home_office=False,
            body=body,
        )
        save_evidence(request, evidence, by=actor, message=message)
        audit_record(
            AuditVerb.INFO_PROVIDED,
            actor=actor,
            target=Target.of(request),
            payload={"files": len(evidence)},
            ip_address=ip,
        )
        if request.assigned_to is not None:
            notify(
                request.sponsor,
                "request_answered",
                {"request": request},
                [request.assigned_to.email],
            )
    return request
