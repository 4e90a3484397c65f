"""The bank holiday calendar pages: the coming year's bank holidays in each part of the UK, and
adding (after a check page) and removing (after a confirmation) the Home Office's changes."""

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sponsorship.accounts.tests.factories import CaseworkerFactory
from sponsorship.accounts.tests.journeys import text
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core import workingdays
from sponsorship.core.models import BankHolidayOverride
from sponsorship.core.workingdays import add_working_days, is_working_day

LONDON = ZoneInfo("Europe/London")
PAGE = "/casework/bank-holidays/"
ADD = "/casework/bank-holidays/add/"
REMOVE = "/casework/bank-holidays/remove/"
ROYAL_EVENT = date(2026, 11, 23)  # an ordinary Monday everywhere


@pytest.fixture(autouse=True)
def _today(time_machine):
    """Monday 16 November 2026, 10:00 in London."""
    time_machine.move_to(datetime(2026, 11, 16, 10, 0, tzinfo=LONDON), tick=False)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    workingdays.forget_overrides()
    yield
    workingdays.forget_overrides()


def answer(**changes):
    return {
        "day_day": "23",
        "day_month": "11",
        "day_year": "2026",
        "nation": "ENG",
        "change": "ADD",
        "name": "Coronation of King Charles III",
        **changes,
    }


def override(day=ROYAL_EVENT, nation="ENG", change="ADD", name="Royal event", by=None):
    return BankHolidayOverride.objects.create(
        day=day, nation=nation, change=change, name=name, created_by=by or CaseworkerFactory()
    )


def table(page: str, nation: str) -> str:
    """One nation's table of the page."""
    found = re.search(rf'<table class="govuk-table" id="nation-{nation}">(.*?)</table>', page, re.S)
    assert found, nation
    return found.group(1)


def rows(markup: str) -> list[str]:
    """Each row's cells as text, joined by " | "."""
    return [
        " | ".join(
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        )
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", markup, re.S)
        if "<td" in row
    ]


# ---------------------------------------------------------------- the calendar page


def test_the_page_lists_the_coming_year_in_each_part_of_the_uk(casework):
    page = text(casework.get(PAGE))

    assert "From 16 November 2026 to 15 November 2027" in page
    scotland = rows(table(page, "sct"))
    assert scotland[:5] == [
        "Monday 30 November 2026 | Saint Andrew's Day | Published calendar",
        "Friday 25 December 2026 | Christmas Day | Published calendar",
        "Monday 28 December 2026 | Boxing Day (observed) | Published calendar",
        "Friday 1 January 2027 | New Year's Day | Published calendar",
        "Monday 4 January 2027 | New Year Holiday (observed) | Published calendar",
    ]
    england = rows(table(page, "eng"))
    assert england[0] == "Friday 25 December 2026 | Christmas Day | Published calendar"
    assert not any("30 November" in row for row in england)
    assert any(row.startswith("Wednesday 17 March 2027") for row in rows(table(page, "nir")))
    assert not any("17 March" in row for row in rows(table(page, "wls")))
    # The weekend day itself is not listed: its substitute is.
    assert not any("26 December 2026" in row for row in england)
    assert "No changes: the published calendar applies as it is." in page


def test_the_page_marks_the_home_offices_changes(casework):
    added = override(nation="WLS", name="Coronation of King Charles III")
    cancelled = override(day=date(2026, 12, 25), nation="WLS", change="REMOVE", name="Moved")
    workingdays.announce_overrides()

    page = text(casework.get(PAGE))

    wales = rows(table(page, "wls"))
    assert wales[:2] == [
        "Monday 23 November 2026 | Coronation of King Charles III | Added by the Home Office",
        "Friday 25 December 2026 | Christmas Day | Cancelled: a working day",
    ]
    assert not any("23 November" in row for row in rows(table(page, "eng")))
    assert "2 changes, the latest date first" in page
    assert f'name="override" value="{added.pk}"' in page
    assert f'name="override" value="{cancelled.pk}"' in page
    assert (
        'Remove<span class="govuk-visually-hidden"> the change for 25 December 2026 in Wales'
        in page
    )


