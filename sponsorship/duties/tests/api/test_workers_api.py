"""The register through the API: find workers, read one, keep its dates current; who may see
which worker."""

from datetime import date

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.duties.models import Worker
from sponsorship.duties.services import hr_event_record
from sponsorship.licences.models import LicenceStatus, Route
from sponsorship.licences.tests.api.support import query_count
from sponsorship.licences.tests.factories import SponsorFactory

from .support import WORKERS, duty_for, worker_of


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content[:800]
    return [item["family_name"] for item in response.json()["items"]]


# The register


def test_the_register_lists_the_sponsors_workers_by_family_name(api, level1, level2, other_level1):
    nowak = worker_of(level1, "Nowak", given_names="Anna")
    adeyemi = worker_of(level2, "Adeyemi", given_names="Tunde")
    worker_of(other_level1, "Brown")
    duty_for(nowak, date(2026, 11, 16))

    body = api.get(WORKERS).json()

    assert [item["family_name"] for item in body["items"]] == ["Adeyemi", "Nowak"]
    assert body["page"] == {"page": 1, "page_size": 25, "total_items": 2, "total_pages": 1}
    first, second = body["items"]
    assert first["id"] == adeyemi.pk
    assert first["owner"] == {"id": level2.pk, "user_id": "LEVELTWO1", "name": "Priya Raman"}
    assert second == {
        "id": nowak.pk,
        "certificate_id": nowak.certificate_id,
        "certificate_number": nowak.certificate.number,
        "family_name": "Nowak",
        "given_names": "Anna",
        "owner": {"id": level1.pk, "user_id": "LEVELONE1", "name": "Zoë Hartley"},
        "status": "AWAITING_START",
        "status_name": "Not started yet",
        "ended_reason": "",
        "job_title": nowak.job_title,
        "soc_code": nowak.soc_code,
        "annual_salary": "55000.00",
        "weekly_hours": "37.50",
        "work_address": "1 High Street, London, SW1A 1AA",
        "other_work_addresses": "",
        "nation": "ENG",
        "nation_name": "England",
        "certificate_start_date": "2026-11-02",
        "visa_valid_from": None,
        "visa_granted_on": None,
        "start_trigger_on": "2026-11-02",
        "started_on": None,
        "ended_on": None,
        "permission_expires_on": None,
        "right_to_work_checked_on": None,
        "right_to_work_follow_up_on": None,
        "email": "",
        "phone": "",
        "home_address": nowak.home_address,
        "open_duties": 1,
        "created_at": second["created_at"],
        "updated_at": second["updated_at"],
        "version": nowak.version,
    }


def test_a_level_2_user_sees_only_the_workers_they_own(api_as, level1, level2):
    worker_of(level1, "Nowak")
    worker_of(level2, "Adeyemi")
    assert _names(api_as(level2).get(WORKERS)) == ["Adeyemi"]


def test_filters_by_status_and_by_number_or_family_name(api, level1):
    nowak = worker_of(level1, "Nowak")
    worker_of(level1, "Novak")
    hr_event_record(actor=level1, worker=nowak, kind="FIRST_DAY", occurred_on="2026-11-02")

    assert _names(api.get(WORKERS, {"status": "WORKING"})) == ["Nowak"]
    assert _names(api.get(WORKERS, {"status": "AWAITING_START"})) == ["Novak"]
    assert _names(api.get(WORKERS, {"status": "sponsored"})) == ["Novak", "Nowak"]
    assert _names(api.get(WORKERS, {"status": "ENDED"})) == []
    assert _names(api.get(WORKERS, {"search": "now"})) == ["Nowak"]
    spaced = " ".join(nowak.certificate.number.lower())
    assert _names(api.get(WORKERS, {"search": spaced})) == ["Nowak"]


def test_a_bad_filter_is_refused_by_name(api):
    error = assert_error(api.get(WORKERS, {"status": "LOST", "page": "0"}), 422, "invalid_request")
    assert {field["field"] for field in error["fields"]} == {"status", "page"}


