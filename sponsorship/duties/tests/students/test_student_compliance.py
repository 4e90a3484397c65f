"""Students' duties and reports in the compliance tools the worker side has: the dashboard's
buckets and score, the duties list and a duty's page, reminders before a student's duty falls
due (counted in the study nation), the Home Office's view of reports, and the register's
records checklist (for workers, never students).

The clock is frozen at Monday 16 November 2026 (duties/tests/conftest.py). The student studies
in Aberdeen: Scotland's St Andrew's Day, Monday 30 November 2026, moves deadlines a day.
"""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.duties.compliance import compliance_dashboard
from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import Duty, EventSource, Reminder, ReminderKind
from sponsorship.duties.services import (
    duties_raise_on_schedule,
    reminders_send,
    student_activity_report,
    student_event_record,
)
from sponsorship.licences.tests.api.support import Api, token_for
from sponsorship.licences.tests.web.support import text
from sponsorship.notifications.jobs import deliver_pending_email
from sponsorship.records.selectors import incomplete_checklist_count, incomplete_checklists

from ..factories import sponsored_student, sponsored_worker

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 16)


def stopped_engaging(user, student, day="2026-11-16") -> Duty:
    student_event_record(actor=user, student=student, kind="ENROLLED", occurred_on="2026-09-14")
    student_event_record(actor=user, student=student, kind="STOPPED_ENGAGING", occurred_on=day)
    return Duty.objects.get(worker=student, kind=EventKind.STOPPED_ENGAGING)


def graduate(user, student, day=date(2026, 11, 10)):
    return student_activity_report(
        actor=user,
        certificate=student.certificate,
        kind=EventKind.GRADUATED,
        event_date=day,
        answers={"qualification": "MSc Marine Biology"},
        source=EventSource.WEB,
        ip=None,
    )


# ---------------------------------------------------------------- the dashboard


def test_the_dashboard_counts_students_duties_and_late_reports(level1, student):
    duties_raise_on_schedule(TODAY)  # "did not enrol": due 12 October, overdue
    board = compliance_dashboard(user=level1, today=TODAY)
    assert board.buckets["overdue"] == 1
    student_event_record(actor=level1, student=student, kind="ENROLLED", occurred_on="2026-10-05")
    student_event_record(
        actor=level1, student=student, kind="STOPPED_ENGAGING", occurred_on="2026-11-16"
    )
    board = compliance_dashboard(user=level1, today=TODAY)
    # Did not enrol still overdue (enrolled late); stopped engaging due Tue 1 Dec: later.
    assert board.buckets == {"overdue": 1, "this-week": 0, "later": 1, "done": 0}
    student_activity_report(
        actor=level1,
        certificate=student.certificate,
        kind=EventKind.DID_NOT_ENROL,
        event_date=date(2026, 9, 28),
        answers={
            "reason": "Visa delayed",
            "contact_attempts": "E-mail",
            "sponsorship_continues": True,
        },
        source=EventSource.WEB,
        ip=None,
    )
    board = compliance_dashboard(user=level1, today=TODAY)
    assert board.buckets == {"overdue": 0, "this-week": 0, "later": 1, "done": 1}
    lines = {line.rule.key: line.count for line in board.score.lines}
    assert lines["late_reports"] == 1 and lines["overdue"] == 0 and lines["open"] == 1


def test_students_are_not_workers_missing_their_records(level1, student):
    worker = sponsored_worker(level1)
    assert incomplete_checklist_count(sponsor=level1.sponsor) == 1
    assert list(incomplete_checklists(sponsor=level1.sponsor)) == [worker.pk]
    lines = {
        line.rule.key: line.count
        for line in compliance_dashboard(user=level1, today=TODAY).score.lines
    }
    assert lines["records_incomplete"] == 1


def test_a_level_2_user_s_dashboard_counts_their_own_students_only(level1, level2, student):
    theirs = sponsored_student(level2)
    stopped_engaging(level1, student)
    stopped_engaging(level2, theirs)
    assert compliance_dashboard(user=level2, today=TODAY).buckets["later"] == 1
    assert compliance_dashboard(user=level1, today=TODAY).buckets["later"] == 2