def test_the_casework_pages_link_to_the_calendar(casework):
    assert f'href="{PAGE}"' in text(casework.get("/casework/"))


# ---------------------------------------------------------------- adding a change


def test_add_an_announced_bank_holiday(casework, caseworker, django_capture_on_commit_callbacks):
    form = text(casework.get(ADD))
    assert 'name="day_day"' in form
    assert 'type="radio" value="SCT"' in form

    check = casework.post(ADD, answer())
    assert check.status_code == 200
    page = text(check)
    assert "Check before you confirm" in page
    assert "Monday 23 November 2026" in page
    assert "England" in page
    assert not BankHolidayOverride.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = casework.post(ADD, {**answer(), "confirmed": "yes"})

    assert done.status_code == 302
    assert done["Location"] == PAGE
    saved = BankHolidayOverride.objects.get()
    assert (saved.day, saved.nation, saved.change, saved.created_by) == (
        ROYAL_EVENT,
        "ENG",
        "ADD",
        caseworker,
    )
    assert AuditEvent.objects.get(verb=AuditVerb.BANK_HOLIDAY_CHANGED).actor == caseworker
    assert add_working_days(date(2026, 11, 20), 1, "ENG") == date(2026, 11, 24)
    page = text(casework.get(PAGE))
    assert "Monday 23 November 2026 is now a bank holiday in England" in page
    assert rows(table(page, "eng"))[0] == (
        "Monday 23 November 2026 | Coronation of King Charles III | Added by the Home Office"
    )


def test_cancel_a_listed_bank_holiday(casework, django_capture_on_commit_callbacks):
    data = answer(day_day="25", day_month="12", nation="NIR", change="REMOVE", name="Moved")
    with django_capture_on_commit_callbacks(execute=True):
        response = casework.post(ADD, {**data, "confirmed": "yes"})
    assert response.status_code == 302
    assert is_working_day(date(2026, 12, 25), "NIR")
    assert not is_working_day(date(2026, 12, 25), "ENG")


def test_change_your_answers_keeps_them(casework):
    page = text(casework.post(ADD, {**answer(), "back": "yes"}))
    assert "Check before you confirm" not in page
    assert 'value="Coronation of King Charles III"' in page
    assert 'value="23"' in page
    assert 'value="ENG" checked' in page
    assert not BankHolidayOverride.objects.exists()


def test_every_missing_answer_is_named_and_linked(casework):
    response = casework.post(ADD, {})
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    for href, message in [
        ("#id_day_day", "Enter the date of the change"),
        ("#id_nation", "Choose England, Wales, Scotland or Northern Ireland"),
        ("#id_change", "Choose whether the day becomes a bank holiday or stops being one"),
        ("#id_name", "Enter the name of the bank holiday"),
    ]:
        assert f'<a href="{href}">{message}</a>' in page
    assert not BankHolidayOverride.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (answer(day_day="31", day_month="2"), "The date of the change must be a real date"),
        (answer(day_month="13"), "The month of the change must be a number from 1 to 12"),
        (answer(day_year="1999"), "Enter a date from 1 January 2000 to 31 December 2100"),
        (answer(day_day="21"), "Saturday 21 November 2026 is a weekend day"),
        (answer(day_day="25", day_month="12"), "is already a bank holiday in England"),
        (answer(change="REMOVE"), "is not a bank holiday in England, so there is nothing"),
        (answer(name="x" * 101), "The name must be 100 characters or fewer"),
    ],
)
def test_a_wrong_day_is_refused_before_the_check_page(casework, data, message):
    response = casework.post(ADD, data)
    page = text(response)
    assert "Check before you confirm" not in page
    assert message in page
    assert "There is a problem" in page
    assert not BankHolidayOverride.objects.exists()


