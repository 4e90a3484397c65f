"""Documents to upload in the web tests of requests, and how to read what was saved."""

from io import BytesIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from sponsorship.core.uploads import check_upload
from sponsorship.licences.models import EvidenceFile, LicenceRequest, RequestMessage
from sponsorship.licences.services._common import save_evidence

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
# A Windows program's first bytes ("MZ"): what a renamed .exe starts with.
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 32


def pdf(name: str = "evidence.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def exe_renamed_pdf(name: str = "invoice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EXE, content_type="application/pdf")


def stored_files(root: Path) -> list[Path]:
    """Every file saved under the media root."""
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def evidence_for(
    request: LicenceRequest,
    name: str = "evidence.pdf",
    content: bytes = PDF,
    message: RequestMessage | None = None,
) -> EvidenceFile:
    """A document on `request`, saved as its submitter's upload would be (checked, stored)."""
    checked = check_upload(BytesIO(content), name)
    return save_evidence(request, [checked], by=request.submitted_by, message=message)[0]
