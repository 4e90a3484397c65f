"""Checking the answers to a report's or an event's questions (kinds.ReportField), the same way
for a web form and for the API, with every problem named by its field."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from sponsorship.core.errors import ApplicationError

from .kinds import ReportField

MAX_MONEY = Decimal("10000000")


# Every date a duty is counted from: the reporting rules start in April 2015 (core.rules), and
# nothing here is planned beyond the century.
EARLIEST_DATE = date(2015, 4, 6)
LATEST_DATE = date(2099, 12, 31)


def long_date(day: date | None) -> str:
    """A date as people read it: "2 November 2026"."""
    return f"{day.day} {day:%B %Y}" if day else ""


def parse_date(value: Any, label: str) -> date:
    """A date given as a date or as YYYY-MM-DD, from 6 April 2015 to the end of 2099."""
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ApplicationError(
                f"{label} must be a real date, like 2026-11-27 (year, month, day)"
            ) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ApplicationError(
            f"{label} must be between {EARLIEST_DATE.day} {EARLIEST_DATE:%B %Y} and "
            f"{LATEST_DATE.day} {LATEST_DATE:%B %Y}"
        )
    return day


def _yes_no(value: Any, label: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"yes", "true"}:
        return True
    if text in {"no", "false"}:
        return False
    raise ApplicationError(f"Answer yes or no: {label.lower()}")


def _money(value: Any, label: str) -> str:
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        amount = Decimal("NaN")
    exponent = amount.as_tuple().exponent
    if not (
        amount.is_finite()
        and 0 < amount <= MAX_MONEY
        and isinstance(exponent, int)
        and exponent >= -2
    ):
        raise ApplicationError(
            f"{label}: enter an amount in pounds, like 38500 or 38500.50, with no commas or "
            "pound sign"
        )
    # Kept as text in JSON, so no pence are lost to floating point.
    return str(amount)


def _one(field: ReportField, value: Any) -> Any:
    if field.kind == "date":
        return parse_date(value, field.label).isoformat()
    if field.kind == "yes_no":
        return _yes_no(value, field.label)
    if field.kind == "money":
        return _money(value, field.label)
    text = " ".join(str(value).split()) if field.kind != "long_text" else str(value).strip()
    if field.kind == "choice":
        if field.choices is None:
            raise ValueError(f"{field.name} is a choice with no choices")
        if text not in field.choices.values:
            options = ", ".join(f"{v} ({label})" for v, label in field.choices.choices)
            raise ApplicationError(f"{field.label}: choose one of {options}")
        return text
    if field.max_length and len(text) > field.max_length:
        raise ApplicationError(f"{field.label} must be {field.max_length:,} characters or fewer")
    if field.kind == "email":
        try:
            validate_email(text)
        except ValidationError:
            raise ApplicationError(
                f"{field.label}: enter an e-mail address like name@example.com"
            ) from None
    return text


def clean_answers(
    fields: tuple[ReportField, ...], given: dict[str, Any], *, prefix: str = "details."
) -> dict[str, Any]:
    """The answers checked, blanks left out. Raises ApplicationError listing every problem, each
    named `<prefix><field>`."""
    known = {field.name for field in fields}
    errors: list[tuple[str, str]] = [
        (f"{prefix}{name}", f"{name} is not a question of this form: leave it out")
        for name in sorted(set(given) - known)
    ]
    cleaned: dict[str, Any] = {}
    for field in fields:
        value = given.get(field.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field.required:
                errors.append((f"{prefix}{field.name}", f"Enter {_lower_first(field.label)}"))
            continue
        try:
            cleaned[field.name] = _one(field, value)
        except ApplicationError as error:
            errors.append((f"{prefix}{field.name}", error.message))
    if errors:
        raise ApplicationError(errors[0][1], field=errors[0][0], errors=errors)
    return cleaned


def _lower_first(label: str) -> str:
    """A question is asked back ("an answer to “Why did sponsorship stop?”"); a statement reads
    on ("Enter the new work address")."""
    if label.endswith("?"):
        return f"an answer to “{label}”"
    return label[0].lower() + label[1:]
