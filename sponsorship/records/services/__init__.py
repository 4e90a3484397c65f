"""Every write of record keeping: documents and their versions, "not needed" marks, deleting
expired records, and evidence packs."""

from .deletion import worker_records_delete
from .documents import (
    record_download_record,
    record_mark_needed,
    record_mark_not_needed,
    record_upload,
)
from .packs import evidence_pack_build, evidence_pack_download_record, evidence_pack_request

__all__ = [
    "evidence_pack_build",
    "evidence_pack_download_record",
    "evidence_pack_request",
    "record_download_record",
    "record_mark_needed",
    "record_mark_not_needed",
    "record_upload",
    "worker_records_delete",
]
