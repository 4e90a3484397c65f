"""Reading bulk files safely: the size, the encoding and the markup are checked before anything
is parsed (no DOCTYPE, no entities), then the file is parsed as a stream with lxml (entities
never resolved, no network, no DTD, libxml2's limits on huge documents kept), each record
validated against its global element of the schema on its own and cleared once read, so
memory stays flat however large the file."""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO

from django.conf import settings
from lxml import etree  # type: ignore[import-untyped]

from sponsorship.core.uploads import size_in_words

from .elements import APPLICANT, FEE_UPDATE, GRADUATE, STUDENT_ACTIVITY, Element, by_name
from .models import BulkKind

NAMESPACE = "urn:sponsor-management-system:cas-bulk:v1"
SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "cas-bulk-v1.xsd"
# Where the schema is published (bulk:schema), for messages and documents.
SCHEMA_PATH = "/bulk/schema/v1/cas-bulk.xsd"
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
CHUNK = 1024 * 1024
FILE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,63}")


@dataclass(frozen=True)
class FileShape:
    """What a kind of file looks like: its root, the element holding its id, its records."""

    kind: BulkKind
    root: str
    file_id: str
    record: str
    elements: tuple[Element, ...]

    @property
    def record_words(self) -> str:
        article = "an" if self.record[0] in "AEIOU" else "a"
        return f"{article} {self.record}"


SHAPES: dict[str, FileShape] = {
    BulkKind.UPLOAD: FileShape(
        BulkKind.UPLOAD, "BulkUpload", "BulkUploadFileId", "Applicant", APPLICANT
    ),
    BulkKind.UPDATE: FileShape(
        BulkKind.UPDATE, "BulkUpdate", "BulkUpdateFileId", "FeeUpdate", FEE_UPDATE
    ),
    BulkKind.REPORT: FileShape(
        BulkKind.REPORT, "BulkReport", "BulkReportingID", "StudentActivity", STUDENT_ACTIVITY
    ),
    BulkKind.GRADUATE: FileShape(
        BulkKind.GRADUATE, "GraduateNotification", "BulkReportingID", "Graduate", GRADUATE
    ),
}
ROOTS = {shape.root: shape for shape in SHAPES.values()}


def max_bytes() -> int:
    return int(getattr(settings, "BULK_MAX_FILE_BYTES", DEFAULT_MAX_BYTES))


class Refused(Exception):
    """The file as a whole cannot be read: `message` says why, and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Inspected:
    shape: FileShape
    file_id: str
    records: int
    size: int
    sha256: str


# What a file that is not XML looks like, by its first bytes.
_LOOKS_LIKE = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP file (Excel and Word files are ZIP files)"),
    (b"\xd0\xcf\x11\xe0", "an Excel or Word 97-2003 file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
    (b"<\x00", "UTF-16"),
    (b"\x00<", "UTF-16"),
)
_DECLARED = re.compile(rb"""^<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_MARKUP_REFUSED = (b"<!doctype", b"<!entity")
_OVERLAP = max(len(m) for m in _MARKUP_REFUSED)
_ENCODING_HINT = "Save or export it as UTF-8 and send it again."


def _check_start(first: bytes, name: str) -> None:
    """Refuse files that are empty, not XML, or not UTF-8, from their first bytes."""
    for bom, encoding in _WIDE_BOMS:
        if first.startswith(bom):
            raise Refused(
                f"{name} is encoded as {encoding}. Bulk files must be UTF-8. {_ENCODING_HINT}"
            )
    text = first.removeprefix(_UTF8_BOM).lstrip(b" \t\r\n")
    if text and not text.startswith(b"<"):
        what = next((words for magic, words in _LOOKS_LIKE if text.startswith(magic)), "")
        looks = f" it looks like {what}" if what else " it does not start with <?xml or an element"
        raise Refused(
            f"{name} is not an XML file:{looks}. Choose the XML file your student records "
            "system made."
        )
    declared = _DECLARED.match(text)
    if declared and declared.group(1).decode("ascii", "replace").lower() not in ("utf-8", "utf8"):
        encoding = declared.group(1).decode("ascii", "replace")
        raise Refused(
            f'{name} declares encoding="{encoding}". Bulk files must be UTF-8, declared as '
            f'encoding="UTF-8" or not declared. {_ENCODING_HINT}'
        )


