"""Input shapes for the licence's users, its key personnel and its PAYE references. Field
errors only: the rules (unique e-mail, settled workers, deadlines) are the services'."""

import re
from typing import Any

from django import forms

from ..models import POSTCODE
from ..services import KeyPersonDetails, UserDetails
from .dates import DATE_PARTS, BoundDate, DateInputMixin, date_part

# The shape of a UK postcode, checked once spaces are removed: SW1A1AA, M11AE, BT71NN.
# Digits, spaces and the usual punctuation of a telephone number, at least 10 digits in all.
PHONE = re.compile(r"^\+?[0-9 ()\-]+$")

POSTCODE_HINT = "For example, SW1A 2AA."
POSTCODE_INVALID = "Enter a real UK postcode, like SW1A 2AA"
PHONE_INVALID = "Enter a telephone number, like 020 7946 0000 or +44 7700 900 982"
EMAIL_INVALID = "Enter an e-mail address in the correct format, like name@example.org"


def clean_postcode(value: str) -> str:
    """`sw1a2aa` becomes `SW1A 2AA`; an empty value stays empty (the field says if it is
    required)."""
    compact = "".join(value.split()).upper()
    if not compact:
        return ""
    if not POSTCODE.match(compact):
        raise forms.ValidationError(POSTCODE_INVALID)
    return f"{compact[:-3]} {compact[-3:]}"


