"""Every e-mail is an outbox row first, sent once the transaction commits, and retried until
it goes or until MAX_ATTEMPTS, so nothing is lost while a mail server is down."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from sponsorship.accounts.tests.factories import PASSWORD
from sponsorship.notifications.jobs import deliver_pending_email
from sponsorship.notifications.models import OutboundEmail, OutboxStatus
from sponsorship.notifications.services import (
    MAX_ATTEMPTS,
    email_deliver,
    email_deliver_pending,
    email_queue,
)

FAILING = f"{__name__}.FailingBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connection refused by mail.example.org:25")


class VerboseFailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise OSError("x" * 2000)


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = FAILING
    return settings


def queue_password_changed(user):
    return email_queue(
        to=user.email, template="password_changed", context={"user": user}, sponsor=user.sponsor
    )


def refreshed(email):
    email.refresh_from_db()
    return email


def test_queue_writes_a_row_and_sends_after_commit(level1, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = queue_password_changed(level1)
        assert OutboundEmail.objects.get().status == OutboxStatus.PENDING
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    email = refreshed(email)
    assert email.status == OutboxStatus.SENT
    assert email.sent_at is not None
    assert email.attempts == 1
    assert email.last_error == ""


def test_the_row_and_the_message_match_the_template(level1, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_password_changed(level1)
    email = refreshed(email)
    assert email.to == "levelone1@example.org"
    assert email.subject == "Your Sponsor Management System password was changed"
    assert email.body.startswith("Dear Zoë,")
    assert "(LEVELONE1)" in email.body
    assert email.template == "password_changed"
    assert email.sponsor == level1.sponsor
    (sent,) = mail.outbox
    assert sent.to == ["levelone1@example.org"]
    assert sent.subject == email.subject
    assert sent.body == email.body


def test_nothing_is_sent_or_kept_when_the_transaction_rolls_back(
    level1, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_password_changed(level1)
        raise RuntimeError("the change being notified failed")
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_a_failing_backend_leaves_the_row_pending_with_the_error(
    level1, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_password_changed(level1)
    email = refreshed(email)
    assert email.status == OutboxStatus.PENDING
    assert email.attempts == 1
    assert email.last_error == "Connection refused by mail.example.org:25"
    assert email.sent_at is None


def test_pending_mail_is_sent_once_the_backend_works(
    level1, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_password_changed(level1)
    assert email_deliver_pending() == 0
    assert refreshed(email).attempts == 2

    mail_server_down.EMAIL_BACKEND = WORKING
    mail.outbox.clear()
    assert email_deliver_pending() == 1
    email = refreshed(email)
    assert email.status == OutboxStatus.SENT
    assert email.attempts == 3
    assert len(mail.outbox) == 1
    assert email_deliver_pending() == 0  # sent once, never again
    assert len(mail.outbox) == 1


def test_after_max_attempts_the_row_is_failed(level1, mail_server_down):
    email = queue_password_changed(level1)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert email_deliver(email.pk) is False
        email = refreshed(email)
        assert email.attempts == attempt
        expected = OutboxStatus.FAILED if attempt == MAX_ATTEMPTS else OutboxStatus.PENDING
        assert email.status == expected
    assert email.last_error


def test_a_failed_row_is_not_retried(level1, mail_server_down):
    email = queue_password_changed(level1)
    for _ in range(MAX_ATTEMPTS):
        email_deliver_pending()
    mail_server_down.EMAIL_BACKEND = WORKING
    mail.outbox.clear()
    assert email_deliver_pending() == 0
    assert email_deliver(email.pk) is False
    assert mail.outbox == []
    email = refreshed(email)
    assert email.status == OutboxStatus.FAILED
    assert email.attempts == MAX_ATTEMPTS


def test_a_sent_row_is_not_sent_again(level1):
    email = queue_password_changed(level1)
    mail.outbox.clear()
    assert email_deliver(email.pk) is True
    assert email_deliver(email.pk) is False
    assert len(mail.outbox) == 1
    assert refreshed(email).attempts == 1


def test_a_long_error_is_cut_to_fit(level1, settings):
    settings.EMAIL_BACKEND = f"{__name__}.VerboseFailingBackend"
    email = queue_password_changed(level1)
    email_deliver(email.pk)
    assert len(refreshed(email).last_error) == 500


def test_delivering_pending_sends_each_and_counts_them(level1, level2, mail_server_down):
    emails = [queue_password_changed(user) for user in (level1, level2, level1)]
    email_deliver_pending()
    mail_server_down.EMAIL_BACKEND = WORKING
    mail.outbox.clear()
    assert deliver_pending_email() == 3  # the scheduled job
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.to for e in emails)
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_delivering_pending_with_nothing_pending(db):
    assert email_deliver_pending() == 0


def test_a_passcode_held_up_by_the_mail_server_arrives_later(
    client, level1, mail_server_down, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sign-in/", {"user_id": level1.username, "password": PASSWORD})
    assert response["Location"].startswith("/sign-in/passcode/")
    assert mail.outbox == []
    email = OutboundEmail.objects.get(template="passcode")
    assert email.status == OutboxStatus.PENDING

    mail_server_down.EMAIL_BACKEND = WORKING
    assert email_deliver_pending() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [level1.email]


class SlowBackend(BaseEmailBackend):
    """A mail server slow enough that the every-minute job runs while a message is going out:
    that job's delivery attempt happens in the middle of this one."""

    sent: list[str] = []

    def send_messages(self, email_messages):
        if not SlowBackend.sent:
            SlowBackend.sent.append("first")
            email_deliver_pending()
        else:
            SlowBackend.sent.append("second")
        return len(email_messages)


def test_a_message_is_sent_once_even_when_two_deliveries_overlap(level1, settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    SlowBackend.sent = []
    email = queue_password_changed(level1)
    email_deliver(email.pk)
    assert SlowBackend.sent == ["first"]
    assert refreshed(email).status == OutboxStatus.SENT


def test_a_send_interrupted_by_a_crash_is_retried_once_the_claim_is_stale(level1):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    email = queue_password_changed(level1)
    # A sender claimed the row, then died before marking it sent.
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now()
    )
    mail.outbox.clear()
    assert deliver_pending_email() == 0  # still someone else's
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert deliver_pending_email() == 1
    assert len(mail.outbox) == 1
    assert refreshed(email).status == OutboxStatus.SENT
