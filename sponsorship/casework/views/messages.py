"""The Home Office message board: live, scheduled and archived messages; writing a message,
changing it until it goes live, archiving it."""

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest
from sponsorship.licences import services as licence_services

from ..forms import MessageForm, show_error
from ..selectors import MessageState, message_get_with_state, message_list_by_state


@requires(Permission.CASEWORK_MESSAGE_MANAGE)
def message_list(request: SignedInRequest) -> HttpResponse:
    state = request.GET.get("view", MessageState.LIVE)
    if state not in MessageState.values:
        state = MessageState.LIVE
    page = paginate(request, message_list_by_state(state=state))
    return render(
        request,
        "casework/messages.html",
        {"page": page, "state": MessageState(state), "states": list(MessageState)},
    )


def _message_form(
    request: SignedInRequest, form: MessageForm, message_id: int | None = None
) -> HttpResponse:
    """Post a new message, or save a scheduled one; a refusal goes back on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            if message_id is None:
                saved = licence_services.message_post(
                    caseworker=request.user, draft=form.draft(), ip=client_ip(request)
                )
            else:
                saved = licence_services.message_edit(
                    caseworker=request.user,
                    message_id=message_id,
                    draft=form.draft(),
                    ip=client_ip(request),
                )
        except NotFound:
            raise
        except ApplicationError as error:
            show_error(form, error)
            return render(
                request,
                "casework/message_form.html",
                {"form": form, "message_id": message_id},
                status=error.http_status,
            )
        live_from = timezone.localtime(saved.published_at)
        flash.success(
            request,
            f"“{saved.title}” {'is saved' if message_id else 'is posted'}: it is live from "
            f"{live_from:%-d %B %Y at %H:%M} to {saved.archive_on:%-d %B %Y}.",
        )
        return redirect("casework:messages")
    return render(request, "casework/message_form.html", {"form": form, "message_id": message_id})


@requires(Permission.CASEWORK_MESSAGE_MANAGE)
def message_create(request: SignedInRequest) -> HttpResponse:
    form = MessageForm(
        request.POST or None, initial=MessageForm.default_initial(timezone.localdate())
    )
    return _message_form(request, form)


@requires(Permission.CASEWORK_MESSAGE_MANAGE)
def message_edit(request: SignedInRequest, message_id: int) -> HttpResponse:
    message = message_get_with_state(message_id=message_id)
    form = MessageForm(request.POST or None, initial=MessageForm.initial_for(message))
    if request.method != "POST" and message.state != MessageState.SCHEDULED:  # type: ignore[attr-defined]
        return render(request, "casework/message_form.html", {"locked": message})
    return _message_form(request, form, message.pk)


@requires(Permission.CASEWORK_MESSAGE_MANAGE)
def message_archive(request: SignedInRequest, message_id: int) -> HttpResponse:
    message = message_get_with_state(message_id=message_id)
    if request.method == "POST":
        licence_services.message_archive(
            caseworker=request.user, message_id=message.pk, ip=client_ip(request)
        )
        flash.success(request, f"“{message.title}” is archived: sponsors no longer see it as new.")
        return redirect(f"{reverse('casework:messages')}?view={MessageState.ARCHIVED}")
    return render(request, "casework/message_archive.html", {"message": message})
