"""The bulk API: multipart upload answered 202 (or 200 with the file sent before), progress,
each record's result, the result documents and the Bulk Export; Level 1 tokens only; another
sponsor's file is not found; suspension closes Upload and Update files and exports (409)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree  # type: ignore[import-untyped]

from sponsorship.api.tests.api_client import assert_error
from sponsorship.api.tests.fuzzing import DOCUMENTED, GENERATION_MODES, api_document
from sponsorship.certificates.tests.factories import assigned_cas
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.api.support import Api, token_for

from ...models import BulkFile, BulkStatus
from ...xmlfiles import schema
from ..files import DEFECTS, EXTERNAL_ENTITY, FILE_ID, report_file, students, upload_file
from ..support import body, made_file
from ..test_receive import HOSTILE


@pytest.fixture
def api():
    return lambda user: Api(token_for(user))


@pytest.fixture
def send_api(django_capture_on_commit_callbacks):
    """`send_api(client, content)`: POST the file; its job runs as the queue would."""

    def _send(client, content: bytes, name: str = "students.xml"):
        upload = SimpleUploadedFile(name, content, content_type="application/xml")
        with django_capture_on_commit_callbacks(execute=True):
            return client.post_form("/api/v1/bulk-files", {"file": upload})

    return _send


def test_a_file_sent_is_answered_202_then_its_results_read(api, send_api, level1, allocation):
    client = api(level1)
    response = send_api(client, upload_file(students(4, {3: DEFECTS[18]})))
    assert response.status_code == 202, response.content
    answer = response.json()
    bulk_file = BulkFile.objects.get()
    assert answer["id"] == bulk_file.pk
    assert (answer["kind"], answer["file_id"], answer["records_total"]) == ("UPLOAD", FILE_ID, 4)
    assert answer["sent_by"]["user_id"] == level1.username

    progress = client.get(f"/api/v1/bulk-files/{bulk_file.pk}").json()
    assert progress["status"] == "DONE"
    assert (progress["records_succeeded"], progress["records_rejected"]) == (3, 1)
    assert progress["records_remaining"] == 0
    assert progress["result_xml_url"] == f"/api/v1/bulk-files/{bulk_file.pk}/result.xml"

    rejected = client.get(
        f"/api/v1/bulk-files/{bulk_file.pk}/records", {"outcome": "REJECTED"}
    ).json()
    assert rejected["page"]["total_items"] == 1
    assert rejected["items"] == [
        {
            "position": 3,
            "applicant_id": "S0000003",
            "cas_number": "",
            "outcome": "REJECTED",
            "outcome_name": "Rejected",
            "reasons": [{"element": "CourseTitle", "message": "Enter the course title"}],
        }
    ]
    every = client.get(f"/api/v1/bulk-files/{bulk_file.pk}/records", {"page_size": 2}).json()
    assert [r["position"] for r in every["items"]] == [1, 2]
    assert every["items"][0]["cas_number"].startswith("E")

    response = client.get(f"/api/v1/bulk-files/{bulk_file.pk}/result.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert schema().validate(etree.fromstring(body(response)))
    response = client.get(f"/api/v1/bulk-files/{bulk_file.pk}/result.csv")
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert len(rows) == 5


def test_the_same_file_sent_again_is_answered_200_with_the_first(api, send_api, level1, allocation):
    client = api(level1)
    content = upload_file(students(2))
    first = send_api(client, content).json()
    again = send_api(client, content)
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]


def test_the_list_of_files_newest_first(api, level1, other_level1):
    older = made_file(level1)
    newer = made_file(level1)
    made_file(other_level1)
    answer = api(level1).get("/api/v1/bulk-files").json()
    assert [f["id"] for f in answer["items"]] == [newer.pk, older.pk]
    assert answer["page"]["total_items"] == 2


def test_a_hostile_file_is_refused_400_with_the_reason(api, send_api, level1):
    response = send_api(api(level1), EXTERNAL_ENTITY, name="xxe.xml")
    error = assert_error(response, 400, "bulk_file_refused")
    assert error["message"].startswith("xxe.xml contains a DOCTYPE or ENTITY declaration")
    assert error["fields"] == [{"field": "file", "message": error["message"]}]
    assert not BulkFile.objects.exists()


@pytest.mark.parametrize(("content", "words"), HOSTILE)
def test_every_bad_file_is_a_400_with_its_reason_never_a_server_error(
    api, send_api, level1, content, words
):
    error = assert_error(send_api(api(level1), content), 400, "bulk_file_refused")
    assert words in error["message"]
    assert not BulkFile.objects.exists()


def test_no_file_is_refused_naming_the_part(api, level1):
    response = api(level1).post_form("/api/v1/bulk-files", {})
    error = assert_error(response, 400, "bulk_file_refused")
    assert error["fields"][0]["field"] == "file"


def test_results_are_404_until_the_file_is_finished(api, level1):
    running = made_file(level1, status=BulkStatus.RUNNING, finished_at=None, records_total=3)
    client = api(level1)
    assert client.get(f"/api/v1/bulk-files/{running.pk}").json()["result_xml_url"] is None
    for suffix in ("result.xml", "result.csv"):
        assert_error(client.get(f"/api/v1/bulk-files/{running.pk}/{suffix}"), 404, "not_found")


def test_another_sponsors_file_is_not_found(api, level1, other_level1):
    theirs = made_file(other_level1, rejected=1)
    client = api(level1)
    for suffix in ("", "/records", "/result.xml", "/result.csv"):
        assert_error(client.get(f"/api/v1/bulk-files/{theirs.pk}{suffix}"), 404, "not_found")


def test_level_2_tokens_are_refused(api, level2, send_api):
    client = api(level2)
    assert_error(client.get("/api/v1/bulk-files"), 403)
    assert_error(client.get("/api/v1/bulk-export.xml"), 403)
    assert_error(send_api(client, upload_file(students(1))), 403)


def test_while_suspended_uploads_and_exports_are_409_and_reports_go_on(
    api, send_api, level1, sponsor
):
    earlier = made_file(level1, rejected=1)
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    client = api(level1)
    assert_error(send_api(client, upload_file(students(1))), 409, "licence_suspended")
    assert_error(client.get(f"/api/v1/bulk-files/{earlier.pk}"), 409, "licence_suspended")
    assert_error(client.get("/api/v1/bulk-export.xml"), 409, "licence_suspended")
    record = {
        "CASNumber": "E0000000000001",
        "EventType": "DID_NOT_ENROL",
        "EventDate": "2026-11-02",
    }
    response = send_api(client, report_file([record]))
    assert response.status_code == 202
    assert client.get("/api/v1/bulk-files").json()["page"]["total_items"] == 2


def test_the_bulk_export(api, level1):
    used = assigned_cas(level1, student_id="S1", passport_number="P1")
    used.status = "USED"
    used.save()
    assigned = assigned_cas(level1, student_id="S2", passport_number="P2")
    response = api(level1).get("/api/v1/bulk-export.xml", {"status": ["USED"]})
    assert response.status_code == 200
    content = body(response).decode()
    assert used.number in content
    assert assigned.number not in content
    assert schema().validate(etree.fromstring(content.encode()))


def test_export_filters_are_checked(api, level1):
    client = api(level1)
    error = assert_error(client.get("/api/v1/bulk-export.xml", {"status": "DRAFT"}), 422)
    assert "status" in error["fields"][0]["field"]
    error = assert_error(
        client.get(
            "/api/v1/bulk-export.xml", {"assigned_from": "2026-11-30", "assigned_to": "2026-11-01"}
        ),
        422,
    )
    assert "assigned_to must be the same day as assigned_from or after it" in str(error)


FUZZED = [
    ("GET", "/api/v1/bulk-files"),
    ("GET", "/api/v1/bulk-files/{bulk_file_id}"),
    ("GET", "/api/v1/bulk-files/{bulk_file_id}/records"),
    ("GET", "/api/v1/bulk-files/{bulk_file_id}/result.xml"),
    ("GET", "/api/v1/bulk-files/{bulk_file_id}/result.csv"),
    ("GET", "/api/v1/bulk-export.xml"),
    ("POST", "/api/v1/bulk-files"),
]


@pytest.mark.parametrize("mode", GENERATION_MODES)
@pytest.mark.parametrize(("method", "path"), FUZZED, ids=[f"{m} {p}" for m, p in FUZZED])
def test_every_answer_is_documented_for_a_student_sponsor(
    wsgi_app, level1, settings, method, path, mode
):
    """The whole API is fuzzed with a worker sponsor's token elsewhere; here a university's,
    with a real file to read."""
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hypothesis_settings

    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    bulk_file = made_file(level1, rejected=2)
    assigned_cas(level1)
    token = token_for(level1)
    operation = api_document(wsgi_app)[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=20,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def call(case):
        if "bulk_file_id" in (case.path_parameters or {}):
            case.path_parameters = {"bulk_file_id": bulk_file.pk}
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=DOCUMENTED)

    call()
