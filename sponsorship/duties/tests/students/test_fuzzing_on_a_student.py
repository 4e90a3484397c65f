"""Fuzzing the student register's operations on a real student, from the API's own document:
whatever a student records system sends that the document allows (or not), the answer is one
the document describes, never a server error, and a refused request records nothing."""

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from sponsorship.api.tests.fuzzing import DOCUMENTED, GENERATION_MODES, api_document
from sponsorship.duties.models import ActivityReport, Duty, HrEvent, Worker
from sponsorship.duties.services import student_event_record
from sponsorship.licences.tests.api.support import token_for


def _state(student_id: int) -> tuple[Any, ...]:
    student = Worker.objects.get(pk=student_id)
    return (
        student.version,
        student.status,
        HrEvent.objects.count(),
        ActivityReport.objects.count(),
        Duty.objects.count(),
    )


def _cas_number(body: dict[str, Any], student: Worker) -> None:
    body["cas_number"] = student.certificate.number


def fuzz_on_student(
    app: Any,
    method: str,
    path: str,
    mode: GenerationMode,
    *,
    token: str,
    student_id: int,
    fill_body: Callable[[dict[str, Any], Worker], None] | None = None,
) -> None:
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
        before = _state(student_id)
        if "student_id" in (case.path_parameters or {}):
            case.path_parameters = {"student_id": student_id}
        if fill_body is not None and isinstance(case.body, dict):
            fill_body(case.body, Worker.objects.select_related("certificate").get(pk=student_id))
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, checks=DOCUMENTED
        )
        if response.status_code >= 400:
            assert _state(student_id) == before

    call()


@pytest.mark.parametrize(
    ("method", "path", "fill_body"),
    [
        ("GET", "/api/v1/students", None),
        ("GET", "/api/v1/students/{student_id}", None),
        ("GET", "/api/v1/students/{student_id}/events", None),
        ("POST", "/api/v1/students/{student_id}/events", None),
        ("POST", "/api/v1/student-events", _cas_number),
        ("POST", "/api/v1/students/{student_id}/reports", None),
        ("GET", "/api/v1/student-reports", None),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
@pytest.mark.parametrize("mode", GENERATION_MODES)
def test_fuzzed_requests_on_a_real_student_get_documented_answers(
    wsgi_app, level1, student, settings, method, path, fill_body, mode
):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    # Enrolled, so every kind of event can be recorded.
    student_event_record(actor=level1, student=student, kind="ENROLLED", occurred_on="2026-09-14")
    fuzz_on_student(
        wsgi_app,
        method,
        path,
        mode,
        token=token_for(level1),
        student_id=student.pk,
        fill_body=fill_body,
    )
