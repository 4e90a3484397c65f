"""URLs of the licence pages: see the module docstrings of their views."""

from django.urls import path

from .views import action_plans, allocations, requests, status

urlpatterns: list = [
    # Changes of circumstances and every request of the sponsor (views/requests.py).
    path("licence/changes/new/", requests.change_new, name="change_new"),
    path("licence/requests/", requests.request_list, name="requests"),
    path("licence/requests/<int:request_id>/", requests.request_detail, name="request"),
    path("licence/requests/<int:request_id>/sent/", requests.request_sent, name="request_sent"),
    path(
        "licence/requests/<int:request_id>/withdraw/",
        requests.request_withdraw,
        name="request_withdraw",
    ),
    path(
        "licence/requests/<int:request_id>/answer/",
        requests.request_answer,
        name="request_answer",
    ),
    path("evidence/<int:evidence_id>/", requests.evidence_download, name="evidence"),
    # Allocations (views/allocations.py).
    path("licence/allocations/", allocations.overview, name="allocations"),
    path("licence/allocations/increase/", allocations.increase, name="allocation_increase"),
    path("licence/allocations/renew/<slug:route>/", allocations.renew, name="allocation_renew"),
    # Action plans (views/action_plans.py).
    path("licence/action-plans/", action_plans.plan_list, name="action_plans"),
    path("licence/action-plans/<int:plan_id>/", action_plans.plan_detail, name="action_plan"),
    path("licence/action-plans/<int:plan_id>/pay/", action_plans.plan_pay, name="action_plan_pay"),
    path(
        "licence/action-plans/<int:plan_id>/decline/",
        action_plans.plan_decline,
        name="action_plan_decline",
    ),
    # Premium customer service and Student Sponsor status (views/status.py).
    path("licence/sponsor-status/", status.overview, name="sponsor_status"),
    path("licence/sponsor-status/apply/<slug:kind>/", status.apply, name="sponsor_status_apply"),
]