# ---------------------------------------------------------------- the duty pages


def test_the_duties_list_and_a_duty_s_page_lead_to_the_student(signed_in, level1, student):
    duty = stopped_engaging(level1, student)
    web = signed_in(level1)
    page = web.get(reverse("duties:duties"), {"bucket": "later"})
    assert "Student stopped engaging with their studies" in text(page)
    assert student.certificate.number in text(page)
    response = web.get(reverse("duties:duty", args=[duty.pk]))
    content = response.content.decode()
    assert f'href="/students/register/{student.pk}/"' in content
    assert f'href="/students/register/{student.pk}/report/?duty={duty.pk}"' in content
    assert "Working days counted with the bank holidays of Scotland." in text(response)
    assert "Due by 1 December 2026" in text(response)


def test_a_done_duty_links_to_the_student_s_report(signed_in, level1, student):
    duty = stopped_engaging(level1, student)
    report = student_activity_report(
        actor=level1,
        certificate=student.certificate,
        kind=EventKind.STOPPED_ENGAGING,
        event_date=date(2026, 11, 16),
        answers={"missed": "Lectures", "contact_attempts": "E-mail", "sponsorship_continues": True},
        source=EventSource.WEB,
        ip=None,
    )
    web = signed_in(level1)
    content = web.get(reverse("duties:duties"), {"bucket": "done"}).content.decode()
    assert f'href="/students/reports/{report.pk}/"' in content
    content = web.get(reverse("duties:duty", args=[duty.pk])).content.decode()
    assert f'href="/students/reports/{report.pk}/"' in content


# ---------------------------------------------------------------- reminders


def test_reminders_go_before_a_student_s_duty_falls_due_in_their_nation(
    frozen, level1, student, django_capture_on_commit_callbacks
):
    duty = stopped_engaging(level1, student)
    assert duty.due_on == date(2026, 12, 1)
    # 5 working days before Tue 1 Dec in Scotland (30 Nov closed): 27, 26, 25, 24, 23: Mon 23.
    for day in (date(2026, 11, 20), date(2026, 11, 23)):
        frozen.move_to(f"{day} 07:00")
        with django_capture_on_commit_callbacks(execute=True):
            reminders_send(day)
    frozen.move_to("2026-11-23 07:01")
    deliver_pending_email()
    reminder = Reminder.objects.get()
    assert (reminder.duty, reminder.day, reminder.kind) == (
        duty,
        date(2026, 11, 23),
        ReminderKind.DUE_SOON,
    )
    (email,) = mail.outbox
    assert email.subject == "Due soon: Student stopped engaging with their studies"
    assert student.certificate.number in email.body
    assert "due by 1 December 2026" in email.body


# ---------------------------------------------------------------- the Home Office's view


def test_caseworkers_see_students_reports_and_filter_by_their_kinds(
    signed_in, caseworker, level1, student
):
    report = graduate(level1, student)
    web = signed_in(caseworker)
    page = text(web.get(reverse("duties:casework_reports"), {"kind": "GRADUATED"}))
    assert report.reference in page and student.certificate.number in page
    page = text(web.get(reverse("duties:casework_report", args=[report.pk])))
    assert f"Student Łukasz Marek Kowalczyk, CAS {student.certificate.number}" in page
    assert "Qualification awarded MSc Marine Biology" in page
    assert "No deadline" in page


def test_the_casework_api_filters_by_a_student_kind(level1, caseworker, student):
    report = graduate(level1, student)
    api = Api(token_for(caseworker))
    body = api.get("/api/v1/casework/activity-reports", {"kind": "GRADUATED"}).json()
    assert [item["id"] for item in body["items"]] == [report.pk]
    assert body["items"][0]["certificate_number"] == student.certificate.number


def test_the_sweep_audits_what_it_raised_per_sponsor(level1, student):
    duties_raise_on_schedule(TODAY)
    event = AuditEvent.objects.get(verb=AuditVerb.DUTY_RAISED)
    assert event.sponsor_id == level1.sponsor_id
    assert event.payload["raised"] == {"DID_NOT_ENROL": 1}
