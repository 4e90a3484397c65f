"""Exporting the results of a certificate search as CSV or as an Excel workbook: the same rows
the search finds, cells a spreadsheet would run as formulas neutralised, each export audited."""

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.exports import HEADER
from sponsorship.certificates.models import Batch
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.web.support import text

CSV = "/certificates/export.csv"
XLSX = "/certificates/export.xlsx"


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
def certificates(level1, level2):
    batch = Batch.objects.create(
        sponsor=level1.sponsor, name="January intake", owner=level1, created_by=level1
    )
    return {
        "kowalczyk": assigned_certificate(
            level1, number="C0000000001", batch=batch, sponsor_note="Start date moved."
        ),
        "attacker": assigned_certificate(
            level1,
            number="C0000000002",
            family_name='=HYPERLINK("http://example.com","x")',
            given_names="+44 1234",
            sponsor_note="@SUM(A1:A2)",
        ),
        "okafor": assigned_certificate(
            level2, number="C0000000003", family_name="Okafor", given_names="Chidi"
        ),
    }


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="certificates-')
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="certificates-' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["Certificates"]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def numbers(rows: list[list]) -> list[str]:
    return sorted(row[0] for row in rows[1:])


# ---------------------------------------------------------------- CSV


def test_csv_holds_every_found_certificate(web, certificates):
    rows = csv_rows(web.get(CSV))
    assert rows[0] == HEADER
    assert numbers(rows) == ["C0000000001", "C0000000002", "C0000000003"]
    row = next(r for r in rows if r[0] == "C0000000001")
    assert row == [
        "C0000000001",
        "Assigned",
        "Skilled Worker",
        "Kowalczyk",
        "Łukasz Marek",
        "Poland",
        "1991-03-14",
        "EP1234567",
        "Software developer",
        "2134",
        "2026-11-16",
        "2027-02-15",
        "Zoë Hartley",
        "LEVELONE1",
        "January intake",
        "Start date moved.",
    ]


def test_csv_follows_the_search(web, certificates):
    assert numbers(csv_rows(web.get(CSV, {"family_name": "oka"}))) == ["C0000000003"]
    assert numbers(csv_rows(web.get(CSV, {"q": "c0000000002"}))) == ["C0000000002"]
    # The page number of the list does not limit the export.
    assert len(csv_rows(web.get(CSV, {"page": "2"}))) == 4


def test_csv_neutralises_formulas(web, certificates):
    rows = csv_rows(web.get(CSV, {"q": "C0000000002"}))
    row = rows[1]
    assert row[3] == '\'=HYPERLINK("http://example.com","x")'
    assert row[4] == "'+44 1234"
    assert row[15] == "'@SUM(A1:A2)"


def test_a_draft_is_exported_as_a_draft(web, level1):
    complete_draft(level1, family_name="Nowak")
    rows = csv_rows(web.get(CSV))
    assert rows[1][:4] == ["Draft", "Draft", "Skilled Worker", "Nowak"]


# ---------------------------------------------------------------- XLSX


def test_xlsx_holds_the_same_rows_with_real_dates(web, certificates):
    rows = xlsx_rows(web.get(XLSX))
    assert rows[0] == HEADER
    assert numbers(rows) == ["C0000000001", "C0000000002", "C0000000003"]
    row = next(r for r in rows if r[0] == "C0000000001")
    assert row[3:6] == ["Kowalczyk", "Łukasz Marek", "Poland"]
    assert row[6] == datetime(1991, 3, 14)
    assert row[10] == datetime(2026, 11, 16)
    assert row[11] == datetime(2027, 2, 15)
    assert row[12:15] == ["Zoë Hartley", "LEVELONE1", "January intake"]


def test_xlsx_neutralises_formulas(web, certificates):
    response = web.get(XLSX, {"q": "C0000000002"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["Certificates"]
    family, given, note = sheet["D2"], sheet["E2"], sheet["P2"]
    assert family.value == '\'=HYPERLINK("http://example.com","x")'
    assert family.data_type == "s"
    assert given.value == "'+44 1234"
    assert note.value == "'@SUM(A1:A2)"
    assert note.data_type == "s"


def test_xlsx_follows_the_search(web, certificates):
    rows = xlsx_rows(web.get(XLSX, {"status": "ASSIGNED", "family_name": "kow"}))
    assert numbers(rows) == ["C0000000001"]


# ---------------------------------------------------------------- audit


@pytest.mark.parametrize(("address", "file_format"), [(CSV, "csv"), (XLSX, "xlsx")])
def test_each_export_is_audited_once(web, certificates, level1, address, file_format):
    response = web.get(
        address,
        {
            "family_name": "kow",
            "date_of_birth_day": "14",
            "date_of_birth_month": "3",
            "date_of_birth_year": "1991",
        },
    )
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(verb=AuditVerb.CERTIFICATES_EXPORTED)
    assert event.actor == level1
    assert event.sponsor == level1.sponsor
    assert event.payload == {
        "format": file_format,
        "filters": {"family_name": "kow", "date_of_birth": "1991-03-14"},
        "rows": 1,
    }


def test_a_wrong_search_exports_nothing(web, certificates):
    response = web.get(
        CSV, {"assigned_from_day": "40", "assigned_from_month": "1", "assigned_from_year": "2026"}
    )
    assert response.status_code == 400
    assert "The day assigned from must be a number from 1 to 31" in text(response)
    assert not AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATES_EXPORTED).exists()


# ---------------------------------------------------------------- who gets what


def test_level2_exports_only_their_own(as_user, certificates, level2):
    client = as_user(level2)
    assert numbers(csv_rows(client.get(CSV))) == ["C0000000003"]
    assert numbers(xlsx_rows(client.get(XLSX))) == ["C0000000003"]
    assert numbers(csv_rows(client.get(CSV, {"q": "C0000000001"}))) == []


def test_another_sponsors_certificates_are_never_exported(web, certificates, other_level1):
    assigned_certificate(other_level1, number="C9999999999", family_name="Kowalczyk")
    assert "C9999999999" not in numbers(csv_rows(web.get(CSV)))
    assert "C9999999999" not in numbers(xlsx_rows(web.get(XLSX)))
    assert numbers(csv_rows(web.get(CSV, {"q": "C9999999999"}))) == []


@pytest.mark.parametrize("address", [CSV, XLSX])
def test_a_suspended_licence_cannot_export(signed_in, level1, sponsor, certificates, address):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    response = signed_in(level1).get(address)
    assert response.status_code == 409
    assert "Not available while your licence is suspended." in text(response)
    assert not AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATES_EXPORTED).exists()


@pytest.mark.parametrize("address", [CSV, XLSX])
def test_a_caseworker_cannot_export(signed_in, caseworker, address):
    assert signed_in(caseworker).get(address).status_code == 403


def test_the_list_links_to_exports_of_the_same_search(web, certificates):
    body = web.get("/certificates/", {"family_name": "kow", "page": "1"}).content.decode()
    assert 'href="/certificates/export.csv?family_name=kow"' in body
    assert 'href="/certificates/export.xlsx?family_name=kow"' in body


@pytest.mark.parametrize("address", [CSV, XLSX])
def test_an_export_read_in_chunks_has_every_row_once(web, level1, monkeypatch, address):
    monkeypatch.setattr("sponsorship.certificates.exports.CHUNK", 7)
    for _ in range(30):
        assigned_certificate(level1)
    response = web.get(address)
    rows = csv_rows(response) if address == CSV else xlsx_rows(response)
    assert len(rows) == 31
    assert len(set(numbers(rows))) == 30
