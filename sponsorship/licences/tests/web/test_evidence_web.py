"""Downloading evidence: for the people of the sponsor and caseworkers, always as an attachment
of the stored type, never sniffed, always audited; anyone else is told it does not exist."""

import pytest

from sponsorship.accounts.tests.factories import Level2Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.factories import LicenceRequestFactory

from .documents import PDF, PNG, evidence_for


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def evidence(level1):
    return evidence_for(LicenceRequestFactory(submitted_by=level1), "lease.pdf")


def downloads():
    return list(AuditEvent.objects.filter(verb=AuditVerb.EVIDENCE_DOWNLOADED).order_by("pk"))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_level1_user_downloads_the_file_as_it_was_uploaded(signed_in, level1, evidence):
    response = signed_in(level1).get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="lease.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    [event] = downloads()
    assert event.actor == level1
    assert event.sponsor_id == level1.sponsor_id
    assert event.target_id == str(evidence.pk)
    assert event.target_label == "lease.pdf"
    assert event.payload["request"] == evidence.request.reference


def test_the_stored_type_is_sent_whatever_the_name(signed_in, level1):
    image = evidence_for(LicenceRequestFactory(submitted_by=level1), "Zoë's sign.png", PNG)
    response = signed_in(level1).get(f"/evidence/{image.pk}/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Zo%C3%AB%27s%20sign.png" in response["Content-Disposition"]


def test_a_level2_user_of_the_same_sponsor_may_download(signed_in, level2, evidence):
    response = signed_in(level2).get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert body(response) == PDF
    assert downloads()[0].actor == level2


def test_a_caseworker_may_download_and_the_sponsor_sees_it_on_its_trail(
    signed_in, caseworker, evidence
):
    response = signed_in(caseworker).get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert body(response) == PDF
    [event] = downloads()
    assert event.actor == caseworker
    assert event.sponsor_id == evidence.sponsor_id


def test_another_sponsors_people_are_told_it_does_not_exist(
    signed_in, other_level1, other_sponsor, evidence
):
    assert signed_in(other_level1).get(f"/evidence/{evidence.pk}/").status_code == 404
    assert downloads() == []


def test_another_sponsors_level2_user_is_told_it_does_not_exist(
    client, signed_in, other_sponsor, evidence
):
    outsider = Level2Factory(sponsor=other_sponsor)
    assert signed_in(outsider).get(f"/evidence/{evidence.pk}/").status_code == 404
    assert downloads() == []


def test_an_unknown_document_is_not_found(signed_in, level1):
    assert signed_in(level1).get("/evidence/999999/").status_code == 404
    assert downloads() == []


def test_a_document_missing_from_storage_is_not_found(signed_in, level1, evidence):
    evidence.file.delete(save=False)
    assert signed_in(level1).get(f"/evidence/{evidence.pk}/").status_code == 404
    assert downloads() == []


def test_signing_in_comes_first(client, evidence):
    response = client.get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_a_suspended_licence_still_reads_its_own_evidence(signed_in, level1, evidence):
    level1.sponsor.status = LicenceStatus.SUSPENDED
    level1.sponsor.save()
    assert signed_in(level1).get(f"/evidence/{evidence.pk}/").status_code == 200
