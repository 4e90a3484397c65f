"""Fuzzing the API from its own OpenAPI document, served by Django's WSGI application in this
process (the `wsgi_app` fixture of the root conftest)."""

from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sponsorship.api.api import api

DOCUMENT_PATH = "/api/v1/openapi.json"

# The two kinds of fuzzed request, as a test parameter. Requests made invalid on purpose run in
# the suite's last pass only (docs/adr/0015-what-each-database-pass-runs.md).
GENERATION_MODES = [
    pytest.param(GenerationMode.POSITIVE, id="positive"),
    pytest.param(GenerationMode.NEGATIVE, id="negative", marks=pytest.mark.one_pass),
]


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


# Every response must be one the document describes, and never a server error.
DOCUMENTED = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def fuzz_on_certificate(
    app: Any,
    method: str,
    path: str,
    mode: GenerationMode,
    *,
    token: str,
    certificate_id: int,
    fill_body: Callable[[dict[str, Any], Any], None] | None = None,
) -> None:
    """Fuzz one operation on a real certificate: its id in the path, and `fill_body(body,
    certificate)` to put live values (its version, say) into a generated body. Every answer
    must be documented, and a refused request must leave the certificate as it was."""
    from sponsorship.certificates.models import Certificate

    operation = api_document(app)[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def call(case: Any) -> None:
        current = Certificate.objects.get(pk=certificate_id)
        if "certificate_id" in (case.path_parameters or {}):
            case.path_parameters = {"certificate_id": certificate_id}
        if fill_body is not None and isinstance(case.body, dict):
            fill_body(case.body, current)
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, checks=DOCUMENTED
        )
        if response.status_code >= 400:
            after = Certificate.objects.get(pk=certificate_id)
            assert (after.version, after.status) == (current.version, current.status)

    call()
