"""A report's answers worded for people: the same on the check page and the report's page."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ..fields import long_date
from ..kinds import EVENT_DATE_LABELS, REPORT_FIELDS, ReportField


@dataclass(frozen=True)
class AnswerRow:
    label: str
    value: str
    # The form field the "Change" link of a check page goes back to.
    anchor: str = ""


def _pounds(text: str) -> str:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return text
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def answer_text(spec: ReportField, value: Any) -> str:
    if value is None or value == "":
        return "Not given"
    if spec.kind == "date":
        return long_date(date.fromisoformat(str(value)))
    if spec.kind == "yes_no":
        return "Yes" if value else "No"
    if spec.kind == "money":
        return _pounds(str(value))
    if spec.kind == "choice" and spec.choices is not None and value in spec.choices.values:
        return str(spec.choices(value).label)
    return str(value)


def answer_rows(kind: str, event_date: date | None, details: dict[str, Any]) -> list[AnswerRow]:
    """The event date under its kind's own label, then every question of the kind."""
    rows = [AnswerRow(EVENT_DATE_LABELS[kind], long_date(event_date), "id_event_date_day")]
    for spec in REPORT_FIELDS[kind]:
        anchor = f"id_details_{spec.name}" + ("_day" if spec.kind == "date" else "")
        rows.append(AnswerRow(spec.label, answer_text(spec, details.get(spec.name)), anchor))
    return rows
