"""Sponsored students in the browser: the register with its filters, a student's page (course,
events, duties, reports), recording an event, reporting activity with its check page, the
graduate notification, and who may see which student. Worker pages never show a student.

The clock is frozen at Monday 16 November 2026 (duties/tests/conftest.py); the student studies
in Aberdeen, so Scotland's bank holidays count (St Andrew's Day: Monday 30 November 2026).
"""

from datetime import date

import pytest

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import (
    ActivityReport,
    ComplianceSettings,
    Duty,
    DutyStatus,
    EventSource,
    Worker,
)
from sponsorship.duties.services import student_activity_report, student_event_record
from sponsorship.licences.models import LicenceStatus, Route
from sponsorship.licences.tests.factories import SponsorFactory
from sponsorship.licences.tests.web.support import field_error, queries_for, text

from ..factories import sponsored_student, sponsored_worker

pytestmark = pytest.mark.django_db

STUDENTS = "/students/register/"
REPORTS = "/students/reports/"


def page_of(student: Worker, page: str = "") -> str:
    return f"{STUDENTS}{student.pk}/" + (f"{page}/" if page else "")


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


@pytest.fixture
def as_user(client, signed_in):
    def _as(user):
        client.logout()
        return signed_in(user)

    return _as


def enrol(user, student, day="2026-09-14"):
    student_event_record(actor=user, student=student, kind="ENROLLED", occurred_on=day)


def engagement_answers(**extra: str) -> dict[str, str]:
    return {
        "event_date_day": "16",
        "event_date_month": "11",
        "event_date_year": "2026",
        "details_missed": "No lectures or tutorials since 19 October.",
        "details_contact_attempts": "E-mailed on 2 and 5 November; no answer.",
        "details_sponsorship_continues": "yes",
        **extra,
    }


# ---------------------------------------------------------------- the register


def test_the_register_lists_each_student_with_their_course(web, student, level1):
    enrol(level1, student)
    response = web.get(STUDENTS)
    assert response.status_code == 200
    page = text(response)
    assert "All your sponsored students: 1" in page
    number = student.certificate.number
    assert (
        f"Łukasz Marek Kowalczyk {number} : Łukasz Marek Kowalczyk S2026-0042 MSc Marine Biology "
        "14 Sep 2026 to 10 Sep 2027 Studying 0"
    ) in page
    assert f'href="{page_of(student)}"' in response.content.decode()


def test_the_register_filters_by_status_course_and_finds_by_id_number_or_name(web, level1, student):
    other = sponsored_student(
        level1, family_name="Nakamura", student_id="ABD-77", course_title="BSc Geology"
    )
    enrol(level1, other)
    page = text(web.get(STUDENTS, {"status": "STUDYING"}))
    assert "Students found: 1" in page and "Nakamura" in page and "Kowalczyk" not in page
    page = text(web.get(STUDENTS, {"status": "NOT_ENROLLED"}))
    assert "Kowalczyk" in page and "Nakamura" not in page
    page = text(web.get(STUDENTS, {"course": "geology"}))
    assert "Students found: 1" in page and "Nakamura" in page
    page = text(web.get(STUDENTS, {"q": "abd-77"}))
    assert "Students found: 1" in page and "Nakamura" in page
    page = text(web.get(STUDENTS, {"q": student.certificate.number.lower()}))
    assert "Students found: 1" in page and "Kowalczyk" in page
    page = text(web.get(STUDENTS, {"q": "naka"}))
    assert "Nakamura" in page and "Kowalczyk" not in page
    assert "No student matches your search." in text(web.get(STUDENTS, {"q": "Nobody"}))


def test_a_worker_s_status_is_not_a_student_filter(web, student):
    response = web.get(STUDENTS, {"status": "WORKING"})
    assert response.status_code == 400
    assert field_error(response, "status") == "Error: Select who to show from the list"


