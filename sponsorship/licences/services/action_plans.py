"""Action plans of B-rated sponsors: issued with a B rating, paid or declined by the sponsor."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotFound
from sponsorship.core.rules import Rule, rule_value
from sponsorship.core.workingdays import add_working_days

from ..models import ActionPlan, ActionPlanStatus, Sponsor
from ..selectors import sponsor_of
from ._common import authorising_officer_email, level_1_emails, notify, today

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def action_plan_issue(
    *, caseworker: "User", sponsor: Sponsor, route: str, steps: str
) -> ActionPlan:
    """With a B rating: the fee and the payment deadline as the rules stand today."""
    issued_on = today()
    plan = ActionPlan.objects.create(
        sponsor=sponsor,
        route=route,
        steps=steps,
        fee_pence=rule_value(Rule.ACTION_PLAN_FEE_PENCE, issued_on),
        payment_due=add_working_days(
            issued_on,
            rule_value(Rule.ACTION_PLAN_PAYMENT_WORKING_DAYS, issued_on),
            sponsor.nation,
        ),
        created_by=caseworker,
    )
    audit_record(
        AuditVerb.ACTION_PLAN_CREATED,
        actor=caseworker,
        sponsor=sponsor,
        target=Target.of(plan),
        payload={"fee_pence": plan.fee_pence, "payment_due": plan.payment_due},
    )
    notify(
        sponsor,
        "action_plan",
        {"plan": plan, "sponsor": sponsor},
        [authorising_officer_email(sponsor), *level_1_emails(sponsor)],
    )
    return plan


def _awaiting(actor: "User", plan_id: int) -> ActionPlan:
    plan = (
        ActionPlan.objects.select_for_update().filter(pk=plan_id, sponsor=sponsor_of(actor)).first()
    )
    if plan is None:
        raise NotFound("There is no such action plan.")
    if plan.status != ActionPlanStatus.AWAITING_PAYMENT:
        raise InvalidTransition(f"This action plan is already {plan.get_status_display().lower()}.")
    return plan


def action_plan_pay(
    *, actor: "User", plan_id: int, payment_reference: str, ip: str | None
) -> ActionPlan:
    """Record that the fee has been paid, with the payment's reference."""
    reference = payment_reference.strip()
    if not reference:
        raise ApplicationError(
            "Enter the payment reference from your receipt.", field="payment_reference"
        )
    with transaction.atomic():
        plan = _awaiting(actor, plan_id)
        plan.status = ActionPlanStatus.PAID
        plan.payment_reference = reference[:40]
        plan.responded_by = actor
        plan.responded_at = timezone.now()
        plan.save()
        notify(
            plan.sponsor,
            "action_plan_paid",
            {"plan": plan},
            [authorising_officer_email(plan.sponsor), plan.created_by.email],
        )
        audit_record(
            AuditVerb.ACTION_PLAN_PAID,
            actor=actor,
            target=Target.of(plan),
            payload={
                "payment_reference": plan.payment_reference,
                "late": today() > plan.payment_due,
            },
            ip_address=ip,
        )
    return plan


def action_plan_decline(*, actor: "User", plan_id: int, reason: str, ip: str | None) -> ActionPlan:
    """Decline the plan. The Home Office will then consider revoking the licence."""
    if not reason.strip():
        raise ApplicationError("Tell us why you are declining the action plan.", field="reason")
    with transaction.atomic():
        plan = _awaiting(actor, plan_id)
        plan.status = ActionPlanStatus.DECLINED
        plan.decline_reason = reason.strip()
        plan.responded_by = actor
        plan.responded_at = timezone.now()
        plan.save()
        audit_record(
            AuditVerb.ACTION_PLAN_DECLINED, actor=actor, target=Target.of(plan), ip_address=ip
        )
        notify(
            plan.sponsor,
            "action_plan_declined",
            {"plan": plan},
            [authorising_officer_email(plan.sponsor)],
        )
    return plan
