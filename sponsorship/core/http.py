"""Small HTTP helpers with no domain in them."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request: HttpRequest) -> str | None:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def safe_next(request: HttpRequest, candidate: str | None, default: str) -> str:
    """Only ever redirect within this site."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
