"""Answers the API's own 404 and 405 (unknown path, method not offered) in its error shape."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/v1/"


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code not in (404, 405):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 404:
            body = {"code": "not_found", "message": "There is no such API endpoint.", "fields": []}
        else:
            allowed = response.get("Allow", "")
            body = {
                "code": "method_not_allowed",
                "message": f"This endpoint does not accept {request.method}; use {allowed}.",
                "fields": [],
            }
        shaped = JsonResponse({"error": body}, status=response.status_code)
        if response.has_header("Allow"):
            shaped["Allow"] = response["Allow"]
        return shaped
