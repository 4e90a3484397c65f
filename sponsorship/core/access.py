"""Every view declares who may reach it; PermissionMiddleware enforces the declaration
and refuses any view that has none (see tests/test_every_route_declares_access.py)."""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from .permissions import Permission

View = TypeVar("View", bound=Callable[..., Any])

PUBLIC = "public"
SIGNED_IN = "signed-in"
# Reachable while a sign-in is still in progress (passcode, forced password change,
# unread messages): the steps themselves and sign-out.
SIGN_IN_STEP = "sign-in-step"

ACCESS_ATTRIBUTE = "access_rule"


def _declare(rule: str | Permission) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        setattr(view, ACCESS_ATTRIBUTE, rule)
        return view

    return decorate


def public(view: View) -> View:
    """Anyone, signed in or not (sign-in pages, accessibility statement)."""
    return _declare(PUBLIC)(view)


def signed_in(view: View) -> View:
    """Any user who has finished signing in, whatever their role."""
    return _declare(SIGNED_IN)(view)


def sign_in_step(step: int | None = None) -> Callable[[View], View]:
    """A step of signing in (accounts.steps.SignInStep), reachable once the steps before it
    are done; with no step, reachable at any point of signing in (sign-out, for example)."""

    def decorate(view: View) -> View:
        view.sign_in_step = step  # type: ignore[attr-defined]
        return _declare(SIGN_IN_STEP)(view)

    return decorate


def requires(permission: Permission) -> Callable[[View], View]:
    """Users whose role and licence state allow `permission` (core.permissions)."""
    return _declare(permission)


def access_rule_of(view: Any) -> str | Permission | None:
    # Class-based views carry the rule on the class; as_view() copies it to view_class.
    rule = getattr(view, ACCESS_ATTRIBUTE, None)
    if rule is None and hasattr(view, "view_class"):
        rule = getattr(view.view_class, ACCESS_ATTRIBUTE, None)
    return rule


# Code that guards itself: the API (tokens) and static files. Django admin guards itself
# too (superusers only); its pages, including those other apps add, share the URL
# namespace "admin".
SELF_GUARDED_MODULES = ("ninja", "django.views.static")
SELF_GUARDED_NAMESPACES = ("admin",)


def view_module(view: Any) -> str:
    # ninja's docs and schema views are functools.partial objects: look at what they wrap.
    while isinstance(view, functools.partial):
        view = view.func
    return str(getattr(view, "__module__", ""))


def is_self_guarded(view: Any, namespace: str = "") -> bool:
    return namespace in SELF_GUARDED_NAMESPACES or view_module(view).startswith(
        SELF_GUARDED_MODULES
    )