def test_the_register_pages_its_rows_in_the_same_number_of_queries(web, level1):
    for _ in range(3):
        sponsored_student(level1)
    three = queries_for(web, STUDENTS)
    for _ in range(27):
        sponsored_student(level1)
    assert queries_for(web, STUDENTS) == three
    page = text(web.get(STUDENTS))
    assert "All your sponsored students: 30" in page and "Page 1 of 2" in page


def test_worker_pages_never_show_a_student_nor_student_pages_a_worker(web, level1, student):
    worker = sponsored_worker(level1, family_name="Okafor")
    page = text(web.get("/workers/register/"))
    assert "Okafor" in page and student.certificate.number not in page
    assert web.get(f"/workers/register/{student.pk}/").status_code == 404
    assert web.get(f"/workers/register/{student.pk}/report/").status_code == 404
    assert web.get(f"/workers/register/{student.pk}/events/new/").status_code == 404
    assert worker.certificate.number not in text(web.get(STUDENTS))
    assert web.get(page_of(worker)).status_code == 404


# ---------------------------------------------------------------- a student's page


def test_a_student_s_page_shows_the_course_duties_events_and_reports(web, level1, student):
    enrol(level1, student)
    student_event_record(
        actor=level1, student=student, kind="STOPPED_ENGAGING", occurred_on="2026-11-16"
    )
    html = web.get(page_of(student)).content.decode()
    cas = student.certificate
    assert f'href="/cas/{cas.pk}/">{cas.number}</a>' in html
    page = text(web.get(page_of(student)))
    assert "Sponsored student · CAS " + cas.number in page
    assert "Course MSc Marine Biology" in page
    assert "Main study address University Avenue, Aberdeen, AB24 3FX (Scotland)" in page
    assert "Enrolled 14 September 2026" in page
    # Scotland's St Andrew's Day (Monday 30 November) moves the deadline to Tuesday.
    assert (
        "Student stopped engaging with their studies Stopped engaging with their studies "
        "1 December 2026" in page
    )
    assert "16 November 2026 Stopped engaging with their studies" in page
    assert "No reports sent yet." in page


def test_a_student_s_page_names_what_the_records_system_sent_and_links_each_report(
    web, level1, student
):
    enrol(level1, student)
    student_event_record(
        actor=level1,
        student=student,
        kind="STOPPED_ENGAGING",
        occurred_on="2026-11-16",
        source=EventSource.API,
    )
    report = student_activity_report(
        actor=level1,
        certificate=student.certificate,
        kind="STOPPED_ENGAGING",
        event_date=date(2026, 11, 16),
        answers={"missed": "Lectures", "contact_attempts": "E-mail", "sponsorship_continues": True},
        source=EventSource.BULK,
        ip=None,
    )
    html = web.get(page_of(student)).content.decode()
    assert f'href="/students/reports/{report.pk}/">{report.reference}</a>' in html
    page = text(web.get(page_of(student)))
    assert "(sent by your student records system)" in page
    assert "(in a bulk file)" in page


# ---------------------------------------------------------------- recording an event


def test_recording_an_event_offers_a_student_s_events_only(web, student):
    page = text(web.get(page_of(student, "events/new")))
    assert "Enrolled" in page and "Completed the course" in page
    assert "First day at work" not in page and "Salary changed" not in page
    response = web.get(page_of(student, "events/new"), {"kind": "FIRST_DAY"})
    assert response.status_code == 400


def test_recording_an_event_tells_the_user_what_to_report_and_by_when(web, level1, student):
    enrol(level1, student)
    response = web.post(
        page_of(student, "events/new") + "?kind=STUDIES_PAUSED",
        {
            "occurred_on_day": "16",
            "occurred_on_month": "11",
            "occurred_on_year": "2026",
            "details_how": "SUSPENDED",
        },
        follow=True,
    )
    page = text(response)
    assert "Recorded: suspended, interrupted or deferred their studies." in page
    assert "You must report this by 1 December 2026." in page
    assert "Studies paused" in page
    assert Duty.objects.get(worker=student).kind == EventKind.STUDIES_PAUSED


