"""What django-axes counts failures against: the user ID exactly as typed."""

from typing import Any

from django.http import HttpRequest


def username_for_lockout(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The sign-in view passes the user ID to authenticate() as `username`; a bare POST
    (axes' own middleware check) carries it in the form's `user_id` field."""
    if credentials and credentials.get("username"):
        return str(credentials["username"])
    return request.POST.get("user_id") or None
