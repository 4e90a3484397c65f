"""Reminders: 5, 2 and 1 working days before a duty falls due (or the sponsor's own lead
times), every working day while it is overdue with the Authorising Officer copied in, and 90,
60, 30, 14 and 7 days before a worker's permission expires. They go to the worker's owner and
the sponsor's active Level 1 users, one e-mail each or one daily digest, as each user chose.
Running the sweep twice sends nothing twice.

The clock starts at Monday 16 November 2026 (conftest). Dates are counted by hand (bank
holidays: sponsorship/core/tests/test_workingdays.py).
"""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail

from sponsorship.accounts.models import UserStatus
from sponsorship.accounts.tests.factories import Level1Factory, Level2Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.duties.models import Duty, Reminder, ReminderKind, ReminderMode, Worker
from sponsorship.duties.services import (
    activity_report_submit,
    compliance_settings_save,
    hr_event_record,
    reminder_preference_save,
    reminders_send,
    worker_update_dates,
)
from sponsorship.duties.tests.factories import sponsored_worker
from sponsorship.licences.models import KeyPersonRole
from sponsorship.licences.tests.factories import KeyPersonFactory
from sponsorship.notifications.jobs import deliver_pending_email
from sponsorship.notifications.models import OutboundEmail


@pytest.fixture
def send(frozen, django_capture_on_commit_callbacks):
    """`send(day)`: run the reminder step on that day, early in the morning, then the outbox
    job that delivers what it queued (scheduled every minute). Returns the e-mails it queued,
    oldest first."""

    def _send(day: date) -> list[OutboundEmail]:
        frozen.move_to(f"{day} 07:00")
        before = set(OutboundEmail.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            queued = reminders_send(day)
        frozen.move_to(f"{day} 07:01")
        deliver_pending_email()
        new = list(OutboundEmail.objects.exclude(pk__in=before).order_by("pk"))
        assert queued == len(new)
        return new

    return _send


def salary_cut(worker, actor, day="2026-11-16"):
    """A salary cut recorded for `worker`: a duty at once."""
    hr_event_record(
        actor=actor,
        worker=Worker.objects.get(pk=worker.pk),
        kind="SALARY_CHANGE",
        occurred_on=day,
        details={"new_salary": "40000"},
    )
    return Duty.objects.filter(worker=worker).latest("pk")


def to(emails) -> list[str]:
    return sorted(email.to for email in emails)


@pytest.fixture
def officer(sponsor):
    return KeyPersonFactory(
        sponsor=sponsor, role=KeyPersonRole.AUTHORISING_OFFICER, email="ao@harbour.example.org"
    )


# ---------------------------------------------------------------- lead times


def test_reminders_go_5_2_and_1_working_days_before_the_due_date(worker, level1, send):
    duty = salary_cut(worker, level1)
    # Mon 16 Nov: 17-20 (4), 23-27 (9), Mon 30 Nov (10).
    assert duty.due_on == date(2026, 11, 30)
    # 5 working days before Mon 30 Nov: 27, 26, 25, 24, 23 -> Mon 23; 2 -> Thu 26; 1 -> Fri 27.
    sent_on = {
        day: send(day)
        for day in [
            date(2026, 11, 20),
            date(2026, 11, 23),
            date(2026, 11, 24),
            date(2026, 11, 25),
            date(2026, 11, 26),
            date(2026, 11, 27),
            date(2026, 11, 30),
        ]
    }
    assert {day for day, emails in sent_on.items() if emails} == {
        date(2026, 11, 23),
        date(2026, 11, 26),
        date(2026, 11, 27),
    }
    # The owner is also a Level 1 user: one e-mail, not two.
    (email,) = sent_on[date(2026, 11, 23)]
    assert email.to == level1.email
    assert email.subject == "Due soon: Salary reduced"
    assert email.template == "reminder"
    assert email.sponsor_id == level1.sponsor_id
    assert "Łukasz Marek Kowalczyk" in email.body
    assert worker.certificate.number in email.body
    assert "due by 30 November 2026" in email.body
    assert f"/workers/duties/{duty.pk}/" in email.body
    assert "Authorising Officer" not in email.body


def test_a_sponsors_own_lead_times_replace_the_default(worker, level1, other_level1, send):
    compliance_settings_save(
        actor=level1,
        reminder_lead_days="3, 10",
        expiry_alert_days="90,60,30,14,7",
        version=None,
        ip=None,
    )
    ours = salary_cut(worker, level1)
    theirs = salary_cut(sponsored_worker(other_level1, start_date=date(2026, 11, 2)), other_level1)
    assert ours.due_on == theirs.due_on == date(2026, 11, 30)
    # Ours: 10 working days before Mon 30 Nov is Mon 16 Nov (27-23 is 5, 20-16 is 10); 3 is
    # Wed 25 Nov. Theirs keeps 5, 2, 1: Mon 23, Thu 26, Fri 27 Nov.
    expected = {
        date(2026, 11, 16): [level1.email],
        date(2026, 11, 23): [other_level1.email],
        date(2026, 11, 25): [level1.email],
        date(2026, 11, 26): [other_level1.email],
        date(2026, 11, 27): [other_level1.email],
    }
    for day in [date(2026, 11, 16), *(date(2026, 11, n) for n in range(17, 28))]:
        assert to(send(day)) == expected.get(day, []), day


def test_lead_times_count_the_duty_nations_working_days(level1, send):
    scottish = sponsored_worker(level1, start_date=date(2026, 11, 2), work_nation="SCT")
    duty = salary_cut(scottish, level1)
    # St Andrew's Day, Mon 30 Nov, is closed: 17-20 (4), 23-27 (9), Tue 1 Dec (10).
    assert duty.due_on == date(2026, 12, 1)
    # 1 working day before Tue 1 Dec is Fri 27 Nov; 2 is Thu 26; 5 is Mon 23.
    days_sent = [day for day in [date(2026, 11, n) for n in (23, 24, 25, 26, 27, 30)] if send(day)]
    assert days_sent == [date(2026, 11, 23), date(2026, 11, 26), date(2026, 11, 27)]


# ---------------------------------------------------------------- overdue


def test_an_overdue_duty_is_reminded_every_working_day_and_escalated(worker, level1, officer, send):
    duty = salary_cut(worker, level1, "2026-11-13")
    # Fri 13 Nov: 16-20 (5), 23-27 (10).
    assert duty.due_on == date(2026, 11, 27)

    monday = send(date(2026, 11, 30))
    assert to(monday) == sorted([level1.email, "ao@harbour.example.org"])
    for_officer = next(email for email in monday if email.to == "ao@harbour.example.org")
    assert for_officer.subject == "Overdue: Salary reduced"
    assert "You are receiving this as the Authorising Officer" in for_officer.body
    assert "OVERDUE since 27 November 2026" in for_officer.body
    for_user = next(email for email in monday if email.to == level1.email)
    assert "Authorising Officer" not in for_user.body

    assert len(send(date(2026, 12, 1))) == 2
    assert len(send(date(2026, 12, 4))) == 2
    assert send(date(2026, 12, 5)) == []  # Saturday
    assert send(date(2026, 12, 6)) == []  # Sunday
    assert len(send(date(2026, 12, 7))) == 2
    # One escalated reminder a working day, each e-mailed to the officer as well.
    escalated = Reminder.objects.filter(escalated=True, kind=ReminderKind.OVERDUE)
    assert escalated.count() == 4


def test_no_overdue_reminder_on_the_duty_nations_bank_holiday(level1, send):
    scottish = sponsored_worker(level1, start_date=date(2026, 11, 2), work_nation="SCT")
    english = sponsored_worker(level1, start_date=date(2026, 11, 2))
    for worker in (scottish, english):
        assert salary_cut(worker, level1, "2026-11-13").due_on == date(2026, 11, 27)
    # Mon 30 Nov, St Andrew's Day: only the English duty is reminded.
    (email,) = send(date(2026, 11, 30))
    assert english.certificate.number in email.body
    assert len(send(date(2026, 12, 1))) == 2


def test_the_officer_is_told_even_when_the_sponsor_has_no_active_level_1_user(
    level1, other_sponsor, send
):
    # Another sponsor whose only Level 1 user has left; its Level 2 user owns the worker.
    leaver = Level1Factory(sponsor=other_sponsor, status=UserStatus.DEACTIVATED_BY_SPONSOR)
    owner = Level2Factory(sponsor=other_sponsor)
    KeyPersonFactory(sponsor=other_sponsor, email="ao@other.example.org")
    theirs = sponsored_worker(owner, start_date=date(2026, 11, 2))
    salary_cut(theirs, owner, "2026-11-13")
    # ...and our sponsor, with an active Level 1 user, has an overdue duty the same day.
    salary_cut(sponsored_worker(level1, start_date=date(2026, 11, 2)), level1, "2026-11-13")

    emails = to(send(date(2026, 11, 30)))

    assert leaver.email not in emails
    assert "ao@other.example.org" in emails


def test_a_closed_duty_gets_no_more_reminders(worker, level1, officer, send):
    salary_cut(worker, level1, "2026-11-13")
    assert send(date(2026, 11, 30))
    activity_report_submit(
        actor=level1,
        worker=Worker.objects.get(pk=worker.pk),
        kind="SALARY_REDUCED",
        event_date="2026-11-13",
        details={"new_salary": "40000", "reason": "Fewer hours"},
    )
    assert send(date(2026, 12, 1)) == []
    assert send(date(2026, 12, 2)) == []


# ---------------------------------------------------------------- who is told


def test_recipients_are_the_owner_and_the_active_level_1_users(
    level1, level2, other_level1, officer, send
):
    colleague = Level1Factory(sponsor=level1.sponsor)
    Level1Factory(sponsor=level1.sponsor, status=UserStatus.DEACTIVATED_BY_SPONSOR)
    Level2Factory(sponsor=level1.sponsor)  # a Level 2 user who does not own the worker
    worker = sponsored_worker(level2, start_date=date(2026, 11, 2))
    salary_cut(worker, level2)

    emails = send(date(2026, 11, 23))

    assert to(emails) == sorted([level1.email, colleague.email, level2.email])


def test_a_deactivated_owner_gets_nothing(level1, level2, send):
    worker = sponsored_worker(level2, start_date=date(2026, 11, 2))
    salary_cut(worker, level2)
    level2.status = UserStatus.DEACTIVATED_BY_SPONSOR
    level2.save(update_fields=["status"])
    assert to(send(date(2026, 11, 23))) == [level1.email]


# ---------------------------------------------------------------- permission expiry


@pytest.mark.parametrize(
    ("day", "days_left"),
    [
        # Expiry Sun 14 Feb 2027. 16 Nov 2026 + 14 = 30 Nov, + 31 = 31 Dec, + 31 = 31 Jan,
        # + 14 = 14 Feb: 90 days.
        (date(2026, 11, 16), 90),
        (date(2026, 12, 16), 60),
        (date(2027, 1, 15), 30),
        (date(2027, 1, 31), 14),  # a Sunday: calendar days, so it still goes
        (date(2027, 2, 7), 7),
    ],
)
def test_permission_expiry_alerts_go_at_90_60_30_14_and_7_days(
    worker, level1, level2, send, day, days_left
):
    owned = sponsored_worker(level2, start_date=date(2026, 11, 2))
    for each in (worker, owned):
        each = Worker.objects.get(pk=each.pk)
        worker_update_dates(
            actor=level1,
            worker=each,
            version=each.version,
            values={"permission_expires_on": "2027-02-14"},
            ip=None,
        )
    emails = send(day)
    # Level 1 hears about both workers; the Level 2 user about the one they own.
    assert to(emails) == sorted([level1.email, level1.email, level2.email])
    assert emails[0].subject == "Permission expiring: Łukasz Marek Kowalczyk"
    assert f"expires on 14 February 2027, in {days_left} days" in emails[0].body


def test_no_expiry_alert_on_other_days_or_for_an_ended_worker(worker, level1, send):
    worker_update_dates(
        actor=level1,
        worker=worker,
        version=worker.version,
        values={"permission_expires_on": "2027-02-14"},
        ip=None,
    )
    assert send(date(2026, 11, 17)) == []  # 89 days
    assert send(date(2027, 1, 14)) == []  # 31 days
    hr_event_record(
        actor=level1,
        worker=Worker.objects.get(pk=worker.pk),
        kind="LEAVING",
        occurred_on="2026-12-31",
        details={"reason": "RESIGNED"},
    )
    Duty.objects.update(status="CANCELLED", closed_at="2026-12-31T10:00:00Z")
    assert send(date(2027, 1, 15)) == []  # 30 days, but their sponsorship has ended


# ---------------------------------------------------------------- idempotence


def test_running_twice_sends_nothing_twice(worker, level1, officer, send):
    salary_cut(worker, level1, "2026-11-13")
    mail.outbox.clear()
    first = send(date(2026, 11, 30))
    assert len(first) == 2
    assert len(mail.outbox) == 2
    reminders = Reminder.objects.count()
    audits = AuditEvent.objects.filter(verb=AuditVerb.REMINDERS_SENT).count()

    assert send(date(2026, 11, 30)) == []

    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == reminders
    assert AuditEvent.objects.filter(verb=AuditVerb.REMINDERS_SENT).count() == audits
    assert OutboundEmail.objects.count() == 2


def test_sending_is_audited_per_sponsor(worker, level1, send):
    salary_cut(worker, level1)
    send(date(2026, 11, 23))
    audit = AuditEvent.objects.get(verb=AuditVerb.REMINDERS_SENT)
    assert audit.sponsor_id == level1.sponsor_id
    assert audit.payload == {"reminders": 1, "on": "2026-11-23"}
    assert audit.actor_label == "daily sweep"


# ---------------------------------------------------------------- immediate or digest


def test_a_digest_is_one_email_a_day_listing_every_reminder(level1, level2, send):
    digest_user = Level1Factory(sponsor=level1.sponsor)
    reminder_preference_save(actor=digest_user, mode=ReminderMode.DIGEST, ip=None)
    workers = [
        sponsored_worker(level1, start_date=date(2026, 11, 2), passport_number=f"P{n}")
        for n in range(3)
    ]
    for worker in workers:
        salary_cut(worker, level1)

    emails = send(date(2026, 11, 23))

    # Immediate: an e-mail per reminder. Digest: one listing all three.
    assert to(emails) == sorted([level1.email] * 3 + [digest_user.email])
    (digest,) = [email for email in emails if email.to == digest_user.email]
    assert digest.template == "reminders_digest"
    assert digest.subject == "Your reporting reminders for 23 November 2026"
    for worker in workers:
        assert worker.certificate.number in digest.body
    assert digest.body.count("due by 30 November 2026") == 3
    # Each immediate e-mail names one worker.
    for email in emails:
        if email.to == level1.email:
            assert sum(w.certificate.number in email.body for w in workers) == 1


def test_a_digest_mixes_due_soon_and_overdue(level1, send):
    reminder_preference_save(actor=level1, mode=ReminderMode.DIGEST, ip=None)
    late = sponsored_worker(level1, start_date=date(2026, 11, 2), passport_number="P1")
    soon = sponsored_worker(level1, start_date=date(2026, 11, 2), passport_number="P2")
    salary_cut(late, level1, "2026-11-13")  # due Fri 27 Nov: overdue
    salary_cut(soon, level1, "2026-11-16")  # due Mon 30 Nov: 5 working days ahead on 23 Nov
    (digest,) = send(date(2026, 11, 23))
    assert digest.subject == "Your reporting reminders for 23 November 2026"
    assert "due by 30 November 2026" in digest.body
    (digest,) = send(date(2026, 12, 1))
    assert digest.subject == "Your reporting reminders for 1 December 2026: some are overdue"
    assert "OVERDUE since 27 November 2026" in digest.body
    assert "OVERDUE since 30 November 2026" in digest.body
    assert "due by" not in digest.body


# ---------------------------------------------------------------- the files


def test_the_embedded_mail_backend_writes_each_email_to_var_mail():
    assert Path(django_settings.EMAIL_FILE_PATH) == django_settings.BASE_DIR / "var" / "mail"


def test_reminders_land_as_files_with_the_file_backend(worker, level1, send, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    duty = salary_cut(worker, level1)

    (email,) = send(date(2026, 11, 23))

    (written,) = tmp_path.iterdir()
    content = written.read_text()
    assert "Subject: Due soon: Salary reduced" in content
    assert f"To: {level1.email}" in content
    assert f"/workers/duties/{duty.pk}/" in content
    assert email.status == "SENT"
