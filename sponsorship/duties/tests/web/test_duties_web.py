"""The duties list by how soon each falls due, and one duty with how it was met.

The clock is frozen at Monday 16 November 2026 (conftest): due on 16 November is due this
week, on 6 November overdue, on 27 November later."""

from datetime import date

import pytest

from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import Duty, Worker
from sponsorship.duties.services import activity_report_submit, duty_raise, hr_event_record
from sponsorship.duties.tests.factories import sponsored_worker
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.web.support import queries_for, text

DUTIES = "/workers/duties/"


def raise_duty(worker: Worker, kind: str, event_date: date, summary: str = "") -> Duty:
    duty, _ = duty_raise(worker, EventKind(kind), event_date, summary or kind, actor=None)
    return duty


@pytest.fixture
def buckets(worker, level1):
    """One duty in each bucket."""
    overdue = raise_duty(worker, "JOB_CHANGED", date(2026, 10, 23), "Job changed to Team lead")
    this_week = raise_duty(worker, "SALARY_REDUCED", date(2026, 11, 2), "Salary cut")
    later = raise_duty(worker, "LOCATION_CHANGED", date(2026, 11, 13), "Moved to Leeds")
    done = raise_duty(worker, "OFFSHORE", date(2026, 11, 10), "Arrived offshore")
    report = activity_report_submit(
        actor=level1,
        worker=worker,
        kind="OFFSHORE",
        event_date="2026-11-10",
        details={"movement": "ARRIVED", "location": "Brent Delta"},
    )
    assert (overdue.due_on, this_week.due_on, later.due_on) == (
        date(2026, 11, 6),
        date(2026, 11, 16),
        date(2026, 11, 27),
    )
    return {
        "overdue": overdue,
        "this_week": this_week,
        "later": later,
        "done": done,
        "report": report,
    }


def test_the_tabs_count_each_bucket_and_the_most_pressing_opens(web, buckets):
    response = web.get(DUTIES)
    assert response.status_code == 200
    page = text(response)
    assert "Overdue (1) Due this week (1) Due later (1) Done (1)" in page
    assert "Overdue: 1" in page
    assert "Job changed significantly Job changed to Team lead" in page
    assert "6 November 2026 Overdue" in page
    assert "Salary cut" not in page
    html = response.content.decode()
    assert '<strong aria-current="page">Overdue (1)</strong>' in html
    assert 'href="?bucket=this-week">Due this week (1)</a>' in html


def test_each_bucket_lists_its_duties(web, buckets):
    page = text(web.get(DUTIES, {"bucket": "this-week"}))
    assert "Due this week: 1" in page and "Salary cut" in page and "16 November 2026 To do" in page
    page = text(web.get(DUTIES, {"bucket": "later"}))
    assert "Due later: 1" in page and "Moved to Leeds" in page
    page = text(web.get(DUTIES, {"bucket": "done"}))
    assert "Done: 1" in page and "Arrived offshore" in page
    assert f"Reported {buckets['report'].reference}" in page


def test_with_nothing_overdue_the_next_bucket_opens(web, worker):
    raise_duty(worker, "LOCATION_CHANGED", date(2026, 11, 13), "Moved to Leeds")
    page = text(web.get(DUTIES))
    assert "Due later: 1" in page
    page = text(web.get(DUTIES, {"bucket": "nonsense"}))
    assert "Due later: 1" in page


def test_with_no_duties_the_list_says_so(web, worker):
    page = text(web.get(DUTIES))
    assert "Overdue (0) Due this week (0) Due later (0) Done (0)" in page
    assert "Nothing here: no duty is overdue." in page


def test_the_number_of_queries_does_not_grow_with_the_rows(web, level1):
    workers = [sponsored_worker(level1) for _ in range(3)]
    for w in workers:
        raise_duty(w, "LOCATION_CHANGED", date(2026, 11, 13))
    three = queries_for(web, DUTIES + "?bucket=later")
    for day in (9, 10, 11, 12, 14, 15, 16, 17, 18):
        for w in workers:
            raise_duty(w, "LOCATION_CHANGED", date(2026, 11, day))
    assert Duty.objects.count() == 30
    assert queries_for(web, DUTIES + "?bucket=later") == three
    page = text(web.get(DUTIES + "?bucket=later"))
    assert "Due later: 30" in page and "Page 1 of 2" in page


def test_the_duty_page_says_what_for_whom_and_when(web, worker, buckets):
    duty = buckets["overdue"]
    response = web.get(f"{DUTIES}{duty.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "Job changed significantly" in page
    assert "This was due by 6 November 2026. Report it now" in page
    assert f"For Łukasz Marek Kowalczyk (certificate {worker.certificate.number})" in page
    assert "Date the job changed 23 October 2026" in page
    assert "Reporting clock started 23 October 2026" in page
    assert "Due by 6 November 2026" in page
    assert "Status Overdue" in page
    html = response.content.decode()
    assert f'href="/workers/register/{worker.pk}/report/?duty={duty.pk}"' in html
    assert "Report it now" in page


def test_a_done_duty_links_to_its_report(web, buckets):
    page = text(web.get(f"{DUTIES}{buckets['done'].pk}/"))
    report = buckets["report"]
    assert "Status Reported on 16 November 2026" in page
    assert f"How it was met Report {report.reference} , sent 16 November 2026" in page
    assert "Report it now" not in page


def test_a_cancelled_duty_says_why(worker, level1, frozen, signed_in):
    frozen.move_to("2026-12-02 10:00")
    duty = raise_duty(worker, "DID_NOT_START", date(2026, 11, 2), "Did not start")
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-11-20")
    page = text(signed_in(level1).get(f"{DUTIES}{duty.pk}/"))
    assert "Status No longer needed on 2 December 2026" in page
    assert (
        "Why it is no longer needed The worker started on 20 November 2026, within the 28 days."
        in page
    )
    assert "Report it now" not in page


def test_level2_sees_only_their_own_workers_duties(as_user, level2, worker, buckets):
    mine = sponsored_worker(level2, family_name="Okafor")
    own = raise_duty(mine, "LOCATION_CHANGED", date(2026, 11, 12), "Okafor moved")
    client = as_user(level2)
    page = text(client.get(DUTIES, {"bucket": "later"}))
    assert "Okafor moved" in page and "Moved to Leeds" not in page
    assert "Overdue (0) Due this week (0) Due later (1) Done (0)" in page
    assert client.get(f"{DUTIES}{own.pk}/").status_code == 200
    assert client.get(f"{DUTIES}{buckets['later'].pk}/").status_code == 404


def test_another_sponsors_duty_is_not_found(as_user, other_level1, buckets):
    client = as_user(other_level1)
    assert "Overdue (0) Due this week (0) Due later (0) Done (0)" in text(client.get(DUTIES))
    assert client.get(f"{DUTIES}{buckets['overdue'].pk}/").status_code == 404


def test_duties_are_shown_while_the_licence_is_suspended(web, sponsor, buckets):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert web.get(DUTIES).status_code == 200
    page = text(web.get(f"{DUTIES}{buckets['overdue'].pk}/"))
    assert "Report it now" in page
