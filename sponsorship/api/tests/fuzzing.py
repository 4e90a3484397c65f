"""Fuzzing the API from its own OpenAPI document, served by Django's WSGI application in this
process (the `wsgi_app` fixture of the root conftest)."""

from functools import cache
from typing import Any

import schemathesis

from sponsorship.api.api import api

DOCUMENT_PATH = "/api/v1/openapi.json"


@cache
def _document() -> Any:
    """The document as /api/v1/openapi.json serves it, built and parsed once: doing that for
    each of the hundreds of fuzzed operations cost more than fuzzing them."""
    return schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))


def api_document(app: Any) -> Any:
    """The parsed document, calling `app`."""
    schema = _document()
    schema.app = app
    schema.location = DOCUMENT_PATH
    return schema
