from typing import TYPE_CHECKING

from django.db.models import F, QuerySet

from .models import ApiToken

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def api_token_list_for_user(*, user: "User") -> QuerySet[ApiToken]:
    """Live tokens first (on every database: PostgreSQL would put NULLs last), newest first."""
    return ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at"
    )
