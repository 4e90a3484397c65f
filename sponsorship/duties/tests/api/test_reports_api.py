"""Migrant activity reports through the API: submitting one, with its deadline and lateness,
corrections, the duties it meets, and reading them back."""

from datetime import date
from typing import Any

import pytest

from sponsorship.api.api import api as ninja_api
from sponsorship.api.tests.api_client import assert_error
from sponsorship.certificates.models import Certificate, CertificateStatus
from sponsorship.duties.kinds import REPORT_FIELDS, STUDENT_EVENT_KINDS
from sponsorship.duties.models import ActivityReport, Duty, DutyStatus, Worker
from sponsorship.duties.services import hr_event_record
from sponsorship.licences.tests.api.support import query_count

from .support import BREACH, DUTIES, REPORTS, WORKERS, duty_for, report_on, worker_of

ABSENCE: dict[str, Any] = {
    "kind": "ABSENCE",
    "event_date": "2026-10-26",
    "details": {
        "contact_attempts": "Phoned on 28 October and 2 November; a letter on 4 November.",
        "sponsorship_continues": False,
    },
}


def _reports(worker) -> str:
    return f"{WORKERS}/{worker.pk}/reports"


def test_a_report_is_submitted_with_its_deadline_and_meets_the_duty(api, level1, worker):
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-11-02")
    hr_event_record(
        actor=level1,
        worker=worker,
        kind="ABSENCE",
        occurred_on="2026-10-26",
        absence_type="UNAUTHORISED",
    )
    duty = Duty.objects.get()

    response = api.post_json(_reports(worker), ABSENCE)

    assert response.status_code == 201, response.content
    body = response.json()
    report = ActivityReport.objects.get()
    assert body == {
        "id": report.pk,
        "reference": f"MA{report.pk:08d}",
        "worker_id": worker.pk,
        "certificate_number": worker.certificate.number,
        "worker_name": "Łukasz Marek Kowalczyk",
        "kind": "ABSENCE",
        "kind_name": "Unauthorised absence of more than 10 working days",
        "event_date": "2026-10-26",
        "event_date_label": "First day of the absence",
        "clock_starts_on": "2026-11-06",
        "due_on": "2026-11-20",
        "late": False,
        "nation": "ENG",
        "details": {
            "contact_attempts": ABSENCE["details"]["contact_attempts"],
            "sponsorship_continues": False,
        },
        "corrects": None,
        "submitted_by": {"id": level1.pk, "user_id": "LEVELONE1", "name": "Zoë Hartley"},
        "submitted_at": "2026-11-16T10:00:00Z",
        "source": "API",
    }
    duty_body = api.get(f"{DUTIES}/{duty.pk}").json()
    assert (duty_body["status"], duty_body["bucket"]) == ("DONE", "done")
    assert duty_body["report"] == {"id": report.pk, "reference": body["reference"]}


