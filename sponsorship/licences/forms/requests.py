"""Input shapes for the sponsor's requests (changes of circumstances, answers to the Home
Office, allocations) and for responding to action plans. Field errors only: deadlines, windows
and eligibility are the services' rules."""

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.conf import settings

from sponsorship.core.errors import ApplicationError
from sponsorship.core.uploads import (
    ALLOWED_DESCRIPTION,
    CheckedUpload,
    check_uploads,
    size_in_words,
)

from ..models import OrganisationChange, Route
from ..services.allocations import MAX_UNITS_PER_REQUEST

# ---------------------------------------------------------------- evidence uploads


class MultipleFileInput(forms.FileInput):
    """`<input type="file" multiple>`: the browser sends every chosen file under one name."""

    allow_multiple_selected = True


def evidence_hint() -> str:
    """What we accept, from the settings of the moment (so tests and deployments that change
    the limits see them stated)."""
    return (
        f"You can choose up to {settings.UPLOAD_MAX_FILES} files at once, each no larger than "
        f"{size_in_words(settings.UPLOAD_MAX_BYTES)}. We accept {ALLOWED_DESCRIPTION} files."
    )


class EvidenceField(forms.Field):
    """Any number of documents, none required, each checked by `core.uploads.check_uploads`
    (the file type from its first bytes, its size, not empty). Cleans to a list of
    `CheckedUpload`; a file refused leaves the whole form invalid, so nothing is saved."""

    widget = MultipleFileInput

    def __init__(self, *, label: str):
        super().__init__(label=label, required=False)

    def clean(self, value: Any) -> list[CheckedUpload]:
        files = [f for f in (value if isinstance(value, list | tuple) else [value]) if f]
        if not files:
            return []
        try:
            return check_uploads([(f, f.name) for f in files])
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from error


class EvidenceFormMixin:
    """Forms with an `evidence` field state the accepted types and size in its hint."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = evidence_hint()


# ---------------------------------------------------------------- GOV.UK date input

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


def _date_part() -> forms.CharField:
    return forms.CharField(required=False, strip=True)


def _text(label: str, required: str, *, max_length: int | None = None, hint: str = "") -> Any:
    messages = {"required": required}
    if max_length:
        messages["max_length"] = f"{label} must be {max_length} characters or fewer"
    return forms.CharField(
        label=label, max_length=max_length, help_text=hint, error_messages=messages
    )


def _long_text(label: str, required: str, *, hint: str = "", optional: bool = False) -> Any:
    """A textarea with no length cap: the original's 2,000 characters cut explanations short."""
    return forms.CharField(
        label=label,
        required=not optional,
        help_text=hint,
        error_messages={"required": required},
        widget=forms.Textarea,
    )


def add_service_error(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's error on the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


# ---------------------------------------------------------------- changes of circumstances


class ChangeRequestForm(DateInputMixin, EvidenceFormMixin, forms.Form):
    change_type = forms.ChoiceField(
        label="What has changed?",
        choices=OrganisationChange.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what has changed",
            "invalid_choice": "Choose what has changed",
        },
    )
    change_date_day = _date_part()
    change_date_month = _date_part()
    change_date_year = _date_part()
    description = _long_text(
        "Describe the change",
        "Describe the change",
        hint=(
            "What changed, who it affects and anything the Home Office should know. There is "
            "no word limit."
        ),
    )
    evidence = EvidenceField(label="Evidence (optional)")
    declaration_name = _text("Your full name", "Enter your full name", max_length=200)
    declaration_position = _text(
        "Your position in the organisation",
        "Enter your position in the organisation",
        max_length=200,
    )

    WHAT = "the date of the change"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["change_date"] = self.clean_date("change_date", self.WHAT)
        return data

    def add_service_error(self, error: ApplicationError) -> None:
        if error.field == "change_date":
            self.date_error("change_date", DATE_PARTS, error.message)
        else:
            add_service_error(self, error)

    @property
    def change_date(self) -> BoundDate:
        return self.bound_date("change_date")


# ---------------------------------------------------------------- answering the Home Office


class AnswerForm(EvidenceFormMixin, forms.Form):
    body = _long_text(
        "Your answer",
        "Enter your answer to the caseworker's question",
        hint="Answer every point the caseworker asked about.",
    )
    evidence = EvidenceField(label="Evidence (optional)")


# ---------------------------------------------------------------- allocations


def _number_field(label: str, hint: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=hint,
        min_value=1,
        max_value=MAX_UNITS_PER_REQUEST,
        error_messages={
            "required": "Enter how many certificates you need",
            "invalid": "Enter the number of certificates as a whole number, like 5",
            "min_value": "Enter a number of certificates of 1 or more",
            "max_value": f"Enter a number of certificates no larger than {MAX_UNITS_PER_REQUEST:,}",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class AllocationIncreaseForm(EvidenceFormMixin, forms.Form):
    route = forms.ChoiceField(
        label="Which route do you need more certificates for?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the route",
            "invalid_choice": "Choose one of your licence's routes",
        },
    )
    number = _number_field(
        "How many more certificates do you need?", "On top of this year's allocation."
    )
    justification = _long_text(
        "Why do you need them?",
        "Explain why you need more certificates",
        hint=(
            "The roles you will fill, when you will fill them and why your allocation is not "
            "enough."
        ),
    )
    evidence = EvidenceField(label="Evidence (optional)")

    def __init__(self, *args: Any, routes: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["route"]
        field.choices = [(route, Route(route).label) for route in routes]
        if len(routes) == 1:
            self.initial.setdefault("route", routes[0])


class AllocationRenewalForm(forms.Form):
    number = _number_field(
        "How many certificates do you need next year?",
        "Think about the workers you will sponsor in the whole of next year.",
    )
    justification = _long_text(
        "Anything the Home Office should know (optional)",
        "",
        hint="For example, new contracts or sites that change how many workers you need.",
        optional=True,
    )


# ---------------------------------------------------------------- action plans


class ActionPlanPaymentForm(forms.Form):
    payment_reference = _text(
        "Payment reference",
        "Enter the payment reference from your receipt",
        max_length=40,
        hint="It is on the receipt you got when you paid the action plan fee.",
    )


class ActionPlanDeclineForm(forms.Form):
    reason = _long_text(
        "Why are you declining the action plan?",
        "Tell us why you are declining the action plan",
    )
