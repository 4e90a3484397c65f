"""Three wrong passwords lock the user ID for a while, known or not; one address making
many failed attempts is throttled; a caseworker can lift a lock."""

from datetime import timedelta

from django.core import mail
from django.test import Client

from sponsorship.audit.models import AuditEvent, AuditVerb

from .factories import PASSWORD, Level1Factory
from .journeys import LOCKED, WRONG_CREDENTIALS, text, verbs, without_csrf

WRONG = "Wrong#Password99"


def fail(password_step, user_id: str, times: int, **kwargs):
    return [password_step(user_id, WRONG, **kwargs) for _ in range(times)]


def test_two_wrong_passwords_do_not_lock(password_step, level1):
    responses = fail(password_step, level1.username, 2)
    assert [r.status_code for r in responses] == [400, 400]
    assert all(WRONG_CREDENTIALS in text(r) for r in responses)
    assert password_step(level1.username)["Location"] == "/sign-in/passcode/"
    assert not AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_LOCKED).exists()


def test_third_wrong_password_locks_the_account(password_step, level1):
    _, second, third = fail(password_step, level1.username, 3)

    assert WRONG_CREDENTIALS in text(second)
    assert third.status_code == 429
    assert LOCKED in text(third)
    assert "Wait 30 minutes" in text(third)
    locked = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_LOCKED)
    assert locked.actor == level1
    assert locked.payload == {"minutes": 30}
    assert verbs(actor=level1).count(AuditVerb.SIGN_IN_FAILED) == 3


def test_locked_account_refuses_the_correct_password_with_the_same_page(password_step, level1):
    *_, locked = fail(password_step, level1.username, 3)

    response = password_step(level1.username, PASSWORD)

    assert response.status_code == 429
    assert without_csrf(response) == without_csrf(locked)
    assert not mail.outbox
    assert not AuditEvent.objects.filter(verb=AuditVerb.SIGN_IN).exists()


def test_unknown_user_id_locks_the_same_way(password_step, level1):
    *_, known = fail(password_step, level1.username, 3)
    _, second, unknown = fail(password_step, "NOBODY999", 3)

    assert second.status_code == 400
    assert unknown.status_code == 429
    assert without_csrf(unknown) == without_csrf(known)
    assert password_step("NOBODY999", PASSWORD).status_code == 429
    locked = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_LOCKED, actor_label="NOBODY999")
    assert locked.actor is None


def test_lock_is_per_user_id(password_step, level1, level2):
    fail(password_step, level1.username, 3)
    assert password_step(level1.username).status_code == 429
    assert password_step(level2.username)["Location"] == "/home/"


def test_lock_holds_from_another_address(password_step, level1):
    fail(password_step, level1.username, 3)
    assert password_step(level1.username, ip="192.0.2.50").status_code == 429


def test_success_before_the_third_attempt_starts_the_count_again(client, password_step, level2):
    fail(password_step, level2.username, 2)
    assert password_step(level2.username)["Location"] == "/home/"
    client.post("/sign-out/")

    responses = fail(password_step, level2.username, 3)
    assert [r.status_code for r in responses] == [400, 400, 429]


def test_lock_lasts_the_configured_minutes(settings, frozen, password_step, level1):
    assert settings.ACCOUNT_LOCKOUT_MINUTES == 30
    fail(password_step, level1.username, 3)

    frozen.shift(timedelta(minutes=29))
    assert password_step(level1.username).status_code == 429

    frozen.shift(timedelta(minutes=2))
    response = password_step(level1.username)
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/passcode/"


def test_after_the_lock_lifts_three_more_failures_lock_again(frozen, password_step, level1):
    fail(password_step, level1.username, 3)
    frozen.shift(timedelta(minutes=31))

    responses = fail(password_step, level1.username, 3)
    assert [r.status_code for r in responses] == [400, 400, 429]


def test_many_failures_from_one_address_throttle_it(settings, password_step, db):
    settings.SIGN_IN_IP_LIMIT = 5
    users = [Level1Factory() for _ in range(6)]
    office = "198.51.100.7"

    # One failure each for five user IDs: none of them is locked.
    for user in users[:5]:
        assert password_step(user.username, WRONG, ip=office).status_code == 400

    response = password_step(users[5].username, PASSWORD, ip=office)
    assert response.status_code == 429
    assert LOCKED in text(response)
    assert not mail.outbox

    # Another address is not affected, nor are the user IDs themselves.
    response = password_step(users[0].username, using=Client(), ip="203.0.113.9")
    assert response["Location"] == "/sign-in/passcode/"


def test_throttled_address_reveals_nothing_about_user_ids(settings, password_step, level1):
    settings.SIGN_IN_IP_LIMIT = 3
    for n in range(3):
        password_step(f"GUESS{n:04d}", WRONG, ip="198.51.100.8")

    known = password_step(level1.username, PASSWORD, ip="198.51.100.8")
    unknown = password_step("NOBODY999", PASSWORD, ip="198.51.100.8")

    assert known.status_code == unknown.status_code == 429
    assert without_csrf(known) == without_csrf(unknown)
    assert LOCKED in text(known)


def test_throttled_address_shows_the_same_page_as_a_locked_account(settings, password_step, level1):
    *_, locked = fail(password_step, level1.username, 3)
    settings.SIGN_IN_IP_LIMIT = 3

    throttled = password_step("NOBODY999", PASSWORD)

    assert throttled.status_code == locked.status_code == 429
    assert without_csrf(throttled) == without_csrf(locked)


def test_successful_sign_ins_do_not_count_towards_the_throttle(
    settings, client, password_step, level2
):
    settings.SIGN_IN_IP_LIMIT = 2
    for _ in range(4):
        assert password_step(level2.username)["Location"] == "/home/"
        client.post("/sign-out/")


def test_caseworker_unlocks_an_account(signed_in, caseworker, level1, password_step):
    locked_out = Client()
    fail(password_step, level1.username, 3, using=locked_out)
    assert password_step(level1.username, using=locked_out).status_code == 429

    casework = signed_in(caseworker)
    response = casework.post(f"/casework/users/{level1.pk}/unlock/", follow=True)

    assert response.redirect_chain[-1][0] == f"/casework/sponsors/{level1.sponsor_id}/"
    assert "Zoë Hartley (LEVELONE1) can sign in again." in text(response)
    event = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_UNLOCKED)
    assert event.actor == caseworker
    assert event.target_id == str(level1.pk)
    assert event.sponsor == level1.sponsor

    response = password_step(level1.username, using=locked_out)
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/passcode/"


def test_attempts_refused_while_locked_are_audited(password_step, level1):
    fail(password_step, level1.username, 3)
    password_step(level1.username, PASSWORD)

    refused = AuditEvent.objects.filter(verb=AuditVerb.SIGN_IN_FAILED, actor=level1).order_by("seq")
    assert refused.count() == 4
    assert "locked" in refused.last().payload["reason"]