def test_a_report_after_its_due_date_is_late(api, worker):
    response = api.post_json(
        _reports(worker),
        {
            "kind": "SALARY_REDUCED",
            "event_date": "2026-10-01",
            "details": {"new_salary": "50000", "reason": "Fewer hours, at their request."},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["due_on"], body["late"]) == ("2026-10-15", True)


def test_a_suspected_breach_has_no_due_date(api, worker):
    response = api.post_json(
        _reports(worker),
        {"kind": "BREACH_SUSPECTED", "event_date": "2026-11-13", "details": BREACH},
    )
    assert response.status_code == 201, response.content
    assert (response.json()["due_on"], response.json()["late"]) == (None, False)


def test_a_correction_points_at_the_report_it_corrects(api, level1, worker):
    first = report_on(worker, level1)
    response = api.post_json(
        _reports(worker),
        {
            "kind": "BREACH_SUSPECTED",
            "event_date": "2026-11-12",
            "details": BREACH,
            "corrects_id": first.pk,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["corrects"] == {"id": first.pk, "reference": first.reference}
    assert ActivityReport.objects.get(pk=first.pk).event_date == date(2026, 11, 13)


def test_stopping_sponsorship_ends_it_and_only_corrections_follow(api, level1, worker):
    duty_for(worker, date(2026, 11, 13))
    stopped = api.post_json(
        _reports(worker),
        {
            "kind": "SPONSORSHIP_STOPPED",
            "event_date": "2026-11-13",
            "details": {"reason": "RESIGNED", "last_known_address": "4 Mill Lane, Leeds"},
        },
    )
    assert stopped.status_code == 201, stopped.content
    assert Worker.objects.get(pk=worker.pk).status == "ENDED"
    assert not Duty.objects.filter(status=DutyStatus.OPEN).exists()

    after = api.post_json(
        _reports(worker),
        {"kind": "BREACH_SUSPECTED", "event_date": "2026-11-13", "details": BREACH},
    )
    assert_error(after, 409, "sponsorship_stopped")
    correction = api.post_json(
        _reports(worker),
        {
            "kind": "SPONSORSHIP_STOPPED",
            "event_date": "2026-11-12",
            "details": {"reason": "RESIGNED", "last_known_address": "4 Mill Lane, Leeds"},
            "corrects_id": stopped.json()["id"],
        },
    )
    assert correction.status_code == 201, correction.content


def test_only_a_used_certificate_can_be_reported_on(api, worker):
    Certificate.objects.filter(pk=worker.certificate_id).update(status=CertificateStatus.ASSIGNED)
    response = api.post_json(
        _reports(worker),
        {"kind": "BREACH_SUSPECTED", "event_date": "2026-11-13", "details": BREACH},
    )
    assert_error(response, 409, "certificate_not_used")
    assert not ActivityReport.objects.exists()


@pytest.mark.parametrize(
    ("sent", "fields"),
    [
        ({**ABSENCE, "details": {}}, {"details.contact_attempts", "details.sponsorship_continues"}),
        (
            {**ABSENCE, "details": {**ABSENCE["details"], "return_date": "2026-10-20"}},
            {"details.return_date"},
        ),
        ({**ABSENCE, "event_date": "2026-11-17"}, {"event_date"}),
        ({**ABSENCE, "event_date": "2012-01-09"}, {"event_date"}),
        ({**ABSENCE, "corrects_id": 999_999}, {"corrects_id"}),
    ],
)
def test_a_rule_broken_is_refused_with_400_naming_the_field(api, worker, sent, fields):
    error = assert_error(api.post_json(_reports(worker), sent), 400)
    assert {field["field"] for field in error["fields"]} == fields
    assert not ActivityReport.objects.exists()


@pytest.mark.parametrize(
    ("sent", "fields"),
    [
        ({**ABSENCE, "kind": "ORGANISATION_CHANGE"}, {"kind"}),
        ({**ABSENCE, "event_date": None}, {"event_date"}),
        ({**ABSENCE, "corrects_id": 0}, {"corrects_id"}),
        ({**ABSENCE, "details": {"contact_attempts": ["phone"]}}, {"details.contact_attempts"}),
    ],
)
def test_a_malformed_report_is_refused_with_422_naming_the_field(api, worker, sent, fields):
    error = assert_error(api.post_json(_reports(worker), sent), 422, "invalid_request")
    assert {field["field"] for field in error["fields"]} == fields
    assert not ActivityReport.objects.exists()


def test_a_correction_must_be_of_your_own_report_about_the_same_worker(
    api, level1, other_level1, worker
):
    theirs = report_on(worker_of(other_level1), other_level1)
    another_workers = report_on(worker_of(level1, "Nowak"), level1)
    for corrects in (theirs, another_workers):
        sent = {
            "kind": "BREACH_SUSPECTED",
            "event_date": "2026-11-13",
            "details": BREACH,
            "corrects_id": corrects.pk,
        }
        error = assert_error(api.post_json(_reports(worker), sent), 400)
        assert [field["field"] for field in error["fields"]] == ["corrects_id"]
    assert ActivityReport.objects.count() == 2


# Reading them back


def test_the_reports_newest_first_and_by_worker(api, level1, frozen, worker):
    nowak = worker_of(level1, "Nowak")
    first = report_on(worker, level1)
    frozen.shift(60)
    second = report_on(nowak, level1)
    body = api.get(REPORTS).json()
    assert [r["id"] for r in body["items"]] == [second.pk, first.pk]
    by_worker = api.get(REPORTS, {"worker_id": worker.pk}).json()
    assert [r["id"] for r in by_worker["items"]] == [first.pk]
    assert api.get(f"{REPORTS}/{first.pk}").json()["reference"] == first.reference


def test_a_level_2_user_reads_the_reports_about_their_own_workers(api_as, level1, level2):
    mine = report_on(worker_of(level2, "Adeyemi"), level2)
    not_mine = report_on(worker_of(level1, "Nowak"), level1)
    client = api_as(level2)
    assert [r["id"] for r in client.get(REPORTS).json()["items"]] == [mine.pk]
    assert client.get(f"{REPORTS}/{mine.pk}").status_code == 200
    assert_error(client.get(f"{REPORTS}/{not_mine.pk}"), 404, "not_found")
    assert_error(client.get(REPORTS, {"worker_id": not_mine.worker_id}), 404, "not_found")


def test_another_sponsors_report_is_not_found(api, other_level1):
    theirs = report_on(worker_of(other_level1), other_level1)
    assert_error(api.get(f"{REPORTS}/{theirs.pk}"), 404, "not_found")
    assert_error(api.get(REPORTS, {"worker_id": theirs.worker_id}), 404, "not_found")
    assert api.get(REPORTS).json()["items"] == []


def test_the_lists_query_count_does_not_grow_with_its_rows(api, level1, level2):
    def add(n):
        for i in range(n):
            owner = level1 if i % 2 else level2
            report_on(worker_of(owner, f"Worker{i:02d}"), owner)

    add(3)
    few = query_count(lambda: api.get(REPORTS, {"page_size": 100}))
    # A correction points at another report: still no query of its own.
    first = ActivityReport.objects.first()
    report_on(first.worker, level1, corrects=first)
    add(26)
    many = query_count(lambda: api.get(REPORTS, {"page_size": 100}))
    assert len(api.get(REPORTS, {"page_size": 100}).json()["items"]) == 30
    assert few == many


def test_caseworkers_use_the_casework_operations(casework_api, level1, worker):
    report = report_on(worker, level1)
    assert_error(casework_api.get(REPORTS), 403, "not_permitted")
    assert_error(casework_api.get(f"{REPORTS}/{report.pk}"), 403, "not_permitted")


def test_every_kind_and_question_is_documented():
    operation = ninja_api.get_openapi_schema(path_prefix="/api/v1/")["paths"][
        "/api/v1/workers/{worker_id}/reports"
    ]["post"]
    for kind, fields in REPORT_FIELDS.items():
        if kind in STUDENT_EVENT_KINDS:
            # A student's are documented under /students/{student_id}/reports.
            assert f"`{kind}`" not in operation["description"]
            continue
        assert f"`{kind}`" in operation["description"]
        for field in fields:
            assert f"`{field.name}`" in operation["description"]
    assert "ORGANISATION_CHANGE" not in operation["description"]
