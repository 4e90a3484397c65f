"""API: Action plans of B-rated licences: read, pay, decline."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest

from .. import selectors, services
from ..models import (
    ActionPlan,
)
from .shapes import RESPONSES, PageQuery, Text40, Text5000

action_plans_router = Router(tags=["Action plans"])


class ActionPlanOut(Schema):
    id: int
    route: str
    route_name: str
    steps: str
    fee_pence: int
    payment_due: date
    status: str
    status_name: str
    created_at: datetime
    payment_reference: str
    responded_at: datetime | None
    decline_reason: str


class ActionPlanPage(Schema):
    items: list[ActionPlanOut]
    page: PageInfo


class PaymentIn(StrictSchema):
    payment_reference: Text40 = Field(description="The reference on your payment receipt.")


class DeclineIn(StrictSchema):
    reason: Text5000


def _plan_out(plan: ActionPlan) -> ActionPlanOut:
    return ActionPlanOut(
        id=plan.pk,
        route=plan.route,
        route_name=plan.get_route_display(),
        steps=plan.steps,
        fee_pence=plan.fee_pence,
        payment_due=plan.payment_due,
        status=plan.status,
        status_name=plan.get_status_display(),
        created_at=plan.created_at,
        payment_reference=plan.payment_reference,
        responded_at=plan.responded_at,
        decline_reason=plan.decline_reason,
    )


@action_plans_router.get(
    "/action-plans",
    response={200: ActionPlanPage, **RESPONSES},
    summary="Your action plans, newest first",
)
@api_requires(Permission.ACTION_PLAN_RESPOND)
def action_plans(request: ApiRequest, query: Query[PageQuery]) -> ActionPlanPage:
    listing = selectors.action_plan_list_for_user(user=request.auth)
    items, info = paginate(listing, query.page, query.page_size)
    return ActionPlanPage(items=[_plan_out(p) for p in items], page=info)


@action_plans_router.get(
    "/action-plans/{int:plan_id}",
    response={200: ActionPlanOut, **RESPONSES},
    summary="One action plan",
)
@api_requires(Permission.ACTION_PLAN_RESPOND)
def action_plan(request: ApiRequest, plan_id: int) -> ActionPlanOut:
    return _plan_out(selectors.action_plan_get_for_user(user=request.auth, plan_id=plan_id))


@action_plans_router.post(
    "/action-plans/{int:plan_id}/payment",
    response={200: ActionPlanOut, **RESPONSES},
    summary="Record that the action plan's fee is paid",
)
@api_requires(Permission.ACTION_PLAN_RESPOND)
def action_plan_pay(request: ApiRequest, plan_id: int, payload: PaymentIn) -> ActionPlanOut:
    return _plan_out(
        services.action_plan_pay(
            actor=request.auth,
            plan_id=plan_id,
            payment_reference=payload.payment_reference,
            ip=client_ip(request),
        )
    )


@action_plans_router.post(
    "/action-plans/{int:plan_id}/decline",
    response={200: ActionPlanOut, **RESPONSES},
    summary="Decline the action plan: the Home Office will then consider revoking the licence",
)
@api_requires(Permission.ACTION_PLAN_RESPOND)
def action_plan_decline(request: ApiRequest, plan_id: int, payload: DeclineIn) -> ActionPlanOut:
    return _plan_out(
        services.action_plan_decline(
            actor=request.auth, plan_id=plan_id, reason=payload.reason, ip=client_ip(request)
        )
    )
