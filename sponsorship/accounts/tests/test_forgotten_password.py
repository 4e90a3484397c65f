"""Forgotten password: a temporary password e-mailed when user ID and e-mail match,
and the same reply whatever was typed."""

import re
import string

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail

from sponsorship.accounts import services
from sponsorship.accounts.models import UserStatus
from sponsorship.accounts.password_policy import SPECIAL_CHARACTERS
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import LicenceStatus

from .factories import PASSWORD
from .journeys import WRONG_CREDENTIALS, passcode_in_last_email, text, verbs

SENT = "/forgotten-password/sent/"


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def _ask(user_id: str, email: str, ip: str = "127.0.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/forgotten-password/", {"user_id": user_id, "email": email}, REMOTE_ADDR=ip
            )

    return _ask


@pytest.fixture
def generated(monkeypatch):
    """`generated(*passwords)`: the temporary passwords the service makes up next, in order."""

    def _script(*passwords: str) -> None:
        queue = list(passwords)
        monkeypatch.setattr(services, "temporary_password", lambda user: queue.pop(0))

    return _script


def temporary_password() -> str:
    match = re.search(r"Temporary password: (\S+)", str(mail.outbox[-1].body))
    assert match is not None, mail.outbox[-1].body
    return match.group(1)


def test_forgotten_password_page(client, db):
    response = client.get("/forgotten-password/")
    assert response.status_code == 200
    assert "User ID" in text(response)
    assert "E-mail address" in text(response)


def test_the_reply_is_the_same_whatever_was_typed(client, ask, level1):
    matching = ask(level1.username, level1.email)
    wrong_email = ask(level1.username, "someone.else@example.org")
    unknown = ask("NOBODY999", level1.email)

    assert matching.status_code == wrong_email.status_code == unknown.status_code == 302
    assert matching["Location"] == wrong_email["Location"] == unknown["Location"] == SENT
    page = text(client.get(SENT))
    assert "If the user ID and e-mail address you entered match our records" in page


def test_only_a_match_gets_an_email(ask, level1):
    ask(level1.username, "someone.else@example.org")
    ask("NOBODY999", level1.email)
    assert not mail.outbox
    assert not AuditEvent.objects.filter(verb=AuditVerb.PASSWORD_RESET).exists()

    ask(level1.username, level1.email)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [level1.email]
    assert "temporary" in mail.outbox[0].subject.lower()
    assert verbs(actor=level1, verb=AuditVerb.PASSWORD_RESET) == [AuditVerb.PASSWORD_RESET]


def test_email_address_is_matched_whatever_its_case(ask, level1):
    ask(level1.username, level1.email.upper())
    assert mail.outbox[-1].to == [level1.email]


def test_user_id_is_matched_case_sensitively(ask, level1):
    ask(level1.username.lower(), level1.email)
    assert not mail.outbox


def testtemporary_password_works_and_forces_a_change(
    client, ask, generated, password_step, passcode_step, level1
):
    generated("Tmp#Pass4word9")
    ask(level1.username, level1.email)
    temporary = temporary_password()
    assert temporary == "Tmp#Pass4word9"

    old = password_step(level1.username, PASSWORD)
    assert old.status_code == 400
    assert WRONG_CREDENTIALS in text(old)

    assert password_step(level1.username, temporary)["Location"] == "/sign-in/passcode/"
    response = passcode_step(passcode_in_last_email())
    assert response["Location"] == "/account/password/"
    assert client.get("/home/")["Location"] == "/account/password/"
    assert "Create a new password" in text(client.get("/account/password/"))


def testtemporary_password_with_an_ampersand_works(ask, generated, password_step, level2):
    generated("Tmp&Pass4word9")
    ask(level2.username, level2.email)

    assert "Temporary password: Tmp&Pass4word9" in mail.outbox[-1].body
    assert password_step(level2.username, temporary_password())["Location"] == "/account/password/"


def testtemporary_passwords_meet_the_policy_and_differ(level1):
    made = {services.temporary_password(level1) for _ in range(50)}
    assert len(made) == 50
    for password in made:
        validate_password(password, level1)
        assert set(password) <= set(string.ascii_letters + string.digits + SPECIAL_CHARACTERS)


def test_a_second_request_replaces_the_firsttemporary_password(
    ask, generated, password_step, level2
):
    generated("Tmp#Pass4word1", "Tmp#Pass4word2")
    ask(level2.username, level2.email)
    first = temporary_password()
    ask(level2.username, level2.email)
    second = temporary_password()

    assert (first, second) == ("Tmp#Pass4word1", "Tmp#Pass4word2")
    assert password_step(level2.username, first).status_code == 400
    assert password_step(level2.username, second)["Location"] == "/account/password/"


@pytest.mark.parametrize(
    "status", [UserStatus.DEACTIVATED_BY_SPONSOR, UserStatus.DEACTIVATED_BY_HOME_OFFICE]
)
def test_deactivated_users_get_no_email(ask, level1, status):
    level1.status = status
    level1.save(update_fields=["status"])
    assert ask(level1.username, level1.email)["Location"] == SENT
    assert not mail.outbox


@pytest.mark.parametrize(
    "status", [LicenceStatus.REVOKED, LicenceStatus.EXPIRED, LicenceStatus.SURRENDERED]
)
def test_users_of_a_licence_that_cannot_sign_in_get_no_email(ask, level1, status):
    level1.sponsor.status = status
    level1.sponsor.save(update_fields=["status"])
    assert ask(level1.username, level1.email)["Location"] == SENT
    assert not mail.outbox
    level1.refresh_from_db()
    assert level1.check_password(PASSWORD)


def test_caseworker_can_reset_too(ask, caseworker):
    ask(caseworker.username, caseworker.email)
    assert mail.outbox[-1].to == [caseworker.email]


def test_many_requests_from_one_address_stop_sending(settings, ask, level1):
    settings.SIGN_IN_IP_LIMIT = 2
    ask("NOBODY001", "a@example.org", ip="198.51.100.9")
    ask("NOBODY002", "b@example.org", ip="198.51.100.9")

    response = ask(level1.username, level1.email, ip="198.51.100.9")

    assert response["Location"] == SENT
    assert not mail.outbox
    level1.refresh_from_db()
    assert level1.check_password(PASSWORD)


def test_badly_formed_email_address_is_refused(ask, level1):
    response = ask(level1.username, "not-an-address")
    assert response.status_code == 400
    assert "Enter an e-mail address in the correct format" in text(response)
    assert not mail.outbox
