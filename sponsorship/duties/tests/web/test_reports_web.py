"""Reporting migrant activity in the browser: choose the kind, answer its questions (prefilled
from a duty or from the report being corrected), check the answers with the deadline, send,
and the reports sent."""

import re
from datetime import date

import pytest

from sponsorship.duties.models import ActivityReport, Duty, DutyStatus, Worker
from sponsorship.duties.services import activity_report_submit
from sponsorship.duties.tests.factories import sponsored_worker
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.web.support import field_error, queries_for, text

REPORTS = "/workers/reports/"


def report_url(worker: Worker, query: str = "") -> str:
    return f"/workers/register/{worker.pk}/report/" + (f"?{query}" if query else "")


def absence_answers(**extra: str) -> dict[str, str]:
    return {
        "event_date_day": "16",
        "event_date_month": "11",
        "event_date_year": "2026",
        "details_contact_attempts": "Phoned on 20 and 24 November; letter sent 25 November.",
        "details_sponsorship_continues": "yes",
        **extra,
    }


def breach(
    worker: Worker, user, description: str = "Working for another employer"
) -> ActivityReport:
    return activity_report_submit(
        actor=user,
        worker=worker,
        kind="BREACH_SUSPECTED",
        event_date="2026-11-13",
        details={"description": description},
    )


@pytest.fixture
def web_after_duty(absence_duty, signed_in, level1):
    """Signed in on 1 December, once the absence duty exists."""
    return signed_in(level1)


# ---------------------------------------------------------------- choosing what to report


def test_first_the_kind_is_chosen_from_the_worker_events(web, worker):
    response = web.get(report_url(worker))
    assert response.status_code == 200
    page = text(response)
    assert "What are you reporting?" in page
    for label in ("Worker did not start", "Salary reduced", "Sponsorship stopped"):
        assert label in page
    assert "Change to the organisation" not in page


def test_an_organisation_change_is_not_a_migrant_activity_report(web, worker):
    response = web.get(report_url(worker, "kind=ORGANISATION_CHANGE"))
    assert response.status_code == 400
    assert field_error(response, "kind") == "Error: Select what you are reporting from the list"
    response = web.get(report_url(worker, "kind="))
    assert field_error(response, "kind") == "Error: Select what you are reporting"


def test_the_form_asks_the_kinds_own_questions_with_its_date_label(web, worker):
    page = text(web.get(report_url(worker, "kind=SPONSORSHIP_STOPPED")))
    assert "Date sponsorship stopped (their last day, for example)" in page
    assert "Why did sponsorship stop? Resigned Dismissed Made redundant" in page
    assert "Last known home address" in page
    assert "New employer, if known Optional." in page


def test_a_duty_fills_in_the_kind_and_the_event_date(web_after_duty, worker, absence_duty):
    response = web_after_duty.get(report_url(worker, f"duty={absence_duty.pk}"))
    assert response.status_code == 200
    page = text(response)
    assert "Report: Unauthorised absence of more than 10 working days" in page
    assert "This report meets the duty to report it by 11 December 2026" in page
    html = response.content.decode()
    assert 'name="event_date_day" type="text" inputmode="numeric" value="16"' in html
    assert 'name="event_date_month" type="text" inputmode="numeric" value="11"' in html


def test_an_open_duty_of_the_kind_chosen_is_found(web_after_duty, worker):
    page = text(web_after_duty.get(report_url(worker, "kind=ABSENCE")))
    assert "This report meets the duty to report it by 11 December 2026" in page


# ---------------------------------------------------------------- answering and checking


def test_bad_answers_are_named_and_nothing_is_sent(web, worker):
    response = web.post(
        report_url(worker, "kind=ABSENCE"),
        {
            "event_date_day": "16",
            "event_date_month": "13",
            "event_date_year": "2026",
            "details_return_date_day": "1",
            "details_sponsorship_continues": "perhaps",
        },
    )
    assert response.status_code == 400
    assert field_error(response, "event_date_day") == (
        "Error: The first day of the absence must be a real date, like 27 11 2026"
    )
    assert field_error(response, "details_return_date_day") == (
        "Error: The date they came back to work, if they have must include a month and year"
    )
    assert field_error(response, "details_contact_attempts") == (
        "Error: Enter an answer to “How have you tried to contact them?”"
    )
    assert field_error(response, "details_sponsorship_continues") == (
        "Error: Choose one of the answers to “Will you continue to sponsor them?”"
    )
    html = response.content.decode()
    for anchor in ("event_date_month", "details_contact_attempts", "details_return_date_month"):
        assert f'href="#id_{anchor}"' in html
    assert not ActivityReport.objects.exists()


