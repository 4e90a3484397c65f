"""The documents the service sends back, written as streams a batch of rows at a time: a Bulk
Export (CAS numbers and statuses) and a file's Bulk Result, both valid against the schema's
root elements, and the result as CSV."""

import io
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone
from lxml import etree  # type: ignore[import-untyped]

from sponsorship.core.csv_export import stream_csv

from .models import BulkFile, RecordOutcome
from .selectors import bulk_records_in_order
from .xmlfiles import NAMESPACE

XML_CONTENT_TYPE = "application/xml; charset=utf-8"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# Rows written between two pieces of a streamed document.
FLUSH_EVERY = 200
# Characters XML 1.0 cannot carry, whatever the escaping.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
RESULT_HEADER = ["Position", "ApplicantID", "CAS number", "Outcome", "Reasons"]


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def _stamp(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


class _Writer:
    """Leaves and elements written into an lxml incremental writer."""

    def __init__(self, xf: Any):
        self.xf = xf

    def leaf(self, name: str, value: Any) -> None:
        if value is None or value == "":
            return
        with self.xf.element(_q(name)):
            self.xf.write(_text(value))


def _document(
    root: str, head: list[tuple[str, Any]], rows: Iterable[Any], write_row: Any
) -> Iterator[bytes]:
    buffer = io.BytesIO()
    buffer.write(DECLARATION)
    with etree.xmlfile(buffer, encoding="utf-8") as xf:
        writer = _Writer(xf)
        with xf.element(_q(root), nsmap={None: NAMESPACE}):
            for name, value in head:
                writer.leaf(name, value)
            for count, row in enumerate(rows, start=1):
                write_row(writer, row)
                if count % FLUSH_EVERY == 0:
                    xf.flush()
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
    yield buffer.getvalue()


def _exported_cas(writer: _Writer, row: Mapping[str, Any]) -> None:
    with writer.xf.element(_q("CAS")):
        writer.leaf("CASNumber", row["number"])
        writer.leaf("ApplicantID", row["cas__student_id"])
        writer.leaf("FamilyName", row["family_name"])
        writer.leaf("GivenNames", row["given_names"])
        writer.leaf("Route", row["route"])
        writer.leaf("Status", row["status"])
        writer.leaf("AssignedDate", timezone.localtime(row["assigned_at"]).date().isoformat())
        writer.leaf("UseByDate", row["use_by"].isoformat() if row["use_by"] else None)
        writer.leaf("CourseTitle", row["cas__course_title"])
        start = row["cas__course_start_date"]
        writer.leaf("CourseStartDate", start.isoformat() if start else None)
        writer.leaf("SupersededBy", row["cas__superseded_by__number"])


def export_xml(rows: Iterable[Mapping[str, Any]], *, licence_number: str) -> Iterator[bytes]:
    """A BulkExport document of `rows` (selectors.bulk_export_rows_for_user)."""
    head = [("LicenceNumber", licence_number), ("ExportedAt", _stamp(timezone.now()))]
    return _document("BulkExport", head, rows, _exported_cas)


def export_filename() -> str:
    return f"bulk-export-{timezone.localtime():%Y%m%d-%H%M}.xml"


def _record_result(writer: _Writer, row: Mapping[str, Any]) -> None:
    with writer.xf.element(_q("RecordResult"), Position=str(row["position"])):
        writer.leaf("ApplicantID", row["applicant_id"])
        writer.leaf("CASNumber", row["cas_number"])
        writer.leaf("Outcome", row["outcome"])
        for reason in row["reasons"]:
            attributes = {"Element": reason["element"]} if reason.get("element") else {}
            with writer.xf.element(_q("Reason"), **attributes):
                writer.xf.write(_text(reason["message"]))


def result_xml(bulk_file: BulkFile) -> Iterator[bytes]:
    """The BulkResult document of a file: its counts, then every record in file order."""
    head = [
        ("FileKind", bulk_file.kind),
        ("FileId", bulk_file.file_id),
        ("ReceivedAt", _stamp(bulk_file.received_at)),
        ("ProcessedAt", _stamp(bulk_file.finished_at) if bulk_file.finished_at else None),
        ("Records", bulk_file.records_total),
        ("Succeeded", bulk_file.records_succeeded),
        ("AlreadyDone", bulk_file.records_already_done),
        ("Rejected", bulk_file.records_rejected),
    ]
    return _document("BulkResult", head, bulk_records_in_order(bulk_file), _record_result)


def xml_response(chunks: Iterator[bytes], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=XML_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def reasons_text(reasons: list[dict[str, str]]) -> str:
    """Every reason on a line of its own, each after the element it is about."""
    return "\n".join(
        f"{r['element']}: {r['message']}" if r.get("element") else r["message"] for r in reasons
    )


def result_csv(bulk_file: BulkFile) -> StreamingHttpResponse:
    rows = (
        (
            row["position"],
            row["applicant_id"],
            row["cas_number"],
            RecordOutcome(row["outcome"]).label,
            reasons_text(row["reasons"]),
        )
        for row in bulk_records_in_order(bulk_file)
    )
    response = stream_csv(f"{bulk_file.result_name}.csv", RESULT_HEADER, rows)
    response["Cache-Control"] = "private, no-store"
    return response
