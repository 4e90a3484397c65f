"""A certificate printed as the original prints it: the status block, every section of its kind
(a CoS's job and work; a CAS's student, course, study address, English, ATAS and fees), the
sponsor note and the history, on A4, in a Unicode font so every name prints as written."""

import functools
import re
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record

from .display import sections_for
from .fees import pounds
from .models import (
    FINAL_OUTCOMES,
    Certificate,
    CertificateEvent,
    CertificateKind,
    CertificateStatus,
)
from .selectors import certificate_history

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

# Debian's fonts-dejavu-core: covers Latin, Greek, Cyrillic and Vietnamese, so names like
# Łukasz, Жанна or Nguyễn print as written rather than as boxes.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}
FONT_PACKAGE = "fonts-dejavu-core"

DRAFT_LABEL = "DRAFT \N{EN DASH} not assigned"
NOT_GIVEN = "Not given"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LABEL_WIDTH = 62 * mm

GREY = colors.HexColor("#505a5f")
RULE = colors.HexColor("#b1b4b6")
SHADE = colors.HexColor("#f3f2f1")

# Characters a PDF text string cannot carry (control characters other than line breaks).
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FontMissing(RuntimeError):
    """The Unicode font the PDF needs is not installed on this machine."""


@functools.cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) once; raises FontMissing naming the package to
    install when a font file is absent."""
    for name, filename in FONT_FILES.items():
        path = FONT_DIR / filename
        if not path.is_file():
            raise FontMissing(
                f"Certificates cannot be printed: the font {path} is missing. Install Debian's "
                f"{FONT_PACKAGE} package (apt-get install {FONT_PACKAGE})."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, splitLongWords=1)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "label": ParagraphStyle("label", parent=base, fontName=FONT_BOLD),
        "service": ParagraphStyle("service", parent=base, fontSize=10, leading=13, textColor=GREY),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=20, leading=25, spaceAfter=2 * mm
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=6 * mm,
            spaceAfter=2 * mm,
        ),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    }


def plain(text: object) -> str:
    """User text made safe for a Paragraph: markup characters escaped, so nobody can inject
    reportlab markup; line breaks kept; unprintable characters dropped."""
    cleaned = _UNPRINTABLE.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    return escape(cleaned).replace("\n", "<br/>")


def _date_words(value: date | datetime | None) -> str:
    if value is None:
        return NOT_GIVEN
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def _when_words(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y}, {local:%H:%M}"


def _pence_words(pence: int | None, draft: bool) -> str:
    if pence is None:
        return "Charged on assignment" if draft else NOT_GIVEN
    return pounds(pence)


def status_rows(certificate: Certificate) -> list[tuple[str, str]]:
    """The block at the top: what the certificate is and where it stands. A CAS carries no
    charges; an obsolete one names the CAS that replaced it."""
    draft = certificate.is_draft
    sponsor = certificate.sponsor
    cas = certificate.kind == CertificateKind.CAS
    rows = [
        (
            "CAS number" if cas else "Certificate number",
            DRAFT_LABEL if draft else str(certificate.number),
        ),
        ("Status", DRAFT_LABEL if draft else certificate.get_status_display()),
        ("Sponsor", sponsor.name),
        ("Sponsor licence number", sponsor.licence_number),
        ("Route", certificate.get_route_display()),
        ("Assigned on", _date_words(certificate.assigned_at) if not draft else "Not assigned"),
        ("Use by", _date_words(certificate.use_by) if not draft else "Not assigned"),
    ]
    if not cas:
        rows += [
            ("Certificate fee", _pence_words(certificate.fee_pence, draft)),
            ("Immigration Skills Charge", _pence_words(certificate.skills_charge_pence, draft)),
        ]
    elif certificate.status == CertificateStatus.OBSOLETE:
        later = certificate.cas.superseded_by
        if later is not None:
            rows.append(("Superseded by", f"CAS {later.number}"))
    if certificate.used_at is not None:
        rows.append(("Used in an application on", _date_words(certificate.used_at)))
    if certificate.application_outcome:
        outcome = certificate.get_application_outcome_display()
        if certificate.application_outcome in FINAL_OUTCOMES:
            outcome += ": the certificate cannot be used again"
        else:
            outcome += ": the certificate can be relied on again"
        rows.append(("Application outcome", outcome))
    if certificate.closed_reason:
        rows.append(("Reason closed", certificate.closed_reason))
    return rows


def actor_words(event: CertificateEvent) -> str:
    """Who did it, as the sponsor may read it: the Home Office's staff are not named."""
    actor = event.actor
    if actor is None:
        return "Automatic"
    if actor.sponsor_id is None:
        return "Home Office"
    return actor.full_name


