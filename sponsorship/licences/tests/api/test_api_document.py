"""The OpenAPI document of the licence management and casework operations."""

from collections.abc import Iterator

from ninja import Schema

from sponsorship.api.api import api


def _schemas(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_every_schema_has_its_own_name() -> None:
    """The document names each schema by its class name: two classes with one name would share
    one definition, and one of them would be documented wrongly."""
    api.get_openapi_schema()  # imports every router's schemas
    seen: dict[str, str] = {}
    for schema in set(_schemas(Schema)):
        if not schema.__module__.startswith("sponsorship."):
            continue
        where = f"{schema.__module__}.{schema.__qualname__}"
        assert seen.setdefault(schema.__name__, where) == where, (
            f"{schema.__name__}: {seen[schema.__name__]} and {where}"
        )


def test_the_operations_are_documented():
    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    for path in (
        "/api/v1/users/{user_id}",
        "/api/v1/change-requests",
        "/api/v1/allocations",
        "/api/v1/casework/queues/{queue}",
        "/api/v1/casework/requests/{request_id}/decision",
    ):
        assert path in paths
    multipart = paths["/api/v1/change-requests"]["post"]["requestBody"]["content"]
    assert set(multipart) == {"multipart/form-data"}
    fields = multipart["multipart/form-data"]["schema"]["properties"]
    assert fields["evidence"] == {
        "items": {"format": "binary", "type": "string"},
        "title": "Evidence",
        "type": "array",
    }
    decision = paths["/api/v1/casework/requests/{request_id}/decision"]["post"]
    assert {200, 400, 401, 403, 404, 409, 422, 429} <= set(decision["responses"])


def test_evidence_download_urls_are_the_web_services():
    """The API names the web address that serves each evidence file to those allowed to see it."""
    from django.urls import resolve

    from sponsorship.licences.api.shapes import EVIDENCE_URL

    match = resolve(EVIDENCE_URL.format(id=7))
    assert (match.view_name, match.kwargs) == ("licences:evidence", {"evidence_id": 7})
