"""Uploaded documents are checked by size, extension and their own first bytes."""

import hashlib
import re
from io import BytesIO

import pytest

from sponsorship.core.errors import ApplicationError
from sponsorship.core.uploads import ALLOWED_TYPES, check_upload, check_uploads

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32
ZIP = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 32
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z]+$")

ACCEPTED = [
    ("letter.pdf", PDF, "application/pdf"),
    ("photo.png", PNG, "image/png"),
    ("scan.jpg", JPEG, "image/jpeg"),
    ("scan.jpeg", JPEG, "image/jpeg"),
    ("minutes.doc", OLE, "application/msword"),
    (
        "minutes.docx",
        ZIP,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("accounts.xls", OLE, "application/vnd.ms-excel"),
    ("accounts.xlsx", ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("minutes.odt", ZIP, "application/vnd.oasis.opendocument.text"),
]


def test_every_accepted_type_is_tested():
    assert {name[name.rindex(".") :] for name, _, _ in ACCEPTED} == set(ALLOWED_TYPES)


@pytest.mark.parametrize(("name", "content", "content_type"), ACCEPTED)
def test_each_accepted_type_by_its_first_bytes(name, content, content_type):
    checked = check_upload(BytesIO(content), name)
    assert checked.original_name == name
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert STORED_NAME.match(checked.stored_name)
    assert checked.stored_name.endswith(name[name.rindex(".") :])
    assert checked.file.read() == content  # handed back ready to read from the start


def test_the_extension_is_case_insensitive():
    checked = check_upload(BytesIO(PDF), "LETTER.PDF")
    assert checked.content_type == "application/pdf"
    assert checked.stored_name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("letter.pdf", EXE),  # a program renamed
        ("letter.pdf", PNG),  # a picture renamed
        ("photo.png", JPEG),
        ("scan.jpg", PDF),
        ("minutes.docx", OLE),  # an old Word file with a new extension
        ("minutes.doc", ZIP),
        ("accounts.xlsx", b"id,name\n1,Ana\n"),  # a CSV renamed
        ("letter.pdf", b"PDF-1.7 but not at the start"),
    ],
)
def test_a_renamed_file_is_refused(name, content):
    with pytest.raises(ApplicationError) as refused:
        check_upload(BytesIO(content), name)
    assert refused.value.field == "evidence"
    assert name in refused.value.message
    assert "does not look like" in refused.value.message


@pytest.mark.parametrize("name", ["run.exe", "page.html", "notes.txt", "archive.zip", "noext", ""])
def test_an_unknown_extension_is_refused(name):
    with pytest.raises(ApplicationError, match="is not a file type we accept") as refused:
        check_upload(BytesIO(PDF), name)
    assert refused.value.field == "evidence"


def test_an_empty_file_is_refused():
    with pytest.raises(ApplicationError, match=re.escape("letter.pdf is empty")):
        check_upload(BytesIO(b""), "letter.pdf")


def test_the_field_is_named_in_the_error():
    with pytest.raises(ApplicationError) as refused:
        check_upload(BytesIO(b""), "letter.pdf", field="answer_files")
    assert refused.value.field == "answer_files"


def test_a_file_up_to_the_limit_is_accepted_and_one_byte_more_refused(settings):
    settings.UPLOAD_MAX_BYTES = 200_000  # crosses the 65,536-byte read chunks
    content = PDF + b"\x00" * (200_000 - len(PDF))
    assert check_upload(BytesIO(content), "big.pdf").size == 200_000
    with pytest.raises(ApplicationError, match=re.escape("big.pdf is larger than")):
        check_upload(BytesIO(content + b"\x00"), "big.pdf")


def test_the_default_limit_is_ten_megabytes(settings):
    assert settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    with pytest.raises(ApplicationError, match="larger than 10 MB"):
        check_upload(BytesIO(PDF + b"\x00" * (10 * 1024 * 1024)), "big.pdf")


def test_too_many_files_are_refused(settings):
    settings.UPLOAD_MAX_FILES = 3
    files = [(BytesIO(PDF), f"letter{n}.pdf") for n in range(4)]
    with pytest.raises(ApplicationError, match="at most 3 files") as refused:
        check_uploads(files)
    assert refused.value.field == "evidence"
    assert len(check_uploads(files[:3])) == 3


def test_one_bad_file_refuses_the_lot():
    with pytest.raises(ApplicationError, match=re.escape("run.exe")):
        check_uploads([(BytesIO(PDF), "letter.pdf"), (BytesIO(EXE), "run.exe")])


def test_no_files_is_an_empty_list():
    assert check_uploads([]) == []


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("/etc/passwd.pdf", "passwd.pdf"),
        ("uploads/../../settings.pdf", "settings.pdf"),
        ("Zoë's right to work check.pdf", "Zoë's right to work check.pdf"),
    ],
)
def test_the_stored_name_never_contains_the_users_name(name, safe):
    checked = check_upload(BytesIO(PDF), name)
    assert checked.original_name == safe
    assert "/" not in checked.original_name
    assert STORED_NAME.match(checked.stored_name)
    assert safe.rsplit(".", 1)[0] not in checked.stored_name


def test_every_upload_gets_its_own_stored_name():
    names = {check_upload(BytesIO(PDF), "letter.pdf").stored_name for _ in range(20)}
    assert len(names) == 20


def test_a_long_name_within_the_limit_is_kept_whole():
    checked = check_upload(BytesIO(PDF), "a" * 190 + ".pdf")
    assert checked.original_name == "a" * 190 + ".pdf"


def test_a_very_long_name_keeps_its_extension():
    checked = check_upload(BytesIO(PDF), "a" * 240 + ".pdf")
    assert len(checked.original_name) <= 200
    assert checked.original_name.endswith(".pdf")
    assert checked.content_type == "application/pdf"


def test_the_hash_covers_the_whole_file_not_the_first_chunk():
    content = PDF + bytes(range(256)) * 1000  # longer than one 65,536-byte chunk
    upload = BytesIO(content)
    upload.read(10)  # a caller that has already read some of it
    checked = check_upload(upload, "long.pdf")
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
