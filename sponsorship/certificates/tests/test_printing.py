"""The printed certificate: every block the original prints, names in any alphabet printed as
written, user text printed literally (never read as markup), "Page N of M" on every page."""

import base64
import re
import zlib
from datetime import timedelta

import pytest
from reportlab.pdfbase import pdfmetrics

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates import printing
from sponsorship.certificates.models import ApplicationOutcome, Certificate
from sponsorship.certificates.printing import (
    FONT,
    FONT_BOLD,
    FontMissing,
    certificate_pdf,
    certificate_print,
)
from sponsorship.certificates.sections import COS_SECTIONS
from sponsorship.certificates.services import (
    certificate_mark_used,
    certificate_note_save,
    certificate_record_outcome,
)
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft

NAMES = [
    ("Łukasz", "Kowalczyk"),
    ("Жанна", "Иванова"),
    ("Zoë", "Brontë"),
    ("Văn An", "Nguyễn"),
]


# A PDF reader of our own, independent of reportlab: enough of the format to read back the
# words a PDF viewer would show (page content streams, fonts' ToUnicode maps, Tj strings).
def _objects(pdf: bytes) -> dict[int, bytes]:
    return {
        int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, re.S)
    }


def _stream(body: bytes) -> bytes:
    found = re.search(rb"stream\r?\n(.*?)endstream", body, re.S)
    assert found, body[:200]
    head, data = body[: found.start()], found.group(1)
    if b"ASCII85Decode" in head:
        data = base64.a85decode(data.strip().removesuffix(b"~>"), ignorechars=b" \t\r\n")
    if b"FlateDecode" in head:
        data = zlib.decompress(data)
    return data


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _literal(raw: bytes) -> bytes:
    def unescape(m: re.Match[bytes]) -> bytes:
        token = m.group(1)
        if token[:1].isdigit():
            return bytes([int(token, 8)])
        return _ESCAPES.get(token, token)

    return re.sub(rb"\\([0-7]{1,3}|.)", unescape, raw, flags=re.S)


def _first(pattern: bytes, data: bytes) -> bytes:
    found = re.search(pattern, data, re.S)
    assert found, pattern
    return found.group(1)


