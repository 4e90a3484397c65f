"""Enforces each view's declared access rule (core.access)."""

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import PUBLIC, SIGN_IN_STEP, SIGNED_IN, access_rule_of, is_self_guarded
from .permissions import Permission, denial

logger = logging.getLogger(__name__)


class PermissionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if is_self_guarded(view_func, match.namespace if match else ""):
            return None
        rule = access_rule_of(view_func)
        if rule is None:
            # Fail closed: a view nobody declared access for is reachable by nobody.
            logger.error("View %s declares no access rule", view_func)
            return forbidden(request, "This page is not available.")
        if rule == PUBLIC:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if rule in (SIGNED_IN, SIGN_IN_STEP):
            return None
        refused = denial(request.user, Permission(rule))
        if refused is not None:
            # A licence-state refusal is a conflict with the licence, not a missing right.
            return forbidden(request, refused.reason, status=409 if refused.code else 403)
        return None


def forbidden(request: HttpRequest, reason: str, status: int = 403) -> HttpResponse:
    return render(request, "core/forbidden.html", {"reason": reason}, status=status)


class ApplicationErrorMiddleware:
    """Turns the service errors views let through into the right page: 404, 403 or 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from .errors import ApplicationError, NotFound

        if isinstance(exception, NotFound):
            return render(request, "404.html", status=404)
        if isinstance(exception, ApplicationError):
            return render(
                request,
                "core/forbidden.html",
                {"reason": exception.message},
                status=exception.http_status,
            )
        return None
