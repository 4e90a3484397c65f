"""Changing a password: forced at first sign-in, or chosen by the user."""

import pytest
from django.core import mail
from django.test import Client

from sponsorship.audit.models import AuditEvent, AuditVerb

from .factories import PASSWORD, CaseworkerFactory, Level1Factory, Level2Factory
from .journeys import WRONG_CREDENTIALS, passcode_in_last_email, text, verbs

NEW_PASSWORD = "Meadow#Lark2031"


@pytest.fixture
def newcomer(sponsor):
    return Level1Factory(
        sponsor=sponsor,
        username="NEWCOMER7",
        given_names="Ada",
        family_name="Okafor",
        must_change_password=True,
    )


def change(client, capture, new=NEW_PASSWORD, confirm=None, current=None):
    data = {"new_password": new, "confirm_password": new if confirm is None else confirm}
    if current is not None:
        data["current-current_password"] = current
    with capture(execute=True):
        return client.post("/account/password/", data)


def test_first_sign_in_goes_to_the_password_page_after_the_passcode(
    password_step, passcode_step, newcomer
):
    assert password_step(newcomer.username)["Location"] == "/sign-in/passcode/"
    response = passcode_step(passcode_in_last_email())
    assert response["Location"] == "/account/password/"


def test_first_sign_in_without_a_passcode_goes_straight_to_the_password_page(
    password_step, sponsor
):
    user = Level2Factory(sponsor=sponsor, must_change_password=True)
    assert password_step(user.username)["Location"] == "/account/password/"


@pytest.mark.parametrize(
    "path",
    [
        "/home/",
        "/licence/",
        "/messages/",
        "/account/",
        "/account/authenticator-app/add/",
        "/audit-trail/",
        "/",
    ],
)
def test_nothing_else_can_be_reached_before_the_change(signed_in, newcomer, path):
    client = signed_in(newcomer)
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0] == "/account/password/"
    assert "Create a new password" in text(response)


def test_caseworker_must_change_password_before_casework(signed_in, db):
    client = signed_in(CaseworkerFactory(must_change_password=True))
    response = client.get("/casework/")
    assert response["Location"] == "/account/password/"


def test_forced_change_does_not_ask_for_the_current_password(signed_in, newcomer):
    page = text(signed_in(newcomer).get("/account/password/"))
    assert "Create a new password" in page
    assert "Current password" not in page


def test_new_password_must_differ_from_the_current_one(
    signed_in, django_capture_on_commit_callbacks, newcomer
):
    client = signed_in(newcomer)
    mail.outbox.clear()
    response = change(client, django_capture_on_commit_callbacks, new=PASSWORD)

    assert response.status_code == 400
    assert "Your new password must be different from your current password" in text(response)
    newcomer.refresh_from_db()
    assert newcomer.must_change_password
    assert not mail.outbox


def test_forced_change_succeeds_audits_and_emails(
    signed_in, django_capture_on_commit_callbacks, newcomer
):
    client = signed_in(newcomer)
    mail.outbox.clear()

    response = change(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == "/home/"
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert newcomer.password_changed_at is not None
    assert newcomer.check_password(NEW_PASSWORD)
    assert verbs(actor=newcomer, verb=AuditVerb.PASSWORD_CHANGED) == [AuditVerb.PASSWORD_CHANGED]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [newcomer.email]
    assert "password was changed" in mail.outbox[0].subject
    assert NEW_PASSWORD not in mail.outbox[0].body

    home = client.get("/home/")
    assert home.status_code == 200
    assert "Your password has been changed." in text(home)


def test_forced_change_goes_on_to_the_page_the_user_wanted(
    client, password_step, passcode_step, django_capture_on_commit_callbacks, newcomer
):
    password_step(newcomer.username, next_path="/licence/")
    assert passcode_step(passcode_in_last_email())["Location"] == "/account/password/"

    response = change(client, django_capture_on_commit_callbacks)

    assert response["Location"] == "/licence/"
    assert client.get("/licence/").status_code == 200


def test_the_notice_greets_the_user_by_their_name(
    signed_in, django_capture_on_commit_callbacks, sponsor
):
    user = Level2Factory(sponsor=sponsor, given_names="D'Arcy", family_name="Byrne")
    client = signed_in(user)

    change(client, django_capture_on_commit_callbacks, current=PASSWORD)

    assert "Dear D'Arcy," in mail.outbox[-1].body


def test_after_the_change_only_the_new_password_works(
    client, signed_in, django_capture_on_commit_callbacks, password_step, newcomer
):
    signed_in(newcomer)
    change(client, django_capture_on_commit_callbacks)
    client.post("/sign-out/")

    old = password_step(newcomer.username, PASSWORD)
    assert old.status_code == 400
    assert WRONG_CREDENTIALS in text(old)
    assert password_step(newcomer.username, NEW_PASSWORD)["Location"] == "/sign-in/passcode/"


def test_voluntary_change_asks_for_the_current_password(signed_in, level1):
    response = signed_in(level1).get("/account/password/")
    assert response.status_code == 200
    page = text(response)
    assert "Change your password" in page
    assert "Current password" in page


def test_voluntary_change_without_the_current_password_is_refused(
    signed_in, django_capture_on_commit_callbacks, level1
):
    client = signed_in(level1)
    response = change(client, django_capture_on_commit_callbacks, current="")

    assert response.status_code == 400
    assert "Enter your current password" in text(response)
    level1.refresh_from_db()
    assert level1.check_password(PASSWORD)


def test_voluntary_change_with_a_wrong_current_password_is_refused(
    signed_in, django_capture_on_commit_callbacks, level1
):
    client = signed_in(level1)
    mail.outbox.clear()

    response = change(client, django_capture_on_commit_callbacks, current="Not#The1Password")

    assert response.status_code == 400
    assert "Your current password is not correct" in text(response)
    level1.refresh_from_db()
    assert level1.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(verb=AuditVerb.PASSWORD_CHANGED).exists()
    assert not mail.outbox


def test_voluntary_change_with_the_current_password(
    signed_in, django_capture_on_commit_callbacks, level2
):
    client = signed_in(level2)

    response = change(client, django_capture_on_commit_callbacks, current=PASSWORD)

    assert response.status_code == 302
    level2.refresh_from_db()
    assert level2.check_password(NEW_PASSWORD)
    assert verbs(actor=level2, verb=AuditVerb.PASSWORD_CHANGED) == [AuditVerb.PASSWORD_CHANGED]
    assert mail.outbox[-1].to == [level2.email]
    assert client.get("/home/").status_code == 200


def test_voluntary_change_applies_the_policy(signed_in, django_capture_on_commit_callbacks, level1):
    client = signed_in(level1)
    response = change(client, django_capture_on_commit_callbacks, new="weak", current=PASSWORD)
    assert response.status_code == 400
    assert "Password must be at least 12 characters long" in text(response)


def test_a_change_signs_out_the_users_other_sessions(
    signed_in, django_capture_on_commit_callbacks, password_step, level2
):
    other_browser = Client()
    password_step(level2.username, using=other_browser)
    assert other_browser.get("/home/").status_code == 200

    client = signed_in(level2)
    change(client, django_capture_on_commit_callbacks, current=PASSWORD)

    assert client.get("/home/").status_code == 200
    response = other_browser.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
