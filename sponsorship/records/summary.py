"""The evidence pack's PDF summary: the register, the duties and how each was met, late
reports, missing documents, the documents included and the audit trail's verification. Drawn in
DejaVu Sans, as certificates are, so every name prints as written."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sponsorship.certificates.printing import FONT, FONT_BOLD, plain, register_fonts

PAGE = landscape(A4)
MARGIN = 14 * mm
WIDTH = PAGE[0] - 2 * MARGIN
RULE = colors.HexColor("#b1b4b6")
SHADE = colors.HexColor("#f3f2f1")
RED = colors.HexColor("#d4351c")
GREEN = colors.HexColor("#00703c")


@dataclass(frozen=True)
class Section:
    """A titled table: `widths` are fractions of the page's width; `empty` is said instead of
    an empty table."""

    title: str
    header: tuple[str, ...]
    widths: tuple[float, ...]
    rows: Sequence[tuple[str, ...]]
    empty: str
    intro: str = ""


@dataclass
class Summary:
    title: str
    facts: list[tuple[str, str]]
    verified: bool
    verification: str
    sections: list[Section] = field(default_factory=list)


def date_words(value: date | datetime | None, missing: str = "Not recorded") -> str:
    if value is None:
        return missing
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def when_words(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5, splitLongWords=1)
    return {
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5),
        "th": ParagraphStyle("th", parent=base, fontName=FONT_BOLD, fontSize=7.5, leading=9.5),
        "label": ParagraphStyle("label", parent=base, fontName=FONT_BOLD),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=18, leading=23, spaceAfter=3 * mm
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12,
            leading=16,
            spaceBefore=6 * mm,
            spaceAfter=2 * mm,
        ),
    }


def _table(rows: list[list[Any]], widths: list[float], header: bool) -> Table:
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    return Table(
        rows,
        colWidths=widths,
        style=TableStyle(commands),
        repeatRows=1 if header else 0,
        splitInRow=1,
        hAlign="LEFT",
    )


def _section(section: Section, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    parts: list[Flowable] = [Paragraph(plain(section.title), styles["heading"])]
    if section.intro:
        parts.append(Paragraph(plain(section.intro), styles["body"]))
        parts.append(Spacer(1, 2 * mm))
    if not section.rows:
        parts.append(Paragraph(plain(section.empty), styles["body"]))
        return parts
    rows = [[Paragraph(plain(word), styles["th"]) for word in section.header]]
    rows += [[Paragraph(plain(cell), styles["cell"]) for cell in row] for row in section.rows]
    parts.append(_table(rows, [WIDTH * w for w in section.widths], header=True))
    return parts


def summary_pdf(summary: Summary) -> bytes:
    """The summary as PDF bytes. Raises certificates.printing.FontMissing without the font."""
    register_fonts()
    styles = _styles()
    story: list[Flowable] = [Paragraph(plain(summary.title), styles["title"])]
    facts = [
        [Paragraph(plain(label), styles["label"]), Paragraph(plain(value), styles["body"])]
        for label, value in summary.facts
    ]
    story.append(_table(facts, [WIDTH * 0.25, WIDTH * 0.75], header=False))
    colour = GREEN if summary.verified else RED
    story.append(Paragraph("Audit trail verification", styles["heading"]))
    story.append(
        Paragraph(
            plain(summary.verification),
            ParagraphStyle("verdict", parent=styles["label"], textColor=colour),
        )
    )
    for section in summary.sections:
        story.extend(_section(section, styles))
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=summary.title,
        author="Sponsor Management System",
    )
    document.build(story)
    return buffer.getvalue()
