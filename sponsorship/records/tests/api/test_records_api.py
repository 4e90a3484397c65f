"""The record keeping API: the checklist, multipart uploads as new versions, their history and
download, "not needed" marks; Level 2 tokens reach their own workers only; another sponsor's
worker is not found; bad files are refused naming the field, and nothing is saved."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.tests.api.support import Api, token_for

from ...items import RecordItem
from ...models import RecordVersion
from ..support import EXE, PDF, PDF_2, body, pdf_file, stored_files, upload


@pytest.fixture
def api():
    return lambda user: Api(token_for(user))


def records(worker):
    return f"/api/v1/workers/{worker.pk}/records"


def test_the_checklist(api, level1, worker):
    upload(worker, RecordItem.RIGHT_TO_WORK, level1, PDF, "passport.pdf")
    response = api(level1).get(records(worker))
    assert response.status_code == 200
    answer = response.json()
    assert (answer["complete"], answer["total"], answer["keep_until"]) == (1, 9, None)
    first = answer["items"][0]
    assert first["item"] == "right-to-work"
    assert first["status"] == "uploaded"
    assert first["latest"]["name"] == "passport.pdf"
    assert first["latest"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert first["latest"]["download_url"] == f"{records(worker)}/right-to-work/versions/1"
    assert [i["status"] for i in answer["items"][1:]] == ["missing"] * 8
    assert [i["may_be_not_needed"] for i in answer["items"]].count(True) == 2


def test_two_uploads_are_two_versions_both_downloadable(api, level1, worker):
    client = api(level1)
    url = f"{records(worker)}/salary"
    first = client.post_form(url, {"file": pdf_file("march.pdf", PDF)})
    second = client.post_form(url, {"file": pdf_file("april.pdf", PDF_2)})
    assert first.status_code == second.status_code == 201
    assert (first.json()["number"], second.json()["number"]) == (1, 2)
    assert second.json()["sha256"] == hashlib.sha256(PDF_2).hexdigest()
    versions = client.get(f"{url}/versions").json()
    assert [(v["number"], v["name"]) for v in versions] == [(2, "april.pdf"), (1, "march.pdf")]
    one = client.get(f"{url}/versions/1")
    assert one.status_code == 200
    assert body(one) == PDF
    assert one["Content-Type"] == "application/pdf"
    assert body(client.get(f"{url}/versions/2")) == PDF_2
    assert AuditEvent.objects.filter(verb=AuditVerb.RECORD_UPLOADED).count() == 2
    assert AuditEvent.objects.filter(verb=AuditVerb.EVIDENCE_DOWNLOADED).count() == 2


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"file": SimpleUploadedFile("x.pdf", EXE)}, 400, "x.pdf does not look like a PDF file"),
        ({"file": SimpleUploadedFile("x.exe", PDF)}, 400, "x.exe is not a file type we accept"),
        ({}, 400, "Choose a file to upload"),
    ],
    ids=["renamed program", "wrong type", "no file"],
)
def test_bad_files_are_refused_naming_the_field(api, level1, worker, media, data, status, message):
    response = api(level1).post_form(f"{records(worker)}/salary", data)
    error = assert_error(response, status)
    assert [f["field"] for f in error["fields"]] == ["file"]
    if message:
        assert message in error["fields"][0]["message"]
    assert not RecordVersion.objects.exists()
    assert stored_files(media) == []


def test_an_unknown_document_is_refused(api, level1, worker):
    response = api(level1).post_form(f"{records(worker)}/passport", {"file": pdf_file()})
    assert response.status_code in (404, 422)
    assert not RecordVersion.objects.exists()


def test_not_needed_and_back(api, level1, worker):
    client = api(level1)
    url = f"{records(worker)}/dbs-check/not-needed"
    response = client.post_json(url, {"reason": "No work with children."})
    assert response.status_code == 200
    assert response.json()["status"] == "not-needed"
    assert response.json()["not_needed_reason"] == "No work with children."
    back = client.delete(url)
    assert back.json()["status"] == "missing"


def test_not_needed_needs_a_reason_and_an_item_that_allows_it(api, level1, worker):
    client = api(level1)
    error = assert_error(client.post_json(f"{records(worker)}/dbs-check/not-needed", {}), 422)
    assert error["fields"][0]["field"] == "reason"
    error = assert_error(
        client.post_json(f"{records(worker)}/right-to-work/not-needed", {"reason": "No"}),
        400,
        "always_needed",
    )
    assert error["fields"] == [
        {"field": "reason", "message": error["message"]},
    ]
    upload(worker, RecordItem.DBS_CHECK, level1)
    assert_error(
        client.post_json(f"{records(worker)}/dbs-check/not-needed", {"reason": "No"}),
        409,
        "already_uploaded",
    )


def test_a_level2_token_reaches_its_owners_workers_only(api, level2, level2_worker, worker):
    client = api(level2)
    assert client.get(records(level2_worker)).status_code == 200
    assert (
        client.post_form(f"{records(level2_worker)}/salary", {"file": pdf_file()}).status_code
        == 201
    )
    assert_error(client.get(records(worker)), 404)
    assert_error(client.post_form(f"{records(worker)}/salary", {"file": pdf_file()}), 404)
    assert RecordVersion.objects.count() == 1


def test_another_sponsors_worker_is_not_found(api, other_level1, level1, worker):
    upload(worker, RecordItem.SALARY, level1)
    client = api(other_level1)
    assert_error(client.get(records(worker)), 404)
    assert_error(client.get(f"{records(worker)}/salary/versions"), 404)
    assert_error(client.get(f"{records(worker)}/salary/versions/1"), 404)
    assert_error(client.post_form(f"{records(worker)}/salary", {"file": pdf_file()}), 404)
    assert_error(client.post_json(f"{records(worker)}/dbs-check/not-needed", {"reason": "x"}), 404)
    assert RecordVersion.objects.count() == 1


def test_a_caseworker_token_may_not_use_records(api, caseworker, worker):
    assert_error(api(caseworker).get(records(worker)), 403)
