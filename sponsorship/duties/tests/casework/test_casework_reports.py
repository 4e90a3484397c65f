"""The Home Office's view of migrant activity reports: every sponsor's reports, newest first,
filtered by sponsor, kind, lateness and certificate number, late ones tagged; each report with
every answer. Caseworkers only.

The clock is frozen at Monday 16 November 2026, 10:00 in London (duties conftest).
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from sponsorship.core.pagination import PAGE_SIZE
from sponsorship.duties.models import ActivityReport
from sponsorship.duties.services import activity_report_submit
from sponsorship.duties.tests.factories import sponsored_worker
from sponsorship.licences.tests.web.support import field_error, queries_for, text

LIST = reverse("duties:casework_reports")

SALARY = {"new_salary": "38500", "reason": "Hours cut to four days a week"}
ABSENCE = {
    "contact_attempts": "Phoned on 5 and 6 November.\nLetter sent on 9 November.",
    "sponsorship_continues": "yes",
    "pay_deductions": "",
}


def detail(report: ActivityReport) -> str:
    return reverse("duties:casework_report", args=[report.pk])


@pytest.fixture
def casework(signed_in, caseworker):
    return signed_in(caseworker)


@pytest.fixture
def send(frozen):
    """`send(worker, kind, event_date, details, at=...)`: a report sent by the worker's owner,
    at that time (London). The clock goes back to 10:00 on 16 November after, so the
    caseworker's session never sees time jump."""

    def _send(worker, kind, event_date, details, at="2026-11-16 10:00", **fields):
        frozen.move_to(at)
        try:
            return activity_report_submit(
                actor=worker.certificate.owner,
                worker=worker,
                kind=kind,
                event_date=event_date,
                details=details,
                **fields,
            )
        finally:
            frozen.move_to("2026-11-16 10:00")

    return _send


@pytest.fixture
def two_sponsors(level1, other_level1, send):
    """Three reports: ours on time, then ours late, then the other sponsor's on time."""
    ours = sponsored_worker(level1, start_date=date(2026, 11, 2), passport_number="P1")
    theirs = sponsored_worker(
        other_level1, start_date=date(2026, 11, 2), family_name="Nowak", given_names="Ewa"
    )
    on_time = send(ours, "SALARY_REDUCED", "2026-11-13", SALARY, at="2026-11-16 09:00")
    # Absent from Thu 1 Oct: the 10th working day is Wed 14 Oct, so due Wed 28 Oct.
    late = send(ours, "ABSENCE", "2026-10-01", ABSENCE, at="2026-11-16 11:00")
    other = send(theirs, "SALARY_REDUCED", "2026-11-13", SALARY, at="2026-11-16 12:00")
    assert late.late and not on_time.late and not other.late
    return {"on_time": on_time, "late": late, "other": other, "ours": ours, "theirs": theirs}


def references(response) -> list[str]:
    return re.findall(r">(MA\d{8})</a>", response.content.decode())


# ---------------------------------------------------------------- who may see them


@pytest.mark.parametrize("actor", ["level1", "level2"])
def test_sponsor_users_are_refused_as_on_every_casework_page(
    request, signed_in, two_sponsors, actor
):
    client = signed_in(request.getfixturevalue(actor))
    # Their own sponsor's report too: they read it on their own pages.
    for url in (LIST, detail(two_sponsors["on_time"]), f"{LIST}?late=on"):
        assert client.get(url).status_code == 403, url


def test_signed_out_visitors_are_sent_to_sign_in(client, two_sponsors):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_the_pages_only_read(casework, two_sponsors):
    assert casework.post(LIST).status_code == 405
    assert casework.post(detail(two_sponsors["late"])).status_code == 405


# ---------------------------------------------------------------- the list


def test_every_sponsors_reports_newest_first_with_late_ones_tagged(casework, two_sponsors):
    response = casework.get(LIST)
    assert response.status_code == 200
    page = text(response)
    assert "3 reports" in page
    assert references(response) == [
        two_sponsors[name].reference for name in ("other", "late", "on_time")
    ]
    late = two_sponsors["late"]
    assert (
        f"{late.reference} Harbour View Care Ltd Licence {late.sponsor.licence_number} "
        f"Łukasz Marek Kowalczyk {late.certificate.number} "
        "Unauthorised absence of more than 10 working days 28 October 2026 16 November 2026 Late"
    ) in page
    assert f"{two_sponsors['other'].reference} Other Sponsor Ltd" in page
    body = response.content.decode()
    assert body.count('govuk-tag--red">Late</strong>') == 1
    assert body.count('govuk-tag--green">On time</strong>') == 2


