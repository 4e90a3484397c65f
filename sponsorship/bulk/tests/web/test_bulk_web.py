"""The bulk pages: send a file, watch it being processed, read the rejected records and
download the results; export; each page for Level 1 users of its own sponsor only, Upload and
Update files and exports closed while the licence is suspended."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree  # type: ignore[import-untyped]

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.tests.factories import assigned_cas
from sponsorship.licences.models import LicenceStatus

from ...models import BulkFile, BulkKind, BulkStatus
from ...xmlfiles import schema
from ..files import BILLION_LAUGHS, DEFECTS, report_file, students, upload_file
from ..support import body, count_queries, made_file, text


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


@pytest.fixture
def post_file(django_capture_on_commit_callbacks):
    """`post_file(client, content)`: send through the page; its job runs as the queue would."""

    def _post(client, content: bytes, name: str = "students.xml", run: bool = True):
        upload = SimpleUploadedFile(name, content, content_type="application/xml")
        with django_capture_on_commit_callbacks(execute=run):
            return client.post("/bulk/send/", {"file": upload})

    return _post


def suspend(sponsor) -> None:
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()


def test_a_file_sent_is_processed_and_its_rejected_records_shown(web, post_file, allocation):
    response = post_file(web, upload_file(students(5, {2: DEFECTS[18], 4: DEFECTS[19]})))
    bulk_file = BulkFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/bulk/files/{bulk_file.pk}/"
    page = web.get(response["Location"])
    words = text(page)
    assert "students.xml is received: 5 records to process." in words
    assert "Processed, with rejections" in words
    assert "CAS created and assigned 3" in words
    assert "Rejected 2" in words
    assert "Rejected records: 2" in words
    assert "2 S0000002 CourseTitle : Enter the course title" in words
    assert "StudyTown : Enter the town or city of the main study address" in words
    assert "Download the results as XML" in words
    assert "send the file again with the same file id" in words
    # Finished: nothing polls any more.
    assert "data-progress-url" not in page.content.decode()


def test_a_file_waiting_to_be_processed_shows_its_progress_accessibly(web, post_file, allocation):
    post_file(web, upload_file(students(3)), run=False)
    bulk_file = BulkFile.objects.get()
    page = web.get(f"/bulk/files/{bulk_file.pk}/")
    html = page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert 'role="status" aria-live="polite"' in html
    assert f'data-progress-url="/bulk/files/{bulk_file.pk}/progress/"' in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "Waiting to start: 3 records to process." in text(page)

    progress = web.get(f"/bulk/files/{bulk_file.pk}/progress/").json()
    assert progress["finished"] is False
    assert (progress["total"], progress["remaining"]) == (3, 3)
    # The results are not there yet.
    assert web.get(f"/bulk/files/{bulk_file.pk}/result.xml").status_code == 404


def test_progress_says_records_done_rejected_and_remaining(web, level1):
    bulk_file = made_file(
        level1,
        status=BulkStatus.RUNNING,
        finished_at=None,
        records_total=5000,
        records_succeeded=1190,
        records_rejected=10,
    )
    progress = web.get(f"/bulk/files/{bulk_file.pk}/progress/").json()
    assert progress["sentence"] == (
        "1,200 of 5,000 records processed: 1,190 created, 0 already done before, 10 rejected, "
        "3,800 still to do."
    )
    assert (progress["percent"], progress["remaining"]) == (24, 3800)


def test_the_results_download_as_xml_and_csv(web, post_file, allocation):
    post_file(web, upload_file(students(3, {3: DEFECTS[18]})))
    bulk_file = BulkFile.objects.get()
    response = web.get(f"/bulk/files/{bulk_file.pk}/result.xml")
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    document = etree.fromstring(body(response))
    assert schema().validate(document)
    response = web.get(f"/bulk/files/{bulk_file.pk}/result.csv")
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["CAS created and assigned"] * 2 + ["Rejected"]


def test_a_refused_file_is_named_on_the_form_with_why(web, post_file):
    response = post_file(web, BILLION_LAUGHS, name="lol.xml")
    assert response.status_code == 400
    words = text(response)
    assert "There is a problem" in words
    assert "lol.xml contains a DOCTYPE or ENTITY declaration" in words
    assert not BulkFile.objects.exists()


def test_sending_without_a_file_asks_for_one(web):
    response = web.post("/bulk/send/", {})
    assert response.status_code == 400
    assert "Choose the XML file to send" in text(response)


def test_the_same_file_sent_again_says_nothing_was_done_again(web, post_file, allocation):
    content = upload_file(students(2))
    post_file(web, content)
    response = post_file(web, content)
    page = web.get(response["Location"])
    assert "You sent this file before, on 16 November 2026 at 10:00. Nothing was done again" in (
        text(page)
    )
    assert BulkFile.objects.count() == 1


def test_the_list_of_files_is_paginated_in_a_fixed_number_of_queries(web, level1):
    for _ in range(3):
        made_file(level1)
    few = count_queries(lambda: web.get("/bulk/"))
    for _ in range(27):
        made_file(level1, rejected=1)
    many = count_queries(lambda: web.get("/bulk/"))
    assert few == many
    page = web.get("/bulk/")
    assert "Page 1 of 2" in text(page)
    assert text(page).count("Bulk Upload, students.xml") == 25
    assert "Processed, with rejections" in text(page)


def test_the_rejected_records_are_paginated_in_a_fixed_number_of_queries(web, level1):
    small = made_file(level1, rejected=3)
    large = made_file(level1, rejected=30)
    few = count_queries(lambda: web.get(f"/bulk/files/{small.pk}/"))
    many = count_queries(lambda: web.get(f"/bulk/files/{large.pk}/"))
    assert few == many
    second = web.get(f"/bulk/files/{large.pk}/?page=2")
    assert "Page 2 of 2" in text(second)
    assert "26 S0026" in text(second)


def test_another_sponsors_file_is_not_found(web, other_level1):
    theirs = made_file(other_level1, rejected=1)
    for suffix in ("", "progress/", "result.xml", "result.csv"):
        assert web.get(f"/bulk/files/{theirs.pk}/{suffix}").status_code == 404, suffix


@pytest.mark.parametrize(
    "path",
    ["/bulk/", "/bulk/send/", "/bulk/export/", "/bulk/export/bulk-export.xml", "/bulk/files/1/"],
)
def test_level_2_users_have_no_bulk_pages(signed_in, level2, path):
    made_file(level2)
    assert signed_in(level2).get(path).status_code == 403


def test_bulk_pages_need_signing_in(client):
    response = client.get("/bulk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_while_suspended_upload_files_are_refused_and_report_files_taken(
    web, post_file, sponsor, level1, allocation
):
    earlier = made_file(level1, rejected=1)
    suspend(sponsor)
    assert web.get("/bulk/").status_code == 200
    response = post_file(web, upload_file(students(1)))
    assert response.status_code == 409
    assert "Not available while your licence is suspended." in text(response)
    assert not BulkFile.objects.exclude(pk=earlier.pk).exists()
    # The results of an upload file are CAS details: closed too.
    assert web.get(f"/bulk/files/{earlier.pk}/").status_code == 409
    # Reporting goes on.
    response = post_file(
        web,
        report_file(
            [
                {
                    "CASNumber": "E0000000000001",
                    "EventType": "STOPPED_ENGAGING",
                    "EventDate": "2026-11-02",
                }
            ]
        ),
    )
    assert response.status_code == 302
    reported = BulkFile.objects.get(kind=BulkKind.REPORT)
    assert web.get(f"/bulk/files/{reported.pk}/").status_code == 200


def test_the_export_downloads_the_cas_chosen(web, level1):
    cas = assigned_cas(level1)
    page = web.get("/bulk/export/")
    assert page.status_code == 200
    assert "Download the export (XML)" in text(page)
    response = web.get("/bulk/export/bulk-export.xml", {"status": "ASSIGNED"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    content = body(response)
    assert schema().validate(etree.fromstring(content))
    assert cas.number in content.decode()
    assert AuditEvent.objects.filter(verb=AuditVerb.BULK_EXPORT_CREATED).count() == 1


def test_export_dates_are_checked(web):
    response = web.get(
        "/bulk/export/bulk-export.xml",
        {
            "assigned_from_day": "30",
            "assigned_from_month": "11",
            "assigned_from_year": "2026",
            "assigned_to_day": "1",
            "assigned_to_month": "11",
            "assigned_to_year": "2026",
        },
    )
    assert response.status_code == 400
    assert "The date assigned to must be the same as or after the date assigned from" in text(
        response
    )
    response = web.get(
        "/bulk/export/bulk-export.xml",
        {"assigned_from_day": "31", "assigned_from_month": "2", "assigned_from_year": "2026"},
    )
    assert response.status_code == 400
    assert "The date assigned from must be a real date" in text(response)
    assert not AuditEvent.objects.filter(verb=AuditVerb.BULK_EXPORT_CREATED).exists()


def test_no_export_while_suspended(web, sponsor):
    suspend(sponsor)
    assert web.get("/bulk/export/").status_code == 409
    assert web.get("/bulk/export/bulk-export.xml").status_code == 409
