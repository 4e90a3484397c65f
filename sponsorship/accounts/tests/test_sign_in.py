"""Signing in with user ID, password and e-mailed passcode; signing out."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from sponsorship.accounts.models import UserStatus
from sponsorship.audit.models import AuditEvent, AuditVerb

from .factories import PASSWORD, CaseworkerFactory
from .journeys import (
    PASSCODE_WRONG,
    WRONG_CREDENTIALS,
    location,
    passcode_in_last_email,
    text,
    verbs,
    without_csrf,
)


def test_sign_in_page_says_both_fields_are_case_sensitive(client, db):
    response = client.get("/sign-in/")
    assert response.status_code == 200
    assert "Your user ID and password are both case sensitive." in text(response)


def test_signed_out_visitor_is_sent_to_sign_in_with_the_page_they_wanted(client, db):
    response = client.get("/home/")
    assert response.status_code == 302
    assert location(response) == ("/sign-in/", {"next": ["/home/"]})


@pytest.mark.parametrize("actor", ["level1", "caseworker"])
def test_correct_password_emails_a_passcode(request, password_step, actor):
    user = request.getfixturevalue(actor)
    response = password_step(user.username, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/passcode/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert passcode_in_last_email()
    assert verbs(actor=user) == [AuditVerb.PASSCODE_SENT]


def test_passcode_page_names_the_address_the_passcode_went_to(client, password_step, level1):
    password_step(level1.username)
    response = client.get("/sign-in/passcode/")
    assert response.status_code == 200
    assert f"We have sent a 6-digit passcode to {level1.email}" in text(response)


@pytest.mark.parametrize(("actor", "home"), [("level1", "/home/"), ("caseworker", "/casework/")])
def test_right_passcode_completes_sign_in(
    request, client, password_step, passcode_step, actor, home
):
    user = request.getfixturevalue(actor)
    password_step(user.username)

    response = passcode_step(passcode_in_last_email())

    assert response.status_code == 302
    assert response["Location"] == home
    assert client.get(home).status_code == 200
    signed_in = AuditEvent.objects.get(verb=AuditVerb.SIGN_IN, actor=user)
    assert signed_in.payload == {"second_factor": "email"}
    user.refresh_from_db()
    assert user.last_login is not None


def test_wrong_passcode_is_refused_with_a_message_and_audited(
    client, frozen, password_step, passcode_step, level1
):
    password_step(level1.username)
    right = passcode_in_last_email()
    wrong = "000000" if right != "000000" else "111111"

    response = passcode_step(wrong)

    assert response.status_code == 400
    assert PASSCODE_WRONG in text(response)
    assert verbs(actor=level1, verb=AuditVerb.PASSCODE_FAILED) == [AuditVerb.PASSCODE_FAILED]
    assert not AuditEvent.objects.filter(verb=AuditVerb.SIGN_IN).exists()
    assert client.get("/home/")["Location"] == "/sign-in/passcode/"

    frozen.shift(timedelta(seconds=5))
    response = passcode_step(right)
    assert response["Location"] == "/home/"


def test_passcode_that_is_not_digits_is_refused(password_step, passcode_step, level1):
    password_step(level1.username)
    response = passcode_step("abcdef")
    assert response.status_code == 400
    assert PASSCODE_WRONG in text(response)


def test_empty_passcode_asks_for_one(password_step, passcode_step, level1):
    password_step(level1.username)
    response = passcode_step("")
    assert response.status_code == 400
    assert "Enter the 6-digit passcode" in text(response)


def test_passcode_expires_after_ten_minutes(frozen, password_step, passcode_step, level1):
    password_step(level1.username)
    code = passcode_in_last_email()

    frozen.shift(timedelta(minutes=11))
    response = passcode_step(code)

    assert response.status_code == 400
    assert PASSCODE_WRONG in text(response)


def test_passcode_from_an_earlier_sign_in_no_longer_works(
    client, frozen, password_step, passcode_step, level1
):
    password_step(level1.username)
    code = passcode_in_last_email()
    assert passcode_step(code)["Location"] == "/home/"
    client.post("/sign-out/")

    other_browser = Client()
    password_step(level1.username, using=other_browser)
    fresh = passcode_in_last_email()
    if fresh != code:
        response = passcode_step(code, using=other_browser)
        assert response.status_code == 400
        frozen.shift(timedelta(seconds=5))
    assert passcode_step(fresh, using=other_browser)["Location"] == "/home/"


def test_new_passcode_replaces_the_old_one(
    client, frozen, django_capture_on_commit_callbacks, password_step, passcode_step, level1
):
    password_step(level1.username)
    first = passcode_in_last_email()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sign-in/passcode/resend/", follow=True)
    assert f"We have sent a new passcode to {level1.email}" in text(response)
    assert len(mail.outbox) == 2
    second = passcode_in_last_email()

    if first != second:
        assert passcode_step(first).status_code == 400
        frozen.shift(timedelta(seconds=5))
    assert passcode_step(second)["Location"] == "/home/"


def test_user_id_is_case_sensitive(password_step, level1):
    response = password_step(level1.username.lower(), PASSWORD)
    assert response.status_code == 400
    assert WRONG_CREDENTIALS in text(response)
    assert not mail.outbox


def test_password_is_case_sensitive(password_step, level1):
    response = password_step(level1.username, PASSWORD.swapcase())
    assert response.status_code == 400
    assert WRONG_CREDENTIALS in text(response)
    assert not mail.outbox


def test_wrong_password_gives_the_generic_message_and_is_audited(password_step, level1):
    response = password_step(level1.username, "Wrong#Password99")

    assert response.status_code == 400
    assert WRONG_CREDENTIALS in text(response)
    event = AuditEvent.objects.get(verb=AuditVerb.SIGN_IN_FAILED)
    assert event.actor == level1
    assert event.sponsor == level1.sponsor


def test_unknown_user_id_gives_the_generic_message_and_is_audited(password_step, db):
    response = password_step("NOBODY999", "Wrong#Password99")

    assert response.status_code == 400
    assert WRONG_CREDENTIALS in text(response)
    event = AuditEvent.objects.get(verb=AuditVerb.SIGN_IN_FAILED)
    assert event.actor is None
    assert event.actor_label == "NOBODY999"


def test_wrong_password_and_unknown_user_id_give_identical_pages(password_step, level1):
    """The same typed user ID, first while it exists and then once it no longer does."""
    typed = level1.username
    known = password_step(typed, "Wrong#Password99")
    level1.username = "RENAMED001"
    level1.save(update_fields=["username"])
    unknown = password_step(typed, "Wrong#Password99")

    assert known.status_code == unknown.status_code == 400
    assert without_csrf(known) == without_csrf(unknown)


def test_wrong_password_and_unknown_user_id_read_the_same(password_step, level1):
    known = password_step(level1.username, "Wrong#Password99")
    unknown = password_step("NOBODY999", "Wrong#Password99")

    assert known.status_code == unknown.status_code
    assert without_csrf(known).replace(level1.username, "X") == without_csrf(unknown).replace(
        "NOBODY999", "X"
    )


@pytest.mark.parametrize(
    "status", [UserStatus.DEACTIVATED_BY_SPONSOR, UserStatus.DEACTIVATED_BY_HOME_OFFICE]
)
def test_deactivated_user_gets_the_generic_message(password_step, level1, status):
    level1.status = status
    level1.save(update_fields=["status"])

    response = password_step(level1.username, PASSWORD)

    assert response.status_code == 400
    assert WRONG_CREDENTIALS in text(response)
    assert not mail.outbox


def test_empty_form_asks_for_both_fields(client, db):
    response = client.post("/sign-in/", {"user_id": "", "password": ""})
    page = text(response)
    assert "Enter your user ID" in page
    assert "Enter your password" in page


def test_level2_signs_in_without_a_passcode_by_default(client, password_step, level2):
    response = password_step(level2.username)

    assert response.status_code == 302
    assert response["Location"] == "/home/"
    assert not mail.outbox
    assert client.get("/home/").status_code == 200
    event = AuditEvent.objects.get(verb=AuditVerb.SIGN_IN, actor=level2)
    assert event.payload == {"second_factor": "none"}


def test_level2_needs_a_passcode_when_the_setting_says_so(
    client, settings, password_step, passcode_step, level2
):
    settings.OTP_REQUIRED_LEVELS = ["LEVEL_1", "LEVEL_2", "CASEWORKER"]

    response = password_step(level2.username)

    assert response["Location"] == "/sign-in/passcode/"
    assert mail.outbox[-1].to == [level2.email]
    assert client.get("/home/")["Location"] == "/sign-in/passcode/"
    assert passcode_step(passcode_in_last_email())["Location"] == "/home/"


def test_level1_needs_no_passcode_when_the_setting_leaves_level1_out(
    settings, password_step, level1
):
    settings.OTP_REQUIRED_LEVELS = ["CASEWORKER"]
    response = password_step(level1.username)
    assert response["Location"] == "/home/"
    assert not mail.outbox


@pytest.mark.parametrize(
    "path", ["/home/", "/licence/", "/messages/", "/account/", "/account/password/", "/"]
)
def test_pages_before_the_passcode_lead_to_the_passcode_page(client, password_step, level1, path):
    password_step(level1.username)
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0] == "/sign-in/passcode/"
    assert "Enter your passcode" in text(response)


@pytest.mark.parametrize("path", ["/casework/", "/account/"])
def test_caseworker_pages_before_the_passcode_lead_to_the_passcode_page(
    client, password_step, caseworker, path
):
    password_step(caseworker.username)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/passcode/"


def test_admin_before_the_passcode_leads_to_the_passcode_page(client, password_step, db):
    admin = CaseworkerFactory(is_superuser=True)
    password_step(admin.username)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/passcode/"


def test_sign_in_returns_to_the_page_the_user_wanted(client, password_step, passcode_step, level1):
    page = client.get("/sign-in/?next=/licence/")
    assert 'name="next" value="/licence/"' in text(page)

    password_step(level1.username, next_path="/licence/")
    response = passcode_step(passcode_in_last_email())

    assert response["Location"] == "/licence/"
    assert client.get("/licence/").status_code == 200


def test_sign_in_never_sends_the_user_to_another_site(password_step, passcode_step, level1):
    password_step(level1.username, next_path="https://evil.example.org/phish")
    response = passcode_step(passcode_in_last_email())
    assert response["Location"] == "/home/"


def test_signed_in_user_visiting_sign_in_goes_home(client, signed_in, level1):
    signed_in(level1)
    response = client.get("/sign-in/")
    assert response.status_code == 302
    assert response["Location"] == "/home/"


def test_sign_out_needs_a_post(client, signed_in, level1):
    signed_in(level1)
    assert client.get("/sign-out/").status_code == 405
    assert client.get("/home/").status_code == 200


def test_sign_out_ends_the_session_and_is_audited(client, signed_in, level1):
    signed_in(level1)
    old_session = client.cookies["sessionid"].value

    response = client.post("/sign-out/", follow=True)

    assert response.redirect_chain == [("/signed-out/", 302)]
    assert "You have signed out" in text(response)
    assert verbs(actor=level1, verb=AuditVerb.SIGN_OUT) == [AuditVerb.SIGN_OUT]
    assert client.get("/home/")["Location"].startswith("/sign-in/")

    replay = Client()
    replay.cookies["sessionid"] = old_session
    response = replay.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_sign_out_part_way_through_signing_in(client, password_step, level1):
    password_step(level1.username)
    response = client.post("/sign-out/")
    assert response["Location"] == "/signed-out/"
    assert client.get("/sign-in/passcode/")["Location"].startswith("/sign-in/")


def test_guessing_passcodes_is_slowed_down(frozen, password_step, passcode_step, level1):
    password_step(level1.username)
    right = passcode_in_last_email()
    wrong = "000000" if right != "000000" else "111111"
    passcode_step(wrong)
    frozen.shift(timedelta(seconds=2))
    passcode_step(wrong)

    response = passcode_step(right)

    assert response.status_code == 400
    assert "Too many wrong passcodes" in text(response)
    frozen.shift(timedelta(seconds=10))
    assert passcode_step(right)["Location"] == "/home/"


def test_asking_for_too_many_passcodes_stops_the_emails(
    client,
    settings,
    frozen,
    django_capture_on_commit_callbacks,
    password_step,
    passcode_step,
    level1,
):
    settings.PASSCODE_SEND_LIMIT = 3
    password_step(level1.username)

    def resend():
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/sign-in/passcode/resend/", follow=True)

    resend()
    resend()
    assert len(mail.outbox) == 3
    newest = passcode_in_last_email()

    response = resend()

    assert len(mail.outbox) == 3
    assert "We have sent you 3 passcodes already" in text(response)
    assert passcode_step(newest)["Location"] == "/home/"


def test_passcode_emails_can_be_sent_again_after_the_window(
    client, settings, frozen, django_capture_on_commit_callbacks, password_step, level1
):
    settings.PASSCODE_SEND_LIMIT = 1
    password_step(level1.username)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign-in/passcode/resend/")
    assert len(mail.outbox) == 1

    frozen.shift(timedelta(seconds=settings.PASSCODE_SEND_WINDOW_SECONDS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign-in/passcode/resend/")
    assert len(mail.outbox) == 2
