"""The licence summary and the Home Office message board, as a sponsor sees them."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sponsorship.accounts.steps import SignInStep, next_url
from sponsorship.core.access import requires, sign_in_step
from sponsorship.core.errors import NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from .. import selectors, services


@requires(Permission.LICENCE_SUMMARY_VIEW)
def summary(request: SignedInRequest) -> HttpResponse:
    """The facts of the licence: organisation, dates, status, key personnel, routes and ratings,
    this year's and next year's allocations per route, Premium and Student Sponsor status."""
    sponsor = selectors.sponsor_get_for_user(user=request.user)
    today = timezone.localdate()
    return render(
        request,
        "licences/summary.html",
        {
            "sponsor": sponsor,
            "today": today,
            "allocations": selectors.allocation_summary(sponsor=sponsor, on=today),
        },
    )


@requires(Permission.MESSAGE_BOARD_VIEW)
def messages_board(request: SignedInRequest) -> HttpResponse:
    archived = request.GET.get("view") == "archived"
    page = paginate(request, selectors.message_list_for_user(user=request.user, archived=archived))
    return render(request, "licences/messages.html", {"page": page, "archived": archived})


@requires(Permission.MESSAGE_BOARD_VIEW)
def message_detail(request: SignedInRequest, message_id: int) -> HttpResponse:
    message = selectors.message_get_for_user(user=request.user, message_id=message_id)
    return render(request, "licences/message.html", {"message": message})


@requires(Permission.MESSAGE_BOARD_VIEW)
@require_POST
def message_mark_read(request: SignedInRequest, message_id: int) -> HttpResponse:
    services.message_mark_read(user=request.user, message_id=message_id, ip=client_ip(request))
    return redirect("licences:message", message_id=message_id)


@sign_in_step(SignInStep.MESSAGES)
def unread_messages(request: SignedInRequest) -> HttpResponse:
    """Right after sign-in, a Level 1 user reads each new message before anything else."""
    if not request.user.is_level_1:
        return redirect(next_url(request))
    if request.method == "POST":
        message_id = request.POST.get("message_id", "")
        if not message_id.isdigit():
            raise NotFound("There is no such message.")
        services.message_mark_read(
            user=request.user,
            message_id=int(message_id),
            ip=client_ip(request),
        )
        return redirect("licences:unread_messages")
    unread = selectors.message_unread_for_user(user=request.user)
    message = unread.first()
    if message is None:
        return redirect(next_url(request))
    return render(
        request, "licences/unread_message.html", {"message": message, "remaining": unread.count()}
    )