def test_an_event_the_student_s_state_rules_out_is_named(web, student):
    response = web.post(
        page_of(student, "events/new") + "?kind=STOPPED_ENGAGING",
        {"occurred_on_day": "16", "occurred_on_month": "11", "occurred_on_year": "2026"},
    )
    assert response.status_code == 400
    assert "Record their enrolment first: they are not enrolled yet" in text(response)


# ---------------------------------------------------------------- reporting


def test_reporting_offers_a_student_s_kinds_with_the_graduate_notification(web, student):
    page = text(web.get(page_of(student, "report")))
    assert "Student did not enrol" in page
    assert "Graduate notification: course completed successfully" in page
    assert "Salary reduced" not in page
    response = web.get(page_of(student, "report"), {"kind": "SALARY_REDUCED"})
    assert response.status_code == 400


def test_check_then_send_meets_the_duty(web, level1, student):
    enrol(level1, student)
    student_event_record(
        actor=level1, student=student, kind="STOPPED_ENGAGING", occurred_on="2026-11-16"
    )
    url = page_of(student, "report") + "?kind=STOPPED_ENGAGING"
    check = web.post(url, engagement_answers())
    assert check.status_code == 200
    page = text(check)
    assert "Check your answers before sending your report" in page
    assert "This must be reported by 1 December 2026." in page
    assert "If you send it today it will be on time." in page
    sent = web.post(url, {**engagement_answers(), "action": "send"}, follow=True)
    report = ActivityReport.objects.get()
    assert f"Your reference {report.reference}" in text(sent)
    assert report.source == EventSource.WEB and not report.late
    assert Duty.objects.get(worker=student).status == DutyStatus.DONE
    assert "The duty to report this is now done." in text(sent)
    page = text(web.get(f"{REPORTS}{report.pk}/"))
    assert "Student activity report" in page and "CAS " + student.certificate.number in page


def test_the_check_page_warns_of_a_late_report(web, student):
    url = page_of(student, "report") + "?kind=STOPPED_ENGAGING"
    page = text(web.post(url, engagement_answers(event_date_day="30", event_date_month="10")))
    assert "This must be reported by 13 November 2026." in page
    assert "This report will be late." in page


def test_answers_are_checked_field_by_field(web, student):
    url = page_of(student, "report") + "?kind=STOPPED_ENGAGING"
    response = web.post(
        url, engagement_answers(details_contact_attempts="", event_date_year="2027")
    )
    assert response.status_code == 400
    assert field_error(response, "details_contact_attempts") == (
        "Error: Enter an answer to “How have you tried to contact them?”"
    )
    assert not ActivityReport.objects.exists()


def test_a_graduate_notification_has_no_deadline(web, level1, student):
    url = page_of(student, "report") + "?kind=GRADUATED"
    answers = {
        "event_date_day": "13",
        "event_date_month": "11",
        "event_date_year": "2026",
        "details_qualification": "MSc Marine Biology",
    }
    page = text(web.post(url, answers))
    assert "send it before the student applies for the Graduate route" in page
    web.post(url, {**answers, "action": "send"})
    report = ActivityReport.objects.get()
    assert (report.kind, report.due_on, report.late) == (EventKind.GRADUATED, None, False)
    page = text(web.get(page_of(student)))
    assert "No deadline" in page and "Sponsorship ended" in page


def test_after_completing_early_the_graduate_notification_is_offered(web, level1, student):
    student_activity_report(
        actor=level1,
        certificate=student.certificate,
        kind="COMPLETED_EARLY",
        event_date=date(2026, 11, 10),
        answers={"reason": "Thesis submitted early."},
        source=EventSource.WEB,
        ip=None,
    )
    page = text(web.get(page_of(student)))
    assert "Send the graduate notification" in page and "Report activity" not in page
    assert web.get(page_of(student, "report") + "?kind=GRADUATED").status_code == 200
    assert web.get(page_of(student, "report") + "?kind=STOPPED_ENGAGING").status_code == 409


