"""The Home Office back office: find any sponsor, see its users and trail, unlock accounts."""

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
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from ..selectors import sponsor_get_for_caseworker, sponsor_search


@requires(Permission.CASEWORK_SPONSOR_VIEW)
def home(request: SignedInRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    page = paginate(request, sponsor_search(query=query))
    return render(request, "casework/home.html", {"page": page, "query": query})


@requires(Permission.CASEWORK_SPONSOR_VIEW)
def sponsor_detail(request: SignedInRequest, sponsor_id: int) -> HttpResponse:
    sponsor = sponsor_get_for_caseworker(sponsor_id=sponsor_id)
    users = list(user_list_for_sponsor(sponsor_id=sponsor.pk))
    locked = locked_user_ids([u.username for u in users])
    return render(
        request, "casework/sponsor.html", {"sponsor": sponsor, "users": users, "locked": locked}
    )


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
