"""The GOV.UK date input (day, month and year boxes) for any form: each box checked with its
own message, the wrong ones highlighted, the error summary linking to the first."""

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms

DATE_PARTS = ("day", "month", "year")
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}


@dataclass(frozen=True)
class DateBox:
    """One of the three boxes of a date input, as the template draws it."""

    name: str
    id: str
    label: str
    value: str
    width: int
    in_error: bool


@dataclass(frozen=True)
class BoundDate:
    """A date input for the template: its boxes, its error messages, and its id."""

    id: str
    boxes: tuple[DateBox, ...]
    errors: tuple[str, ...]


class DateInputMixin:
    """GOV.UK date input: three boxes (day, month, year) named `<prefix>_day` and so on. Each
    box is checked with its own message and the wrong ones are highlighted; the error sits on
    the first wrong box, so the error summary links to it. `what` is how messages name the
    date ("the date of the change")."""

    cleaned_data: dict[str, Any]
    add_error: Any

    def _date_state(self) -> dict[str, tuple[set[str], list[str]]]:
        if not hasattr(self, "_date_errors"):
            self._date_errors: dict[str, tuple[set[str], list[str]]] = {}
        return self._date_errors

    def date_error(self, prefix: str, parts: tuple[str, ...] | set[str], message: str) -> None:
        """Refuse the date with `message`, highlighting `parts`."""
        wrong = {p for p in DATE_PARTS if p in parts} or set(DATE_PARTS)
        first = next(p for p in DATE_PARTS if p in wrong)
        boxes, messages = self._date_state().setdefault(prefix, (set(), []))
        boxes.update(wrong)
        messages.append(message)
        self.add_error(f"{prefix}_{first}", message)

    def clean_date(self, prefix: str, what: str) -> date | None:
        raw = {p: str(self.cleaned_data.get(f"{prefix}_{p}") or "").strip() for p in DATE_PARTS}
        missing = [p for p in DATE_PARTS if not raw[p]]
        if len(missing) == len(DATE_PARTS):
            self.date_error(prefix, DATE_PARTS, f"Enter {what}")
            return None
        if missing:
            self.date_error(
                prefix, set(missing), f"{what.capitalize()} must include a {' and '.join(missing)}"
            )
            return None
        noun = what.removeprefix("the date ").removeprefix("the ")
        day = _number(raw["day"], 2)
        month = _number(raw["month"], 2) or _MONTHS.get(raw["month"].lower(), 0)
        year = _number(raw["year"], 4) if len(raw["year"]) == 4 else 0
        if not 1 <= day <= 31:
            self.date_error(prefix, {"day"}, f"The day {noun} must be a number from 1 to 31")
        if not 1 <= month <= 12:
            self.date_error(
                prefix, {"month"}, f"The month {noun} must be a number from 1 to 12, or its name"
            )
        if not 1900 <= year <= 9999:
            self.date_error(prefix, {"year"}, f"The year {noun} must be 4 numbers, like 2026")
        if prefix in self._date_state():
            return None
        try:
            return date(year, month, day)
        except ValueError:
            self.date_error(prefix, {"day"}, f"{what.capitalize()} must be a real date")
            return None

    def bound_date(self, prefix: str) -> BoundDate:
        wrong, messages = self._date_state().get(prefix, (set(), []))
        form: Any = self
        boxes = tuple(
            DateBox(
                name=form[f"{prefix}_{part}"].html_name,
                id=form[f"{prefix}_{part}"].auto_id,
                label=part.capitalize(),
                value=str(form[f"{prefix}_{part}"].value() or ""),
                width=4 if part == "year" else 2,
                in_error=part in wrong,
            )
            for part in DATE_PARTS
        )
        return BoundDate(id=boxes[0].id, boxes=boxes, errors=tuple(messages))


def _number(text: str, digits: int) -> int:
    """`text` as a number of at most `digits` ASCII digits, else 0."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= digits else 0


def date_part() -> forms.CharField:
    """One box of a date input: checked, with the other two, by `DateInputMixin.clean_date`."""
    return forms.CharField(required=False, strip=True)