def test_check_your_answers_shows_every_answer_and_the_deadline(web_after_duty, worker):
    response = web_after_duty.post(report_url(worker, "kind=ABSENCE"), absence_answers())
    assert response.status_code == 200
    page = text(response)
    assert "Check your answers before sending your report" in page
    assert "First day of the absence 16 November 2026" in page
    assert "Date they came back to work, if they have Not given" in page
    assert "How have you tried to contact them? Phoned on 20 and 24 November" in page
    assert "Will you continue to sponsor them? Yes" in page
    assert "This must be reported by 11 December 2026." in page
    assert "If you send it today it will be on time." in page
    assert not ActivityReport.objects.exists()
    html = response.content.decode()
    assert 'formaction="#id_details_contact_attempts"' in html
    assert '<input type="hidden" name="details_contact_attempts"' in html


def test_change_goes_back_to_the_form_with_the_answers(web_after_duty, worker):
    response = web_after_duty.post(
        report_url(worker, "kind=ABSENCE"), {**absence_answers(), "action": "change"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check your answers" not in html
    assert "Phoned on 20 and 24 November" in html
    assert 'name="event_date_day" type="text" inputmode="numeric" value="16"' in html


def test_check_then_send_closes_the_duty(web_after_duty, worker, absence_duty, level1):
    url = report_url(worker, f"duty={absence_duty.pk}")
    assert web_after_duty.post(url, absence_answers()).status_code == 200
    response = web_after_duty.post(url, {**absence_answers(), "action": "send"})
    report = ActivityReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{REPORTS}{report.pk}/sent/"
    assert (report.kind, report.event_date, report.submitted_by) == (
        "ABSENCE",
        date(2026, 11, 16),
        level1,
    )
    assert report.details["sponsorship_continues"] is True
    page = text(web_after_duty.get(response["Location"]))
    assert f"Report sent Your reference {report.reference}" in page
    assert "You reported this in time: the deadline was 11 December 2026." in page

    duty_page = text(web_after_duty.get(f"/workers/duties/{absence_duty.pk}/"))
    assert "Status Reported on 1 December 2026" in duty_page
    assert f"How it was met Report {report.reference} , sent 1 December 2026" in duty_page
    assert "Report it now" not in duty_page
    assert Duty.objects.get(pk=absence_duty.pk).status == DutyStatus.DONE


def test_a_late_report_says_so_before_and_after_sending(
    absence_duty, worker, frozen, signed_in, level1
):
    frozen.move_to("2026-12-14 10:00")
    web = signed_in(level1)
    page = text(web.post(report_url(worker, "kind=ABSENCE"), absence_answers()))
    assert "This must be reported by 11 December 2026." in page
    assert "This report will be late." in page
    response = web.post(report_url(worker, "kind=ABSENCE"), {**absence_answers(), "action": "send"})
    page = text(web.get(response["Location"]))
    assert "This report was late. It had to be sent by 11 December 2026." in page
    assert "Late" in text(web.get(REPORTS))


def test_a_suspected_breach_has_no_fixed_deadline(web, worker):
    page = text(
        web.post(
            report_url(worker, "kind=BREACH_SUSPECTED"),
            {
                "event_date_day": "13",
                "event_date_month": "11",
                "event_date_year": "2026",
                "details_description": "Seen working for another employer.",
            },
        )
    )
    assert "There is no fixed deadline: report it as soon as reasonably practicable." in page


def test_a_refusal_on_sending_goes_back_to_the_form_with_the_field_named(web, worker):
    answers = absence_answers(event_date_day="30", event_date_month="11")
    response = web.post(report_url(worker, "kind=ABSENCE"), {**answers, "action": "send"})
    assert response.status_code == 400
    assert field_error(response, "event_date_day") == (
        "Error: The date of the event cannot be in the future"
    )
    assert not ActivityReport.objects.exists()


# ---------------------------------------------------------------- refusals


def test_a_report_on_a_certificate_that_is_not_used_is_refused(web, worker):
    worker.certificate.status = "CANCELLED"
    worker.certificate.save()
    number = worker.certificate.number
    for response in (
        web.get(report_url(worker)),
        web.post(report_url(worker, "kind=ABSENCE"), {**absence_answers(), "action": "send"}),
    ):
        assert response.status_code == 409
        assert (
            f"Activity can be reported only on a used certificate; {number} is cancelled."
            in text(response)
        )
    assert not ActivityReport.objects.exists()


def test_after_sponsorship_stopped_only_a_correction_can_be_sent(web, worker, level1):
    stopped = activity_report_submit(
        actor=level1,
        worker=worker,
        kind="SPONSORSHIP_STOPPED",
        event_date="2026-11-13",
        details={"reason": "RESIGNED", "last_known_address": "14 Wellington Road, Leeds"},
    )
    response = web.get(report_url(worker))
    assert response.status_code == 409
    assert "You reported that sponsorship stopped on 13 November 2026." in text(response)
    assert "Report activity" not in text(web.get(f"/workers/register/{worker.pk}/"))
    assert web.get(report_url(worker, f"corrects={stopped.pk}")).status_code == 200


# ---------------------------------------------------------------- corrections


def test_a_correction_is_a_new_report_linked_both_ways(web, worker, level1):
    first = breach(worker, level1, "Working for another employer on Saturdays.")
    page = text(web.get(f"{REPORTS}{first.pk}/"))
    assert "Send a correction" in page
    form = web.get(report_url(worker, f"corrects={first.pk}"))
    assert f"Correct report {first.reference}" in text(form)
    assert "Working for another employer on Saturdays." in form.content.decode()
    answers = {
        "event_date_day": "12",
        "event_date_month": "11",
        "event_date_year": "2026",
        "details_description": "Working for another employer at weekends.",
        "action": "send",
    }
    response = web.post(report_url(worker, f"corrects={first.pk}"), answers)
    assert response.status_code == 302
    second = ActivityReport.objects.exclude(pk=first.pk).get()
    assert second.corrects == first
    page = text(web.get(f"{REPORTS}{second.pk}/"))
    assert f"Corrects Report {first.reference}" in page
    page = text(web.get(f"{REPORTS}{first.pk}/"))
    assert f"Corrected by Report {second.reference} , sent 16 November 2026" in page


def test_the_report_page_shows_every_answer_and_its_timing(web, worker, level1):
    report = activity_report_submit(
        actor=level1,
        worker=worker,
        kind="SALARY_REDUCED",
        event_date="2026-11-13",
        details={"new_salary": "48000.50", "reason": "Moved to a four-day week."},
    )
    response = web.get(f"{REPORTS}{report.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert f"Report {report.reference}" in page
    assert "What was reported Salary reduced" in page
    assert "Date the reduced salary took effect 13 November 2026" in page
    assert "New gross annual salary £48,000.50" in page
    assert "Why was the salary reduced? Moved to a four-day week." in page
    assert "Sent 16 November 2026 at 10:00am by Zoë Hartley" in page
    assert "Due by 27 November 2026" in page
    assert "Late or on time On time" in page


# ---------------------------------------------------------------- the list and who sees what


def test_the_reports_list_pages_newest_first(signed_in, worker, level1, frozen):
    older = breach(worker, level1)
    frozen.move_to("2026-11-16 11:00")
    newer = breach(worker, level1, "Another thing")
    page = text(signed_in(level1).get(REPORTS))
    assert "Reports sent: 2" in page
    assert page.index(newer.reference) < page.index(older.reference)


def test_the_number_of_queries_does_not_grow_with_the_reports(web, worker, level1):
    first = breach(worker, level1)
    for number in range(2):
        activity_report_submit(
            actor=level1,
            worker=worker,
            kind="BREACH_SUSPECTED",
            event_date="2026-11-13",
            details={"description": f"More, {number}"},
            corrects=first,
        )
    three = queries_for(web, REPORTS)
    # Different reports: the same one sent again is kept once.
    for number in range(27):
        breach(worker, level1, f"Seen working elsewhere, time {number}")
    assert queries_for(web, REPORTS) == three
    assert "Page 1 of 2" in text(web.get(REPORTS))


def test_level2_reports_only_on_their_own_workers(as_user, level2, level1, worker):
    mine = sponsored_worker(level2, family_name="Okafor")
    theirs = breach(worker, level1)
    own = breach(mine, level2)
    client = as_user(level2)
    page = text(client.get(REPORTS))
    assert own.reference in page and theirs.reference not in page
    assert client.get(f"{REPORTS}{own.pk}/").status_code == 200
    assert client.get(report_url(mine)).status_code == 200
    assert client.get(f"{REPORTS}{theirs.pk}/").status_code == 404
    assert client.get(f"{REPORTS}{theirs.pk}/sent/").status_code == 404
    assert client.get(report_url(worker)).status_code == 404
    response = client.post(
        report_url(worker, "kind=ABSENCE"), {**absence_answers(), "action": "send"}
    )
    assert response.status_code == 404
    # Another's report cannot be corrected through one's own worker either.
    assert client.get(report_url(mine, f"corrects={theirs.pk}")).status_code == 404
    assert ActivityReport.objects.count() == 2


def test_another_sponsors_reports_are_not_found(as_user, other_level1, worker, level1):
    report = breach(worker, level1)
    client = as_user(other_level1)
    assert report.reference not in text(client.get(REPORTS))
    for url in (f"{REPORTS}{report.pk}/", f"{REPORTS}{report.pk}/sent/", report_url(worker)):
        assert client.get(url).status_code == 404


def test_a_duty_or_report_of_another_worker_is_not_found(web, worker, level1):
    other = sponsored_worker(level1, family_name="Okafor")
    report = breach(other, level1)
    assert web.get(report_url(worker, f"corrects={report.pk}")).status_code == 404
    assert web.get(report_url(worker, "duty=not-a-number")).status_code == 404


def test_reporting_goes_on_while_the_licence_is_suspended(web, sponsor, worker):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert web.get(report_url(worker, "kind=ABSENCE")).status_code == 200
    response = web.post(report_url(worker, "kind=ABSENCE"), {**absence_answers(), "action": "send"})
    assert response.status_code == 302
    assert re.match(rf"{REPORTS}\d+/sent/", response["Location"])