def test_a_correction_says_what_it_corrects(casework, two_sponsors, send):
    first = two_sponsors["on_time"]
    correction = send(
        two_sponsors["ours"],
        "SALARY_REDUCED",
        "2026-11-13",
        {**SALARY, "new_salary": "39000"},
        at="2026-11-16 13:00",
        corrects=first,
    )
    page = text(casework.get(LIST))
    assert f"{correction.reference} Harbour View Care Ltd" in page
    assert f"Salary reduced Corrects {first.reference}" in page


def test_no_reports_yet(casework):
    page = text(casework.get(LIST))
    assert "0 reports" in page
    assert "No sponsor has sent a report yet." in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"sponsor": "harbour"}, ["late", "on_time"]),
        ({"sponsor": "  Other Sponsor "}, ["other"]),
        ({"kind": "ABSENCE"}, ["late"]),
        ({"kind": "SALARY_REDUCED"}, ["other", "on_time"]),
        ({"late": "on"}, ["late"]),
        ({"kind": "SALARY_REDUCED", "late": "on"}, []),
        ({"sponsor": "", "kind": "", "number": ""}, ["other", "late", "on_time"]),
    ],
)
def test_filters(casework, two_sponsors, query, expected):
    response = casework.get(LIST, query)
    assert response.status_code == 200
    assert references(response) == [two_sponsors[name].reference for name in expected]
    if not expected:
        assert "No report matches these filters." in text(response)
    elif any(query.values()):
        assert f"{len(expected)} report{'s' if len(expected) > 1 else ''} matching" in text(
            response
        )


def test_filter_by_licence_number_whatever_the_case(casework, two_sponsors):
    licence = two_sponsors["other"].sponsor.licence_number
    response = casework.get(LIST, {"sponsor": licence.lower()})
    assert references(response) == [two_sponsors["other"].reference]
    # A licence number must be whole.
    assert references(casework.get(LIST, {"sponsor": licence[:-1]})) == []


def test_filter_by_certificate_number_whatever_the_case_and_spaces(casework, two_sponsors):
    number = two_sponsors["theirs"].certificate.number
    spaced = f" {number[:4].lower()} {number[4:]} "
    response = casework.get(LIST, {"number": spaced})
    assert references(response) == [two_sponsors["other"].reference]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"kind": "HOLIDAY"}, "kind", "Choose what was reported from the list"),
        ({"kind": "ORGANISATION_CHANGE"}, "kind", "Choose what was reported from the list"),
        ({"number": "C" * 41}, "number", "A certificate number is 40 characters or fewer"),
        (
            {"sponsor": "x" * 201},
            "sponsor",
            "A sponsor name or licence number is 200 characters or fewer",
        ),
    ],
)
def test_bad_filters_are_named_on_their_field(casework, two_sponsors, query, field, message):
    response = casework.get(LIST, query)
    assert response.status_code == 400
    assert field_error(response, field) == f"Error: {message}"
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert f'href="#id_{field}"' in body
    assert references(response) == []
    assert "<title>Error: Casework: migrant activity reports" in body


def test_the_list_comes_page_by_page_keeping_the_filters(casework, level1, send):
    worker = sponsored_worker(level1, start_date=date(2026, 11, 2))
    for minute in range(PAGE_SIZE + 2):
        # Each a different report: the same one sent again is kept once.
        answers = {**SALARY, "new_salary": str(30000 + minute)}
        send(worker, "SALARY_REDUCED", "2026-11-13", answers, at=f"2026-11-16 10:{minute:02d}")
    first = casework.get(LIST, {"kind": "SALARY_REDUCED"})
    assert len(references(first)) == PAGE_SIZE
    assert f"{PAGE_SIZE + 2} reports matching the filters" in text(first)
    assert "Page 1 of 2" in text(first)
    assert "kind=SALARY_REDUCED&amp;page=2" in first.content.decode()
    second = casework.get(LIST, {"kind": "SALARY_REDUCED", "page": "2"})
    assert len(references(second)) == 2
    oldest = ActivityReport.objects.order_by("submitted_at").first()
    assert references(second)[-1] == oldest.reference