def test_open_duties_count_only_open_ones(api, level1):
    worker = worker_of(level1)
    duty_for(worker, date(2026, 11, 16))
    duty_for(worker, date(2026, 11, 13))
    hr_event_record(
        actor=level1,
        worker=worker,
        kind="JOB_CHANGE",
        occurred_on="2026-11-12",
        details={"new_job_title": "Senior nurse", "significant": True},
    )
    from sponsorship.duties.services import activity_report_submit

    activity_report_submit(
        actor=level1,
        worker=worker,
        kind="JOB_CHANGED",
        event_date="2026-11-12",
        details={"new_job_title": "Senior nurse", "new_duties": "Leads the night shift."},
    )
    # Reporting the job change met all three duties of that kind.
    assert api.get(WORKERS).json()["items"][0]["open_duties"] == 0
    duty_for(worker, date(2026, 11, 16), kind="LOCATION_CHANGED")
    assert api.get(WORKERS).json()["items"][0]["open_duties"] == 1
    assert api.get(f"{WORKERS}/{worker.pk}").json()["open_duties"] == 1


def test_the_lists_query_count_does_not_grow_with_its_rows(api, level1, level2):
    def add(n):
        for i in range(n):
            worker = worker_of(level1 if i % 2 else level2, f"Worker{i:02d}")
            duty_for(worker, date(2026, 11, 16))

    add(3)
    few = query_count(lambda: api.get(WORKERS, {"page_size": 100}))
    add(27)
    many = query_count(lambda: api.get(WORKERS, {"page_size": 100}))
    assert len(api.get(WORKERS, {"page_size": 100}).json()["items"]) == 30
    assert few == many


# One worker


def test_one_worker_with_their_contact_details_history(api, level1, worker):
    for day, email in (("2026-11-03", "old@example.org"), ("2026-11-10", "new@example.org")):
        hr_event_record(
            actor=level1,
            worker=worker,
            kind="CONTACT_CHANGE",
            occurred_on=day,
            details={"email": email, "phone": "07700 900123"},
        )
    response = api.get(f"{WORKERS}/{worker.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["email"], body["phone"]) == (
        worker.pk,
        "new@example.org",
        "07700 900123",
    )
    assert [(c["changed_on"], c["email"]) for c in body["contact_history"]] == [
        ("2026-11-10", "new@example.org"),
        ("2026-11-03", "old@example.org"),
    ]


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "/dates", {"version": 1, "permission_expires_on": "2029-01-01"}),
        ("GET", "/events", None),
        ("POST", "/events", {"kind": "FIRST_DAY", "occurred_on": "2026-11-02"}),
        ("POST", "/reports", {"kind": "BREACH_SUSPECTED", "event_date": "2026-11-13"}),
    ],
)
def test_another_sponsors_worker_is_not_found(api, other_level1, method, suffix, body, level1):
    theirs = worker_of(other_level1)
    response = api.call(method, f"{WORKERS}/{theirs.pk}{suffix}", _json(body))
    assert_error(response, 404, "not_found")
    assert Worker.objects.get(pk=theirs.pk).version == theirs.version


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "/dates", {"version": 1, "permission_expires_on": "2029-01-01"}),
        ("GET", "/events", None),
        ("POST", "/events", {"kind": "FIRST_DAY", "occurred_on": "2026-11-02"}),
        ("POST", "/reports", {"kind": "BREACH_SUSPECTED", "event_date": "2026-11-13"}),
    ],
)
def test_a_level_2_user_cannot_reach_a_worker_they_do_not_own(
    api_as, level1, level2, method, suffix, body
):
    not_theirs = worker_of(level1)
    response = api_as(level2).call(method, f"{WORKERS}/{not_theirs.pk}{suffix}", _json(body))
    assert_error(response, 404, "not_found")
    assert Worker.objects.get(pk=not_theirs.pk).version == not_theirs.version


def test_a_level_2_user_reaches_their_own_worker(api_as, level2):
    theirs = worker_of(level2)
    client = api_as(level2)
    assert client.get(f"{WORKERS}/{theirs.pk}").status_code == 200
    response = client.patch_json(
        f"{WORKERS}/{theirs.pk}/dates",
        {"version": theirs.version, "permission_expires_on": "2029-01-01"},
    )
    assert response.status_code == 200, response.content


