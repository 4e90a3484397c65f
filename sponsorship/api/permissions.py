"""Declaring and enforcing the permission of each API operation (core.permissions)."""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest

from sponsorship.core.errors import Conflict, NotPermitted
from sponsorship.core.permissions import Permission, denial

Operation = TypeVar("Operation", bound=Callable[..., Any])


def api_requires(permission: Permission) -> Callable[[Operation], Operation]:
    def decorate(operation: Operation) -> Operation:
        @functools.wraps(operation)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            refused = denial(request.auth, permission)  # type: ignore[attr-defined]
            if refused is not None and refused.code:
                raise Conflict(refused.reason, code=refused.code)
            if refused is not None:
                raise NotPermitted(refused.reason)
            return operation(request, *args, **kwargs)

        guarded.required_permission = permission  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate
