"""One certificate after assignment, in the browser: what its page shows, withdrawing it,
adding and amending its note, its history, and transferring it to another user."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sponsorship.accounts.tests.factories import Level1Factory, Level2Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import ApplicationOutcome, Certificate, CertificateStatus
from sponsorship.certificates.services import certificate_note_save, certificates_expire
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.web.support import field_error, text


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


@pytest.fixture
def as_user(client, signed_in):
    def _as(user):
        client.logout()
        return signed_in(user)

    return _as


@pytest.fixture
def cos(level1):
    return assigned_certificate(
        level1, number="C2G8H88871U", fee_pence=52500, skills_charge_pence=132000
    )


def url(certificate, page: str = "") -> str:
    return f"/certificates/{certificate.pk}/" + (f"{page}/" if page else "")


def fresh(certificate) -> Certificate:
    return Certificate.objects.get(pk=certificate.pk)


PAGES = ("", "withdraw", "note", "history", "transfer")


# ---------------------------------------------------------------- the certificate's page


def test_the_page_shows_the_certificate_its_use_by_date_and_charges(web, cos):
    response = web.get(url(cos))
    assert response.status_code == 200
    page = text(response)
    assert "Certificate C2G8H88871U" in page
    assert "Assigned" in page
    assert "Use by 15 February 2027" in page
    assert "Assigned 16 November 2026 at 10:00am by Zoë Hartley (LEVELONE1)" in page
    assert "Owner Zoë Hartley (LEVELONE1)" in page
    assert "Certificate fee charged £525" in page
    assert "Immigration Skills Charge charged £1,320" in page
    assert "Sponsor note No note" in page
    # Every section of the certificate, with nothing left to change.
    assert "Software developer" in page
    assert "Kraków" in page
    assert ">Change<" not in response.content.decode()
    for action in (
        "Withdraw this certificate",
        "Add a note",
        "Transfer to another user",
        "See the status and activity history",
    ):
        assert action in page


def test_an_expired_certificate_says_when_it_expired_and_offers_no_withdrawal(web, cos):
    certificates_expire(cos.use_by + timedelta(days=1))
    page = text(web.get(url(cos)))
    assert "Expired" in page
    assert f"Expired on {timezone.localdate():%-d %B %Y}" in page
    assert "Withdraw this certificate" not in page
    assert "Add a note" not in page


def test_a_used_certificate_shows_the_application_outcome(web, cos):
    cos.status = CertificateStatus.USED
    cos.used_at = timezone.now()
    cos.application_outcome = ApplicationOutcome.GRANTED
    cos.save()
    page = text(web.get(url(cos)))
    assert "Used in an application on 16 November 2026" in page
    assert "Application outcome Granted" in page
    assert "Withdraw this certificate" not in page
    assert "Add a note" in page


def test_a_draft_says_it_has_no_number_yet(web, level1):
    draft = complete_draft(level1)
    page = text(web.get(url(draft)))
    assert "Draft certificate" in page
    assert "This certificate has not been assigned yet, so it has no number." in page
    assert "Withdraw this certificate" not in page


def test_level2_sees_no_transfer_action(as_user, level2):
    mine = assigned_certificate(level2)
    page = text(as_user(level2).get(url(mine)))
    assert "Withdraw this certificate" in page
    assert "Transfer to another user" not in page


# ---------------------------------------------------------------- withdraw


def test_withdrawing_needs_a_reason(web, cos):
    response = web.post(url(cos, "withdraw"), {"version": cos.version, "reason": "  "})
    assert response.status_code == 400
    assert field_error(response, "reason") == (
        "Error: Enter the reason you are withdrawing this certificate"
    )
    assert 'href="#id_reason"' in response.content.decode()
    assert fresh(cos).status == CertificateStatus.ASSIGNED


def test_withdrawing_with_a_reason(web, cos, level1):
    assert "Withdraw certificate C2G8H88871U" in text(web.get(url(cos, "withdraw")))
    response = web.post(
        url(cos, "withdraw"), {"version": cos.version, "reason": "The job offer was withdrawn."}
    )
    assert response.status_code == 302
    assert response["Location"] == url(cos)
    saved = fresh(cos)
    assert saved.status == CertificateStatus.WITHDRAWN
    assert saved.closed_reason == "The job offer was withdrawn."
    page = text(web.get(url(cos)))
    assert "Certificate C2G8H88871U was withdrawn." in page
    assert "Withdrawn on 16 November 2026" in page
    assert "Why it was withdrawn The job offer was withdrawn." in page
    history = text(web.get(url(cos, "history")))
    assert (
        "Withdrawn by the sponsor Withdrawn Zoë Hartley (LEVELONE1) The job offer was withdrawn."
        in history
    )
    assert (
        AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_WITHDRAWN, actor=level1).count() == 1
    )


@pytest.mark.parametrize("status", ["USED", "WITHDRAWN", "EXPIRED", "CANCELLED", "DRAFT"])
def test_only_an_assigned_certificate_can_be_withdrawn(web, level1, status):
    certificate = assigned_certificate(level1)
    certificate.status = status
    certificate.save()
    assert web.get(url(certificate, "withdraw")).status_code == 409
    response = web.post(
        url(certificate, "withdraw"), {"version": certificate.version, "reason": "x"}
    )
    assert response.status_code == 409
    assert "only an assigned certificate can be withdrawn" in text(response)
    assert fresh(certificate).status == status


def test_a_stale_withdrawal_is_refused_with_a_clear_message(web, cos, level1):
    form_version = cos.version
    # Meanwhile, in another tab, someone adds a note.
    certificate_note_save(
        actor=level1, certificate=fresh(cos), version=form_version, note="Hi", ip=None
    )
    response = web.post(
        url(cos, "withdraw"), {"version": form_version, "reason": "No longer needed"}
    )
    assert response.status_code == 409
    assert "Someone changed this since you opened it" in text(response)
    assert fresh(cos).status == CertificateStatus.ASSIGNED


def test_a_form_without_its_version_is_refused(web, cos):
    for version in ("", "nonsense"):
        response = web.post(url(cos, "withdraw"), {"version": version, "reason": "Not needed"})
        assert response.status_code == 400
        assert "This form is out of date. Reload the page and try again." in text(response)
    assert fresh(cos).status == CertificateStatus.ASSIGNED


# ---------------------------------------------------------------- notes


def test_adding_then_amending_the_note_keeps_both_in_the_history(web, cos):
    response = web.get(url(cos, "note"))
    assert "Add a note" in text(response)
    response = web.post(url(cos, "note"), {"version": cos.version, "note": "Start date moved."})
    assert response.status_code == 302
    assert "The note on certificate C2G8H88871U was added." in text(web.get(url(cos)))

    saved = fresh(cos)
    response = web.get(url(cos, "note"))
    assert "Amend the note" in text(response)
    assert "Start date moved.</textarea>" in response.content.decode()
    response = web.post(url(cos, "note"), {"version": saved.version, "note": "Start 1 Feb 2027."})
    assert response.status_code == 302
    page = text(web.get(url(cos)))
    assert "The note on certificate C2G8H88871U was amended." in page
    assert "Sponsor note Start 1 Feb 2027." in page

    history = text(web.get(url(cos, "history")))
    assert "Sponsor note added Assigned Zoë Hartley (LEVELONE1) Start date moved." in history
    assert "Sponsor note amended Assigned Zoë Hartley (LEVELONE1) Start 1 Feb 2027." in history
    assert history.index("Start date moved.") < history.index("Start 1 Feb 2027.")


def test_an_empty_note_is_refused(web, cos):
    response = web.post(url(cos, "note"), {"version": cos.version, "note": " "})
    assert response.status_code == 400
    assert field_error(response, "note") == "Error: Enter the note"
    assert fresh(cos).sponsor_note == ""


def test_a_stale_note_is_refused(web, cos, level1):
    version = cos.version
    certificate_note_save(
        actor=level1, certificate=fresh(cos), version=version, note="First", ip=None
    )
    response = web.post(url(cos, "note"), {"version": version, "note": "Second"})
    assert response.status_code == 409
    assert "Someone changed this since you opened it" in text(response)
    assert fresh(cos).sponsor_note == "First"


@pytest.mark.parametrize("status", ["WITHDRAWN", "EXPIRED", "CANCELLED", "DRAFT"])
def test_notes_only_on_live_certificates(web, level1, status):
    certificate = assigned_certificate(level1)
    certificate.status = status
    certificate.save()
    assert web.get(url(certificate, "note")).status_code == 409
    response = web.post(url(certificate, "note"), {"version": certificate.version, "note": "x"})
    assert response.status_code == 409
    assert "Notes can be added only to an assigned or used certificate" in text(response)
    assert fresh(certificate).sponsor_note == ""


# ---------------------------------------------------------------- history


def test_the_history_lists_every_event_oldest_first(web, cos, level1, frozen):
    certificate_note_save(
        actor=level1, certificate=fresh(cos), version=cos.version, note="One", ip=None
    )
    frozen.shift(timedelta(minutes=5))
    saved = fresh(cos)
    certificate_note_save(
        actor=level1, certificate=saved, version=saved.version, note="Two", ip=None
    )
    response = web.get(url(cos, "history"))
    assert response.status_code == 200
    page = text(response)
    assert "Status and activity history of certificate C2G8H88871U" in page
    assert "16 Nov 2026, 10:00 Sponsor note added" in page
    assert "16 Nov 2026, 10:05 Sponsor note amended" in page
    assert page.index("Sponsor note added") < page.index("Sponsor note amended")
    assert "govuk-!-display-none-print" in response.content.decode()


# ---------------------------------------------------------------- transfer


def test_level1_transfers_to_a_level2_user_who_then_sees_it(web, as_user, cos, level2):
    response = web.get(url(cos, "transfer"))
    page = text(response)
    assert "Priya Raman (LEVELTWO1, Level 2)" in page
    # The owner now is not offered.
    assert "Zoë Hartley (LEVELONE1, Level 1)" not in page
    response = web.post(url(cos, "transfer"), {"version": cos.version, "to_user": level2.pk})
    assert response.status_code == 302
    assert fresh(cos).owner == level2
    assert "Certificate C2G8H88871U now belongs to Priya Raman." in text(web.get(url(cos)))
    history = text(web.get(url(cos, "history")))
    assert "Ownership transferred" in history
    assert "From Zoë Hartley (LEVELONE1) to Priya Raman (LEVELTWO1)." in history

    theirs = as_user(level2)
    assert theirs.get(url(cos)).status_code == 200
    assert "C2G8H88871U" in text(theirs.get("/certificates/"))


def test_a_transfer_needs_a_recipient(web, cos, level2):
    response = web.post(url(cos, "transfer"), {"version": cos.version})
    assert response.status_code == 400
    assert "Select who should own this certificate" in text(response)


def test_no_transfer_to_an_inactive_user_or_another_sponsors(web, cos, sponsor, other_level1):
    gone = Level2Factory(sponsor=sponsor, status="DEACTIVATED_BY_SPONSOR")
    page = text(web.get(url(cos, "transfer")))
    assert gone.username not in page
    for user in (gone, other_level1):
        response = web.post(url(cos, "transfer"), {"version": cos.version, "to_user": user.pk})
        assert response.status_code == 400
        assert "Select an active user of your organisation" in text(response)
    assert fresh(cos).owner == cos.owner


def test_a_stale_transfer_is_refused(web, cos, level1, level2):
    version = cos.version
    certificate_note_save(actor=level1, certificate=fresh(cos), version=version, note="x", ip=None)
    response = web.post(url(cos, "transfer"), {"version": version, "to_user": level2.pk})
    assert response.status_code == 409
    assert "Someone changed this since you opened it" in text(response)
    assert fresh(cos).owner == level1


def test_level2_cannot_transfer(as_user, level2, sponsor):
    mine = assigned_certificate(level2)
    other = Level1Factory(sponsor=sponsor)
    client = as_user(level2)
    assert client.get(url(mine, "transfer")).status_code == 403
    response = client.post(url(mine, "transfer"), {"version": mine.version, "to_user": other.pk})
    assert response.status_code == 403
    assert fresh(mine).owner == level2


# ---------------------------------------------------------------- who may reach the pages


@pytest.mark.parametrize("page", PAGES)
def test_another_sponsors_certificate_is_not_found(web, other_level1, page):
    theirs = assigned_certificate(other_level1)
    assert web.get(url(theirs, page)).status_code == 404
    post = {"version": theirs.version, "reason": "x", "note": "x", "to_user": other_level1.pk}
    assert web.post(url(theirs, page), post).status_code in (404, 405)
    saved = fresh(theirs)
    assert (saved.status, saved.sponsor_note, saved.owner) == (
        CertificateStatus.ASSIGNED,
        "",
        other_level1,
    )


@pytest.mark.parametrize("page", ["", "withdraw", "note", "history"])
def test_level2_cannot_reach_a_certificate_they_do_not_own(as_user, cos, level2, page):
    client = as_user(level2)
    assert client.get(url(cos, page)).status_code == 404
    post = {"version": cos.version, "reason": "x", "note": "x"}
    assert client.post(url(cos, page), post).status_code in (404, 405)
    saved = fresh(cos)
    assert (saved.status, saved.sponsor_note) == (CertificateStatus.ASSIGNED, "")


def test_level2_acts_on_their_own_certificate(as_user, level2):
    mine = assigned_certificate(level2)
    client = as_user(level2)
    response = client.post(url(mine, "note"), {"version": mine.version, "note": "Mine."})
    assert response.status_code == 302
    saved = fresh(mine)
    response = client.post(url(mine, "withdraw"), {"version": saved.version, "reason": "Left."})
    assert response.status_code == 302
    assert fresh(mine).status == CertificateStatus.WITHDRAWN


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.DORMANT])
@pytest.mark.parametrize("page", PAGES)
def test_a_suspended_or_dormant_licence_is_refused_everywhere(
    signed_in, level1, sponsor, cos, level2, page, status
):
    sponsor.status = status
    sponsor.save()
    client = signed_in(level1)
    response = client.get(url(cos, page))
    assert response.status_code == 409
    assert f"Not available while your licence is {status.label.lower()}." in text(response)
    post = {"version": cos.version, "reason": "x", "note": "x", "to_user": level2.pk}
    assert client.post(url(cos, page), post).status_code == 409
    saved = fresh(cos)
    assert (saved.status, saved.sponsor_note, saved.owner) == (
        CertificateStatus.ASSIGNED,
        "",
        cos.owner,
    )
