"""Exporting the results of a certificate search, as CSV or as an Excel workbook: a CoS's
columns, or a CAS's (its student ID, course and fees). Each export is one audit event (who, which
kind, which filters, how many rows); rows are read in chunks and cells that a spreadsheet would
run as a formula are neutralised."""

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import audit_record
from sponsorship.core.countries import nationality_names
from sponsorship.core.csv_export import neutralise, stream_csv

from .models import Certificate, CertificateKind
from .search import CertificateQuery, certificates_matching

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

CHUNK = 2000
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER = [
    "Certificate number",
    "Status",
    "Route",
    "Family name",
    "Given names",
    "Nationality",
    "Date of birth",
    "Passport number",
    "Job title",
    "SOC 2020 occupation code",
    "Assigned on",
    "Use by",
    "Owner",
    "Owner user ID",
    "Batch",
    "Sponsor note",
]
CAS_HEADER = [
    "CAS number",
    "Status",
    "Route",
    "Family name",
    "Given names",
    "Nationality",
    "Date of birth",
    "Passport number",
    "Student ID",
    "Course title",
    "Academic level",
    "Course start date",
    "Course end date",
    "Course fees for the first year (£)",
    "Course fees paid to date (£)",
    "Course fees include accommodation",
    "Accommodation fees paid to date (£)",
    "Assigned on",
    "Use by",
    "Owner",
    "Owner user ID",
    "Batch",
    "Sponsor note",
]
HEADERS: dict[str, list[str]] = {CertificateKind.COS: HEADER, CertificateKind.CAS: CAS_HEADER}
# What the file, the sheet and the audit trail call the rows.
FILE_STEMS: dict[str, str] = {CertificateKind.COS: "certificates", CertificateKind.CAS: "cas"}
SHEET_TITLES: dict[str, str] = {CertificateKind.COS: "Certificates", CertificateKind.CAS: "CAS"}


@dataclass(frozen=True)
class CertificateExport:
    """What an export holds: its header, how many rows, and the rows (read as they are
    written, in chunks)."""

    header: list[str]
    count: int
    rows: Iterator[list[Any]]
    kind: str = CertificateKind.COS


def _row(certificate: Certificate) -> list[Any]:
    cos = getattr(certificate, "cos", None)
    assigned = timezone.localtime(certificate.assigned_at) if certificate.assigned_at else None
    return [
        certificate.number or "Draft",
        certificate.get_status_display(),
        certificate.get_route_display(),
        certificate.family_name,
        certificate.given_names,
        nationality_names().get(certificate.nationality, certificate.nationality),
        certificate.date_of_birth,
        certificate.passport_number,
        cos.job_title if cos is not None else "",
        cos.soc_code if cos is not None else "",
        assigned.date() if assigned else None,
        certificate.use_by,
        certificate.owner.full_name,
        certificate.owner.username,
        certificate.batch.name if certificate.batch is not None else "",
        certificate.sponsor_note,
    ]


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _cas_row(certificate: Certificate) -> list[Any]:
    cas = certificate.cas
    assigned = timezone.localtime(certificate.assigned_at) if certificate.assigned_at else None
    return [
        certificate.number or "Draft",
        certificate.get_status_display(),
        certificate.get_route_display(),
        certificate.family_name,
        certificate.given_names,
        nationality_names().get(certificate.nationality, certificate.nationality),
        certificate.date_of_birth,
        certificate.passport_number,
        cas.student_id,
        cas.course_title,
        cas.get_academic_level_display() if cas.academic_level else "",
        cas.course_start_date,
        cas.course_end_date,
        cas.course_fees_first_year,
        cas.course_fees_paid,
        _yes_no(cas.accommodation_included),
        cas.accommodation_fees_paid,
        assigned.date() if assigned else None,
        certificate.use_by,
        certificate.owner.full_name,
        certificate.owner.username,
        certificate.batch.name if certificate.batch is not None else "",
        certificate.sponsor_note,
    ]


ROW_MAKERS: dict[str, Callable[[Certificate], list[Any]]] = {
    CertificateKind.COS: _row,
    CertificateKind.CAS: _cas_row,
}


def _rows(certificates: QuerySet[Certificate], kind: str) -> Iterator[list[Any]]:
    make = ROW_MAKERS[kind]
    for certificate in certificates.iterator(chunk_size=CHUNK):
        yield make(certificate)


def certificates_export_rows(
    *,
    user: "User",
    query: CertificateQuery,
    file_format: str,
    ip: str | None,
    kind: str = CertificateKind.COS,
) -> CertificateExport:
    """The rows a search of one kind of certificate finds, for a file in `file_format` ("csv"
    or "xlsx"); records one CERTIFICATES_EXPORTED audit event with the filters and the number
    of rows (and, for CAS, the kind)."""
    certificates = certificates_matching(user=user, query=query, kind=kind).select_related("batch")
    count = certificates.count()
    payload: dict[str, Any] = {"format": file_format, "filters": query.described(), "rows": count}
    if kind != CertificateKind.COS:
        payload["kind"] = kind
    audit_record(AuditVerb.CERTIFICATES_EXPORTED, actor=user, ip_address=ip, payload=payload)
    return CertificateExport(
        header=list(HEADERS[kind]), count=count, rows=_rows(certificates, kind), kind=kind
    )


def xlsx_file(export: CertificateExport) -> IO[bytes]:
    """The export as an Excel workbook in a temporary file (deleted when closed), read back
    from its start. Written row by row, so memory stays small however many rows there are."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLES[export.kind])
    sheet.append([neutralise(title) for title in export.header])
    for row in export.rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    book.save(handle)
    handle.seek(0)
    return handle


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "d mmm yyyy"
        return cell
    if value is None:
        return None
    if isinstance(value, Decimal):
        # Pounds and pence stay numbers, so a spreadsheet can add them up.
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0.00"
        return cell
    # Text is always text: never a formula, even when it starts with "=".
    return neutralise(value)


def export_filename(file_format: str, kind: str = CertificateKind.COS) -> str:
    return f"{FILE_STEMS[kind]}-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"


def csv_response(export: CertificateExport) -> StreamingHttpResponse:
    """The export as CSV, streamed as it is read (dates as 2026-11-16, amounts as 18500.00)."""
    return stream_csv(export_filename("csv", export.kind), export.header, export.rows)


def xlsx_response(export: CertificateExport) -> FileResponse:
    return FileResponse(
        xlsx_file(export),
        as_attachment=True,
        filename=export_filename("xlsx", export.kind),
        content_type=XLSX_TYPE,
    )
