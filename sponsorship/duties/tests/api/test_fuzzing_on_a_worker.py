"""Fuzzing the register's operations on a real worker, from the API's own document: whatever an
HR system sends that the document allows (or not), the answer is one the document describes,
never a server error, and a refused request records nothing."""

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from sponsorship.api.tests.fuzzing import DOCUMENTED, GENERATION_MODES, api_document
from sponsorship.duties.models import ActivityReport, Duty, HrEvent, Worker
from sponsorship.licences.tests.api.support import token_for


def _state(worker_id: int) -> tuple[Any, ...]:
    worker = Worker.objects.get(pk=worker_id)
    return (
        worker.version,
        worker.status,
        HrEvent.objects.count(),
        ActivityReport.objects.count(),
        Duty.objects.count(),
    )


def _version(body: dict[str, Any], worker: Worker) -> None:
    body["version"] = worker.version


def _certificate_number(body: dict[str, Any], worker: Worker) -> None:
    body["certificate_number"] = worker.certificate.number


def fuzz_on_worker(
    app: Any,
    method: str,
    path: str,
    mode: GenerationMode,
    *,
    token: str,
    worker_id: int,
    fill_body: Callable[[dict[str, Any], Worker], None] | None = None,
) -> None:
    """Fuzz one operation on a real worker: its id in the path, and `fill_body(body, worker)`
    to put live values (its version, its certificate number) into a generated body."""
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
        before = _state(worker_id)
        if "worker_id" in (case.path_parameters or {}):
            case.path_parameters = {"worker_id": worker_id}
        if fill_body is not None and isinstance(case.body, dict):
            fill_body(case.body, Worker.objects.select_related("certificate").get(pk=worker_id))
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, checks=DOCUMENTED
        )
        if response.status_code >= 400:
            assert _state(worker_id) == before

    call()


@pytest.mark.parametrize(
    ("method", "path", "fill_body"),
    [
        ("GET", "/api/v1/workers/{worker_id}", None),
        ("PATCH", "/api/v1/workers/{worker_id}/dates", _version),
        ("GET", "/api/v1/workers/{worker_id}/events", None),
        ("POST", "/api/v1/workers/{worker_id}/events", None),
        ("POST", "/api/v1/hr-events", _certificate_number),
        ("POST", "/api/v1/workers/{worker_id}/reports", None),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
@pytest.mark.parametrize("mode", GENERATION_MODES)
def test_fuzzed_requests_on_a_real_worker_get_documented_answers(
    wsgi_app, level1, worker, settings, method, path, fill_body, mode
):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    fuzz_on_worker(
        wsgi_app,
        method,
        path,
        mode,
        token=token_for(level1),
        worker_id=worker.pk,
        fill_body=fill_body,
    )