def clean_phone(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        return ""
    if not PHONE.match(value) or sum(c.isdigit() for c in value) < 10:
        raise forms.ValidationError(PHONE_INVALID)
    return value


def add_service_error(form: forms.Form, field: str | None, message: str) -> None:
    """Put a service's error on the field it names, or above the form when the form has no
    such field."""
    form.add_error(field if field in form.fields else None, message)


def _text(label: str, required: str, *, max_length: int, hint: str = "", **attrs: str) -> Any:
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=hint,
        error_messages={
            "required": required,
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        widget=forms.TextInput(attrs=attrs),
    )


class UserDetailsForm(forms.Form):
    """A user's details: for a new Level 1 or Level 2 user, or amending one. `new_user` makes
    the job title, telephone and work address required; `level_1` asks about settled status."""

    given_names = _text(
        "Given names", "Enter the user's given names", max_length=100, autocomplete="off"
    )
    family_name = _text(
        "Family name", "Enter the user's family name", max_length=100, autocomplete="off"
    )
    email = forms.EmailField(
        label="Personal work e-mail address",
        max_length=254,
        help_text=(
            "Their own work address, not a shared mailbox: we send their password and "
            "passcodes to it."
        ),
        error_messages={
            "required": "Enter the user's work e-mail address",
            "invalid": EMAIL_INVALID,
            "max_length": "The e-mail address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    job_title = _text("Job title", "Enter the user's job title", max_length=100)
    phone = _text(
        "Work telephone number",
        "Enter the user's work telephone number",
        max_length=30,
        hint="For example, 020 7946 0000.",
        type="tel",
    )
    work_address_line_1 = _text(
        "Work address: building and street",
        "Enter the building and street of the user's work address",
        max_length=200,
        hint="Where they work, never their home address.",
    )
    work_town = _text(
        "Work address: town or city",
        "Enter the town or city of the user's work address",
        max_length=100,
    )
    work_postcode = _text(
        "Work address: postcode",
        "Enter the postcode of the user's work address",
        max_length=10,
        hint=POSTCODE_HINT,
    )
    is_settled_worker = forms.BooleanField(
        label="This user is a settled worker",
        required=False,
        help_text=(
            "A British or Irish citizen, or someone with settled status in the UK. At least one "
            "Level 1 user must be a settled worker."
        ),
    )

    NEW_USER_REQUIRED = ("job_title", "phone", "work_address_line_1", "work_town", "work_postcode")

    def __init__(self, *args: Any, new_user: bool, level_1: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in self.NEW_USER_REQUIRED:
            self.fields[name].required = new_user
            if not new_user:
                self.fields[name].label = f"{self.fields[name].label} (optional)"
        if not level_1:
            del self.fields["is_settled_worker"]

    def clean_work_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["work_postcode"])

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def details(self, *, settled_default: bool = False) -> UserDetails:
        data = self.cleaned_data
        return UserDetails(
            given_names=data["given_names"],
            family_name=data["family_name"],
            email=data["email"],
            job_title=data["job_title"],
            phone=data["phone"],
            work_address_line_1=data["work_address_line_1"],
            work_town=data["work_town"],
            work_postcode=data["work_postcode"],
            is_settled_worker=data.get("is_settled_worker", settled_default),
        )


class UserAmendForm(UserDetailsForm):
    """Amending a user: the version of the record the form was filled from goes with it, so a
    save over someone else's change is refused rather than lost."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "Reload the page and try again",
            "invalid": "Reload the page and try again",
            "min_value": "Reload the page and try again",
        },
    )

    def __init__(self, *args: Any, level_1: bool, **kwargs: Any):
        super().__init__(*args, new_user=False, level_1=level_1, **kwargs)


class KeyPersonChoiceForm(forms.Form):
    """First question when changing a key person: a new person, or the same person's details."""

    REPLACE = "replace"
    AMEND = "amend"

    action = forms.ChoiceField(
        label="What do you want to do?",
        choices=[
            (REPLACE, "Replace them with a new person"),
            (AMEND, "Amend this person's details"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to replace this person or amend their details",
            "invalid_choice": "Choose whether to replace this person or amend their details",
        },
    )


class KeyPersonForm(DateInputMixin, KeyPersonChoiceForm):
    change_date_day = date_part()
    change_date_month = date_part()
    change_date_year = date_part()
    given_names = _text("Given names", "Enter the person's given names", max_length=100)
    family_name = _text("Family name", "Enter the person's family name", max_length=100)
    job_title = _text("Job title", "Enter the person's job title", max_length=100)
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={
            "required": "Enter the person's e-mail address",
            "invalid": EMAIL_INVALID,
            "max_length": "The e-mail address must be 254 characters or fewer",
        },
    )
    phone = forms.CharField(
        label="Telephone number (optional)",
        max_length=30,
        required=False,
        help_text="For example, 020 7946 0000.",
        error_messages={"max_length": "Telephone number must be 30 characters or fewer"},
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    address_line_1 = _text(
        "Address: building and street",
        "Enter the building and street of the person's address",
        max_length=200,
    )
    town = _text("Address: town or city", "Enter the town or city", max_length=100)
    postcode = _text("Address: postcode", "Enter the postcode", max_length=10, hint=POSTCODE_HINT)
    is_legal_representative = forms.BooleanField(
        label="This person is a legal representative",
        required=False,
        help_text=(
            "For example, a solicitor acting for your organisation. A Key Contact may be a legal "
            "representative; the Authorising Officer may not."
        ),
    )

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["postcode"])

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["change_date"] = self.clean_date("change_date", "the date of the change")
        return data

    def add_service_error(self, field: str | None, message: str) -> None:
        if field == "change_date":
            self.date_error("change_date", DATE_PARTS, message)
        else:
            add_service_error(self, field, message)

    @property
    def change_date(self) -> BoundDate:
        return self.bound_date("change_date")

    @property
    def replace(self) -> bool:
        return self.cleaned_data["action"] == self.REPLACE

    def details(self) -> KeyPersonDetails:
        data = self.cleaned_data
        return KeyPersonDetails(
            given_names=data["given_names"],
            family_name=data["family_name"],
            job_title=data["job_title"],
            email=data["email"],
            phone=data["phone"],
            address_line_1=data["address_line_1"],
            town=data["town"],
            postcode=data["postcode"],
            is_legal_representative=data["is_legal_representative"],
        )


class PayeForm(forms.Form):
    reference = forms.CharField(
        label="PAYE reference",
        max_length=30,
        help_text="Your employer PAYE reference from HMRC, for example 123/AB45678.",
        error_messages={
            "required": "Enter a PAYE reference, like 123/AB45678",
            "max_length": "Enter a PAYE reference in the format 123/AB45678",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
