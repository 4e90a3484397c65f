"""Printing a certificate from the sponsor's pages: a PDF download of the sponsor's own
certificates (a Level 2 user's own only), refused while the licence is suspended, always
audited."""

import pytest
from django.urls import reverse

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.certificates.tests.test_printing import pdf_text
from sponsorship.licences.models import LicenceStatus


def _url(certificate) -> str:
    return reverse("certificates:print", args=[certificate.pk])


def _printed():
    return AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_PRINTED)


def test_the_owner_downloads_the_pdf_and_it_is_audited(signed_in, level1):
    certificate = assigned_certificate(level1, number="C2G8H88871U")
    response = signed_in(level1).get(_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="C2G8H88871U.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Certificate number C2G8H88871U" in text
    assert "Given names Łukasz Marek" in text
    event = _printed().get()
    assert (event.actor_id, event.sponsor_id, event.target_id) == (
        level1.pk,
        level1.sponsor_id,
        str(certificate.pk),
    )


def test_a_draft_prints_marked_not_assigned(signed_in, level1):
    draft = complete_draft(level1)
    response = signed_in(level1).get(_url(draft))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="draft-{draft.pk}.pdf"'
    assert "Status DRAFT \N{EN DASH} not assigned" in pdf_text(response.content)


def test_a_level_2_user_prints_their_own(signed_in, level2):
    certificate = assigned_certificate(level2)
    assert signed_in(level2).get(_url(certificate)).status_code == 200


def test_a_level_1_user_prints_a_level_2_users_certificate(signed_in, level1, level2):
    certificate = assigned_certificate(level2)
    assert signed_in(level1).get(_url(certificate)).status_code == 200


def test_a_level_2_user_gets_404_for_a_certificate_they_do_not_own(signed_in, level1, level2):
    certificate = assigned_certificate(level1)
    response = signed_in(level2).get(_url(certificate))
    assert response.status_code == 404
    assert not _printed().exists()


def test_another_sponsors_certificate_is_404(signed_in, level1, other_level1):
    certificate = assigned_certificate(other_level1)
    response = signed_in(level1).get(_url(certificate))
    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert not _printed().exists()


def test_a_certificate_that_does_not_exist_is_404(signed_in, level1):
    assert signed_in(level1).get(reverse("certificates:print", args=[999999])).status_code == 404


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.DORMANT])
def test_refused_while_the_licence_is_suspended_or_dormant(signed_in, level1, sponsor, status):
    certificate = assigned_certificate(level1)
    client = signed_in(level1)
    sponsor.status = status
    sponsor.save()
    response = client.get(_url(certificate))
    assert response.status_code == 409
    assert f"Not available while your licence is {status.label.lower()}." in (
        response.content.decode()
    )
    assert not _printed().exists()


def test_caseworkers_use_their_own_print_page_not_the_sponsors(signed_in, level1, caseworker):
    certificate = assigned_certificate(level1)
    assert signed_in(caseworker).get(_url(certificate)).status_code == 403


def test_signing_in_comes_first(client, level1):
    certificate = assigned_certificate(level1)
    response = client.get(_url(certificate))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
