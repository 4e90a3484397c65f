"""The audit trail pages: a Level 1 user reads their licence's trail; caseworkers read any."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def record_at(clock, moment, verb, **kwargs):
    clock.move_to(moment)
    event = audit_record(verb, **kwargs)
    clock.move_to(NOW)
    return event


@pytest.fixture
def history(clock, level1, level2, other_level1):
    """Events of our sponsor on known dates, and events of another sponsor and of nobody's."""
    record_at(
        clock,
        datetime(2026, 10, 1, 9, 0, tzinfo=LONDON),
        AuditVerb.PASSWORD_CHANGED,
        actor=level2,
    )
    record_at(
        clock,
        datetime(2026, 10, 15, 23, 59, tzinfo=LONDON),
        AuditVerb.API_TOKEN_CREATED,
        actor=level1,
        target=Target(type="api.ApiToken", id="1", label="Payroll link"),
    )
    record_at(
        clock,
        datetime(2026, 10, 16, 0, 1, tzinfo=LONDON),
        AuditVerb.API_TOKEN_REVOKED,
        actor=level1,
        target=Target(type="api.ApiToken", id="1", label="Payroll link"),
    )
    record_at(
        clock,
        datetime(2026, 11, 2, 8, 0, tzinfo=LONDON),
        AuditVerb.PASSWORD_CHANGED,
        actor=level1,
    )
    record_at(
        clock,
        datetime(2026, 10, 15, 12, 0, tzinfo=LONDON),
        AuditVerb.API_TOKEN_CREATED,
        actor=other_level1,
        target=Target(type="api.ApiToken", id="2", label="Secret rival token"),
    )
    record_at(
        clock,
        datetime(2026, 10, 15, 12, 0, tzinfo=LONDON),
        AuditVerb.SIGN_IN_FAILED,
        actor_label="NOBODYKNOWN",
    )


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def rows(page: str) -> str:
    """Only the table of events (the filter form lists every action name)."""
    if "No events match." in page:
        return ""
    return page[page.index('<tbody class="govuk-table__body">') : page.index("</tbody>")]


def test_level1_sees_their_sponsors_events(signed_in, level1, history):
    table = rows(page_of(signed_in(level1), "/audit-trail/"))
    assert "LEVELTWO1" in table
    assert "Payroll link" in table
    assert "API token created" in table
    assert "API token revoked" in table
    assert "Password changed" in table


def test_level1_never_sees_another_sponsors_events(signed_in, level1, history):
    client = signed_in(level1)
    for url in (
        "/audit-trail/",
        "/audit-trail/?actor=OTHERONE1",
        "/audit-trail/?verb=API_TOKEN_CREATED",
        "/audit-trail/?date_from=2026-10-15&date_to=2026-10-15",
    ):
        page = page_of(client, url)
        assert "OTHERONE1" not in rows(page), url  # the filter box may repeat what was typed
        assert "Secret rival token" not in page, url
        assert "NOBODYKNOWN" not in page, url


def test_another_sponsor_sees_only_theirs(signed_in, other_level1, history):
    table = rows(page_of(signed_in(other_level1), "/audit-trail/"))
    assert "Secret rival token" in table
    assert "Payroll link" not in table
    assert "LEVELTWO1" not in table
    assert "LEVELONE1" not in table


def test_newest_events_come_first(signed_in, level1, history):
    table = rows(page_of(signed_in(level1), "/audit-trail/?date_to=2026-11-15"))
    assert table.index("API token revoked") < table.index("API token created")
    assert table.index("API token created") < table.index("LEVELTWO1")


def test_filter_by_action(signed_in, level1, history):
    table = rows(page_of(signed_in(level1), "/audit-trail/?verb=API_TOKEN_REVOKED"))
    assert "API token revoked" in table
    assert "API token created" not in table
    assert "Password changed" not in table
    assert table.count("govuk-table__row") == 1


def test_filter_by_user_id(signed_in, level1, history):
    page = page_of(signed_in(level1), "/audit-trail/?actor=LEVELTWO1")
    table = rows(page)
    assert "LEVELTWO1" in table
    assert "LEVELONE1" not in table
    assert "1 event<" in page


def test_filter_by_user_id_ignores_surrounding_spaces(signed_in, level1, history):
    table = rows(page_of(signed_in(level1), "/audit-trail/?actor=%20LEVELTWO1%20"))
    assert "LEVELTWO1" in table
    assert "LEVELONE1" not in table


def test_filter_by_unknown_user_id_matches_nothing(signed_in, level1, history):
    assert "No events match." in page_of(signed_in(level1), "/audit-trail/?actor=NOSUCHUSER")


def test_filter_by_dates_includes_whole_days_in_uk_time(signed_in, level1, history):
    table = rows(
        page_of(signed_in(level1), "/audit-trail/?date_from=2026-10-15&date_to=2026-10-15")
    )
    assert "API token created" in table  # 23:59 on the 15th
    assert "API token revoked" not in table  # 00:01 on the 16th
    assert "Password changed" not in table


def test_filter_from_a_date(signed_in, level1, history):
    table = rows(
        page_of(signed_in(level1), "/audit-trail/?date_from=2026-10-16&verb=PASSWORD_CHANGED")
    )
    assert "LEVELONE1" in table  # 2 November
    assert "LEVELTWO1" not in table  # 1 October


def test_filter_to_a_date(signed_in, level1, history):
    table = rows(page_of(signed_in(level1), "/audit-trail/?date_to=2026-10-01"))
    assert "LEVELTWO1" in table
    assert "Payroll link" not in table


