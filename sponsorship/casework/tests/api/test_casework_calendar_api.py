"""Caseworkers read the bank holidays that working-day counts skip, and add and remove the Home
Office's changes to the published calendar, through the API. Today is Monday 16 November 2026."""

from datetime import date

import pytest

from sponsorship.accounts.tests.factories import CaseworkerFactory
from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditVerb
from sponsorship.core import workingdays
from sponsorship.core.models import BankHolidayOverride
from sponsorship.core.workingdays import add_working_days
from sponsorship.licences.tests.api.support import events, query_count

HOLIDAYS = "/api/v1/casework/bank-holidays"
OVERRIDES = "/api/v1/casework/bank-holiday-overrides"
CORONATION = {
    "day": "2026-11-23",
    "nation": "ENG",
    "change": "ADD",
    "name": "Coronation of King Charles III",
}


@pytest.fixture(autouse=True)
def _fresh_calendar():
    workingdays.forget_overrides()
    yield
    workingdays.forget_overrides()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`committed(lambda: ...)`: run it, then what waits for the commit (the announcement that
    the calendar changed), as at the end of a real request."""

    def _run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return _run


def override(day, nation="ENG", change="ADD", name="Royal event"):
    made = BankHolidayOverride.objects.create(
        day=day, nation=nation, change=change, name=name, created_by=CaseworkerFactory()
    )
    workingdays.announce_overrides()
    return made


# ---------------------------------------------------------------- the bank holidays


def test_the_coming_year_in_every_part_of_the_uk(casework_api):
    response = casework_api.get(HOLIDAYS)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["first_day"], body["last_day"]) == ("2026-11-16", "2027-11-15")
    first = body["items"][:5]
    assert [(h["day"], h["nation"], h["source"]) for h in first] == [
        ("2026-11-30", "SCT", "calendar"),
        ("2026-12-25", "ENG", "calendar"),
        ("2026-12-25", "WLS", "calendar"),
        ("2026-12-25", "SCT", "calendar"),
        ("2026-12-25", "NIR", "calendar"),
    ]
    assert first[0]["nation_name"] == "Scotland"
    assert first[0]["name"] == "Saint Andrew's Day"
    assert first[0]["override_id"] is None
    # Weekdays only: Boxing Day 2026 is a Saturday, its substitute is Monday 28.
    days = {h["day"] for h in body["items"]}
    assert "2026-12-26" not in days
    assert "2026-12-28" in days


def test_one_nation_and_a_period(casework_api):
    response = casework_api.get(
        HOLIDAYS, {"nation": "NIR", "from": "2027-03-01", "to": "2027-07-31"}
    )
    assert [(h["day"], h["name"]) for h in response.json()["items"]] == [
        ("2027-03-17", "Saint Patrick's Day"),
        ("2027-03-26", "Good Friday"),
        ("2027-03-29", "Easter Monday"),
        ("2027-05-03", "May Day"),
        ("2027-05-31", "Spring Bank Holiday"),
        ("2027-07-12", "Battle of the Boyne"),
    ]


@pytest.mark.parametrize(
    ("query", "first_day", "last_day"),
    [
        ({"from": "2026-01-01", "to": "2030-12-31"}, "2026-01-01", "2030-12-31"),  # 5 years
        ({"from": "2100-06-01"}, "2100-06-01", "2100-12-31"),  # no further than 2100
        ({"from": "2028-02-29"}, "2028-02-29", "2029-02-28"),
    ],
)
def test_the_period_asked_for(casework_api, query, first_day, last_day):
    body = casework_api.get(HOLIDAYS, query).json()
    assert (body["first_day"], body["last_day"]) == (first_day, last_day)


def test_the_home_offices_changes_are_marked_and_cancelled_days_left_out(casework_api):
    added = override(date(2026, 11, 23), "WLS", name="Coronation of King Charles III")
    override(date(2026, 12, 25), "WLS", "REMOVE", "Christmas moved")
    body = casework_api.get(HOLIDAYS, {"nation": "WLS", "to": "2026-12-31"}).json()
    assert [(h["day"], h["name"], h["source"], h["override_id"]) for h in body["items"]] == [
        ("2026-11-23", "Coronation of King Charles III", "override", added.pk),
        ("2026-12-28", "Boxing Day (observed)", "calendar", None),
    ]


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"nation": "GB"}, 422, "nation"),
        ({"from": "soon"}, 422, "from"),
        ({"from": "2026-12-01", "to": "2026-11-30"}, 400, "to"),
        ({"from": "1999-12-31"}, 400, "from"),
        ({"from": "2101-01-01"}, 400, "from"),
        ({"from": "2026-01-01", "to": "2101-01-01"}, 400, "to"),
        ({"from": "2026-01-01", "to": "2031-01-02"}, 400, "to"),
    ],
)
def test_a_bad_period_names_the_field(casework_api, query, status, field):
    error = assert_error(casework_api.get(HOLIDAYS, query), status)
    assert [f["field"] for f in error["fields"]] == [field]


# ---------------------------------------------------------------- the changes


def test_add_a_change(casework_api, caseworker, committed):
    response = committed(lambda: casework_api.post_json(OVERRIDES, CORONATION))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["day"] == "2026-11-23"
    assert (body["nation"], body["nation_name"]) == ("ENG", "England")
    assert (body["change"], body["change_name"]) == ("ADD", "Extra bank holiday")
    assert body["name"] == "Coronation of King Charles III"
    assert body["created_by"]["user_id"] == caseworker.username
    assert [e.actor for e in events(AuditVerb.BANK_HOLIDAY_CHANGED)] == [caseworker]
    # Every count uses it at once.
    assert add_working_days(date(2026, 11, 20), 1, "ENG") == date(2026, 11, 24)
    listed = casework_api.get(HOLIDAYS, {"nation": "ENG", "to": "2026-11-30"}).json()["items"]
    assert [(h["day"], h["source"]) for h in listed] == [("2026-11-23", "override")]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"name": ""}, 422, "name"),
        ({"name": "   "}, 422, "name"),
        ({"name": "x" * 101}, 422, "name"),
        ({"nation": "GB"}, 422, "nation"),
        ({"change": "MAYBE"}, 422, "change"),
        ({"day": "23/11/2026"}, 422, "day"),
        ({"reason": "extra"}, 422, "reason"),
        ({"day": "1999-12-31"}, 400, "day"),
        ({"day": "2026-11-21"}, 400, "day"),  # a Saturday
        ({"day": "2026-12-25"}, 400, "day"),  # already Christmas Day
        ({"change": "REMOVE"}, 400, "day"),  # 23 November is not a bank holiday
    ],
)
def test_a_bad_change_names_the_field(casework_api, change, status, field):
    response = casework_api.post_json(OVERRIDES, {**CORONATION, **change})
    error = assert_error(response, status)
    assert [f["field"] for f in error["fields"]] == [field]
    assert not BankHolidayOverride.objects.exists()
    assert not events(AuditVerb.BANK_HOLIDAY_CHANGED)


def test_a_missing_field_is_named(casework_api):
    payload = {k: v for k, v in CORONATION.items() if k != "nation"}
    error = assert_error(casework_api.post_json(OVERRIDES, payload), 422)
    assert [f["field"] for f in error["fields"]] == ["nation"]


def test_one_change_per_day_per_nation(casework_api, committed):
    committed(lambda: casework_api.post_json(OVERRIDES, CORONATION))
    again = casework_api.post_json(OVERRIDES, CORONATION)
    error = assert_error(again, 400, "duplicate")
    assert error["fields"][0]["field"] == "day"
    assert "There is already a change for Monday 23 November 2026 in England" in error["message"]
    assert BankHolidayOverride.objects.count() == 1


def test_list_the_changes(casework_api):
    older = override(date(2026, 11, 23))
    newer = override(date(2027, 3, 17), "NIR", "REMOVE", "Moved")
    body = casework_api.get(OVERRIDES).json()
    assert [(o["id"], o["change"]) for o in body["items"]] == [
        (newer.pk, "REMOVE"),
        (older.pk, "ADD"),
    ]
    assert body["page"]["total_items"] == 2


def test_the_list_queries_do_not_grow_with_the_changes(casework_api):
    def call():
        return casework_api.get(OVERRIDES, {"page_size": 100})

    for day in range(1, 4):
        override(date(2030, 7, day))
    few = query_count(call)
    for day in range(1, 28):
        override(date(2031, 3, day), "WLS")
    assert query_count(call) == few


def test_remove_a_change(casework_api, caseworker, committed):
    added = override(date(2026, 11, 23), "SCT")
    assert add_working_days(date(2026, 11, 20), 1, "SCT") == date(2026, 11, 24)

    response = committed(lambda: casework_api.delete(f"{OVERRIDES}/{added.pk}"))

    assert response.status_code == 204
    assert not BankHolidayOverride.objects.exists()
    removed = events(AuditVerb.BANK_HOLIDAY_CHANGED)
    assert [(e.actor, e.payload["action"]) for e in removed] == [(caseworker, "removed")]
    assert add_working_days(date(2026, 11, 20), 1, "SCT") == date(2026, 11, 23)
    assert_error(casework_api.delete(f"{OVERRIDES}/{added.pk}"), 404, "not_found")


@pytest.mark.parametrize("override_id", ["999999", "9" * 25])
def test_removing_an_unknown_change_is_not_found(casework_api, override_id):
    response = casework_api.delete(f"{OVERRIDES}/{override_id}")
    assert_error(response, 404)


@pytest.mark.parametrize("who", ["level1", "level2"])
def test_sponsor_users_are_refused(request, api_as, who):
    client = api_as(request.getfixturevalue(who))
    existing = override(date(2026, 11, 23))
    assert_error(client.get(HOLIDAYS), 403, "not_permitted")
    assert_error(client.get(OVERRIDES), 403, "not_permitted")
    assert_error(client.post_json(OVERRIDES, {**CORONATION, "nation": "WLS"}), 403)
    assert_error(client.delete(f"{OVERRIDES}/{existing.pk}"), 403)
    assert list(BankHolidayOverride.objects.all()) == [existing]
    assert not events(AuditVerb.BANK_HOLIDAY_CHANGED)
