"""Casework API: every sponsor's migrant activity reports, filtered, late ones flagged; for
caseworkers' tokens only."""

from datetime import date

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.licences.tests.api.support import query_count

from .support import CASEWORK_REPORTS, report_on, worker_of

LATE_CUT = {
    "kind": "SALARY_REDUCED",
    "event_date": date(2026, 10, 1),
    "details": {"new_salary": "50000", "reason": "Fewer hours, at their request."},
}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:800]
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def reports(level1, other_level1, frozen):
    """A report from each sponsor; the other sponsor's is late, and newer."""
    ours = report_on(worker_of(level1), level1)
    frozen.shift(60)
    theirs = report_on(worker_of(other_level1, "Nowak"), other_level1, **LATE_CUT)
    return ours, theirs


def test_every_sponsors_reports_newest_first_with_their_sponsor(
    casework_api, reports, sponsor, other_sponsor
):
    ours, theirs = reports
    body = casework_api.get(CASEWORK_REPORTS).json()
    assert [r["id"] for r in body["items"]] == [theirs.pk, ours.pk]
    first = body["items"][0]
    assert first["sponsor"] == {
        "id": other_sponsor.pk,
        "name": "Other Sponsor Ltd",
        "licence_number": other_sponsor.licence_number,
    }
    assert (first["late"], first["due_on"], first["kind"]) == (True, "2026-10-15", "SALARY_REDUCED")
    assert first["submitted_by"]["user_id"] == "OTHERONE1"


def test_the_filters(casework_api, reports, sponsor):
    ours, theirs = reports
    assert _ids(casework_api.get(CASEWORK_REPORTS, {"late": "true"})) == [theirs.pk]
    assert _ids(casework_api.get(CASEWORK_REPORTS, {"kind": "BREACH_SUSPECTED"})) == [ours.pk]
    assert _ids(casework_api.get(CASEWORK_REPORTS, {"sponsor": "harbour"})) == [ours.pk]
    assert _ids(casework_api.get(CASEWORK_REPORTS, {"sponsor": sponsor.licence_number})) == [
        ours.pk
    ]
    number = theirs.certificate.number.lower()
    assert _ids(casework_api.get(CASEWORK_REPORTS, {"number": number})) == [theirs.pk]
    assert _ids(casework_api.get(CASEWORK_REPORTS, {"late": "true", "sponsor": "harbour"})) == []


def test_a_bad_filter_is_refused_by_name(casework_api):
    error = assert_error(
        casework_api.get(CASEWORK_REPORTS, {"kind": "ORGANISATION_CHANGE", "late": "maybe"}), 422
    )
    assert {field["field"] for field in error["fields"]} == {"kind", "late"}


def test_one_report_of_any_sponsor(casework_api, reports):
    _, theirs = reports
    response = casework_api.get(f"{CASEWORK_REPORTS}/{theirs.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["reference"], body["sponsor"]["name"]) == (theirs.reference, "Other Sponsor Ltd")
    assert body["details"] == LATE_CUT["details"]


def test_an_unknown_report_is_not_found(casework_api):
    assert_error(casework_api.get(f"{CASEWORK_REPORTS}/424242"), 404, "not_found")


@pytest.mark.parametrize("who", ["level1", "level2"])
def test_sponsor_tokens_cannot_call_casework_operations(request, api_as, reports, who):
    client = api_as(request.getfixturevalue(who))
    ours, _ = reports
    assert_error(client.get(CASEWORK_REPORTS), 403, "not_permitted")
    assert_error(client.get(f"{CASEWORK_REPORTS}/{ours.pk}"), 403, "not_permitted")


def test_the_lists_query_count_does_not_grow_with_its_rows(
    casework_api, level1, other_level1, level2
):
    def add(n, first):
        for i in range(first, first + n):
            owner = (level1, level2, other_level1)[i % 3]
            report_on(worker_of(owner, f"Worker{i:02d}"), owner)

    add(3, 0)
    few = query_count(lambda: casework_api.get(CASEWORK_REPORTS, {"page_size": 100}))
    add(27, 3)
    many = query_count(lambda: casework_api.get(CASEWORK_REPORTS, {"page_size": 100}))
    assert len(_ids(casework_api.get(CASEWORK_REPORTS, {"page_size": 100}))) == 30
    assert few == many
