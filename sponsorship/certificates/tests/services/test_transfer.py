"""Transferring a certificate to another user of the same sponsor: they own it from then on (a
Level 2 user then sees it), and the history says from whom to whom (DOMAIN.md "Certificate of
Sponsorship": transfer of ownership between users)."""

import pytest

from sponsorship.accounts.models import UserStatus
from sponsorship.accounts.tests.factories import Level2Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import (
    Certificate,
    CertificateAction,
    CertificateEvent,
    CertificateStatus,
)
from sponsorship.certificates.selectors import certificate_get_for_user, certificate_list_for_user
from sponsorship.certificates.services import certificate_transfer
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.core.errors import ApplicationError, NotFound, StaleEdit

NOT_OURS = "Select an active user of your organisation"


def transfer(certificate, actor, to_user_id, version=None):
    return certificate_transfer(
        actor=actor,
        certificate=certificate,
        version=certificate.version if version is None else version,
        to_user_id=to_user_id,
        ip="192.0.2.44",
    )


def stored(certificate) -> Certificate:
    return Certificate.objects.select_related("owner").get(pk=certificate.pk)


@pytest.mark.parametrize("make", [complete_draft, assigned_certificate])
def test_a_certificate_is_transferred_to_another_user_of_the_sponsor(sponsor, level1, level2, make):
    certificate = make(level1)
    version = certificate.version
    with pytest.raises(NotFound):
        certificate_get_for_user(user=level2, certificate_id=certificate.pk)

    transfer(certificate, level1, level2.pk)

    saved = stored(certificate)
    assert saved.owner == level2
    assert saved.created_by == level1  # who made it does not change
    assert saved.version == version + 1
    assert saved.status == certificate.status
    event = CertificateEvent.objects.filter(certificate=certificate).last()
    assert (event.action, event.actor, event.text) == (
        CertificateAction.TRANSFERRED,
        level1,
        "From Zoë Hartley (LEVELONE1) to Priya Raman (LEVELTWO1).",
    )
    (audit,) = AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_TRANSFERRED)
    assert (audit.sponsor, audit.actor, audit.ip_address) == (sponsor, level1, "192.0.2.44")
    assert (audit.payload["from"], audit.payload["to"]) == ("LEVELONE1", "LEVELTWO1")
    # The Level 2 user now sees it as theirs.
    assert certificate_get_for_user(user=level2, certificate_id=certificate.pk) == saved
    assert list(certificate_list_for_user(user=level2)) == [saved]


def test_a_level_2_user_loses_sight_of_a_certificate_transferred_away(level1, level2):
    certificate = complete_draft(level2)
    transfer(certificate, level1, level1.pk)
    assert list(certificate_list_for_user(user=level2)) == []
    assert stored(certificate).owner == level1


def test_not_to_a_user_of_another_sponsor(level1, other_level1):
    certificate = complete_draft(level1)
    with pytest.raises(ApplicationError) as refused:
        transfer(certificate, level1, other_level1.pk)
    assert refused.value.errors == [("to_user", NOT_OURS)]
    assert stored(certificate).owner == level1
    assert not AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_TRANSFERRED).exists()


@pytest.mark.parametrize(
    "status",
    [
        UserStatus.REQUESTED,
        UserStatus.REFUSED,
        UserStatus.DEACTIVATED_BY_SPONSOR,
        UserStatus.DEACTIVATED_BY_HOME_OFFICE,
    ],
)
def test_not_to_a_user_who_is_not_active(sponsor, level1, status):
    inactive = Level2Factory(sponsor=sponsor, status=status)
    certificate = complete_draft(level1)
    with pytest.raises(ApplicationError) as refused:
        transfer(certificate, level1, inactive.pk)
    assert refused.value.errors == [("to_user", NOT_OURS)]
    assert stored(certificate).owner == level1


def test_not_to_a_caseworker_nor_to_nobody(level1, caseworker):
    certificate = complete_draft(level1)
    for to_user_id in (caseworker.pk, None, 999_999):
        with pytest.raises(ApplicationError) as refused:
            transfer(certificate, level1, to_user_id)
        assert refused.value.errors == [("to_user", NOT_OURS)]
    assert stored(certificate).owner == level1


def test_not_to_the_user_who_already_owns_it(level1, level2):
    certificate = complete_draft(level2)
    with pytest.raises(ApplicationError) as refused:
        transfer(certificate, level1, level2.pk)
    assert refused.value.errors == [("to_user", "Priya Raman already owns this certificate")]
    saved = stored(certificate)
    assert (saved.owner, saved.version) == (level2, 1)
    assert not CertificateEvent.objects.filter(action=CertificateAction.TRANSFERRED).exists()


def test_a_stale_transfer_is_refused(sponsor, level1, level2):
    certificate = complete_draft(level1)
    someone_else = Level2Factory(sponsor=sponsor, given_names="Tomás", family_name="Ruiz")
    transfer(stored(certificate), level1, someone_else.pk)

    with pytest.raises(StaleEdit):
        transfer(certificate, level1, level2.pk, version=1)

    assert stored(certificate).owner == someone_else


def test_transferring_back_and_forth_keeps_each_step_in_the_history(level1, level2):
    certificate = assigned_certificate(level1, number="C2G8H88871U")
    transfer(certificate, level1, level2.pk)
    transfer(stored(certificate), level1, level1.pk)

    texts = [
        e.text
        for e in CertificateEvent.objects.filter(
            certificate=certificate, action=CertificateAction.TRANSFERRED
        )
    ]
    assert texts == [
        "From Zoë Hartley (LEVELONE1) to Priya Raman (LEVELTWO1).",
        "From Priya Raman (LEVELTWO1) to Zoë Hartley (LEVELONE1).",
    ]
    assert stored(certificate).status == CertificateStatus.ASSIGNED
