"""The Level 1 pages of audit readiness: records to delete and their deletion, evidence packs
with their progress and download, and the mock audit."""

import io
import zipfile
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.duties.models import WorkerStatus
from sponsorship.licences.models import KeyPersonRole
from sponsorship.licences.tests.factories import KeyPersonFactory

from ...items import RecordItem
from ...models import EvidencePack, PackStatus, RecordDeletion, RecordVersion
from ...services import evidence_pack_request
from ..support import PDF, body, complete_checklist, sponsored, stored_files, text, upload


def former(level1, n=0):
    worker = sponsored(
        level1, family_name=f"Former{n:02d}", status=WorkerStatus.ENDED, ended_on=date(2025, 3, 1)
    )
    upload(worker, RecordItem.RIGHT_TO_WORK, level1, name="passport.pdf")
    return worker


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Records to delete


def test_records_past_their_date_are_listed_then_deleted_after_confirming(
    signed_in, level1, media, django_capture_on_commit_callbacks
):
    worker = former(level1)
    client = signed_in(level1)
    page = text(client.get("/compliance/records-to-delete/"))
    assert "1 former worker with records past their retention date" in page
    assert "Former00" in page and "1 March 2026" in page
    confirm = client.get(f"/compliance/records-to-delete/{worker.pk}/")
    assert "Right to work check, version 1: passport.pdf" in text(confirm)
    assert "You cannot undo this." in text(confirm)
    assert len(stored_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/compliance/records-to-delete/{worker.pk}/")
    assert response.status_code == 302
    assert stored_files(media) == []
    page = text(client.get("/compliance/records-to-delete/"))
    assert "No records are due for deletion" in page
    assert "are deleted: 1 file." in page
    assert "Right to work check, version 1: passport.pdf" in page
    assert RecordDeletion.objects.get().deleted_by == level1
    assert AuditEvent.objects.filter(verb=AuditVerb.RECORD_DELETED).count() == 1


def test_records_still_kept_cannot_be_deleted(signed_in, level1, worker):
    upload(worker, RecordItem.SALARY, level1)
    response = signed_in(level1).post(f"/compliance/records-to-delete/{worker.pk}/")
    assert response.status_code == 404
    assert RecordVersion.objects.count() == 1


def test_a_level2_user_may_not_delete(signed_in, level1, level2):
    worker = former(level1)
    client = signed_in(level2)
    assert client.get("/compliance/records-to-delete/").status_code == 403
    assert client.post(f"/compliance/records-to-delete/{worker.pk}/").status_code == 403
    assert RecordVersion.objects.count() == 1


def test_another_sponsors_records_are_not_found(signed_in, level1, other_level1):
    worker = former(level1)
    assert (
        signed_in(other_level1).post(f"/compliance/records-to-delete/{worker.pk}/").status_code
        == 404
    )
    assert RecordVersion.objects.count() == 1


def test_the_list_takes_the_same_queries_for_3_and_30(signed_in, level1):
    for n in range(3):
        former(level1, n)
    client = signed_in(level1)
    three = queries_for(client, "/compliance/records-to-delete/")
    for n in range(3, 30):
        former(level1, n)
    assert queries_for(client, "/compliance/records-to-delete/") == three


# Evidence packs


def test_a_pack_is_asked_for_followed_and_downloaded(
    signed_in, level1, worker, django_capture_on_commit_callbacks
):
    upload(worker, RecordItem.RIGHT_TO_WORK, level1, PDF, "passport.pdf")
    client = signed_in(level1)
    assert "Produce an evidence pack for the whole licence" in text(
        client.get("/compliance/evidence-packs/")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compliance/evidence-packs/new/")
    pack = EvidencePack.objects.get()
    assert response["Location"] == f"/compliance/evidence-packs/{pack.pk}/"
    page = client.get(response["Location"])
    assert "Your evidence pack is ready" in text(page)
    assert "Refresh" not in page
    download = client.get(f"/compliance/evidence-packs/{pack.pk}/download/")
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith('attachment; filename="evidence-pack-')
    archive = zipfile.ZipFile(io.BytesIO(body(download)))
    assert archive.read("summary.pdf").startswith(b"%PDF")
    assert any(name.endswith("passport.pdf") for name in archive.namelist())
    assert "Ready" in text(client.get("/compliance/evidence-packs/"))


def test_a_pack_being_produced_reloads_and_says_how_far_it_has_got(signed_in, level1):
    pack = evidence_pack_request(actor=level1, ip=None)
    client = signed_in(level1)
    page = client.get(f"/compliance/evidence-packs/{pack.pk}/")
    assert '<meta http-equiv="refresh" content="5">' in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert "Your evidence pack is waiting to start." in text(page)
    EvidencePack.objects.filter(pk=pack.pk).update(
        status=PackStatus.RUNNING, progress_done=3, progress_total=12
    )
    page = client.get(f"/compliance/evidence-packs/{pack.pk}/")
    assert "3 of 12 steps done (25%)" in text(page)
    assert client.get(f"/compliance/evidence-packs/{pack.pk}/download/").status_code == 404


def test_a_pack_of_one_worker_from_their_checklist(
    signed_in, level1, worker, django_capture_on_commit_callbacks
):
    client = signed_in(level1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compliance/evidence-packs/new/", {"worker_id": worker.pk})
    assert EvidencePack.objects.get().worker == worker


def test_asking_twice_while_one_is_produced_says_so(signed_in, level1):
    evidence_pack_request(actor=level1, ip=None)
    client = signed_in(level1)
    response = client.post("/compliance/evidence-packs/new/", follow=True)
    assert "This evidence pack is already being produced" in text(response)
    assert EvidencePack.objects.count() == 1


def test_packs_are_for_level1_users_of_the_sponsor(signed_in, level1, level2, other_level1):
    pack = evidence_pack_request(actor=level1, ip=None)
    client = signed_in(level2)
    assert client.get("/compliance/evidence-packs/").status_code == 403
    client.logout()
    client = signed_in(other_level1)
    assert client.get(f"/compliance/evidence-packs/{pack.pk}/").status_code == 404
    assert client.get(f"/compliance/evidence-packs/{pack.pk}/download/").status_code == 404


def test_another_sponsors_worker_gets_no_pack(signed_in, level1, other_worker):
    response = signed_in(level1).post(
        "/compliance/evidence-packs/new/", {"worker_id": other_worker.pk}
    )
    assert response.status_code == 404
    assert not EvidencePack.objects.exists()


def test_the_list_of_packs_takes_the_same_queries_for_3_and_30(signed_in, level1, worker):
    def make(count):
        for _ in range(count):
            EvidencePack.objects.create(sponsor=level1.sponsor, requested_by=level1, worker=worker)

    make(3)
    client = signed_in(level1)
    three = queries_for(client, "/compliance/evidence-packs/")
    make(22)
    assert queries_for(client, "/compliance/evidence-packs/") == three


# Mock audit


def test_the_mock_audit_lists_findings_by_severity(signed_in, level1, worker):
    response = signed_in(level1).get("/compliance/mock-audit/")
    page = text(response)
    assert "Put right now" in page
    assert "The licence has no Authorising Officer" in page
    assert "Put right soon" in page
    assert "has 9 documents missing" in page
    assert f'href="/workers/register/{worker.pk}/records/"' in response.content.decode()


def test_a_licence_with_nothing_to_put_right_gets_a_green_panel(signed_in, sponsor, level1, worker):
    KeyPersonFactory(sponsor=sponsor, role=KeyPersonRole.AUTHORISING_OFFICER)
    KeyPersonFactory(sponsor=sponsor, role=KeyPersonRole.KEY_CONTACT)
    from sponsorship.accounts.tests.factories import Level1Factory

    Level1Factory(sponsor=sponsor)
    complete_checklist(worker, level1)
    page = text(signed_in(level1).get("/compliance/mock-audit/"))
    assert "Nothing to put right" in page


def test_the_mock_audit_is_for_level1_users(signed_in, level2):
    assert signed_in(level2).get("/compliance/mock-audit/").status_code == 403


@pytest.mark.parametrize("page", ["/compliance/mock-audit/"])
def test_the_mock_audit_takes_the_same_queries_for_3_and_30_workers(signed_in, level1, page):
    for n in range(3):
        sponsored(level1, family_name=f"Worker{n:02d}", permission_expires_on=date(2026, 1, 1))
    client = signed_in(level1)
    three = queries_for(client, page)
    for n in range(3, 30):
        sponsored(level1, family_name=f"Worker{n:02d}", permission_expires_on=date(2026, 1, 1))
    assert queries_for(client, page) == three
