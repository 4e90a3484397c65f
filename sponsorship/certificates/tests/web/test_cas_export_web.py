"""Exporting the results of a CAS search as CSV or as an Excel workbook: a CAS's own columns
(student ID, course, start date, fees, status), the same rows the search finds, cells a
spreadsheet would run as formulas neutralised, amounts kept as numbers in the workbook, each
export audited."""

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.exports import CAS_HEADER, HEADER
from sponsorship.certificates.models import Batch, CertificateKind
from sponsorship.certificates.tests.factories import (
    assigned_cas,
    assigned_certificate,
    complete_cas,
)
from sponsorship.licences.models import LicenceStatus, Route
from sponsorship.licences.tests.factories import SponsorFactory
from sponsorship.licences.tests.web.support import text

CSV = "/cas/export.csv"
XLSX = "/cas/export.xlsx"


@pytest.fixture
def sponsor(db):
    return SponsorFactory(name="Harbour View College", routes=[Route.SKILLED_WORKER, Route.STUDENT])


@pytest.fixture
def other_sponsor(db):
    return SponsorFactory(name="Other College", routes=[Route.STUDENT])


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


@pytest.fixture
def as_user(client, signed_in):
    def _as(user):
        client.logout()
        return signed_in(user)

    return _as


@pytest.fixture
def students(level1, level2):
    batch = Batch.objects.create(
        sponsor=level1.sponsor,
        name="September intake",
        owner=level1,
        created_by=level1,
        certificate_kind=CertificateKind.CAS,
    )
    return {
        "kowalczyk": assigned_cas(
            level1,
            number="E0000000000001",
            batch=batch,
            sponsor_note="Starts late.",
            accommodation_included=True,
            accommodation_fees_paid=Decimal("1200.50"),
        ),
        "attacker": assigned_cas(
            level1,
            number="E0000000000002",
            family_name='=HYPERLINK("http://example.com","x")',
            student_id="+44 1234",
            course_title="@SUM(A1:A2)",
        ),
        "nguyen": assigned_cas(
            level2,
            number="E0000000000003",
            family_name="Nguyễn",
            given_names="Văn An",
            nationality="VNM",
            student_id="S2026-0077",
        ),
    }


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cas-')
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="cas-' in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))["CAS"]


def xlsx_rows(response) -> list[list]:
    return [list(row) for row in workbook(response).iter_rows(values_only=True)]


def numbers(rows: list[list]) -> list[str]:
    return sorted(row[0] for row in rows[1:])


# ---------------------------------------------------------------- CSV


def test_csv_holds_every_found_cas_with_its_own_columns(web, students):
    rows = csv_rows(web.get(CSV))
    assert rows[0] == CAS_HEADER
    assert numbers(rows) == ["E0000000000001", "E0000000000002", "E0000000000003"]
    row = next(r for r in rows if r[0] == "E0000000000001")
    assert dict(zip(CAS_HEADER, row, strict=True)) == {
        "CAS number": "E0000000000001",
        "Status": "Assigned",
        "Route": "Student",
        "Family name": "Kowalczyk",
        "Given names": "Łukasz Marek",
        "Nationality": "Poland",
        "Date of birth": "1991-03-14",
        "Passport number": "EP1234567",
        "Student ID": "S2026-0042",
        "Course title": "MSc Marine Biology",
        "Academic level": "RQF 7 (master's degree)",
        "Course start date": "2027-01-18",
        "Course end date": "2028-01-14",
        "Course fees for the first year (£)": "24500.00",
        "Course fees paid to date (£)": "5000.00",
        "Course fees include accommodation": "Yes",
        "Accommodation fees paid to date (£)": "1200.50",
        "Assigned on": "2026-11-16",
        "Use by": "2027-05-17",
        "Owner": "Zoë Hartley",
        "Owner user ID": "LEVELONE1",
        "Batch": "September intake",
        "Sponsor note": "Starts late.",
    }
    nguyen = next(r for r in rows if r[0] == "E0000000000003")
    assert nguyen[3:6] == ["Nguyễn", "Văn An", "Vietnam"]


def test_csv_follows_the_search(web, students):
    assert numbers(csv_rows(web.get(CSV, {"family_name": "nguy"}))) == ["E0000000000003"]
    assert numbers(csv_rows(web.get(CSV, {"q": "s2026-0077"}))) == ["E0000000000003"]
    assert numbers(csv_rows(web.get(CSV, {"course": "marine", "owner": ""}))) == [
        "E0000000000001",
        "E0000000000003",
    ]
    assert len(csv_rows(web.get(CSV, {"page": "2"}))) == 4


def test_csv_neutralises_formulas(web, students):
    row = csv_rows(web.get(CSV, {"q": "E0000000000002"}))[1]
    assert row[3] == '\'=HYPERLINK("http://example.com","x")'
    assert row[8] == "'+44 1234"
    assert row[9] == "'@SUM(A1:A2)"


