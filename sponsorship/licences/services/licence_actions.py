"""Caseworkers act on a licence: ratings, suspension, reinstatement, dormancy, revocation,
surrender, the settled-worker exception (DOMAIN.md "Licence", "Home Office side")."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.rules import Rule, rule_value
from sponsorship.core.workingdays import add_working_days

from ..models import (
    LicenceStatus,
    Rating,
    Route,
    SettledWorkerException,
    Sponsor,
    SponsorRoute,
)
from ..transitions import LICENCE_TRANSITIONS, ensure_can_transition
from ._common import authorising_officer_email, level_1_emails, notify, today
from .action_plans import action_plan_issue

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def _reasons(reasons: str) -> str:
    if not reasons.strip():
        raise ApplicationError(
            "Give the reasons: the sponsor reads them in the notice.", field="reasons"
        )
    return reasons.strip()


def _locked_sponsor(sponsor_id: int) -> Sponsor:
    sponsor = Sponsor.objects.select_for_update().filter(pk=sponsor_id).first()
    if sponsor is None:
        raise NotFound("There is no such sponsor.")
    return sponsor


def _tell_sponsor(sponsor: Sponsor, template: str, context: dict[str, object]) -> None:
    notify(
        sponsor,
        template,
        {"sponsor": sponsor, **context},
        [authorising_officer_email(sponsor), *level_1_emails(sponsor)],
    )


def route_rating_change(
    *,
    caseworker: "User",
    sponsor_id: int,
    route: str,
    rating: str,
    reasons: str,
    action_plan_steps: str = "",
    ip: str | None,
) -> SponsorRoute:
    """Rate a route A, B or provisional. A B rating comes with an action plan to pay for."""
    reasons = _reasons(reasons)
    if rating not in Rating.values:
        raise ApplicationError("Choose A, B or provisional.", field="rating")
    if rating == Rating.PROVISIONAL and route != Route.GBM_UK_EXPANSION:
        raise ApplicationError(
            "Only the UK Expansion Worker route can be provisionally rated.", field="rating"
        )
    if rating == Rating.B and not action_plan_steps.strip():
        raise ApplicationError(
            "Write the action plan: what the sponsor must do to be A-rated again.",
            field="action_plan_steps",
        )
    with transaction.atomic():
        sponsor = _locked_sponsor(sponsor_id)
        sponsor_route = SponsorRoute.objects.filter(sponsor=sponsor, route=route).first()
        if sponsor_route is None:
            raise ApplicationError("This licence does not hold that route.", field="route")
        if sponsor_route.rating == rating:
            raise ApplicationError(
                f"The route is already {sponsor_route.get_rating_display()}.", field="rating"
            )
        previous = sponsor_route.rating
        sponsor_route.rating = rating
        sponsor_route.rating_changed_at = timezone.now()
        sponsor_route.save(update_fields=["rating", "rating_changed_at"])
        audit_record(
            AuditVerb.RATING_CHANGED,
            actor=caseworker,
            sponsor=sponsor,
            target=Target.of(sponsor_route),
            payload={"route": route, "from": previous, "to": rating, "reasons": reasons},
            ip_address=ip,
        )
        _tell_sponsor(sponsor, "rating_changed", {"route": sponsor_route, "reasons": reasons})
        if rating == Rating.B:
            action_plan_issue(
                caseworker=caseworker, sponsor=sponsor, route=route, steps=action_plan_steps
            )
    return sponsor_route


def _revocation_steps() -> list[Callable[..., object]]:
    """Other apps' work done in the revocation's transaction (certificates add theirs)."""
    return [import_string(path) for path in settings.LICENCE_REVOCATION_STEPS]


def licence_status_change(
    *, caseworker: "User", sponsor_id: int, status: str, reasons: str, ip: str | None
) -> Sponsor:
    """Suspend, reinstate (to active), make dormant, revoke or record a surrender."""
    reasons = _reasons(reasons)
    if status not in LicenceStatus.values:
        raise ApplicationError("Choose the new status of the licence.", field="status")
    with transaction.atomic():
        sponsor = _locked_sponsor(sponsor_id)
        ensure_can_transition(LICENCE_TRANSITIONS, sponsor.status, status)
        previous = sponsor.status
        sponsor.status = status
        sponsor.status_changed_at = timezone.now()
        sponsor.status_reason = reasons
        sponsor.status_response_due = (
            add_working_days(
                today(),
                rule_value(Rule.SUSPENSION_RESPONSE_WORKING_DAYS, today()),
                sponsor.nation,
            )
            if status == LicenceStatus.SUSPENDED
            else None
        )
        sponsor.save(
            update_fields=["status", "status_changed_at", "status_reason", "status_response_due"]
        )
        results = {}
        if status == LicenceStatus.REVOKED:
            for step in _revocation_steps():
                results[step.__name__] = step(sponsor=sponsor, actor=caseworker)
        audit_record(
            AuditVerb.LICENCE_STATUS_CHANGED,
            actor=caseworker,
            sponsor=sponsor,
            target=Target.of(sponsor),
            payload={"from": previous, "to": status, "reasons": reasons, **results},
            ip_address=ip,
        )
        _tell_sponsor(sponsor, "licence_status_changed", {"reasons": reasons})
    return sponsor


def settled_exception_set(
    *, caseworker: "User", sponsor_id: int, exception: str, reasons: str, ip: str | None
) -> Sponsor:
    """Record (or remove) an exception to the settled Level 1 user rule."""
    reasons = _reasons(reasons)
    if exception not in SettledWorkerException.values:
        raise ApplicationError("Choose an exception, or none.", field="exception")
    with transaction.atomic():
        sponsor = _locked_sponsor(sponsor_id)
        previous = sponsor.settled_worker_exception
        sponsor.settled_worker_exception = exception
        sponsor.save(update_fields=["settled_worker_exception"])
        audit_record(
            AuditVerb.SETTLED_EXCEPTION_CHANGED,
            actor=caseworker,
            sponsor=sponsor,
            target=Target.of(sponsor),
            payload={"from": previous, "to": exception, "reasons": reasons},
            ip_address=ip,
        )
    return sponsor
