"""Users of a revoked, expired or surrendered licence cannot sign in; suspended and dormant can."""

import pytest
from django.core import mail

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import LicenceStatus

from .factories import PASSWORD
from .journeys import WRONG_CREDENTIALS, location, passcode_in_last_email, text

REFUSED = [LicenceStatus.REVOKED, LicenceStatus.EXPIRED, LicenceStatus.SURRENDERED]
ALLOWED = [LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED, LicenceStatus.DORMANT]


def set_status(sponsor, status) -> None:
    sponsor.status = status
    sponsor.save(update_fields=["status"])


@pytest.mark.parametrize("status", REFUSED)
@pytest.mark.parametrize("actor", ["level1", "level2"])
def test_correct_password_is_refused_with_the_licence_status(
    request, client, password_step, status, actor
):
    user = request.getfixturevalue(actor)
    set_status(user.sponsor, status)

    response = password_step(user.username, PASSWORD)

    assert response.status_code == 403
    page = text(response)
    assert "You cannot sign in" in page
    assert f"The sponsor licence of Harbour View Care Ltd is {status.label.lower()}" in page
    event = AuditEvent.objects.get(verb=AuditVerb.SIGN_IN_REFUSED)
    assert event.actor == user
    assert event.payload == {"reason": f"licence {status.value}"}
    assert not mail.outbox
    assert not AuditEvent.objects.filter(verb=AuditVerb.SIGN_IN).exists()
    assert client.get("/home/")["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("status", REFUSED)
def test_wrong_password_gives_the_generic_message_not_the_licence_status(
    password_step, level1, status
):
    set_status(level1.sponsor, status)
    response = password_step(level1.username, "Wrong#Password99")
    assert response.status_code == 400
    assert WRONG_CREDENTIALS in text(response)
    assert status.label.lower() not in text(response)


@pytest.mark.parametrize("status", ALLOWED)
def test_users_of_these_licences_sign_in(client, password_step, passcode_step, level1, status):
    set_status(level1.sponsor, status)

    assert password_step(level1.username)["Location"] == "/sign-in/passcode/"
    assert passcode_step(passcode_in_last_email())["Location"] == "/home/"
    assert client.get("/home/").status_code == 200


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.DORMANT])
def test_level2_of_these_licences_signs_in(client, password_step, level2, status):
    set_status(level2.sponsor, status)
    assert password_step(level2.username)["Location"] == "/home/"
    assert client.get("/home/").status_code == 200


def test_other_sponsors_status_does_not_matter(password_step, level1, other_sponsor):
    set_status(other_sponsor, LicenceStatus.REVOKED)
    assert password_step(level1.username)["Location"] == "/sign-in/passcode/"


@pytest.mark.parametrize("status", REFUSED)
def test_signed_in_user_is_signed_out_when_the_licence_is_revoked(signed_in, level1, status):
    client = signed_in(level1)
    assert client.get("/home/").status_code == 200

    set_status(level1.sponsor, status)
    response = client.get("/home/")

    assert response.status_code == 403
    assert f"is {status.label.lower()}" in text(response)
    refused = AuditEvent.objects.get(verb=AuditVerb.SIGN_IN_REFUSED, actor=level1)
    assert refused.payload == {"reason": f"licence {status} while signed in"}
    response = client.get("/home/")
    assert location(response) == ("/sign-in/", {"next": ["/home/"]})


def test_user_part_way_through_signing_in_is_stopped_when_the_licence_is_revoked(
    client, password_step, passcode_step, level1
):
    password_step(level1.username)
    set_status(level1.sponsor, LicenceStatus.REVOKED)

    response = passcode_step(passcode_in_last_email())

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(verb=AuditVerb.SIGN_IN).exists()
    assert client.get("/home/")["Location"].startswith("/sign-in/")


def test_revoking_one_licence_leaves_other_sponsors_signed_in(signed_in, other_level1, sponsor):
    client = signed_in(other_level1)
    set_status(sponsor, LicenceStatus.REVOKED)
    assert client.get("/home/").status_code == 200
