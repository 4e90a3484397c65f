"""Helpers shared by the bulk page and API tests: files put straight into the database, and
reading pages as a user sees them."""

import re
from html import unescape
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ..models import BulkFile, BulkKind, BulkRecord, BulkStatus, RecordOutcome


def made_file(user: Any, *, rejected: int = 0, **fields: Any) -> BulkFile:
    """A processed Bulk Upload file, made directly, with `rejected` rejected records."""
    values = {
        "sponsor": user.sponsor,
        "kind": BulkKind.UPLOAD,
        "file_id": f"F-{BulkFile.objects.count() + 1}",
        "sent_by": user,
        "original_name": "students.xml",
        "file": "bulk/2026/11/made.xml",
        "size": 1234,
        "sha256": "0" * 64,
        "token": "t" * 32,
        "records_total": rejected,
        "records_rejected": rejected,
        "status": BulkStatus.DONE,
        "finished_at": timezone.now(),
        **fields,
    }
    bulk_file = BulkFile.objects.create(**values)
    BulkRecord.objects.bulk_create(
        BulkRecord(
            sponsor=user.sponsor,
            bulk_file=bulk_file,
            position=n,
            applicant_id=f"S{n:04d}",
            outcome=RecordOutcome.REJECTED,
            reasons=[
                {"element": "CourseTitle", "message": "Enter the course title"},
                {"element": "", "message": "Another reason"},
            ],
        )
        for n in range(1, rejected + 1)
    )
    return bulk_file


def text(response: Any) -> str:
    """The page as a reader sees the words."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(unescape(body).split())


def count_queries(call: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries.captured_queries)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)
