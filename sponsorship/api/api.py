"""The API at /api/v1/: one NinjaAPI, the routers of each app, one error shape."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sponsorship.core.errors import ApplicationError, RateLimited

from .auth import TokenAuth

api = NinjaAPI(
    title="Sponsor Management System API",
    version="1",
    description=(
        "Everything a sponsor can do in the web service, for HR and student records systems. "
        "Authenticate with a personal API token (`Authorization: Bearer sms_...`) created by a "
        "Level 1 user under 'API tokens'. A token acts as its owner, with the owner's level. "
        'Every error has the shape `{"error": {"code", "message", "fields"}}`.'
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: list[dict[str, str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request,
        {"error": {"code": code, "message": message, "fields": fields or []}},
        status=status,
    )


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    fields = [{"field": field, "message": message} for field, message in exc.errors]
    response = _error(request, exc.http_status, exc.code, exc.message, fields)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = []
    for err in exc.errors:
        # ("body", "payload", "name") or ("form", "body"): drop where it came from, keep the
        # field's own name (which may itself be "body").
        location = [str(part) for part in err.get("loc", ())]
        if location and location[0] in ("body", "query", "path", "form", "file"):
            location = location[1:]
        if location and location[0] == "payload":
            location = location[1:]
        # Our own validators' messages are plain English already; pydantic prefixes them.
        message = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
        fields.append({"field": ".".join(location) or "request", "message": message})
    return _error(
        request,
        422,
        "invalid_request",
        "The request is not valid. See the fields for what to fix.",
        fields,
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: Any) -> HttpResponse:
    response = _error(
        request,
        401,
        "not_authenticated",
        "Send a valid, unexpired API token: Authorization: Bearer sms_...",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # ninja's only 400 is a body it cannot parse: invalid input, like any other.
        return _error(
            request,
            422,
            "invalid_request",
            "The request body is not valid JSON.",
            [{"field": "body", "message": 'Send a JSON object, like {"name": "HR system"}'}],
        )
    return _error(request, exc.status_code, "http_error", str(exc))


def _mount() -> None:
    from sponsorship.accounts.api import router as accounts_router
    from sponsorship.api.tokens_api import router as tokens_router
    from sponsorship.bulk.api import routers as bulk_routers
    from sponsorship.casework.api import router as casework_router
    from sponsorship.certificates.api import casework_router as casework_certificates_router
    from sponsorship.certificates.api import routers as certificate_routers
    from sponsorship.duties.api import casework_router as casework_duties_router
    from sponsorship.duties.api import routers as duty_routers
    from sponsorship.licences.api import routers as licence_routers
    from sponsorship.records.api import routers as record_routers

    api.add_router("/", accounts_router)
    for router in licence_routers:
        api.add_router("/", router)
    for router in certificate_routers:
        api.add_router("/", router)
    for router in [*duty_routers, *record_routers, *bulk_routers]:
        api.add_router("/", router)
    api.add_router("/", tokens_router)
    api.add_router("/casework/", casework_router)
    api.add_router("/casework/", casework_certificates_router)
    api.add_router("/casework/", casework_duties_router)


_mount()