def test_filter_by_dates_around_the_clocks_going_back(signed_in, level1, clock):
    # 00:30 on 25 October 2026 in London is 23:30 on the 24th in UTC.
    record_at(
        clock,
        datetime(2026, 10, 25, 0, 30, tzinfo=LONDON),
        AuditVerb.PASSWORD_CHANGED,
        actor=level1,
    )
    client = signed_in(level1)
    on_the_day = rows(page_of(client, "/audit-trail/?date_from=2026-10-25&date_to=2026-10-25"))
    day_before = rows(page_of(client, "/audit-trail/?date_from=2026-10-24&date_to=2026-10-24"))
    assert "Password changed" in on_the_day
    assert "Password changed" not in day_before


def test_filters_combine(signed_in, level1, history):
    table = rows(
        page_of(
            signed_in(level1),
            "/audit-trail/?verb=PASSWORD_CHANGED&actor=LEVELONE1&date_from=2026-11-01&date_to=2026-11-30",
        )
    )
    assert table.count("govuk-table__row") == 1
    assert "LEVELONE1" in table


def test_end_date_before_start_date_is_a_clear_error(signed_in, level1, history):
    response = signed_in(level1).get("/audit-trail/?date_from=2026-11-02&date_to=2026-11-01")
    page = response.content.decode()
    assert "There is a problem" in page
    assert (
        '<a href="#id_date_to">The end date must be the same as or after the start date</a>' in page
    )


def test_a_date_that_does_not_exist_is_a_clear_error(signed_in, level1, history):
    page = signed_in(level1).get("/audit-trail/?date_from=2026-02-30").content.decode()
    assert '<a href="#id_date_from">Enter the start date as a real date' in page


def test_an_unknown_action_is_an_error_not_a_crash(signed_in, level1, history):
    response = signed_in(level1).get("/audit-trail/?verb=DROP_TABLES")
    assert response.status_code == 400
    assert '<a href="#id_verb">' in response.content.decode()


def test_an_invalid_filter_lists_nothing_until_corrected(signed_in, level1, history):
    response = signed_in(level1).get("/audit-trail/?date_from=2026-11-02&date_to=2026-10-01")
    page = response.content.decode()
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in page
    assert "Payroll link" not in page
    assert "Correct the filter to see events." in page


def test_an_invalid_filter_exports_nothing(signed_in, level1, history):
    response = signed_in(level1).get(
        "/audit-trail/export.csv?date_from=2026-11-02&date_to=2026-10-01"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_level2_cannot_see_the_trail(signed_in, level2, history):
    client = signed_in(level2)
    response = client.get("/audit-trail/")
    assert response.status_code == 403
    assert "Payroll link" not in response.content.decode()


def test_trail_is_paginated_at_fifty(signed_in, level1, clock):
    for _ in range(55):
        audit_record(AuditVerb.PASSWORD_CHANGED, actor=level1)
    client = signed_in(level1)
    first = page_of(client, "/audit-trail/?verb=PASSWORD_CHANGED")
    second = page_of(client, "/audit-trail/?verb=PASSWORD_CHANGED&page=2")
    assert "55 events" in first
    assert rows(first).count("govuk-table__row") == 50
    assert rows(second).count("govuk-table__row") == 5


def _query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_trail_query_count_does_not_grow_with_events(signed_in, level1, level2):
    client = signed_in(level1)
    client.get("/audit-trail/")
    few = _query_count(client, "/audit-trail/")
    for n in range(80):
        audit_record(
            AuditVerb.API_TOKEN_CREATED,
            actor=level2 if n % 2 else level1,
            target=Target(type="api.ApiToken", id=str(n), label=f"Token {n}"),
            payload={"n": n},
        )
    assert _query_count(client, "/audit-trail/") == few


# Caseworkers


def test_caseworker_sees_any_sponsors_trail(signed_in, caseworker, sponsor, other_sponsor, history):
    client = signed_in(caseworker)
    ours = page_of(client, f"/casework/sponsors/{sponsor.pk}/audit-trail/")
    theirs = page_of(client, f"/casework/sponsors/{other_sponsor.pk}/audit-trail/")
    assert "Payroll link" in rows(ours)
    assert "Secret rival token" not in rows(ours)
    assert "Secret rival token" in rows(theirs)
    assert "Payroll link" not in rows(theirs)
    assert sponsor.licence_number in ours


def test_caseworker_filters_a_sponsors_trail(signed_in, caseworker, sponsor, history):
    url = f"/casework/sponsors/{sponsor.pk}/audit-trail/?verb=API_TOKEN_REVOKED"
    table = rows(page_of(signed_in(caseworker), url))
    assert table.count("govuk-table__row") == 1
    assert "API token revoked" in table


def test_caseworker_gets_404_for_a_sponsor_that_does_not_exist(signed_in, caseworker, history):
    response = signed_in(caseworker).get("/casework/sponsors/999999/audit-trail/")
    assert response.status_code == 404


def test_sponsor_users_cannot_use_the_casework_trail(signed_in, level1, other_sponsor, history):
    response = signed_in(level1).get(f"/casework/sponsors/{other_sponsor.pk}/audit-trail/")
    assert response.status_code == 403
    assert "Secret rival token" not in response.content.decode()


def test_caseworker_trail_query_count_does_not_grow_with_events(signed_in, caseworker, level1):
    client = signed_in(caseworker)
    url = f"/casework/sponsors/{level1.sponsor_id}/audit-trail/"
    for _ in range(3):
        audit_record(AuditVerb.SIGN_IN, actor=level1)
    client.get(url)
    few = _query_count(client, url)
    for _ in range(60):
        audit_record(AuditVerb.PASSWORD_CHANGED, actor=level1)
    assert _query_count(client, url) == few