def test_a_day_changed_meanwhile_is_refused_on_confirming(casework):
    check = casework.post(ADD, answer())
    assert "Check before you confirm" in text(check)
    override(nation="ENG")  # another caseworker was quicker

    response = casework.post(ADD, {**answer(), "confirmed": "yes"})

    assert response.status_code == 400
    page = text(response)
    assert '<a href="#id_day_day">There is already a change for Monday 23 November 2026 in' in page
    assert BankHolidayOverride.objects.count() == 1


# ---------------------------------------------------------------- removing a change


def test_remove_a_change_after_confirming(casework, caseworker, django_capture_on_commit_callbacks):
    added = override(nation="SCT", name="Royal event")
    workingdays.announce_overrides()
    assert not is_working_day(ROYAL_EVENT, "SCT")

    confirm = casework.post(REMOVE, {"override": added.pk})
    page = text(confirm)
    assert confirm.status_code == 200
    assert "Remove the change for Monday 23 November 2026 in Scotland?" in page
    assert "is a working day in Scotland again" in page
    assert BankHolidayOverride.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = casework.post(REMOVE, {"override": added.pk, "confirmed": "yes"})

    assert done["Location"] == PAGE
    assert not BankHolidayOverride.objects.exists()
    event = AuditEvent.objects.get(verb=AuditVerb.BANK_HOLIDAY_CHANGED)
    assert (event.actor, event.payload["action"]) == (caseworker, "removed")
    assert is_working_day(ROYAL_EVENT, "SCT")
    assert "The change is removed: Monday 23 November 2026 is a working day in Scotland again." in (
        text(casework.get(PAGE))
    )


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1" * 30])
def test_removing_what_is_not_there_is_not_found(casework, value):
    assert casework.post(REMOVE, {"override": value, "confirmed": "yes"}).status_code == 404
    assert casework.get(REMOVE, {"override": value}).status_code == 404
    assert not AuditEvent.objects.filter(verb=AuditVerb.BANK_HOLIDAY_CHANGED).exists()


def test_choose_the_change_to_remove(casework):
    added = override(nation="NIR", name="Royal event")

    page = text(casework.get(REMOVE))
    assert "Which change do you want to remove?" in page
    assert f'type="radio" value="{added.pk}"' in page
    assert "Monday 23 November 2026, Northern Ireland: extra bank holiday (Royal event)" in page

    refused = text(casework.post(REMOVE, {"override": ""}))
    assert '<a href="#id_override">Choose the change to remove</a>' in refused

    chosen = text(casework.post(REMOVE, {"override": str(added.pk)}))
    assert "Remove the change for Monday 23 November 2026 in Northern Ireland?" in chosen
    assert BankHolidayOverride.objects.exists()


def test_with_no_changes_there_is_nothing_to_remove(casework):
    assert "There are no changes to remove" in text(casework.get(REMOVE))


# ---------------------------------------------------------------- who may use it


@pytest.mark.parametrize("actor", ["level1", "level2"])
def test_sponsor_users_are_refused(request, signed_in, actor):
    client = signed_in(request.getfixturevalue(actor))
    existing = override()
    for method, url, data in [
        ("get", PAGE, {}),
        ("get", ADD, {}),
        ("post", ADD, {**answer(day_day="24"), "confirmed": "yes"}),
        ("post", REMOVE, {"override": existing.pk, "confirmed": "yes"}),
    ]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, url
    assert BankHolidayOverride.objects.get() == existing
    assert not AuditEvent.objects.filter(verb=AuditVerb.BANK_HOLIDAY_CHANGED).exists()


def test_the_page_needs_signing_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


# ---------------------------------------------------------------- speed


def _queries(client) -> int:
    client.get(PAGE)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return len(queries)


def test_the_page_queries_do_not_grow_with_the_changes(casework, caseworker):
    for day in range(1, 4):
        override(day=date(2030, 7, day), name=f"Event {day}", by=CaseworkerFactory())
    workingdays.announce_overrides()
    few = _queries(casework)
    for day in range(1, 28):
        override(day=date(2031, 3, day), nation="WLS", by=CaseworkerFactory())
    workingdays.announce_overrides()
    many = _queries(casework)
    assert few == many
