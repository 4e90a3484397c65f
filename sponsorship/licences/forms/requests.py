"""Input shapes for the sponsor's requests (changes of circumstances, answers to the Home
Office, allocations) and for responding to action plans. Field errors only: deadlines, windows
and eligibility are the services' rules."""

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

from ..models import OrganisationChange, Route, SponsorSize
from ..services.allocations import MAX_UNITS_PER_REQUEST
from .dates import DATE_PARTS, BoundDate, DateInputMixin, date_part

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


def _text(label: str, required: str, *, max_length: int | None = None, hint: str = "") -> Any:
    messages = {"required": required}
    if max_length:
        messages["max_length"] = f"{label} must be {max_length} characters or fewer"
    return forms.CharField(
        label=label, max_length=max_length, help_text=hint, error_messages=messages
    )


def _optional_text(label: str, *, max_length: int) -> Any:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
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


def change_type_field() -> forms.ChoiceField:
    """What changed in the organisation: asked when reporting a change and when recording one
    to report later."""
    return forms.ChoiceField(
        label="What has changed?",
        choices=OrganisationChange.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what has changed",
            "invalid_choice": "Choose what has changed",
        },
    )


class ChangeRequestForm(DateInputMixin, EvidenceFormMixin, forms.Form):
    change_type = change_type_field()
    change_date_day = date_part()
    change_date_month = date_part()
    change_date_year = date_part()
    description = _long_text(
        "Describe the change",
        "Describe the change",
        hint=(
            "What changed, who it affects and anything the Home Office should know. There is "
            "no word limit."
        ),
    )
    evidence = EvidenceField(label="Evidence (optional)")
    # A new name, head office address or size: written onto the licence once granted.
    new_name = _optional_text("New name of the organisation", max_length=200)
    new_address_line_1 = _optional_text("New head office: building and street", max_length=200)
    new_town = _optional_text("New head office: town or city", max_length=100)
    new_postcode = _optional_text("New head office: postcode", max_length=10)
    new_size = forms.ChoiceField(
        label="New size of the organisation",
        required=False,
        choices=[("", "Not changed"), *SponsorSize.choices],
        widget=forms.RadioSelect,
    )
    declaration_name = _text("Your full name", "Enter your full name", max_length=200)
    declaration_position = _text(
        "Your position in the organisation",
        "Enter your position in the organisation",
        max_length=200,
    )

    WHAT = "the date of the change"

    def new_details(self) -> dict[str, str]:
        """The `new_<field>` answers, for the service (which checks them against the type)."""
        return {
            name.removeprefix("new_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("new_")
        }

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