def _json(body):
    import json

    return None if body is None else json.dumps(body)


# Who may call


def test_a_sponsor_without_a_worker_route_has_no_register(api_as):
    from sponsorship.accounts.tests.factories import Level1Factory

    students_only = Level1Factory(sponsor=SponsorFactory(routes=[Route.STUDENT]))
    assert_error(api_as(students_only).get(WORKERS), 403, "not_permitted")


def test_caseworkers_have_no_register(casework_api, worker):
    assert_error(casework_api.get(WORKERS), 403, "not_permitted")
    assert_error(casework_api.get(f"{WORKERS}/{worker.pk}"), 403, "not_permitted")


def test_a_suspended_licence_still_keeps_its_register(api, sponsor, worker):
    """Reporting duties go on while a licence is suspended."""
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert api.get(WORKERS).status_code == 200
    response = api.patch_json(
        f"{WORKERS}/{worker.pk}/dates",
        {"version": worker.version, "permission_expires_on": "2029-01-01"},
    )
    assert response.status_code == 200, response.content


# Dates


def test_dates_change_and_the_start_clock_moves(api, worker):
    response = api.patch_json(
        f"{WORKERS}/{worker.pk}/dates",
        {
            "version": worker.version,
            "visa_valid_from": "2026-11-09",
            "permission_expires_on": "2029-11-08",
            "right_to_work_checked_on": "2026-11-13",
            "right_to_work_follow_up_on": "2027-11-12",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["visa_valid_from"] == "2026-11-09"
    assert body["start_trigger_on"] == "2026-11-09"
    assert body["permission_expires_on"] == "2029-11-08"
    assert body["right_to_work_follow_up_on"] == "2027-11-12"
    assert body["version"] == worker.version + 1
    assert AuditEvent.objects.filter(verb=AuditVerb.WORKER_DETAILS_CHANGED).count() == 1


def test_null_clears_a_date_and_dates_not_sent_stay(api, worker):
    url = f"{WORKERS}/{worker.pk}/dates"
    first = api.patch_json(
        url,
        {"version": worker.version, "visa_valid_from": "2026-11-09", "visa_granted_on": None},
    ).json()
    second = api.patch_json(url, {"version": first["version"], "visa_valid_from": None}).json()
    assert (second["visa_valid_from"], second["start_trigger_on"]) == (None, "2026-11-02")
    assert second["certificate_start_date"] == "2026-11-02"


def test_a_stale_version_is_refused_and_nothing_changes(api, worker):
    response = api.patch_json(
        f"{WORKERS}/{worker.pk}/dates",
        {"version": worker.version + 3, "permission_expires_on": "2029-11-08"},
    )
    assert_error(response, 409, "stale_edit")
    assert Worker.objects.get(pk=worker.pk).permission_expires_on is None


@pytest.mark.parametrize(
    ("sent", "status", "fields"),
    [
        ({"permission_expires_on": "2029-02-30"}, 422, {"permission_expires_on"}),
        ({"visa_granted_on": 20261109}, 422, {"visa_granted_on"}),
        ({"started_on": "2026-11-02"}, 422, {"started_on"}),
        ({"visa_valid_from": "2014-05-01"}, 400, {"visa_valid_from"}),
        (
            {"right_to_work_checked_on": "2026-11-20", "right_to_work_follow_up_on": "2026-11-19"},
            400,
            {"right_to_work_checked_on", "right_to_work_follow_up_on"},
        ),
    ],
)
def test_bad_dates_are_refused_by_name_and_nothing_changes(api, worker, sent, status, fields):
    response = api.patch_json(f"{WORKERS}/{worker.pk}/dates", {"version": worker.version, **sent})
    error = assert_error(response, status)
    assert {field["field"] for field in error["fields"]} == fields
    assert Worker.objects.get(pk=worker.pk).version == worker.version


def test_the_version_is_required(api, worker):
    error = assert_error(api.patch_json(f"{WORKERS}/{worker.pk}/dates", {}), 422)
    assert [field["field"] for field in error["fields"]] == ["version"]
