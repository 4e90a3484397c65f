"""A Level 1 user creates, lists and revokes their personal API tokens."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from ..forms import TokenForm
from ..selectors import api_token_list_for_user
from ..services import api_token_create, api_token_revoke


@requires(Permission.API_TOKEN_MANAGE)
def token_list(request: SignedInRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
                ip=client_ip(request),
            )
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            # Shown once, on this response only; never stored in plain text.
            return render(request, "api/token_created.html", {"token": token, "secret": secret})
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": api_token_list_for_user(user=request.user)},
        status=400 if form.errors else 200,
    )


@requires(Permission.API_TOKEN_MANAGE)
@require_POST
def token_revoke(request: SignedInRequest, token_id: int) -> HttpResponse:
    token = api_token_revoke(user=request.user, token_id=token_id, ip=client_ip(request))
    messages.success(request, f"The token '{token.name}' was revoked. It no longer works.")
    return redirect("api_tokens:list")
