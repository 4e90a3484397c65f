"""Forgetting to declare who may reach a page or an API operation must be impossible:
every route is walked, and a view without a rule is refused by the middleware."""

import functools
import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path

from config.urls import urlpatterns as real_urlpatterns
from sponsorship.api.api import api
from sponsorship.core.access import access_rule_of, public, requires
from sponsorship.core.permissions import Permission

THIS_MODULE = __name__


# A tiny URLconf for the middleware tests: the real routes, plus views with and without a rule.
def undeclared_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("reached the undeclared view")


@public
def declared_public_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("reached the public view")


@requires(Permission.AUDIT_TRAIL_VIEW)
def declared_level1_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("reached the Level 1 view")


urlpatterns = [
    path("test-only/undeclared/", undeclared_view),
    path("test-only/public/", declared_public_view),
    path("test-only/level1/", declared_level1_view),
    *real_urlpatterns,
]


@dataclass(frozen=True)
class Route:
    route: str
    callback: Any
    namespaces: tuple[str, ...]


def walk(
    patterns: list[Any], prefix: str = "", namespaces: tuple[str, ...] = ()
) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield Route(prefix + str(entry.pattern), entry.callback, namespaces)


def _unwrap(view: Any) -> Any:
    while isinstance(view, functools.partial):
        view = view.func
    return view


def is_admin_route(route: Route) -> bool:
    # Everything Django admin mounts (its own views and the ones other apps add to it).
    module = str(getattr(_unwrap(route.callback), "__module__", ""))
    return "admin" in route.namespaces or module.startswith("django.contrib.admin")


def is_api_route(route: Route) -> bool:
    return api.urls_namespace in route.namespaces


def undeclared_routes(urlconf: str | None = None) -> list[str]:
    return [
        route.route
        for route in walk(get_resolver(urlconf).url_patterns)
        if not is_admin_route(route)
        and not is_api_route(route)
        and access_rule_of(route.callback) is None
    ]


def api_operations() -> Iterator[tuple[str, Any]]:
    """Every operation of every router added to the API (the URLs are built first, which also
    lists nested routers)."""
    api.urls  # noqa: B018
    for prefix, router in api._routers:
        for route, path_view in router.path_operations.items():
            for operation in path_view.operations:
                full = "/" + "/".join(p.strip("/") for p in (prefix, route) if p.strip("/"))
                yield f"{','.join(operation.methods)} {full}", operation


def served_api_operations() -> Iterator[tuple[str, Any]]:
    """The operations as the API serves them (auth applied), found through the URLconf."""
    seen: set[int] = set()
    for route in walk(get_resolver().url_patterns):
        if not is_api_route(route) or _unwrap(route.callback).__module__ == "ninja.openapi.views":
            continue
        # One URL pattern per operation, each serving every operation of its path.
        path_view = inspect.getclosurevars(route.callback).nonlocals["self"]
        for operation in path_view.operations:
            if id(operation) not in seen:
                seen.add(id(operation))
                yield f"{','.join(operation.methods)} /{route.route}", operation


# The web


def test_every_web_route_declares_an_access_rule():
    assert undeclared_routes() == []


def test_the_walk_sees_the_routes_it_should_check():
    routes = [r.route for r in walk(get_resolver().url_patterns) if not is_admin_route(r)]
    for expected in ("home/", "messages/", "licence/", "audit-trail/", "api-tokens/", "casework/"):
        assert any(r == expected or r.endswith(expected) for r in routes), expected


def test_the_walk_reports_a_view_without_a_rule():
    assert undeclared_routes(THIS_MODULE) == ["test-only/undeclared/"]


def test_every_declared_rule_is_a_known_rule():
    known = {"public", "signed-in", "sign-in-step", *(p.value for p in Permission)}
    for route in walk(get_resolver().url_patterns):
        rule = access_rule_of(route.callback)
        if rule is not None:
            assert str(rule) in known, route.route


# The API


def test_the_api_has_operations_to_check():
    assert len(list(api_operations())) >= 8


@pytest.mark.parametrize(
    ("name", "operation"), list(api_operations()), ids=[n for n, _ in api_operations()]
)
def test_every_api_operation_declares_a_permission(name, operation):
    permission = getattr(operation.view_func, "required_permission", None)
    assert permission is not None, f"{name} has no @api_requires(...)"
    assert isinstance(permission, Permission)


def test_every_served_api_operation_declares_a_permission_and_needs_a_token():
    served = list(served_api_operations())
    assert len(served) == len(list(api_operations()))
    for name, operation in served:
        assert isinstance(getattr(operation.view_func, "required_permission", None), Permission), (
            name
        )
        assert operation.auth_callbacks, f"{name} can be called without a token"


@pytest.mark.django_db
def test_every_api_operation_refuses_a_request_without_a_token(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["paths"]
    for url, operations in document["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "1", url)  # every path parameter, like {message_id}
        for method, spec in operations.items():
            assert spec.get("security"), f"{method.upper()} {url} is documented as public"
            response = client.generic(method.upper(), concrete, content_type="application/json")
            assert response.status_code == 401, f"{method.upper()} {url}"
            assert response.json()["error"]["code"] == "not_authenticated"
            assert "sessionid" not in response.cookies


# The middleware fails closed


@pytest.mark.urls(THIS_MODULE)
@pytest.mark.django_db
def test_a_view_without_a_rule_is_refused_to_anonymous_users(client: Client):
    response = client.get("/test-only/undeclared/")
    assert response.status_code == 403
    assert b"reached the undeclared view" not in response.content
    assert "This page is not available." in response.content.decode()


@pytest.mark.urls(THIS_MODULE)
def test_a_view_without_a_rule_is_refused_to_signed_in_users(signed_in, level1):
    client = signed_in(level1)
    response = client.get("/test-only/undeclared/")
    assert response.status_code == 403
    assert b"reached the undeclared view" not in response.content


@pytest.mark.urls(THIS_MODULE)
def test_a_view_without_a_rule_is_refused_even_to_a_caseworker(signed_in, caseworker):
    response = signed_in(caseworker).get("/test-only/undeclared/")
    assert response.status_code == 403


@pytest.mark.urls(THIS_MODULE)
@pytest.mark.django_db
def test_declared_views_are_served_as_declared(client: Client):
    assert client.get("/test-only/public/").content == b"reached the public view"
    response = client.get("/test-only/level1/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.urls(THIS_MODULE)
def test_a_permission_rule_admits_the_right_role_only(signed_in, level1, level2):
    client = signed_in(level1)
    assert client.get("/test-only/level1/").content == b"reached the Level 1 view"
    client.logout()
    response = signed_in(level2).get("/test-only/level1/")
    assert response.status_code == 403
    assert b"reached the Level 1 view" not in response.content