def _two_columns(
    rows: list[tuple[str, str]], styles: dict[str, ParagraphStyle], shaded: bool = False
) -> Table:
    data = [
        [Paragraph(plain(label), styles["label"]), Paragraph(plain(value), styles["body"])]
        for label, value in rows
    ]
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ]
    if shaded:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), SHADE))
    return Table(
        data,
        colWidths=[LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH],
        style=TableStyle(commands),
        splitInRow=1,
        hAlign="LEFT",
    )


def _history_table(events: list[CertificateEvent], styles: dict[str, ParagraphStyle]) -> Flowable:
    if not events:
        return Paragraph("No history recorded.", styles["body"])
    small = styles["small"]
    header = [
        Paragraph(plain(word), ParagraphStyle("th", parent=small, fontName=FONT_BOLD))
        for word in ("Date and time", "Event", "Status after", "By")
    ]
    data: list[list[Any]] = [header]
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ]
    for event in events:
        data.append(
            [
                Paragraph(plain(_when_words(event.at)), small),
                Paragraph(plain(event.get_action_display()), small),
                Paragraph(plain(event.get_status_display()), small),
                Paragraph(plain(actor_words(event)), small),
            ]
        )
        if event.text:
            # Details (a reason, a note) run the full width under their event.
            row = len(data)
            data.append([Paragraph(plain(event.text), small), "", "", ""])
            commands.append(("SPAN", (0, row), (-1, row)))
            commands.append(("LEFTPADDING", (0, row), (-1, row), 12))
        commands.append(("LINEBELOW", (0, len(data) - 1), (-1, len(data) - 1), 0.5, RULE))
    return Table(
        data,
        colWidths=[38 * mm, 62 * mm, 28 * mm, CONTENT_WIDTH - 128 * mm],
        style=TableStyle(commands),
        repeatRows=1,
        splitInRow=1,
        hAlign="LEFT",
    )


def certificate_story(certificate: Certificate) -> list[Flowable]:
    """What the PDF shows, top to bottom."""
    styles = _styles()
    story: list[Flowable] = [
        Paragraph(plain(settings.SERVICE_NAME), styles["service"]),
        Paragraph(plain(certificate.get_kind_display()), styles["title"]),
        _two_columns(status_rows(certificate), styles, shaded=True),
    ]
    for view in sections_for(certificate):
        story.append(Paragraph(plain(view.section.title), styles["heading"]))
        story.append(_two_columns([(row.label, row.value) for row in view.rows], styles))
    story.append(Paragraph("Sponsor note", styles["heading"]))
    story.append(Paragraph(plain(certificate.sponsor_note or "No note."), styles["body"]))
    story.append(Paragraph("History", styles["heading"]))
    story.append(_history_table(list(certificate_history(certificate)), styles))
    story.append(Spacer(1, 4 * mm))
    return story


class _NumberedCanvas(Canvas):
    """Holds each page back until the last is laid out, so every footer can say
    "Page N of M"."""

    printed_on = ""
    reference = ""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(GREY)
        self.setStrokeColor(RULE)
        self.line(MARGIN, 14 * mm, PAGE_WIDTH - MARGIN, 14 * mm)
        self.drawString(MARGIN, 10 * mm, f"{self.reference} · printed {self.printed_on}")
        self.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, f"Page {number} of {total}")
        self.restoreState()


def certificate_pdf(certificate: Certificate, *, invariant: bool = False) -> bytes:
    """The certificate as a PDF (A4). `invariant` makes the bytes repeatable (no creation
    time or random document id), for tests. Raises FontMissing without the DejaVu fonts."""
    register_fonts()
    reference = certificate.number or f"Draft {certificate.pk} (not assigned)"

    class Numbered(_NumberedCanvas):
        pass

    Numbered.printed_on = _when_words(timezone.now())
    Numbered.reference = reference
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=22 * mm,
        title=f"{certificate.get_kind_display()} {reference}",
        author=settings.SERVICE_NAME,
        invariant=1 if invariant else 0,
        # Never fall back to Helvetica, which has no glyphs for most of the world's names.
        initialFontName=FONT,
        initialFontSize=9.5,
    )
    document.build(certificate_story(certificate), canvasmaker=Numbered)
    return buffer.getvalue()


def certificate_print(*, actor: "User", certificate: Certificate, ip: str | None) -> bytes:
    """The PDF of a certificate the actor may read, with a CERTIFICATE_PRINTED audit event.
    The PDF is made first, so a failure prints nothing and records nothing."""
    pdf = certificate_pdf(certificate)
    audit_record(
        AuditVerb.CERTIFICATE_PRINTED,
        actor=actor,
        sponsor=certificate.sponsor,
        target=Target.of(certificate),
        payload={"status": certificate.status},
        ip_address=ip,
    )
    return pdf
