"""Authenticator apps (TOTP): adding one, signing in with it, removing it."""

from base64 import b32encode
from datetime import timedelta

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sponsorship.audit.models import AuditEvent, AuditVerb

from .factories import Level1Factory
from .journeys import PASSCODE_WRONG, passcode_in_last_email, text, verbs


def app_code(device: TOTPDevice) -> str:
    """What the user's app shows now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = app_code(device)
    return "000000" if right != "000000" else "111111"


@pytest.fixture
def add_app(client, frozen):
    """`add_app()`: the signed-in user adds an authenticator app; returns the device.
    Time then moves on past the code used, as it would while the user signs out and back in."""

    def _add() -> TOTPDevice:
        client.get("/account/authenticator-app/add/")
        device = TOTPDevice.objects.get(confirmed=False)
        response = client.post(
            "/account/authenticator-app/add/",
            {"device_id": device.pk, "passcode": app_code(device)},
        )
        assert response.status_code == 302, text(response)
        frozen.shift(timedelta(seconds=90))
        device.refresh_from_db()
        return device

    return _add


def test_add_page_shows_a_qr_code_and_the_key(signed_in, level1):
    client = signed_in(level1)
    response = client.get("/account/authenticator-app/add/")

    assert response.status_code == 200
    page = text(response)
    assert "Add an authenticator app" in page
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=level1, confirmed=False)
    key = b32encode(device.bin_key).decode().rstrip("=")
    assert key[:4] + " " + key[4:8] in page


def test_adding_an_app_with_its_code(signed_in, frozen, level1):
    client = signed_in(level1)
    client.get("/account/authenticator-app/add/")
    device = TOTPDevice.objects.get(user=level1, confirmed=False)

    response = client.post(
        "/account/authenticator-app/add/",
        {"device_id": device.pk, "passcode": app_code(device)},
        follow=True,
    )

    assert response.redirect_chain == [("/account/", 302)]
    page = text(response)
    assert "Your authenticator app is set up" in page
    assert "Authenticator app" in page
    assert f"/account/authenticator-app/{device.pk}/remove/" in page
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.get(verb=AuditVerb.PASSCODE_APP_ADDED)
    assert event.actor == level1
    assert event.target_id == str(device.pk)


def test_adding_an_app_with_a_wrong_code_is_refused(signed_in, frozen, level1):
    client = signed_in(level1)
    client.get("/account/authenticator-app/add/")
    device = TOTPDevice.objects.get(user=level1, confirmed=False)

    response = client.post(
        "/account/authenticator-app/add/", {"device_id": device.pk, "passcode": wrong_code(device)}
    )

    assert response.status_code == 400
    assert "The code does not match" in text(response)
    assert not TOTPDevice.objects.filter(user=level1, confirmed=True).exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.PASSCODE_APP_ADDED).exists()


def test_a_set_up_started_again_replaces_the_unfinished_one(signed_in, frozen, level1):
    client = signed_in(level1)
    client.get("/account/authenticator-app/add/")
    abandoned = TOTPDevice.objects.get(user=level1, confirmed=False)
    client.get("/account/authenticator-app/add/")

    assert TOTPDevice.objects.filter(user=level1, confirmed=False).count() == 1
    response = client.post(
        "/account/authenticator-app/add/",
        {"device_id": abandoned.pk, "passcode": app_code(abandoned)},
    )
    assert response.status_code == 400
    assert "That set-up has expired" in text(response)
    assert not TOTPDevice.objects.filter(user=level1, confirmed=True).exists()


def test_sign_in_asks_for_the_app_code_and_accepts_it(
    signed_in, add_app, client, password_step, passcode_step, level1
):
    signed_in(level1)
    device = add_app()
    client.post("/sign-out/")
    mail.outbox.clear()

    response = password_step(level1.username)

    assert response["Location"] == "/sign-in/passcode/"
    assert not mail.outbox
    page = text(client.get("/sign-in/passcode/"))
    assert "Open your authenticator app and enter the 6-digit code" in page

    response = passcode_step(app_code(device), method="app")

    assert response["Location"] == "/home/"
    assert client.get("/home/").status_code == 200
    last_sign_in = AuditEvent.objects.filter(verb=AuditVerb.SIGN_IN, actor=level1).first()
    assert last_sign_in.payload == {"second_factor": "app"}


def test_wrong_app_code_is_refused_and_audited(
    signed_in, add_app, client, password_step, passcode_step, level1
):
    signed_in(level1)
    device = add_app()
    client.post("/sign-out/")
    password_step(level1.username)

    response = passcode_step(wrong_code(device), method="app")

    assert response.status_code == 400
    assert PASSCODE_WRONG in text(response)
    failed = AuditEvent.objects.get(verb=AuditVerb.PASSCODE_FAILED)
    assert failed.actor == level1
    assert failed.payload == {"method": "app"}
    assert client.get("/home/")["Location"] == "/sign-in/passcode/"


def test_an_app_code_cannot_be_used_twice(
    signed_in, client, frozen, password_step, passcode_step, level1
):
    client = signed_in(level1)
    client.get("/account/authenticator-app/add/")
    device = TOTPDevice.objects.get(user=level1, confirmed=False)
    code = app_code(device)
    client.post("/account/authenticator-app/add/", {"device_id": device.pk, "passcode": code})
    client.post("/sign-out/")

    password_step(level1.username)
    response = passcode_step(code, method="app")

    assert response.status_code == 400
    assert PASSCODE_WRONG in text(response)


def test_app_user_can_ask_for_an_emailed_passcode_instead(
    signed_in,
    add_app,
    client,
    django_capture_on_commit_callbacks,
    password_step,
    passcode_step,
    level1,
):
    signed_in(level1)
    add_app()
    client.post("/sign-out/")
    password_step(level1.username)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sign-in/passcode/resend/")
    assert response["Location"] == "/sign-in/passcode/?method=email"
    assert mail.outbox[-1].to == [level1.email]

    response = passcode_step(passcode_in_last_email(), method="email")
    assert response["Location"] == "/home/"


def test_level2_with_an_app_is_asked_for_its_code(
    signed_in, add_app, client, password_step, passcode_step, level2
):
    signed_in(level2)
    assert "A passcode is optional for your account" in text(client.get("/account/"))
    device = add_app()
    client.post("/sign-out/")

    response = password_step(level2.username)

    assert response["Location"] == "/sign-in/passcode/"
    assert client.get("/home/")["Location"] == "/sign-in/passcode/"
    assert passcode_step(app_code(device), method="app")["Location"] == "/home/"
    assert "You need a passcode every time you sign in" in text(client.get("/account/"))


def test_level2_who_adds_an_app_stays_signed_in(signed_in, frozen, level2):
    client = signed_in(level2)
    client.get("/account/authenticator-app/add/")
    device = TOTPDevice.objects.get(user=level2, confirmed=False)

    response = client.post(
        "/account/authenticator-app/add/",
        {"device_id": device.pk, "passcode": app_code(device)},
        follow=True,
    )

    assert response.redirect_chain == [("/account/", 302)]
    assert "You need a passcode every time you sign in" in text(response)
    assert client.get("/home/").status_code == 200


def test_removing_the_app_is_audited_and_goes_back_to_emailed_passcodes(
    signed_in, add_app, client, password_step, level1
):
    signed_in(level1)
    device = add_app()

    response = client.post(f"/account/authenticator-app/{device.pk}/remove/", follow=True)

    assert response.redirect_chain == [("/account/", 302)]
    assert "The authenticator app was removed from your account." in text(response)
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.get(verb=AuditVerb.PASSCODE_APP_REMOVED)
    assert event.actor == level1
    assert event.target_id == str(device.pk)

    client.post("/sign-out/")
    mail.outbox.clear()
    password_step(level1.username)
    assert mail.outbox[-1].to == [level1.email]


def test_level2_removing_the_app_signs_in_without_a_passcode_again(
    signed_in, add_app, client, password_step, passcode_step, level2
):
    signed_in(level2)
    device = add_app()
    client.post("/sign-out/")
    password_step(level2.username)
    passcode_step(app_code(device), method="app")

    response = client.post(f"/account/authenticator-app/{device.pk}/remove/")
    assert response["Location"] == "/account/"
    client.post("/sign-out/")

    assert password_step(level2.username)["Location"] == "/home/"


def test_removing_needs_a_post(signed_in, add_app, client, level1):
    signed_in(level1)
    device = add_app()
    assert client.get(f"/account/authenticator-app/{device.pk}/remove/").status_code == 405
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


@pytest.fixture
def someone_elses_app(level1):
    other = Level1Factory(sponsor=level1.sponsor)
    return TOTPDevice.objects.create(user=other, name="Authenticator app", confirmed=True)


def test_user_cannot_remove_another_users_app(signed_in, someone_elses_app, level1):
    client = signed_in(level1)

    client.post(f"/account/authenticator-app/{someone_elses_app.pk}/remove/")

    assert TOTPDevice.objects.filter(pk=someone_elses_app.pk).exists()
    assert AuditVerb.PASSCODE_APP_REMOVED not in verbs()


def test_another_users_app_gets_the_same_answer_as_no_app(signed_in, someone_elses_app, level1):
    client = signed_in(level1)
    theirs = client.post(f"/account/authenticator-app/{someone_elses_app.pk}/remove/", follow=True)
    missing = client.post("/account/authenticator-app/999999/remove/", follow=True)

    assert theirs.status_code == missing.status_code
    assert theirs.redirect_chain == missing.redirect_chain


def test_removing_another_users_app_is_not_found(signed_in, someone_elses_app, level1):
    client = signed_in(level1)
    response = client.post(f"/account/authenticator-app/{someone_elses_app.pk}/remove/")
    assert response.status_code == 404


def test_removing_the_app_used_to_sign_in_keeps_the_user_signed_in(
    signed_in, add_app, client, password_step, passcode_step, level1
):
    signed_in(level1)
    device = add_app()
    client.post("/sign-out/")
    password_step(level1.username)
    passcode_step(app_code(device), method="app")

    response = client.post(f"/account/authenticator-app/{device.pk}/remove/", follow=True)

    assert response.redirect_chain == [("/account/", 302)]
    assert "The authenticator app was removed from your account." in text(response)
    assert client.get("/home/").status_code == 200


def test_a_tampered_app_set_up_id_is_a_clear_error_not_a_crash(signed_in, level1):
    client = signed_in(level1)
    client.raise_request_exception = False
    response = client.post(
        "/account/authenticator-app/add/", {"device_id": "abc", "passcode": "123456"}
    )
    assert response.status_code == 400
    assert "That set-up has expired" in response.content.decode()
