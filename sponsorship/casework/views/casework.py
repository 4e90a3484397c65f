"""The Home Office back office: the work queues and finding any sponsor; a sponsor's licence,
users, allocations, requests, action plans and trail; unlocking and deactivating users."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sponsorship.accounts import services as account_services
from sponsorship.accounts.selectors import (
    locked_user_ids,
    user_get_for_caseworker,
    user_list_for_sponsor,
)
from sponsorship.audit.views.sponsor import render_trail
from sponsorship.core.access import requires
from sponsorship.core.errors import NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest
from sponsorship.licences import selectors as licence_selectors
from sponsorship.licences import services as licence_services

from ..forms import DeactivateForm
from ..selectors import action_plan_list_for_caseworker, sponsor_get_for_caseworker, sponsor_search
from .confirm import checked_action
from .licence import status_actions_for
from .queues import queue_tabs

# The sponsor page shows this many of the latest requests, and links to them all.
LATEST_REQUESTS = 20


@requires(Permission.CASEWORK_SPONSOR_VIEW)
def home(request: SignedInRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    page = paginate(request, sponsor_search(query=query))
    return render(
        request, "casework/home.html", {"page": page, "query": query, "tabs": queue_tabs()}
    )


@requires(Permission.CASEWORK_SPONSOR_VIEW)
def sponsor_detail(request: SignedInRequest, sponsor_id: int) -> HttpResponse:
    sponsor = sponsor_get_for_caseworker(sponsor_id=sponsor_id)
    users = list(user_list_for_sponsor(sponsor_id=sponsor.pk))
    locked = locked_user_ids([u.username for u in users])
    requests = list(
        licence_selectors.request_list_for_caseworker(sponsor_id=sponsor.pk)[: LATEST_REQUESTS + 1]
    )
    return render(
        request,
        "casework/sponsor.html",
        {
            "sponsor": sponsor,
            "users": users,
            "locked": locked,
            "allocations": licence_selectors.allocation_list_for_caseworker(sponsor_id=sponsor.pk),
            "requests": requests[:LATEST_REQUESTS],
            "more_requests": len(requests) > LATEST_REQUESTS,
            "action_plans": action_plan_list_for_caseworker(sponsor_id=sponsor.pk),
            "status_actions": status_actions_for(sponsor),
        },
    )


@requires(Permission.CASEWORK_SPONSOR_VIEW)
def sponsor_requests(request: SignedInRequest, sponsor_id: int) -> HttpResponse:
    sponsor = sponsor_get_for_caseworker(sponsor_id=sponsor_id)
    page = paginate(request, licence_selectors.request_list_for_caseworker(sponsor_id=sponsor.pk))
    return render(request, "casework/sponsor_requests.html", {"sponsor": sponsor, "page": page})


@requires(Permission.CASEWORK_AUDIT_VIEW)
def sponsor_audit(request: SignedInRequest, sponsor_id: int) -> HttpResponse:
    sponsor = sponsor_get_for_caseworker(sponsor_id=sponsor_id)
    return render_trail(request, sponsor.pk, "casework/audit.html", {"sponsor": sponsor})


@requires(Permission.CASEWORK_ACCOUNT_UNLOCK)
@require_POST
def user_unlock(request: SignedInRequest, user_id: int) -> HttpResponse:
    user = user_get_for_caseworker(user_id=user_id)
    account_services.account_unlock(caseworker=request.user, user=user, ip=client_ip(request))
    messages.success(request, f"{user.full_name} ({user.username}) can sign in again.")
    if user.sponsor_id is None:
        return redirect("casework:home")
    return redirect("casework:sponsor", sponsor_id=user.sponsor_id)


@requires(Permission.CASEWORK_USER_DEACTIVATE)
def user_deactivate(request: SignedInRequest, user_id: int) -> HttpResponse:
    """Deactivate a sponsor's user for the Home Office: final, with reasons."""
    user = user_get_for_caseworker(user_id=user_id)
    if user.sponsor is None:
        raise NotFound("There is no such user.")
    sponsor = user.sponsor

    def act(form: forms.Form) -> HttpResponse:
        licence_services.user_deactivate_by_home_office(
            caseworker=request.user,
            user_id=user.pk,
            reasons=form.cleaned_data["reasons"],
            ip=client_ip(request),
        )
        messages.success(
            request,
            f"{user.full_name} ({user.username}) has been deactivated and can no longer sign in.",
        )
        return redirect("casework:sponsor", sponsor_id=sponsor.pk)

    return checked_action(
        request,
        DeactivateForm(request.POST or None),
        template="casework/licence_action.html",
        context={
            "sponsor": sponsor,
            "subject": user,
            "title": f"Deactivate {user.full_name} ({user.username})",
            "confirm": "Deactivate the user",
            "warning": "Deactivation is final: the user can never sign in again. The sponsor "
            "must request a new user if one is needed.",
        },
        act=act,
    )
