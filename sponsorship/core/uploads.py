"""Checking uploaded documents: size, extension and the file's own first bytes, so a renamed
program is not accepted as a PDF."""

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.files.base import File

from .errors import ApplicationError

# Extension -> (content type, the magic numbers the file must start with).
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003
_ZIP = b"PK\x03\x04"  # Word, Excel, OpenDocument
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".doc": ("application/msword", (_OLE,)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (_ZIP,),
    ),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".odt": ("application/vnd.oasis.opendocument.text", (_ZIP,)),
}
ALLOWED_DESCRIPTION = "PDF, JPG, PNG, Word (DOC, DOCX), Excel (XLS, XLSX) or OpenDocument text"


@dataclass(frozen=True)
class CheckedUpload:
    """An accepted upload: its safe stored name, type, size and SHA-256."""

    file: File
    original_name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


def size_in_words(size: int) -> str:
    """10485760 is "10 MB", 1536 is "1.5 KB"."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def check_upload(upload: IO[bytes], name: str, *, field: str = "evidence") -> CheckedUpload:
    """Raises ApplicationError naming the file and what is wrong with it."""
    base = PurePath(name or "").name or "document"
    extension = PurePath(base).suffix.lower()
    # Shorten long names from the middle of the stem, keeping the extension.
    original = base if len(base) <= 200 else base[: 200 - len(extension)] + extension
    if extension not in ALLOWED_TYPES:
        raise ApplicationError(
            f"{original} is not a file type we accept. Upload a {ALLOWED_DESCRIPTION} file.",
            field=field,
        )
    content_type, magics = ALLOWED_TYPES[extension]
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for chunk in iter(lambda: upload.read(65536), b""):
        size += len(chunk)
        if size > settings.UPLOAD_MAX_BYTES:
            raise ApplicationError(
                f"{original} is larger than {size_in_words(settings.UPLOAD_MAX_BYTES)}. "
                "Make it smaller (for example, scan at a lower resolution) or split it.",
                field=field,
            )
        digest.update(chunk)
    if size == 0:
        raise ApplicationError(f"{original} is empty.", field=field)
    if not any(head.startswith(magic) for magic in magics):
        raise ApplicationError(
            f"{original} does not look like a {extension[1:].upper()} file. "
            "Check it opens, then upload it again.",
            field=field,
        )
    upload.seek(0)
    return CheckedUpload(
        file=File(upload),
        original_name=original,
        stored_name=f"{uuid.uuid4().hex}{extension}",  # never the user's name on disk
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )


def check_uploads(
    files: list[tuple[IO[bytes], str]], *, field: str = "evidence"
) -> list[CheckedUpload]:
    if len(files) > settings.UPLOAD_MAX_FILES:
        raise ApplicationError(
            f"Upload at most {settings.UPLOAD_MAX_FILES} files at a time.", field=field
        )
    return [check_upload(f, name, field=field) for f, name in files]