def test_the_reports_list_shows_students_reports_only(web, level1, student):
    worker = sponsored_worker(level1)
    student_activity_report(
        actor=level1,
        certificate=student.certificate,
        kind="STOPPED_ENGAGING",
        event_date=date(2026, 11, 10),
        answers={"missed": "Lectures", "contact_attempts": "E-mail", "sponsorship_continues": True},
        source=EventSource.BULK,
        ip=None,
    )
    page = text(web.get(REPORTS))
    assert "Student activity reports" in page and "Reports sent: 1" in page
    report = ActivityReport.objects.get()
    assert web.get(f"/workers/reports/{report.pk}/").status_code == 404
    assert worker.certificate.number not in page
    assert "(in a bulk file)" in text(web.get(f"{REPORTS}{report.pk}/"))


def test_the_reports_list_costs_the_same_for_3_reports_or_30(web, level1):
    def some(count):
        for _ in range(count):
            student = sponsored_student(level1)
            student_activity_report(
                actor=level1,
                certificate=student.certificate,
                kind="GRADUATED",
                event_date=date(2026, 11, 10),
                answers={"qualification": "MSc"},
                source=EventSource.WEB,
                ip=None,
            )

    some(3)
    three = queries_for(web, REPORTS)
    some(27)
    assert queries_for(web, REPORTS) == three


# ---------------------------------------------------------------- who may see what


def test_level2_sees_only_the_students_whose_cas_they_own(as_user, level1, level2, student):
    mine = sponsored_student(level2, family_name="Okafor")
    report = student_activity_report(
        actor=level1,
        certificate=student.certificate,
        kind="GRADUATED",
        event_date=date(2026, 11, 10),
        answers={"qualification": "MSc"},
        source=EventSource.WEB,
        ip=None,
    )
    client = as_user(level2)
    page = text(client.get(STUDENTS))
    assert "Okafor" in page and "Kowalczyk" not in page
    assert "You see the students whose CAS you own." in page
    assert client.get(page_of(mine)).status_code == 200
    for url in (page_of(student), page_of(student, "events/new"), page_of(student, "report")):
        assert client.get(url).status_code == 404
    assert client.get(f"{REPORTS}{report.pk}/").status_code == 404
    assert "Reports sent" not in text(client.get(REPORTS))


def test_another_sponsor_s_student_is_not_found(as_user, other_level1, level1, student):
    report = student_activity_report(
        actor=level1,
        certificate=student.certificate,
        kind="GRADUATED",
        event_date=date(2026, 11, 10),
        answers={"qualification": "MSc"},
        source=EventSource.WEB,
        ip=None,
    )
    client = as_user(other_level1)
    assert student.certificate.number not in text(client.get(STUDENTS))
    for url in (
        page_of(student),
        page_of(student, "events/new"),
        page_of(student, "report"),
        f"{REPORTS}{report.pk}/",
        f"{REPORTS}{report.pk}/sent/",
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            page_of(student, "report") + "?kind=STOPPED_ENGAGING", engagement_answers()
        ).status_code
        == 404
    )


def test_a_suspended_licence_still_records_and_reports(web, sponsor, level1, student):
    """Reporting duties go on while a licence is suspended."""
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert web.get(STUDENTS).status_code == 200
    html = web.get(page_of(student)).content.decode()
    # The CAS's own pages close while suspended, so its number is not a link.
    assert f'href="/cas/{student.certificate.pk}/"' not in html
    enrolled = web.post(
        page_of(student, "events/new") + "?kind=ENROLLED",
        {"occurred_on_day": "14", "occurred_on_month": "9", "occurred_on_year": "2026"},
    )
    assert enrolled.status_code == 302
    url = page_of(student, "report") + "?kind=STOPPED_ENGAGING"
    assert web.post(url, {**engagement_answers(), "action": "send"}).status_code == 302
    assert ActivityReport.objects.count() == 1


