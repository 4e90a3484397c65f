"""Duties through the API: what must be reported, by when, grouped as the dashboard groups them;
who sees which."""

from datetime import date

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.duties.services import activity_report_submit
from sponsorship.licences.tests.api.support import query_count

from .support import DUTIES, duty_for, worker_of

# Today is Monday 16 November 2026; the week ends on Sunday 22nd. A job change is due 10
# working days after it.
OVERDUE = date(2026, 10, 26)  # due Monday 9 November
THIS_WEEK = date(2026, 11, 3)  # due Tuesday 17 November
LATER = date(2026, 11, 16)  # due Monday 30 November


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:800]
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def duties(level1, worker):
    """One duty in each bucket, the done one met by a report of a location change."""
    done = duty_for(worker, date(2026, 11, 12), kind="LOCATION_CHANGED")
    activity_report_submit(
        actor=level1,
        worker=worker,
        kind="LOCATION_CHANGED",
        event_date="2026-11-12",
        details={"location_kind": "CLIENT_SITE", "new_address": "Ward 4, St Anne's, Leeds"},
    )
    return {
        "overdue": duty_for(worker, OVERDUE),
        "this-week": duty_for(worker, THIS_WEEK),
        "later": duty_for(worker, LATER),
        "done": done,
    }


def test_open_duties_come_first_soonest_due_first(api, duties):
    assert _ids(api.get(DUTIES)) == [
        duties["overdue"].pk,
        duties["this-week"].pk,
        duties["later"].pk,
        duties["done"].pk,
    ]


@pytest.mark.parametrize("bucket", ["overdue", "this-week", "later", "done"])
def test_each_bucket(api, duties, bucket):
    response = api.get(DUTIES, {"bucket": bucket})
    assert _ids(response) == [duties[bucket].pk]
    assert response.json()["items"][0]["bucket"] == bucket


def test_one_duty_in_full(api, worker, duties):
    duty = duties["this-week"]
    response = api.get(f"{DUTIES}/{duty.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {
        "id": duty.pk,
        "kind": "JOB_CHANGED",
        "kind_name": "Job changed significantly",
        "worker": {
            "id": worker.pk,
            "kind": "WORKER",
            "certificate_number": worker.certificate.number,
            "name": "Łukasz Marek Kowalczyk",
        },
        "event_date": "2026-11-03",
        "clock_starts_on": "2026-11-03",
        "due_on": "2026-11-17",
        "nation": "ENG",
        "summary": "Job changed",
        "status": "OPEN",
        "status_name": "To do",
        "bucket": "this-week",
        "raised_at": body["raised_at"],
        "closed_at": None,
        "closed_note": "",
        "report": None,
    }
    done = api.get(f"{DUTIES}/{duties['done'].pk}").json()
    assert done["status"] == "DONE"
    assert done["report"]["reference"].startswith("MA")


def test_duties_of_one_worker(api, level1, worker, duties):
    nowak = worker_of(level1, "Nowak")
    theirs = duty_for(nowak, LATER)
    assert _ids(api.get(DUTIES, {"worker_id": nowak.pk})) == [theirs.pk]
    assert len(_ids(api.get(DUTIES, {"worker_id": worker.pk}))) == 4
    assert _ids(api.get(DUTIES, {"worker_id": nowak.pk, "bucket": "overdue"})) == []


def test_a_level_2_user_sees_the_duties_about_their_own_workers(api_as, level2, duties):
    mine = duty_for(worker_of(level2, "Adeyemi"), LATER)
    client = api_as(level2)
    assert _ids(client.get(DUTIES)) == [mine.pk]
    assert client.get(f"{DUTIES}/{mine.pk}").status_code == 200
    assert_error(client.get(f"{DUTIES}/{duties['later'].pk}"), 404, "not_found")
    assert_error(client.get(DUTIES, {"worker_id": duties["later"].worker_id}), 404, "not_found")


def test_another_sponsors_duties_are_not_found(api, other_level1):
    theirs = duty_for(worker_of(other_level1), LATER)
    assert _ids(api.get(DUTIES)) == []
    assert_error(api.get(f"{DUTIES}/{theirs.pk}"), 404, "not_found")
    assert_error(api.get(DUTIES, {"worker_id": theirs.worker_id}), 404, "not_found")


def test_a_bad_filter_is_refused_by_name(api):
    error = assert_error(api.get(DUTIES, {"bucket": "soon", "worker_id": "x"}), 422)
    assert {field["field"] for field in error["fields"]} == {"bucket", "worker_id"}


def test_caseworkers_have_no_duties(casework_api):
    assert_error(casework_api.get(DUTIES), 403, "not_permitted")


def test_the_lists_query_count_does_not_grow_with_its_rows(api, level1, level2):
    def add(n, first):
        for i in range(first, first + n):
            owner = level1 if i % 2 else level2
            duty_for(worker_of(owner, f"Worker{i:02d}"), date(2026, 11, 16))

    add(3, 0)
    few = query_count(lambda: api.get(DUTIES, {"page_size": 100}))
    add(27, 3)
    many = query_count(lambda: api.get(DUTIES, {"page_size": 100}))
    assert len(_ids(api.get(DUTIES, {"page_size": 100}))) == 30
    assert few == many


def test_organisation_duties_are_for_level_1_users(api, api_as, level1, level2):
    from sponsorship.duties.services import organisation_change_record

    duty = organisation_change_record(
        actor=level1,
        change_type="NAME",
        change_date="2026-11-12",
        summary="Now trading as Harbour View Homes.",
        ip=None,
    )
    body = api.get(f"{DUTIES}/{duty.pk}").json()
    assert (body["kind"], body["worker"]) == ("ORGANISATION_CHANGE", None)
    assert _ids(api.get(DUTIES)) == [duty.pk]
    assert _ids(api_as(level2).get(DUTIES)) == []
    assert_error(api_as(level2).get(f"{DUTIES}/{duty.pk}"), 404, "not_found")
