"""Applying for Premium customer service and Student Sponsor status."""

from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction

from sponsorship.core.errors import ApplicationError, Conflict

from ..models import OPEN_STATUSES, LicenceRequest, LicenceStatus, RequestKind, Sponsor
from ._common import lock_sponsor, today
from .requests import submitted

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

STATUS_KINDS = (RequestKind.PREMIUM, RequestKind.STUDENT_SPONSOR_STATUS)


def status_held_since(sponsor: Sponsor, kind: str) -> date | None:
    if kind == RequestKind.PREMIUM:
        return sponsor.premium_since
    return sponsor.student_sponsor_status_since


def status_application_denial(sponsor: Sponsor, kind: str, on: date) -> str | None:
    """Why the sponsor cannot apply for `kind` now, in words; None when it can. DOMAIN.md
    "Licence": not while suspended or dormant, not while B-rated, not twice."""
    name = RequestKind(kind).label
    if sponsor.status != LicenceStatus.ACTIVE:
        return f"You cannot apply while your licence is {sponsor.get_status_display().lower()}."
    if sponsor.has_b_rated_route:
        return "You cannot apply while your licence has a B rating."
    held = status_held_since(sponsor, kind)
    if held is not None:
        return f"You have had {name} since {held:%-d %B %Y}."
    if kind == RequestKind.STUDENT_SPONSOR_STATUS:
        if not sponsor.has_student_route:
            return "Student Sponsor status is for sponsors of the Student route."
        eligible_from = sponsor.licence_granted_on + relativedelta(
            years=settings.STUDENT_SPONSOR_STATUS_MIN_YEARS
        )
        if on < eligible_from:
            return (
                f"You can apply once your licence has been held for "
                f"{settings.STUDENT_SPONSOR_STATUS_MIN_YEARS} years, from "
                f"{eligible_from:%-d %B %Y}."
            )
    if LicenceRequest.objects.filter(sponsor=sponsor, kind=kind, status__in=OPEN_STATUSES).exists():
        return f"You have already applied for {name}. Wait for the decision."
    return None


def status_apply(*, actor: "User", kind: str, ip: str | None) -> LicenceRequest:
    if kind not in STATUS_KINDS:
        raise ApplicationError(
            "Choose Premium customer service or Student Sponsor status.", field="kind"
        )
    sponsor: Sponsor = actor.sponsor  # type: ignore[assignment]
    with transaction.atomic():
        lock_sponsor(sponsor)
        refused = status_application_denial(sponsor, kind, today())
        if refused:
            raise Conflict(refused, code="not_eligible")
        request = LicenceRequest.objects.create(sponsor=sponsor, kind=kind, submitted_by=actor)
        submitted(request, actor, ip)
    return request


def status_grant(request: LicenceRequest) -> None:
    field = (
        "premium_since" if request.kind == RequestKind.PREMIUM else "student_sponsor_status_since"
    )
    Sponsor.objects.filter(pk=request.sponsor_id).update(**{field: today()})