def scan(upload: IO[bytes], name: str) -> tuple[int, str]:
    """The file's size and SHA-256, refusing it (before any parsing) when it is too large,
    empty, not XML, not UTF-8, or declares a DOCTYPE or an entity."""
    limit = max_bytes()
    digest = hashlib.sha256()
    size = 0
    tail = b""
    blank = True
    upload.seek(0)
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        if not size:
            _check_start(chunk[:1024], name)
        size += len(chunk)
        if size > limit:
            raise Refused(
                f"{name} is larger than {size_in_words(limit)}. Split the records into smaller "
                "files, each with its own file id."
            )
        blank = blank and not chunk.removeprefix(_UTF8_BOM).strip()
        window = tail + chunk.lower()
        if any(markup in window for markup in _MARKUP_REFUSED):
            raise Refused(
                f"{name} contains a DOCTYPE or ENTITY declaration. Bulk files must not declare "
                "a DOCTYPE or entities: remove the declaration and send the file again."
            )
        tail = window[-_OVERLAP:]
        digest.update(chunk)
    if blank:
        raise Refused(f"{name} is empty. Choose the XML file your student records system made.")
    upload.seek(0)
    return size, digest.hexdigest()


def _parser_events(source: IO[bytes]) -> Iterator[tuple[str, etree._Element]]:
    return etree.iterparse(
        source,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )


def _syntax_refusal(error: etree.XMLSyntaxError, name: str) -> Refused:
    message = str(error.msg or error)
    line = f" (line {error.lineno})" if error.lineno else ""
    if "UTF-8" in message or "encoding" in message.lower():
        return Refused(
            f"{name} is not valid UTF-8{line}: it was probably saved in another encoding. "
            f"{_ENCODING_HINT}"
        )
    if "Document is empty" in message or "Start tag expected" in message:
        return Refused(
            f"{name} is not an XML file: it has no root element. Choose the XML file your "
            "student records system made."
        )
    return Refused(
        f"{name} is not well-formed XML: {message.rstrip('.')}. Check the file with an XML "
        "editor, correct it and send it again."
    )


def _local(element: etree._Element) -> tuple[str | None, str]:
    qname = etree.QName(element)
    return qname.namespace, qname.localname


def _children(source: IO[bytes], name: str) -> Iterator[tuple[FileShape, etree._Element]]:
    """The root's shape, then each child of the root as it ends; each is cleared once the
    caller has moved on, and no earlier sibling is kept."""
    depth = 0
    shape: FileShape | None = None
    try:
        for event, element in _parser_events(source):
            if event == "start":
                depth += 1
                if depth == 1:
                    shape = _root_shape(element, name)
                continue
            depth -= 1
            if depth == 1 and shape is not None:
                yield shape, element
                element.clear()
                parent = element.getparent()
                while element.getprevious() is not None and parent is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        raise _syntax_refusal(error, name) from error
    if shape is None:  # pragma: no cover (the parser raises first)
        raise Refused(f"{name} has no root element.")


def _root_shape(root: etree._Element, name: str) -> FileShape:
    namespace, local = _local(root)
    expected = ", ".join(list(ROOTS)[:-1]) + f" or {list(ROOTS)[-1]}"
    if local in ROOTS and namespace != NAMESPACE:
        raise Refused(
            f"{name}: the root element {local} is not in the bulk schema's namespace. Write it "
            f'as <{local} xmlns="{NAMESPACE}">.'
        )
    if namespace != NAMESPACE or local not in ROOTS:
        raise Refused(
            f"{name} is not a bulk file we take: its root element is {local}, where a bulk "
            f"file's is {expected} (schema: {SCHEMA_PATH})."
        )
    return ROOTS[local]


def inspect(upload: IO[bytes], name: str) -> Inspected:
    """Everything about the file as a whole, read as a stream: refused (Refused) unless it is
    a bulk file of a known kind with a valid file id and at least one record."""
    size, sha256 = scan(upload, name)
    shape: FileShape | None = None
    file_id = ""
    records = 0
    for shape, child in _children(upload, name):
        if not file_id:
            file_id = _file_id(shape, child, name)
        else:
            records += 1
    upload.seek(0)
    assert shape is not None  # noqa: S101 (_children refuses a file without a root)
    if not file_id:
        raise Refused(
            f"{name} has no {shape.file_id}: it must be the first element inside {shape.root}."
        )
    if not records:
        raise Refused(
            f"{name} has no records: add at least one {shape.record} after {shape.file_id}."
        )
    return Inspected(shape=shape, file_id=file_id, records=records, size=size, sha256=sha256)


