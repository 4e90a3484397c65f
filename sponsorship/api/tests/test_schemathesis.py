"""Property-based tests of the whole API from its own OpenAPI document: no server errors, and
every response (status, content type, body) is one the document describes."""

from io import BytesIO

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from sponsorship.api.api import api
from sponsorship.api.models import ApiToken
from sponsorship.api.tests.fuzzing import GENERATION_MODES, api_document
from sponsorship.core.uploads import check_upload
from sponsorship.licences.models import OrganisationChange, Route
from sponsorship.licences.services import change_request_submit, request_ask_for_information
from sponsorship.licences.tests.api.support import token_for
from sponsorship.licences.tests.factories import (
    ActionPlanFactory,
    AllocationFactory,
    KeyPersonFactory,
    LicenceRequestFactory,
    MessageFactory,
    MessageReadFactory,
    PayeReferenceFactory,
)

# Not negative_data_rejection: it counts an unknown query parameter (ignored, as is usual) and
# the Authorization header it removes (the test always sends the token) as invalid input.
# Invalid bodies and parameters are covered by the 422 tests in test_api_tokens.py.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def bearer(token_for, level1, settings):
    """A real token of a Level 1 user whose board has messages: read, unread and archived."""
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    for n in range(4):
        MessageFactory(title=f"Notice {n}")
    MessageFactory(title="Worker notice", routes=[Route.SKILLED_WORKER])
    MessageFactory(title="Student notice", routes=[Route.STUDENT])
    MessageFactory(title="Archived", archived_at=timezone.now(), archive_on=timezone.localdate())
    MessageReadFactory(message=MessageFactory(title="Already read"), user=level1)
    return token_for(level1)


@pytest.fixture
def licence_data(level1, level2, caseworker):
    """Something in every list of licence management and casework: users, key people, PAYE,
    an allocation, requests (one with a question, an answer and evidence), an action plan."""
    sponsor = level1.sponsor
    KeyPersonFactory(sponsor=sponsor)
    PayeReferenceFactory(added_by=level1)
    AllocationFactory(sponsor=sponsor, limit=20, used=3)
    ActionPlanFactory(sponsor=sponsor, created_by=caseworker)
    LicenceRequestFactory(submitted_by=level1)
    change = change_request_submit(
        actor=level1,
        change_type=OrganisationChange.NAME,
        change_date=timezone.localdate(),
        description="New trading name.",
        declaration_name="Zoë Hartley",
        declaration_position="HR Director",
        evidence=[check_upload(BytesIO(b"%PDF-1.7\n%%EOF\n"), "name.pdf")],
        ip=None,
    )
    request_ask_for_information(
        caseworker=caseworker, request_id=change.pk, question="Send the certificate.", ip=None
    )


@pytest.fixture
def caseworker_bearer(caseworker, level1, licence_data):
    """A caseworker's own token, for the casework operations."""
    return token_for(caseworker)


@pytest.fixture
def api_schema(db, wsgi_app, bearer, licence_data):
    return api_document(wsgi_app)


def token_for_path(path: str, bearer: str, caseworker_bearer: str) -> str:
    """Casework operations are fuzzed as a caseworker, the rest as a Level 1 user."""
    return caseworker_bearer if path.startswith("/api/v1/casework/") else bearer


def documented_operations() -> list[tuple[str, str]]:
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    return [(method.upper(), path) for path, item in document["paths"].items() for method in item]


OPERATIONS = documented_operations()


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS) >= 8


def fuzz(api_schema, bearer, method, path, mode, checks):
    operation = api_schema[path][method]
    phases = [Phase.explicit, Phase.generate, Phase.shrink]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=phases,
    )
    def call(case):
        # A fuzzed DELETE /tokens/{id} may revoke the very token in use: keep it live.
        ApiToken.objects.update(revoked_at=None)
        case.call_and_validate(headers={"Authorization": f"Bearer {bearer}"}, checks=checks)

    call()


@pytest.mark.parametrize("mode", GENERATION_MODES)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_conforms_to_its_openapi_document(
    api_schema, bearer, caseworker_bearer, method, path, mode
):
    """No 5xx; every status code, content type and body as the document describes; and a
    request valid by the document is accepted (checked on the same positive examples, so the
    examples are generated and sent once)."""
    checks = list(CHECKS)
    if mode == GenerationMode.POSITIVE:
        # 400 is this API's answer to a well-formed request that breaks a rule the document
        # cannot state, such as an expiry date in the past (it depends on today); shape errors
        # are 422, which stays an error here. schemathesis already counts 409 the same way.
        acceptance = api_schema.config.checks.positive_data_acceptance
        if "400" not in acceptance.expected_statuses:
            acceptance.expected_statuses = [*acceptance.expected_statuses, "400"]
        checks.append(positive_data_acceptance)
    fuzz(api_schema, token_for_path(path, bearer, caseworker_bearer), method, path, mode, checks)
