"""Revoking a licence cancels its live certificates (assigned and used), in the revocation's own
transaction, through the licence service caseworkers use (DOMAIN.md "Licence": revoked,
existing certificates are cancelled)."""

from datetime import date

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import (
    Certificate,
    CertificateAction,
    CertificateEvent,
    CertificateStatus,
)
from sponsorship.certificates.services import (
    certificate_mark_used,
    certificate_note_save,
    certificate_withdraw,
    certificates_expire,
)
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.core.errors import InvalidTransition, StaleEdit
from sponsorship.licences.models import LicenceStatus, Sponsor
from sponsorship.licences.services import licence_status_change

HERE = __name__
CERTIFICATES_STEP = "sponsorship.certificates.services.certificates_cancel_on_revocation"
REVOKED = "The licence was revoked."
S = CertificateStatus


def fail_after_cancelling(*, sponsor, actor):
    raise RuntimeError("a later revocation step failed")


def revoke(caseworker, sponsor):
    return licence_status_change(
        caseworker=caseworker,
        sponsor_id=sponsor.pk,
        status=LicenceStatus.REVOKED,
        reasons="Illegal working found.",
        ip=None,
    )


def stored(certificate) -> Certificate:
    return Certificate.objects.get(pk=certificate.pk)


@pytest.fixture
def certificates(level1, level2, caseworker, other_level1):
    """One of each kind for the sponsor, and a live one of another sponsor."""
    assigned = assigned_certificate(level1, number="C000000001A")
    used = assigned_certificate(level2, number="C000000002A")
    certificate_mark_used(actor=caseworker, certificate=used, ip=None)
    draft = complete_draft(level1)
    withdrawn = assigned_certificate(level1, number="C000000003A")
    certificate_withdraw(
        actor=level1, certificate=withdrawn, version=withdrawn.version, reason="Gone.", ip=None
    )
    expired = assigned_certificate(level1, number="C000000004A")
    Certificate.objects.filter(pk=expired.pk).update(use_by=date(2026, 11, 1))
    assert certificates_expire() == 1  # on Monday 16 November 2026, the frozen day
    theirs = assigned_certificate(other_level1, number="C000000009B")
    return {
        "assigned": assigned,
        "used": used,
        "draft": draft,
        "withdrawn": withdrawn,
        "expired": expired,
        "theirs": theirs,
    }


def test_revoking_cancels_the_assigned_and_used_certificates(sponsor, caseworker, certificates):
    revoke(caseworker, sponsor)

    status = {name: stored(c).status for name, c in certificates.items()}
    assert status == {
        "assigned": S.CANCELLED,
        "used": S.CANCELLED,
        "draft": S.DRAFT,
        "withdrawn": S.WITHDRAWN,
        "expired": S.EXPIRED,
        "theirs": S.ASSIGNED,
    }
    for name in ("assigned", "used"):
        certificate = certificates[name]
        assert stored(certificate).closed_reason == REVOKED
        event = CertificateEvent.objects.filter(certificate=certificate).last()
        assert (event.action, event.status, event.text, event.actor) == (
            CertificateAction.CANCELLED,
            S.CANCELLED,
            REVOKED,
            caseworker,
        )
    # The closed ones keep their own reasons.
    assert stored(certificates["withdrawn"]).closed_reason == "Gone."
    assert stored(certificates["expired"]).closed_reason == "Not used by its use-by date."
    assert not CertificateEvent.objects.filter(
        certificate=certificates["theirs"], action=CertificateAction.CANCELLED
    ).exists()


def test_the_cancellation_is_audited_with_the_numbers(sponsor, caseworker, certificates):
    revoke(caseworker, sponsor)

    (audit,) = AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_CANCELLED)
    assert (audit.sponsor, audit.actor) == (sponsor, caseworker)
    assert sorted(audit.payload["numbers"]) == ["C000000001A", "C000000002A"]
    assert audit.payload["reason"] == REVOKED
    assert Sponsor.objects.get(pk=sponsor.pk).status == LicenceStatus.REVOKED


def test_the_cancellation_is_part_of_the_revocation_transaction(
    sponsor, caseworker, certificates, settings
):
    settings.LICENCE_REVOCATION_STEPS = [CERTIFICATES_STEP, f"{HERE}.fail_after_cancelling"]

    with pytest.raises(RuntimeError, match="a later revocation step failed"):
        revoke(caseworker, sponsor)

    # Everything rolled back together: the licence and its certificates.
    assert Sponsor.objects.get(pk=sponsor.pk).status == LicenceStatus.ACTIVE
    assert stored(certificates["assigned"]).status == S.ASSIGNED
    assert stored(certificates["used"]).status == S.USED
    assert stored(certificates["assigned"]).closed_reason == ""
    assert not CertificateEvent.objects.filter(action=CertificateAction.CANCELLED).exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_CANCELLED).exists()


def test_the_certificates_step_is_configured(settings):
    assert CERTIFICATES_STEP in settings.LICENCE_REVOCATION_STEPS


def test_a_licence_with_no_live_certificates_is_revoked_quietly(sponsor, level1, caseworker):
    draft = complete_draft(level1)
    revoke(caseworker, sponsor)
    assert stored(draft).status == S.DRAFT
    assert not AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_CANCELLED).exists()
    assert Sponsor.objects.get(pk=sponsor.pk).status == LicenceStatus.REVOKED


@pytest.mark.parametrize(
    "status", [LicenceStatus.SUSPENDED, LicenceStatus.DORMANT, LicenceStatus.SURRENDERED]
)
def test_other_status_changes_leave_certificates_alone(sponsor, level1, caseworker, status):
    certificate = assigned_certificate(level1, number="C000000001A")
    licence_status_change(
        caseworker=caseworker, sponsor_id=sponsor.pk, status=status, reasons="Visit.", ip=None
    )
    assert stored(certificate).status == S.ASSIGNED


def test_a_cancelled_certificate_stays_cancelled(sponsor, level1, caseworker):
    certificate = assigned_certificate(level1, number="C000000001A")
    revoke(caseworker, sponsor)
    with pytest.raises(InvalidTransition):
        certificate_mark_used(actor=caseworker, certificate=stored(certificate), ip=None)
    assert stored(certificate).status == S.CANCELLED


def test_a_note_saved_as_the_licence_is_revoked_does_not_bring_the_certificate_back(
    sponsor, level1, caseworker
):
    certificate = assigned_certificate(level1, number="C000000001A")
    read_before = stored(certificate)
    revoke(caseworker, sponsor)

    with pytest.raises((StaleEdit, InvalidTransition)):
        certificate_note_save(
            actor=level1,
            certificate=read_before,
            version=read_before.version,
            note="Start date agreed.",
            ip=None,
        )

    assert stored(certificate).status == S.CANCELLED
