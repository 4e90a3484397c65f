"""Bearer-token authentication and the per-token rate limit. No session, no cookie."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from sponsorship.core import ratelimit
from sponsorship.core.errors import RateLimited

from .services import api_token_authenticate


class TokenAuth(HttpBearer):
    openapi_description = (
        "A personal API token from 'API tokens' in the service: `Authorization: Bearer sms_...`"
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        used, reset_in = ratelimit.hit("api-token", str(api_token.pk), window=60)
        if used > settings.API_RATE_LIMIT_PER_MINUTE:
            raise RateLimited(
                f"This token made more than {settings.API_RATE_LIMIT_PER_MINUTE} requests "
                "in a minute. "
                f"Wait {reset_in} seconds.",
                retry_after=reset_in,
            )
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user
