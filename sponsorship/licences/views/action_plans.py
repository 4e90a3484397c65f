"""Action plans the Home Office issues with a B rating, as a Level 1 user sees them: the steps,
the fee and its deadline; recording the payment, or declining the plan after a warning."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, InvalidTransition
from sponsorship.core.http import client_ip
from sponsorship.core.middleware import forbidden
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.rules import Rule, rule_value
from sponsorship.core.types import SignedInRequest

from .. import selectors, services
from ..forms.requests import ActionPlanDeclineForm, ActionPlanPaymentForm, add_service_error
from ..models import ActionPlan, ActionPlanStatus


@requires(Permission.ACTION_PLAN_RESPOND)
def plan_list(request: SignedInRequest) -> HttpResponse:
    page = paginate(request, selectors.action_plan_list_for_user(user=request.user))
    return render(request, "licences/action_plans/list.html", {"page": page})


def _render_plan(
    request: SignedInRequest, plan: ActionPlan, form: ActionPlanPaymentForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "licences/action_plans/detail.html",
        {
            "plan": plan,
            "form": form,
            "awaiting": plan.status == ActionPlanStatus.AWAITING_PAYMENT,
            "overdue": timezone.localdate() > plan.payment_due,
            "payment_days": rule_value(
                Rule.ACTION_PLAN_PAYMENT_WORKING_DAYS, timezone.localdate(plan.created_at)
            ),
        },
        status=status,
    )


@requires(Permission.ACTION_PLAN_RESPOND)
def plan_detail(request: SignedInRequest, plan_id: int) -> HttpResponse:
    plan = selectors.action_plan_get_for_user(user=request.user, plan_id=plan_id)
    return _render_plan(request, plan, ActionPlanPaymentForm())


def _answered(request: SignedInRequest, plan: ActionPlan) -> HttpResponse:
    """Paid or declined, here or in another tab: a plan is answered once."""
    plan.refresh_from_db(fields=["status"])
    return forbidden(
        request, f"This action plan is already {plan.get_status_display().lower()}.", status=409
    )


@requires(Permission.ACTION_PLAN_RESPOND)
@require_POST
def plan_pay(request: SignedInRequest, plan_id: int) -> HttpResponse:
    """Record that the fee has been paid, with the payment's reference."""
    plan = selectors.action_plan_get_for_user(user=request.user, plan_id=plan_id)
    if plan.status != ActionPlanStatus.AWAITING_PAYMENT:
        return _answered(request, plan)
    form = ActionPlanPaymentForm(request.POST)
    if form.is_valid():
        try:
            services.action_plan_pay(
                actor=request.user,
                plan_id=plan.pk,
                payment_reference=form.cleaned_data["payment_reference"],
                ip=client_ip(request),
            )
        except InvalidTransition:
            return _answered(request, plan)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "You recorded the payment of the action plan fee.")
            return redirect("licences:action_plan", plan_id=plan.pk)
    return _render_plan(request, plan, form, status=400)


@requires(Permission.ACTION_PLAN_RESPOND)
def plan_decline(request: SignedInRequest, plan_id: int) -> HttpResponse:
    """Decline the plan: the confirmation page warns that the licence may be revoked."""
    plan = selectors.action_plan_get_for_user(user=request.user, plan_id=plan_id)
    if plan.status != ActionPlanStatus.AWAITING_PAYMENT:
        return _answered(request, plan)
    posted = request.method == "POST"
    form = ActionPlanDeclineForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            services.action_plan_decline(
                actor=request.user,
                plan_id=plan.pk,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except InvalidTransition:
            return _answered(request, plan)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "You declined the action plan.")
            return redirect("licences:action_plan", plan_id=plan.pk)
    return render(
        request,
        "licences/action_plans/decline.html",
        {"plan": plan, "form": form},
        status=400 if form.errors else 200,
    )
