from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .permissions import AccessFor


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SERVICE_NAME,
        "access": AccessFor(getattr(request, "user", None)),
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
