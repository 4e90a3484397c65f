"""POST /organisation-changes: a Level 1 user starts the clock on a change to the organisation;
the change of circumstances request meets it. The clock is Monday 16 November 2026."""

from datetime import date

from sponsorship.api.tests.api_client import assert_error
from sponsorship.duties.models import Duty
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.services import change_request_submit

URL = "/api/v1/organisation-changes"
CHANGE = {
    "change_type": "ADDRESS",
    "change_date": "2026-11-02",
    "summary": "Head office moved to 5 Quay Street",
}


def test_a_change_is_recorded_with_its_20_working_day_deadline(api, level1):
    response = api.post_json(URL, CHANGE)
    assert response.status_code == 201, response.content
    body = response.json()
    # Monday 2 November + 20 working days in England = Monday 30 November.
    assert (body["kind"], body["due_on"], body["status"]) == (
        "ORGANISATION_CHANGE",
        "2026-11-30",
        "OPEN",
    )
    assert Duty.objects.get().sponsor == level1.sponsor


def test_the_change_request_meets_it(api, level1):
    api.post_json(URL, CHANGE)
    change_request_submit(
        actor=level1,
        change_type="ADDRESS",
        change_date=date(2026, 11, 2),
        description="Head office moved to 5 Quay Street, Bristol.",
        declaration_name="Zoë Hartley",
        declaration_position="HR Director",
        evidence=[],
        ip=None,
    )
    duty = api.get(f"/api/v1/duties/{Duty.objects.get().pk}").json()
    assert duty["status"] == "DONE"


def test_bad_input_names_each_field_and_records_nothing(api):
    response = api.post_json(URL, {**CHANGE, "change_type": "MOON", "summary": ""})
    error = assert_error(response, 422)
    assert {field["field"] for field in error["fields"]} >= {"change_type", "summary"}
    future = assert_error(api.post_json(URL, {**CHANGE, "change_date": "2026-11-17"}), 400)
    assert future["fields"][0]["field"] == "change_date"
    assert not Duty.objects.exists()


def test_level_2_users_and_caseworkers_may_not(api_as, level2, caseworker):
    assert_error(api_as(level2).post_json(URL, CHANGE), 403)
    assert_error(api_as(caseworker).post_json(URL, CHANGE), 403)
    assert not Duty.objects.exists()


def test_a_dormant_licence_refuses_it_with_its_code(api, level1):
    level1.sponsor.status = LicenceStatus.DORMANT
    level1.sponsor.save()
    assert_error(api.post_json(URL, CHANGE), 409, "licence_dormant")
