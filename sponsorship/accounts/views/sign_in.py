"""Signing in and out."""

from typing import Any, cast

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sponsorship.core import ratelimit
from sponsorship.core.access import public
from sponsorship.core.errors import RateLimited
from sponsorship.core.http import client_ip, safe_next
from sponsorship.core.types import SignedInRequest

from .. import services
from ..forms import SignInForm
from ..models import User
from ..steps import AFTER_SIGN_IN, next_url

WRONG_CREDENTIALS = "Enter a correct user ID and password. Both are case sensitive."


def _ip_throttled(ip: str | None) -> bool:
    return ratelimit.count("sign-in-ip", ip or "-", window=settings.SIGN_IN_IP_WINDOW_SECONDS) >= (
        settings.SIGN_IN_IP_LIMIT
    )


def locked_out_response(
    request: HttpRequest, response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The same page whether the user ID is locked, unknown, or this address is throttled."""
    return render(
        request,
        "accounts/locked.html",
        {"minutes": settings.ACCOUNT_LOCKOUT_MINUTES},
        status=429,
    )


@public
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(next_url(cast(SignedInRequest, request)))
    form = SignInForm(request.POST or None)
    context: dict[str, Any] = {
        "form": form,
        "timed_out": request.GET.get("timed_out") == "1",
        "idle_minutes": settings.SESSION_IDLE_MINUTES,
        "next": request.GET.get("next", ""),
    }
    if request.method != "POST" or not form.is_valid():
        return render(request, "accounts/sign_in.html", context, status=400 if form.errors else 200)

    ip = client_ip(request)
    typed_id = form.cleaned_data["user_id"]
    credentials = {"username": typed_id}
    if _ip_throttled(ip) or AxesProxyHandler.is_locked(request, credentials):
        services.sign_in_failed(
            typed_user_id=typed_id, ip=ip, reason="locked, or too many attempts from this address"
        )
        return locked_out_response(request)

    user = authenticate(request, username=typed_id, password=form.cleaned_data["password"])
    if user is None:
        ratelimit.hit("sign-in-ip", ip or "-", window=settings.SIGN_IN_IP_WINDOW_SECONDS)
        locked_now = bool(getattr(request, "axes_locked_out", False))
        services.sign_in_failed(typed_user_id=typed_id, ip=ip, locked_now=locked_now)
        if locked_now:
            return locked_out_response(request)
        form.add_error(None, WRONG_CREDENTIALS)
        return render(request, "accounts/sign_in.html", context, status=400)

    assert isinstance(user, User)  # noqa: S101 (narrows the type; the model backend returns User)
    if not user.licence_allows_sign_in:
        services.sign_in_refused(user=user, ip=ip)
        return render(
            request, "accounts/sign_in_refused.html", {"sponsor": user.sponsor}, status=403
        )

    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[AFTER_SIGN_IN] = safe_next(request, request.POST.get("next"), "")
    if services.passcode_required(user):
        if not services.passcode_devices(user):
            try:
                services.passcode_email_send(user=user, ip=ip)
            except RateLimited as error:
                messages.error(request, error.message)
    else:
        services.sign_in_completed(user=user, method="none", ip=ip)
    return redirect(next_url(cast(SignedInRequest, request)))


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.sign_out(user=request.user, ip=client_ip(request))
    logout(request)
    return redirect("accounts:signed_out")


@public
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")
