"""Request types for views whose access rule guarantees who is asking."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request to a view that needs sign-in: PermissionMiddleware has ensured `user`."""

    user: "User"


class ApiRequest(HttpRequest):
    """A request the API's token authentication accepted: `auth` is the token's owner."""

    auth: "User"