def _file_id(shape: FileShape, child: etree._Element, name: str) -> str:
    namespace, local = _local(child)
    if local != shape.file_id or namespace != NAMESPACE:
        raise Refused(
            f"{name} has no {shape.file_id}: it must be the first element inside {shape.root} "
            f"(the first is {local})."
        )
    text = (child.text or "").strip()
    if not FILE_ID.fullmatch(text) or len(child):
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise Refused(
            f"{shape.file_id} must be 1 to 64 letters, digits, dots, hyphens or underscores, "
            f"starting with a letter or digit (it is '{shown}')."
        )
    return text


def records(source: IO[bytes], name: str) -> Iterator[tuple[int, FileShape, etree._Element]]:
    """Each record of a file already inspected, with its position (1 for the first after the
    file id). An element is valid only until the next is asked for."""
    position = 0
    first = True
    for shape, child in _children(source, name):
        if first:
            first = False
            continue
        position += 1
        yield position, shape, child


# Validating one record


@cache
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE), parser))


@dataclass(frozen=True)
class Reason:
    """Why a record was rejected; `element` is empty when the reason is about all of it."""

    element: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"element": self.element, "message": self.message}


_ERROR = re.compile(
    r"^Element '(?:\{[^}]*\})?(?P<element>[^']+)'(?:, attribute '(?P<attribute>[^']+)')?: "
    r"(?P<detail>.*)$",
    re.S,
)
_NAMESPACES = re.compile(r"\{[^}]*\}")


def child_text(record: etree._Element, name: str) -> str:
    """The text of the record's first child called `name` (in any namespace), or ""."""
    for child in record:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return child.text or ""
    return ""


def record_reasons(record: etree._Element, shape: FileShape) -> list[Reason]:
    """Every reason the schema refuses this record, one per element, in words a sender can act
    on; none when it is valid."""
    namespace, local = _local(record)
    if namespace != NAMESPACE or local != shape.record:
        return [
            Reason(
                "",
                f"Expected {shape.record_words} record here, found {local}: a {shape.root} "
                f"file holds only {shape.record} records after its {shape.file_id}.",
            )
        ]
    validator = schema()
    if validator.validate(record):
        return []
    elements = by_name(shape.elements)
    reasons: dict[str, Reason] = {}
    for error in validator.error_log:
        found = _ERROR.match(error.message)
        if found is None:  # pragma: no cover (libxml2 names the element in every message)
            reasons.setdefault("", Reason("", _NAMESPACES.sub("", error.message)))
            continue
        element, attribute, detail = found["element"], found["attribute"], found["detail"]
        if attribute:
            reasons.setdefault(
                element,
                Reason(element, f"{element} must have no attributes: remove {attribute}."),
            )
        elif element == shape.record:
            for reason in _record_level(record, shape, detail):
                reasons.setdefault(reason.element, reason)
        elif "not expected" in detail:
            if element in elements:
                message = f"{element} is given more than once: give it once."
            else:
                message = (
                    f"{element} is not an element of {shape.record_words} record: check its "
                    f"spelling and capitals against the schema ({SCHEMA_PATH})."
                )
            reasons.setdefault(element, Reason(element, message))
        elif element in elements:
            reasons.setdefault(
                element, Reason(element, elements[element].problem(child_text(record, element)))
            )
        else:  # pragma: no cover (every element of a record is in its table)
            reasons.setdefault(element, Reason(element, _NAMESPACES.sub("", detail)))
    return list(reasons.values())


def _record_level(record: etree._Element, shape: FileShape, detail: str) -> list[Reason]:
    if "Missing child" in detail:
        present = {etree.QName(c).localname for c in record if isinstance(c.tag, str)}
        return [
            Reason(e.name, f"{e.name} is missing: every {shape.record} needs one.")
            for e in shape.elements
            if e.required and e.name not in present
        ]
    if "Character content" in detail:
        return [
            Reason(
                "",
                f"The {shape.record} record holds text outside its elements: remove it.",
            )
        ]
    return [Reason("", _NAMESPACES.sub("", detail))]  # pragma: no cover