def test_list_queries_do_not_grow_with_reports(casework, level1, other_level1, send):
    workers = [
        sponsored_worker(owner, start_date=date(2026, 11, 2), passport_number=f"P{n}")
        for n, owner in enumerate([level1, other_level1, level1])
    ]

    def add(count, hour):
        for n in range(count):
            answers = {**SALARY, "new_salary": str(30000 + 100 * hour + n)}
            report = send(
                workers[n % 3],
                "SALARY_REDUCED",
                "2026-11-13",
                answers,
                at=f"2026-11-16 {hour}:{n:02d}",
            )
            if n % 2:
                send(
                    workers[n % 3],
                    "SALARY_REDUCED",
                    "2026-11-13",
                    answers,
                    at=f"2026-11-16 {hour}:{n:02d}:30",
                    corrects=report,
                )

    add(2, 11)  # 3 reports, one a correction
    few = queries_for(casework, LIST)
    add(18, 12)  # 30 reports in all, a page and more
    many = queries_for(casework, LIST)
    assert ActivityReport.objects.count() == 30
    assert many == few
    assert queries_for(casework, f"{LIST}?kind=SALARY_REDUCED&sponsor=harbour") == few


# ---------------------------------------------------------------- one report


def test_the_report_page_shows_every_answer(casework, two_sponsors):
    late = two_sponsors["late"]
    response = casework.get(detail(late))
    assert response.status_code == 200
    page = text(response)
    assert f"Harbour View Care Ltd · licence {late.sponsor.licence_number}" in page
    assert f"Report {late.reference}" in page
    for shown in [
        "Sponsor Harbour View Care Ltd",
        f"Worker Łukasz Marek Kowalczyk, certificate {late.certificate.number}",
        "What was reported Unauthorised absence of more than 10 working days",
        "Sent 16 November 2026 at 11:00am by Zoë Hartley (LEVELONE1)",
        "Reporting clock started 14 October 2026",
        "Due by 28 October 2026",
        "Late or on time Late",
        "Working days counted Bank holidays of England",
        # Every question of an absence report, answered or not.
        "First day of the absence 1 October 2026",
        "Date they came back to work, if they have Not given",
        "How have you tried to contact them? Phoned on 5 and 6 November. Letter sent on 9 "
        "November.",
        "Pay deducted for the absence Not given",
        "Will you continue to sponsor them? Yes",
    ]:
        assert shown in page, shown
    body = response.content.decode()
    assert "Phoned on 5 and 6 November.<br>Letter sent" in body
    assert f'href="{reverse("casework:sponsor", args=[late.sponsor_id])}"' in body
    assert f'href="{reverse("casework:certificates:detail", args=[late.certificate_id])}"' in body


def test_the_report_page_links_corrections_both_ways(casework, two_sponsors, send):
    first = two_sponsors["on_time"]
    correction = send(
        two_sponsors["ours"],
        "SALARY_REDUCED",
        "2026-11-13",
        {**SALARY, "new_salary": "39000.50"},
        at="2026-11-17 09:30",
        corrects=first,
        source="API",
    )
    page = text(casework.get(detail(first)))
    # (The words of a link and what follows it are read with a space between.)
    assert f"Corrected by Report {correction.reference} , sent 17 November 2026" in page
    assert "New gross annual salary £38,500" in page
    response = casework.get(detail(correction))
    page = text(response)
    assert f"Corrects Report {first.reference} , sent 16 November 2026" in page
    assert "New gross annual salary £39,000.50" in page
    assert "through the API" in page
    assert f'href="{detail(first)}"' in response.content.decode()


def test_a_suspected_breach_has_no_deadline(casework, level1, send):
    worker = sponsored_worker(level1, start_date=date(2026, 11, 2))
    report = send(worker, "BREACH_SUSPECTED", "2026-11-12", {"description": "Working elsewhere"})
    page = text(casework.get(detail(report)))
    assert "Due by As soon as reasonably practicable" in page
    assert "Late or on time No fixed deadline" in page
    assert "Date you became aware 12 November 2026" in page


def test_an_unknown_report_is_not_found(casework, two_sponsors):
    missing = max(r.pk for r in ActivityReport.objects.all()) + 1
    assert casework.get(reverse("duties:casework_report", args=[missing])).status_code == 404
