"""A worker's records on the web: the checklist with its status tags, uploading versions (never
overwriting), downloading each, "not needed" with a reason, and who may reach which worker."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sponsorship.audit.models import AuditEvent, AuditVerb

from ...items import RecordItem
from ...models import Record, RecordVersion
from ..support import (
    EXE,
    PDF,
    PDF_2,
    body,
    field_error,
    pdf_file,
    stored_files,
    text,
    upload,
)


def checklist_url(worker):
    return f"/workers/register/{worker.pk}/records/"


def item_url(worker, item=RecordItem.RIGHT_TO_WORK):
    return f"{checklist_url(worker)}{item.value}/"


def test_the_checklist_shows_every_document_with_its_status(signed_in, level1, worker):
    upload(worker, RecordItem.RIGHT_TO_WORK, level1, name="passport.pdf")
    response = signed_in(level1).get(checklist_url(worker))
    assert response.status_code == 200
    page = text(response)
    assert "Records to keep" in page
    assert "You have 1 of 9 documents." in page
    for item in RecordItem:
        assert item.label in page
    assert page.count("Missing") == 8
    assert "passport.pdf: version 1, uploaded 16 November 2026 by Zoë Hartley" in page
    assert "Keep these records while you sponsor Łukasz Marek Kowalczyk" in page
    assert "Produce an evidence pack for this worker" in page


def test_uploading_twice_keeps_two_versions_both_downloadable(signed_in, level1, worker):
    client = signed_in(level1)
    response = client.post(f"{item_url(worker)}upload/", {"file": pdf_file("passport.pdf", PDF)})
    assert response.status_code == 302
    assert response["Location"] == item_url(worker)
    client.post(f"{item_url(worker)}upload/", {"file": pdf_file("renewed.pdf", PDF_2)})
    page = text(client.get(item_url(worker)))
    assert "renewed.pdf is uploaded as version 2 of Right to work check." in page
    assert hashlib.sha256(PDF).hexdigest() in page
    assert hashlib.sha256(PDF_2).hexdigest() in page
    first = client.get(f"{item_url(worker)}versions/1/")
    second = client.get(f"{item_url(worker)}versions/2/")
    assert body(first) == PDF
    assert body(second) == PDF_2
    assert first["Content-Disposition"] == 'attachment; filename="passport.pdf"'
    assert first["Content-Type"] == "application/pdf"
    assert first["X-Content-Type-Options"] == "nosniff"
    downloads = AuditEvent.objects.filter(verb=AuditVerb.EVIDENCE_DOWNLOADED)
    assert [e.payload["version"] for e in downloads.order_by("pk")] == [1, 2]


@pytest.mark.parametrize(
    ("upload_file", "message"),
    [
        (SimpleUploadedFile("invoice.pdf", EXE), "invoice.pdf does not look like a PDF file"),
        (SimpleUploadedFile("tool.exe", PDF), "tool.exe is not a file type we accept"),
        (None, "Choose a file to upload"),
    ],
    ids=["renamed program", "wrong type", "no file"],
)
def test_a_bad_file_is_refused_on_its_field_and_nothing_is_saved(
    signed_in, level1, worker, media, upload_file, message
):
    data = {"file": upload_file} if upload_file else {}
    response = signed_in(level1).post(f"{item_url(worker)}upload/", data)
    assert response.status_code == 400
    assert message in field_error(response, "file")
    assert 'href="#id_file"' in response.content.decode()
    assert not RecordVersion.objects.exists()
    assert stored_files(media) == []


def test_a_file_too_large_is_refused(signed_in, level1, worker, settings, media):
    settings.UPLOAD_MAX_BYTES = 20
    response = signed_in(level1).post(f"{item_url(worker)}upload/", {"file": pdf_file()})
    assert response.status_code == 400
    assert "passport.pdf is larger than 20 bytes" in field_error(response, "file")
    assert stored_files(media) == []


def test_a_dbs_check_marked_not_needed(signed_in, level1, worker):
    client = signed_in(level1)
    url = item_url(worker, RecordItem.DBS_CHECK)
    assert "Why is this document not needed for this worker?" in text(client.get(url))
    response = client.post(f"{url}not-needed/", {"reason": "Office job only."})
    assert response.status_code == 302
    page = text(client.get(checklist_url(worker)))
    assert "Not needed: Office job only." in page
    assert "DBS check is recorded as not needed." in page
    client.post(f"{url}needed/")
    assert not Record.objects.get(item=RecordItem.DBS_CHECK).is_not_needed


def test_a_reason_is_required(signed_in, level1, worker):
    url = item_url(worker, RecordItem.DBS_CHECK)
    response = signed_in(level1).post(f"{url}not-needed/", {"reason": " "})
    assert response.status_code == 400
    assert field_error(response, "reason") == (
        "Error: Enter why this document is not needed for this worker"
    )


def test_a_right_to_work_check_offers_no_not_needed_form_and_refuses_one(signed_in, level1, worker):
    client = signed_in(level1)
    assert "not needed for this worker?" not in text(client.get(item_url(worker)))
    response = client.post(f"{item_url(worker)}not-needed/", {"reason": "No"})
    assert response.status_code == 400
    assert "Right to work check is needed for every sponsored worker" in text(response)
    assert 'href="#id_reason"' not in response.content.decode()


def test_a_level2_user_reaches_their_own_workers_only(signed_in, level2, level2_worker, worker):
    client = signed_in(level2)
    assert client.get(checklist_url(level2_worker)).status_code == 200
    response = client.post(f"{item_url(level2_worker)}upload/", {"file": pdf_file()})
    assert response.status_code == 302
    assert client.get(f"{item_url(level2_worker)}versions/1/").status_code == 200
    assert "Produce an evidence pack" not in text(client.get(checklist_url(level2_worker)))
    assert client.get(checklist_url(worker)).status_code == 404
    assert client.post(f"{item_url(worker)}upload/", {"file": pdf_file()}).status_code == 404
    assert RecordVersion.objects.count() == 1


def test_another_sponsors_worker_is_not_found(signed_in, other_level1, level1, worker):
    upload(worker, RecordItem.RIGHT_TO_WORK, level1)
    client = signed_in(other_level1)
    assert client.get(checklist_url(worker)).status_code == 404
    assert client.get(item_url(worker)).status_code == 404
    assert client.get(f"{item_url(worker)}versions/1/").status_code == 404
    assert client.post(f"{item_url(worker)}upload/", {"file": pdf_file()}).status_code == 404
    response = client.post(f"{item_url(worker, RecordItem.DBS_CHECK)}not-needed/", {"reason": "x"})
    assert response.status_code == 404
    assert RecordVersion.objects.count() == 1
    assert not AuditEvent.objects.filter(verb=AuditVerb.EVIDENCE_DOWNLOADED).exists()


def test_an_unknown_document_or_version_is_not_found(signed_in, level1, worker):
    client = signed_in(level1)
    assert client.get(f"{checklist_url(worker)}passport/").status_code == 404
    assert client.get(f"{item_url(worker)}versions/1/").status_code == 404


def test_a_caseworker_may_not_see_records(signed_in, caseworker, worker):
    assert signed_in(caseworker).get(checklist_url(worker)).status_code == 403
