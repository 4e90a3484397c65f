"""Changing the Authorising Officer or Key Contact, by change request."""

import dataclasses
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError

from ..models import (
    KeyPerson,
    KeyPersonRole,
    LicenceRequest,
    LicenceStatus,
    OrganisationChange,
    RequestKind,
    RequestStatus,
    Sponsor,
    normalise_postcode,
)
from ..selectors import sponsor_of
from ._common import notify, today
from .requests import report_due_date, submitted

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


@dataclass(frozen=True)
class KeyPersonDetails:
    given_names: str
    family_name: str
    job_title: str
    email: str
    phone: str
    address_line_1: str
    town: str
    postcode: str
    is_legal_representative: bool


def fulfils_at_once(sponsor: Sponsor, details: KeyPersonDetails) -> bool:
    """DOMAIN.md "Home Office side": some changes are fulfilled at once, for a fully active,
    A-rated licence whose new key person's postcode is the head office's."""
    return (
        sponsor.status == LicenceStatus.ACTIVE
        and sponsor.is_fully_a_rated
        and normalise_postcode(details.postcode) == normalise_postcode(sponsor.postcode)
    )


def key_person_change(
    *,
    actor: "User",
    role: str,
    details: KeyPersonDetails,
    change_date: date,
    replace: bool,
    ip: str | None,
) -> LicenceRequest:
    """Replace or amend the Authorising Officer or Key Contact. Applied at once when the licence
    qualifies, otherwise sent to a caseworker."""
    if role not in KeyPersonRole.values:
        raise ApplicationError("Choose Authorising Officer or Key Contact.", field="role")
    if role == KeyPersonRole.AUTHORISING_OFFICER and details.is_legal_representative:
        raise ApplicationError(
            "The Authorising Officer cannot be a legal representative. Choose a senior person "
            "in your organisation.",
            field="is_legal_representative",
        )
    if change_date > today():
        raise ApplicationError(
            "The date of the change must be today or in the past.", field="change_date"
        )
    postcode = " ".join(details.postcode.split()).upper()
    if postcode and not 5 <= len(postcode) <= 8:
        raise ApplicationError(
            "Enter a full UK postcode, like SW1A 1AA.", field="postcode", code="postcode"
        )
    details = dataclasses.replace(details, postcode=postcode)
    sponsor = sponsor_of(actor)
    due = report_due_date(sponsor, OrganisationChange.KEY_PERSONNEL, change_date)
    at_once = fulfils_at_once(sponsor, details)
    with transaction.atomic():
        request = LicenceRequest.objects.create(
            sponsor=sponsor,
            kind=RequestKind.KEY_PERSON,
            submitted_by=actor,
            key_person_role=role,
            details={**asdict(details), "replace": replace},
            change_type=OrganisationChange.KEY_PERSONNEL,
            change_date=change_date,
            report_due=due,
            reported_late=today() > due,
        )
        # A change made at once gets one e-mail, the decision, not an acknowledgment too.
        submitted(request, actor, ip, acknowledge=not at_once)
        if at_once:
            key_person_apply(request)
            LicenceRequest.objects.filter(pk=request.pk).update(
                status=RequestStatus.GRANTED, decided_at=timezone.now(), fulfilled_at_once=True
            )
            request.refresh_from_db()
            notify(
                sponsor,
                "request_decided",
                {"request": request},
                [actor.email],
            )
    return request


def key_person_apply(request: LicenceRequest) -> KeyPerson:
    """Write the granted details onto the key person of that role."""
    fields = {k: v for k, v in request.details.items() if k != "replace"}
    person, _ = KeyPerson.objects.update_or_create(
        sponsor=request.sponsor, role=request.key_person_role, defaults=fields
    )
    audit_record(
        AuditVerb.KEY_PERSON_CHANGED,
        actor=request.decided_by,
        actor_label="fulfilled at once",
        sponsor=request.sponsor,
        target=Target.of(person),
        payload={"request": request.reference, "role": request.key_person_role},
    )
    return person
