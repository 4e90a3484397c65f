from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import ApiToken

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def api_token_list_for_user(*, user: "User") -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")