def test_a_licence_without_the_student_route_has_no_student_register(db, signed_in):
    workers_only = SponsorFactory(routes=[Route.SKILLED_WORKER])
    client = signed_in(Level1Factory(sponsor=workers_only))
    assert client.get(STUDENTS).status_code == 403
    assert client.get(REPORTS).status_code == 403


def test_worker_forms_never_offer_a_student_s_events_or_reports(web, level1):
    worker = sponsored_worker(level1)
    page = text(web.get(f"/workers/register/{worker.pk}/events/new/"))
    assert "First day at work" in page and "Enrolled" not in page
    page = text(web.get(f"/workers/register/{worker.pk}/report/"))
    assert "Salary reduced" in page and "Student did not enrol" not in page
    assert "Graduate notification" not in page
    assert (
        web.get(f"/workers/register/{worker.pk}/report/", {"kind": "GRADUATED"}).status_code == 400
    )


# ---------------------------------------------------------------- the enrolment period


def test_a_sponsor_of_students_sets_its_enrolment_period(web, level1):
    page = text(web.get("/compliance/reminders/"))
    assert "Days after a course starts by which a student must enrol" in page
    form = {
        "version": "0",
        "reminder_lead_days": "5, 2, 1",
        "expiry_alert_days": "90, 30",
        "enrolment_window_days": "21",
    }
    assert web.post("/compliance/reminders/", form).status_code == 302
    assert ComplianceSettings.objects.get(sponsor=level1.sponsor).enrolment_window_days == 21
    response = web.post(
        "/compliance/reminders/", {**form, "version": "1", "enrolment_window_days": "0"}
    )
    assert response.status_code == 400
    assert field_error(response, "enrolment_window_days") == (
        "Error: Enter the enrolment period as a whole number of days from 1 to 120, like 14"
    )
    response = web.post(
        "/compliance/reminders/", {**form, "version": "1", "enrolment_window_days": ""}
    )
    assert response.status_code == 400
    assert ComplianceSettings.objects.get(sponsor=level1.sponsor).enrolment_window_days == 21


def test_a_sponsor_of_workers_only_is_not_asked_for_an_enrolment_period(db, signed_in):
    workers_only = SponsorFactory(routes=[Route.SKILLED_WORKER])
    user = Level1Factory(sponsor=workers_only)
    client = signed_in(user)
    assert "enrol" not in text(client.get("/compliance/reminders/"))
    response = client.post(
        "/compliance/reminders/",
        {"version": "0", "reminder_lead_days": "5", "expiry_alert_days": "90"},
    )
    assert response.status_code == 302
    assert ComplianceSettings.objects.get(sponsor=workers_only).enrolment_window_days == 14


def test_a_correction_starts_from_the_report_and_is_linked_to_it(web, level1, student):
    first = student_activity_report(
        actor=level1,
        certificate=student.certificate,
        kind="STUDIES_STOPPED",
        event_date=date(2026, 11, 10),
        answers={"how": "WITHDREW", "last_known_address": "Aberdeen"},
        source=EventSource.WEB,
        ip=None,
    )
    page = web.get(f"{REPORTS}{first.pk}/")
    correct = f"{page_of(student, 'report')}?corrects={first.pk}"
    assert f'href="{correct}"' in page.content.decode()
    form = web.get(correct)
    assert form.status_code == 200
    assert f"Correct report {first.reference}" in text(form)
    answers = {
        "event_date_day": "9",
        "event_date_month": "11",
        "event_date_year": "2026",
        "details_how": "WITHDRAWN",
        "details_last_known_address": "Aberdeen",
        "action": "send",
    }
    assert web.post(correct, answers).status_code == 302
    fixed = ActivityReport.objects.exclude(pk=first.pk).get()
    assert (fixed.corrects, fixed.event_date) == (first, date(2026, 11, 9))
    assert f"Report {fixed.reference}" in text(web.get(f"{REPORTS}{first.pk}/"))
