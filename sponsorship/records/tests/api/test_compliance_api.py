"""The API of evidence packs, the mock audit and records to delete: Level 1 tokens of the
sponsor only."""

import io
import zipfile
from datetime import date

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.duties.models import WorkerStatus
from sponsorship.licences.tests.api.support import Api, token_for

from ...items import RecordItem
from ...models import EvidencePack, RecordVersion
from ...services import evidence_pack_request
from ..support import body, count_queries, sponsored, stored_files, upload


@pytest.fixture
def api():
    return lambda user: Api(token_for(user))


def test_a_pack_is_asked_for_polled_and_downloaded(
    api, level1, worker, django_capture_on_commit_callbacks
):
    upload(worker, RecordItem.SALARY, level1, name="payslip.pdf")
    client = api(level1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post_json("/api/v1/evidence-packs", {})
    assert response.status_code == 202
    created = response.json()
    assert created["status"] == "QUEUED"
    assert created["download_url"] is None
    polled = client.get(f"/api/v1/evidence-packs/{created['id']}").json()
    assert polled["status"] == "DONE"
    assert polled["progress_done"] == polled["progress_total"] == 4
    assert polled["documents"] == 1
    download = client.get(polled["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(body(download)))
    assert "summary.pdf" in archive.namelist()
    listing = client.get("/api/v1/evidence-packs").json()
    assert [p["id"] for p in listing["items"]] == [created["id"]]


def test_a_pack_of_one_worker(api, level1, worker, other_worker):
    client = api(level1)
    response = client.post_json("/api/v1/evidence-packs", {"worker_id": worker.pk})
    assert response.status_code == 202
    assert response.json()["worker_id"] == worker.pk
    assert_error(client.post_json("/api/v1/evidence-packs", {"worker_id": other_worker.pk}), 404)
    assert_error(client.post_json("/api/v1/evidence-packs", {"worker_id": "1"}), 422)
    # JSON does not tell 5 from 5.0; the pack of this worker is already queued.
    again = client.post_json("/api/v1/evidence-packs", {"worker_id": float(worker.pk)})
    assert_error(again, 409, "pack_in_progress")


def test_a_pack_not_ready_is_not_downloadable_and_a_second_is_refused(api, level1):
    client = api(level1)
    created = client.post_json("/api/v1/evidence-packs", {}).json()
    assert_error(client.get(f"/api/v1/evidence-packs/{created['id']}/download"), 404)
    assert_error(client.post_json("/api/v1/evidence-packs", {}), 409, "pack_in_progress")


def test_packs_are_for_level1_tokens_of_the_sponsor(api, level1, level2, other_level1):
    pack = evidence_pack_request(actor=level1, ip=None)
    assert_error(api(level2).post_json("/api/v1/evidence-packs", {}), 403)
    assert_error(api(level2).get("/api/v1/evidence-packs"), 403)
    other = api(other_level1)
    assert_error(other.get(f"/api/v1/evidence-packs/{pack.pk}"), 404)
    assert_error(other.get(f"/api/v1/evidence-packs/{pack.pk}/download"), 404)
    assert other.get("/api/v1/evidence-packs").json()["items"] == []
    assert EvidencePack.objects.count() == 1


def test_listing_packs_takes_the_same_queries_for_3_and_30(api, level1, worker):
    client = api(level1)

    def make(count):
        for _ in range(count):
            EvidencePack.objects.create(sponsor=level1.sponsor, requested_by=level1, worker=worker)

    make(3)
    client.get("/api/v1/evidence-packs")
    three = count_queries(lambda: client.get("/api/v1/evidence-packs?page_size=50"))
    make(27)
    assert count_queries(lambda: client.get("/api/v1/evidence-packs?page_size=50")) == three


def test_the_mock_audit(api, level1, worker):
    response = api(level1).get("/api/v1/compliance/mock-audit")
    assert response.status_code == 200
    answer = response.json()
    assert answer["checked_on"] == "2026-11-16"
    found = {(f["code"], f["worker_id"]) for f in answer["findings"]}
    assert ("key_person_missing", None) in found
    assert ("records_incomplete", worker.pk) in found
    assert answer["findings"][0]["severity"] == "high"
    assert answer["findings"][0]["severity_name"] == "Put right now"


def test_the_mock_audit_is_for_level1_tokens(api, level2):
    assert_error(api(level2).get("/api/v1/compliance/mock-audit"), 403)


def test_records_to_delete_then_deleted(api, level1, media, django_capture_on_commit_callbacks):
    former = sponsored(level1, status=WorkerStatus.ENDED, ended_on=date(2025, 1, 6))
    version = upload(former, RecordItem.SALARY, level1, name="payslip.pdf")
    client = api(level1)
    [due] = client.get("/api/v1/compliance/records-to-delete").json()
    assert (due["worker_id"], due["keep_until"], due["files"]) == (former.pk, "2026-01-06", 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"/api/v1/workers/{former.pk}/records")
    assert response.status_code == 200
    deleted = response.json()
    assert [(f["name"], f["sha256"]) for f in deleted["files"]] == [("payslip.pdf", version.sha256)]
    assert stored_files(media) == []
    assert client.get("/api/v1/compliance/records-to-delete").json() == []
    assert_error(client.delete(f"/api/v1/workers/{former.pk}/records"), 404)


def test_records_still_kept_or_elsewhere_are_not_found_and_level2_refused(
    api, level1, level2, worker, other_level1
):
    upload(worker, RecordItem.SALARY, level1)
    assert_error(api(level1).delete(f"/api/v1/workers/{worker.pk}/records"), 404)
    assert_error(api(level2).delete(f"/api/v1/workers/{worker.pk}/records"), 403)
    assert_error(api(other_level1).delete(f"/api/v1/workers/{worker.pk}/records"), 404)
    assert RecordVersion.objects.count() == 1
