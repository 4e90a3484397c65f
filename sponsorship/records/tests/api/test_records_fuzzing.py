"""The record keeping operations fuzzed over a real worker of the caller's sponsor: every answer
one the OpenAPI document describes, and a refused upload leaves nothing stored."""

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from sponsorship.api.tests.fuzzing import DOCUMENTED, GENERATION_MODES, api_document
from sponsorship.licences.tests.api.support import token_for

from ...models import RecordVersion

OPERATIONS = [
    ("GET", "/api/v1/workers/{worker_id}/records"),
    ("POST", "/api/v1/workers/{worker_id}/records/{item}"),
    ("GET", "/api/v1/workers/{worker_id}/records/{item}/versions"),
    ("POST", "/api/v1/workers/{worker_id}/records/{item}/not-needed"),
    ("DELETE", "/api/v1/workers/{worker_id}/records/{item}/not-needed"),
]


@pytest.mark.parametrize("mode", GENERATION_MODES)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operations_on_a_real_worker_answer_as_documented(
    wsgi_app, level1, worker, settings_, method, path, mode
):
    token = token_for(level1)
    operation = api_document(wsgi_app)[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def call(case):
        if "worker_id" in (case.path_parameters or {}):
            case.path_parameters = {**case.path_parameters, "worker_id": worker.pk}
        before = RecordVersion.objects.count()
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, checks=DOCUMENTED
        )
        if response.status_code >= 400:
            assert RecordVersion.objects.count() == before

    call()


@pytest.fixture
def settings_(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    return settings