def test_a_draft_is_exported_as_a_draft(web, level1):
    complete_cas(level1, family_name="Tran")
    rows = csv_rows(web.get(CSV))
    assert rows[1][:4] == ["Draft", "Draft", "Student", "Tran"]


# ---------------------------------------------------------------- XLSX


def test_xlsx_holds_the_same_rows_with_real_dates_and_amounts(web, students):
    rows = xlsx_rows(web.get(XLSX))
    assert rows[0] == CAS_HEADER
    assert numbers(rows) == ["E0000000000001", "E0000000000002", "E0000000000003"]
    row = dict(zip(CAS_HEADER, next(r for r in rows if r[0] == "E0000000000001"), strict=True))
    assert row["Student ID"] == "S2026-0042"
    assert row["Course title"] == "MSc Marine Biology"
    assert row["Course start date"] == datetime(2027, 1, 18)
    assert row["Course fees for the first year (£)"] == 24500
    assert row["Course fees paid to date (£)"] == 5000
    assert row["Accommodation fees paid to date (£)"] == 1200.5
    assert row["Status"] == "Assigned"
    assert row["Assigned on"] == datetime(2026, 11, 16)


def test_xlsx_neutralises_formulas(web, students):
    sheet = workbook(web.get(XLSX, {"q": "E0000000000002"}))
    family, student_id, course = sheet["D2"], sheet["I2"], sheet["J2"]
    assert family.value == '\'=HYPERLINK("http://example.com","x")'
    assert family.data_type == "s"
    assert student_id.value == "'+44 1234"
    assert course.value == "'@SUM(A1:A2)"
    assert sheet["N2"].data_type == "n"


# ---------------------------------------------------------------- audit


@pytest.mark.parametrize(("address", "file_format"), [(CSV, "csv"), (XLSX, "xlsx")])
def test_each_export_is_audited_once(web, students, level1, address, file_format):
    response = web.get(address, {"course": "marine", "status": "ASSIGNED"})
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(verb=AuditVerb.CERTIFICATES_EXPORTED)
    assert event.actor == level1
    assert event.sponsor == level1.sponsor
    assert event.payload == {
        "format": file_format,
        "kind": "CAS",
        "filters": {"course": "marine", "status": "ASSIGNED"},
        "rows": 2,
    }


def test_a_wrong_search_exports_nothing(web, students):
    response = web.get(XLSX, {"status": "LOST"})
    assert response.status_code == 400
    assert "Select a status from the list" in text(response)
    assert not AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATES_EXPORTED).exists()


# ---------------------------------------------------------------- who gets what


def test_level2_exports_only_their_own(as_user, students, level2):
    client = as_user(level2)
    assert numbers(csv_rows(client.get(CSV))) == ["E0000000000003"]
    assert numbers(xlsx_rows(client.get(XLSX))) == ["E0000000000003"]
    assert numbers(csv_rows(client.get(CSV, {"q": "E0000000000001"}))) == []


def test_another_sponsors_cas_and_any_cos_are_never_exported(web, students, level1, other_level1):
    assigned_cas(other_level1, number="E9999999999999", family_name="Kowalczyk")
    assigned_certificate(level1, number="C0000000001", family_name="Kowalczyk")
    for rows in (csv_rows(web.get(CSV)), xlsx_rows(web.get(XLSX))):
        assert "E9999999999999" not in numbers(rows)
        assert "C0000000001" not in numbers(rows)
    assert numbers(csv_rows(web.get(CSV, {"q": "E9999999999999"}))) == []
    # And the CoS export holds no CAS.
    cos_rows = csv_rows_cos(web.get("/certificates/export.csv"))
    assert cos_rows[0] == HEADER
    assert numbers(cos_rows) == ["C0000000001"]


def csv_rows_cos(response) -> list[list[str]]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.mark.parametrize("address", [CSV, XLSX])
def test_a_suspended_licence_cannot_export(signed_in, level1, sponsor, students, address):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    response = signed_in(level1).get(address)
    assert response.status_code == 409
    assert "Not available while your licence is suspended." in text(response)
    assert not AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATES_EXPORTED).exists()


@pytest.mark.parametrize("address", [CSV, XLSX])
def test_a_caseworker_cannot_export(signed_in, caseworker, address):
    assert signed_in(caseworker).get(address).status_code == 403


def test_the_list_links_to_exports_of_the_same_search(web, students):
    body = web.get("/cas/", {"course": "marine", "page": "1"}).content.decode()
    assert 'href="/cas/export.csv?course=marine"' in body
    assert 'href="/cas/export.xlsx?course=marine"' in body


@pytest.mark.parametrize("address", [CSV, XLSX])
def test_an_export_read_in_chunks_has_every_row_once(web, level1, monkeypatch, address):
    monkeypatch.setattr("sponsorship.certificates.exports.CHUNK", 7)
    for _ in range(30):
        assigned_cas(level1)
    response = web.get(address)
    rows = csv_rows(response) if address == CSV else xlsx_rows(response)
    assert len(rows) == 31
    assert len(set(numbers(rows))) == 30
