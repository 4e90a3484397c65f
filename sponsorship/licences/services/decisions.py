"""Caseworkers decide licence requests: assign, ask for information, grant, partly grant,
refuse. Each decision applies its effect, is audited and e-mails the sponsor."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError, NotFound

from ..models import ALLOCATION_KINDS, LicenceRequest, RequestKind, RequestMessage, RequestStatus
from ..transitions import REQUEST_TRANSITIONS, ensure_can_transition
from . import allocations, key_people, requests, status, users
from ._common import authorising_officer_email, claim_version, notify, resume_clock

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

OUTCOMES = (
    RequestStatus.GRANTED,
    RequestStatus.PARTLY_GRANTED,
    RequestStatus.REFUSED,
    RequestStatus.REJECTED,
)


def _locked(request_id: int) -> LicenceRequest:
    request = (
        LicenceRequest.objects.select_for_update()
        .select_related("sponsor", "submitted_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound("There is no such request.")
    return request


def request_assign(*, caseworker: "User", request_id: int, ip: str | None) -> LicenceRequest:
    """Take a request: it shows as yours in the queue."""
    with transaction.atomic():
        request = _locked(request_id)
        if not request.is_open:
            raise ApplicationError("This request has already been decided.", code="decided")
        request.assigned_to = caseworker
        request.save(update_fields=["assigned_to"])
        audit_record(
            AuditVerb.REQUEST_ASSIGNED,
            actor=caseworker,
            sponsor=request.sponsor,
            target=Target.of(request),
            ip_address=ip,
        )
    return request


def request_ask_for_information(
    *, caseworker: "User", request_id: int, question: str, ip: str | None
) -> LicenceRequest:
    """Ask the sponsor for more: the request waits for them and its clock pauses."""
    if not question.strip():
        raise ApplicationError("Write what the sponsor needs to send.", field="question")
    with transaction.atomic():
        request = _locked(request_id)
        ensure_can_transition(REQUEST_TRANSITIONS, request.status, RequestStatus.INFO_REQUESTED)
        claim_version(LicenceRequest, request.pk, None)
        request.status = RequestStatus.INFO_REQUESTED
        request.paused_since = timezone.now()
        request.assigned_to = request.assigned_to or caseworker
        request.save(update_fields=["status", "paused_since", "assigned_to"])
        RequestMessage.objects.create(
            request=request,
            sponsor=request.sponsor,
            author=caseworker,
            from_home_office=True,
            body=question.strip(),
        )
        audit_record(
            AuditVerb.INFO_REQUESTED,
            actor=caseworker,
            sponsor=request.sponsor,
            target=Target.of(request),
            payload={"question": question.strip()},
            ip_address=ip,
        )
        notify(
            request.sponsor,
            "request_info_requested",
            {"request": request, "question": question.strip()},
            [request.submitted_by.email],
        )
    return request


def _apply(request: LicenceRequest, outcome: str) -> None:
    """The effect of the decision on the licence."""
    granted = outcome in (RequestStatus.GRANTED, RequestStatus.PARTLY_GRANTED)
    kind = request.kind
    if kind == RequestKind.LEVEL_1_USER:
        (users.level_1_request_grant if granted else users.level_1_request_refuse)(request)
    elif kind == RequestKind.USER_DETAILS and granted:
        users.user_details_grant(request)
    elif kind == RequestKind.KEY_PERSON and granted:
        key_people.key_person_apply(request)
    elif kind == RequestKind.ORGANISATION_CHANGE and granted:
        requests.licence_details_apply(request)
    elif kind in ALLOCATION_KINDS and granted:
        allocations.allocation_grant(request, request.number_granted or 0)
    elif kind in status.STATUS_KINDS and granted:
        status.status_grant(request)


def request_decide(
    *,
    caseworker: "User",
    request_id: int,
    outcome: str,
    reasons: str,
    number_granted: int | None = None,
    version: int | None = None,
    ip: str | None,
) -> LicenceRequest:
    """Grant, partly grant (allocations only: fewer than asked), refuse or reject (defined
    certificate applications only), with reasons."""
    if outcome not in OUTCOMES:
        raise ApplicationError("Choose grant, partly grant or refuse.", field="outcome")
    reasons = reasons.strip()
    if outcome != RequestStatus.GRANTED and not reasons:
        raise ApplicationError(
            "Give the reasons: the sponsor reads them with the decision.", field="reasons"
        )
    with transaction.atomic():
        request = _locked(request_id)
        ensure_can_transition(REQUEST_TRANSITIONS, request.status, outcome)
        claim_version(LicenceRequest, request.pk, version)
        request.version += 1  # as claimed, so save() below keeps it
        if request.kind in ALLOCATION_KINDS:
            request.number_granted = _granted_number(request, outcome, number_granted)
        elif outcome == RequestStatus.PARTLY_GRANTED:
            raise ApplicationError(
                "Only allocation requests can be partly granted.", field="outcome"
            )
        elif request.kind == RequestKind.DEFINED_COS and outcome == RequestStatus.GRANTED:
            request.number_granted = request.number_requested
        if outcome == RequestStatus.REJECTED and request.kind != RequestKind.DEFINED_COS:
            raise ApplicationError(
                "Only defined certificate applications can be rejected. Refuse it instead.",
                field="outcome",
            )
        request.status = outcome
        request.reasons = reasons
        request.decided_by = caseworker
        request.decided_at = timezone.now()
        request.assigned_to = request.assigned_to or caseworker
        resume_clock(request)  # decided while waiting for the sponsor's answer
        request.save()
        _apply(request, outcome)
        audit_record(
            AuditVerb.REQUEST_DECIDED,
            actor=caseworker,
            sponsor=request.sponsor,
            target=Target.of(request),
            payload={
                "outcome": outcome,
                "reasons": reasons,
                "number_granted": request.number_granted,
            },
            ip_address=ip,
        )
        notify(
            request.sponsor,
            "request_decided",
            {"request": request},
            [request.submitted_by.email, authorising_officer_email(request.sponsor)],
        )
    return request


def _granted_number(request: LicenceRequest, outcome: str, number: int | None) -> int | None:
    asked = request.number_requested or 0
    if outcome == RequestStatus.REFUSED:
        return None
    if outcome == RequestStatus.GRANTED:
        return asked
    if number is None or not 1 <= number < asked:
        raise ApplicationError(
            f"A partial grant is from 1 to {asked - 1} certificates (the sponsor asked for "
            f"{asked}).",
            field="number_granted",
        )
    return number
