"""Declaring and enforcing the permission of each API operation (core.permissions)."""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest

from sponsorship.core.errors import Conflict, NotPermitted
from sponsorship.core.permissions import Permission, denial

Operation = TypeVar("Operation", bound=Callable[..., Any])


def ensure_allowed(user: Any, permission: Permission) -> None:
    """Raises 409 with the gate's code when the licence's state refuses, 403 otherwise. For a
    permission that depends on the object acted on, call it inside the operation."""
    refused = denial(user, permission)
    if refused is not None and refused.code:
        raise Conflict(refused.reason, code=refused.code)
    if refused is not None:
        raise NotPermitted(refused.reason)


def api_requires(permission: Permission) -> Callable[[Operation], Operation]:
    def decorate(operation: Operation) -> Operation:
        @functools.wraps(operation)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            ensure_allowed(request.auth, permission)  # type: ignore[attr-defined]
            return operation(request, *args, **kwargs)

        guarded.required_permission = permission  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate
