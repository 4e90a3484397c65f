"""Session rules: the idle timeout, and the sign-in steps that must come before anything else."""

import time
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from sponsorship.core.access import PUBLIC, SIGN_IN_STEP, access_rule_of, view_module
from sponsorship.core.http import client_ip
from sponsorship.core.types import SignedInRequest

from . import services
from .steps import STEP_URLS, pending_step

LAST_ACTIVITY = "last_activity"
# The API authenticates each request by token, with no session; static files need no sign-in.
SESSIONLESS_MODULES = ("ninja", "django.views.static")


class IdleTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_MINUTES without a request, and says so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - last > settings.SESSION_IDLE_MINUTES * 60:
                services.sign_out(user=request.user, ip=client_ip(request), idle=True)
                logout(request)
                # A POST cannot be replayed; return the user to the page they were on.
                place = request.get_full_path() if request.method == "GET" else request.path
                query = urlencode({"next": place, "timed_out": "1"})
                return redirect(f"{reverse('accounts:sign_in')}?{query}")
            request.session[LAST_ACTIVITY] = now
        return self.get_response(request)


class SignInStepsMiddleware:
    """Until every sign-in step is done, only the steps themselves can be reached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or view_module(view_func).startswith(SESSIONLESS_MODULES):
            return None
        if not user.licence_allows_sign_in:
            # The licence was revoked (or expired, or surrendered) while this user was signed in.
            sponsor = user.sponsor
            services.sign_in_refused(user=user, ip=client_ip(request), while_signed_in=True)
            logout(request)
            return render(
                request, "accounts/sign_in_refused.html", {"sponsor": sponsor}, status=403
            )
        rule = access_rule_of(view_func)
        if rule == PUBLIC:
            return None
        step = pending_step(cast(SignedInRequest, request))
        if step is None:
            return None
        view_step = getattr(view_func, "sign_in_step", None)
        if rule == SIGN_IN_STEP and (view_step is None or view_step <= step):
            return None
        return redirect(STEP_URLS[step])