def _unicode_maps(objects: dict[int, bytes]) -> dict[bytes, dict[int, str]]:
    """Each font's resource name, with what each of its character codes stands for."""
    maps = {}
    for body in objects.values():
        if b"/Type /Font" in body and b"/ToUnicode" in body:
            cmap = _stream(objects[int(_first(rb"/ToUnicode (\d+) 0 R", body))])
            maps[_first(rb"/Name /(\S+)", body)] = {
                int(code, 16): chr(int(char, 16))
                for code, char in re.findall(rb"<([0-9A-F]{2})> <([0-9A-F]{4,8})>", cmap)
            }
    return maps


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, in order, spaces collapsed."""
    objects = _objects(pdf)
    maps = _unicode_maps(objects)
    tree = next(body for body in objects.values() if b"/Type /Pages" in body)
    pages = []
    for kid in re.findall(rb"(\d+) 0 R", _first(rb"/Kids \[(.*?)\]", tree)):
        content = _stream(objects[int(_first(rb"/Contents (\d+) 0 R", objects[int(kid)]))])
        # Strings shown one after another run on; a new line (T*) or a new text block (ET)
        # is a space.
        words: list[str] = []
        font = b""
        for m in re.finditer(
            rb"/(\S+) [\d.]+ Tf|\(((?:\\.|[^\\()])*)\) Tj|(T\*|\bET\b)", content, re.S
        ):
            if m.group(1):
                font = m.group(1)
            elif m.group(3):
                words.append(" ")
            else:
                words.append("".join(maps[font].get(b, "\ufffd") for b in _literal(m.group(2))))
        pages.append(" ".join("".join(words).split()))
    return pages


def pdf_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


def _fonts(pdf: bytes) -> set[str]:
    return {m.decode() for m in re.findall(rb"/BaseFont /(\S+)", pdf)}


def test_a4_pdf_with_the_status_block(level1):
    certificate = assigned_certificate(
        level1, number="C2G8H88871U", fee_pence=52500, skills_charge_pence=132000
    )
    pdf = certificate_pdf(certificate, invariant=True)
    assert pdf.startswith(b"%PDF-")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf  # A4 in points
    page = pdf_pages(pdf)[0]
    assert page.startswith("Sponsor Management System Certificate of Sponsorship")
    for words in (
        "Certificate number C2G8H88871U",
        "Status Assigned",
        "Sponsor Harbour View Care Ltd",
        f"Sponsor licence number {level1.sponsor.licence_number}",
        "Route Skilled Worker",
        "Assigned on 16 November 2026",
        "Use by 15 February 2027",
        "Certificate fee £525",
        "Immigration Skills Charge £1,320",
    ):
        assert words in page, words


def test_every_section_prints_as_labels_and_values(level1):
    pdf = certificate_pdf(assigned_certificate(level1), invariant=True)
    text = pdf_text(pdf)
    for section in COS_SECTIONS:
        assert section.title in text
    for words in (
        "Family name Kowalczyk",
        "Given names Łukasz Marek",
        "Place of birth Kraków",
        "Date of birth 14 March 1991",
        "Passport or travel document number EP1234567",
        "Job title Software developer",
        "SOC 2020 occupation code 2134",
        "Gross salary £55,000.00",
        "Maintenance certified Yes",
        "Worker sourced through an agent No",
    ):
        assert words in text, words


@pytest.mark.parametrize(("given", "family"), NAMES)
def test_names_in_any_alphabet_print_as_written_in_dejavu(level1, given, family):
    certificate = assigned_certificate(level1, given_names=given, family_name=family)
    pdf = certificate_pdf(certificate, invariant=True)
    text = pdf_text(pdf)
    assert f"Family name {family}" in text
    assert f"Given names {given}" in text
    # Embedded DejaVu, and never a standard font with no glyphs for these letters.
    assert {f.split("+")[-1] for f in _fonts(pdf)} == {FONT, FONT_BOLD}
    assert b"Helvetica" not in pdf
    # Every letter has a real glyph in the font, so none prints as a box.
    face = pdfmetrics.getFont(FONT).face
    assert all(ord(letter) in face.charToGlyph for letter in given + family)


def test_user_text_is_printed_literally_never_as_markup(level1):
    hostile = '<b>x</b>& <font name="Helvetica" size="40">big</font> <img src="/etc/passwd"/>'
    certificate = assigned_certificate(level1, family_name="<b>x</b>&\x07", other_names=hostile)
    certificate.sponsor_note = "<para>broken & <br/> </i> unclosed <u>"
    certificate.save()
    pdf = certificate_pdf(certificate, invariant=True)
    text = pdf_text(pdf)
    assert "Family name <b>x</b>&" in text
    assert hostile in text
    assert "<para>broken & <br/> </i> unclosed <u>" in text
    assert {f.split("+")[-1] for f in _fonts(pdf)} == {FONT, FONT_BOLD}


def test_a_draft_is_marked_as_not_assigned(level1):
    draft = complete_draft(level1)
    text = pdf_text(certificate_pdf(draft, invariant=True))
    assert "Certificate number DRAFT \N{EN DASH} not assigned" in text
    assert "Status DRAFT \N{EN DASH} not assigned" in text
    assert "Certificate fee Charged on assignment" in text
    assert f"Draft {draft.pk} (not assigned)" in text


def test_sponsor_note_and_history_print_in_order(level1, caseworker, frozen):
    certificate = assigned_certificate(level1)
    certificate_note_save(
        actor=level1,
        certificate=certificate,
        version=certificate.version,
        note="Start date agreed with the worker.",
        ip=None,
    )
    frozen.shift(timedelta(days=2))
    certificate_mark_used(actor=caseworker, certificate=certificate, ip=None)
    certificate_record_outcome(
        actor=caseworker, certificate=certificate, outcome=ApplicationOutcome.GRANTED, ip=None
    )
    text = pdf_text(certificate_pdf(Certificate.objects.get(pk=certificate.pk), invariant=True))
    assert "Sponsor note Start date agreed with the worker." in text
    history = text[text.index("History Date and time Event Status after By") :]
    assert history.index("Sponsor note added") < history.index("Used in an application")
    assert "16 November 2026, 10:00 Sponsor note added Assigned Zoë Hartley" in history
    assert "18 November 2026, 10:00 Used in an application Used Home Office" in history
    assert "Application outcome recorded Used Home Office Application granted." in history
    # The Home Office's staff are not named to the sponsor.
    assert "Samira" not in text
    assert "Application outcome Granted: the certificate cannot be used again" in text


def test_long_text_runs_over_pages_numbered_page_n_of_m(level1):
    certificate = assigned_certificate(
        level1,
        other_work_addresses="\n".join(f"{n} Long Street, Leeds LS1 1AA" for n in range(150)),
        job_description="Maintains systems. " * 50,
        agent_address="x" * 5000,  # one unbroken word
    )
    certificate.sponsor_note = "A long note. " * 230
    certificate.save()
    pages = pdf_pages(certificate_pdf(certificate, invariant=True))
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert f"{certificate.number} · printed 16 November 2026, 10:00" in page


def test_missing_font_names_the_package_to_install(level1, monkeypatch, tmp_path):
    monkeypatch.setattr(printing, "FONT_DIR", tmp_path)
    printing.register_fonts.cache_clear()
    try:
        with pytest.raises(FontMissing, match="fonts-dejavu-core"):
            certificate_pdf(assigned_certificate(level1))
    finally:
        printing.register_fonts.cache_clear()


def test_printing_is_audited_after_the_pdf_is_made(level1):
    certificate = assigned_certificate(level1)
    pdf = certificate_print(actor=level1, certificate=certificate, ip="192.0.2.9")
    assert pdf.startswith(b"%PDF-")
    event = AuditEvent.objects.get(verb=AuditVerb.CERTIFICATE_PRINTED)
    assert (event.actor_id, event.sponsor_id) == (level1.pk, certificate.sponsor_id)
    assert (event.target_type, event.target_id) == ("certificates.Certificate", str(certificate.pk))
    assert event.ip_address == "192.0.2.9"


def test_nothing_is_audited_when_the_pdf_cannot_be_made(level1, monkeypatch, tmp_path):
    monkeypatch.setattr(printing, "FONT_DIR", tmp_path)
    printing.register_fonts.cache_clear()
    try:
        with pytest.raises(FontMissing):
            certificate_print(actor=level1, certificate=assigned_certificate(level1), ip=None)
    finally:
        printing.register_fonts.cache_clear()
    assert not AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_PRINTED).exists()
