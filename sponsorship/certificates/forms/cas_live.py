"""Input shapes for finding CAS and for what a sponsor does with one after assignment (update its
fees, withdraw it, add a note, transfer it). Field errors only: the rules are the services'.
The CoS forms (forms/live.py) are the model; these say "CAS" and "student" where they say
"certificate" and "worker", and the search has a CAS's own keys (student ID, course)."""

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from django import forms

from ..models import CertificateKind
from ..search import CertificateQuery
from ..sections import CAS_SECTIONS
from ..selectors import batch_list_for_user
from .live import CertificateSearchForm, NoteForm, TransferForm, VersionedForm, WithdrawForm

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


class CasSearchForm(CertificateSearchForm):
    """The single box (CAS number, passport number or student ID) and the advanced search,
    which adds the course. A Level 2 user has no owner filter: they only ever see their own
    CAS."""

    q = forms.CharField(
        label="CAS number, passport number or student ID",
        required=False,
        max_length=40,
        help_text="For example, E4K7M2P9Q3R8T6, or your own student ID. Capital letters and "
        "spaces do not matter.",
        error_messages={
            "max_length": "A CAS number, passport number or student ID is 40 characters or fewer"
        },
    )
    course = forms.CharField(
        label="Course",
        required=False,
        max_length=200,
        help_text="Any part of the course title, like marine biology.",
        error_messages={"max_length": "The course must be 200 characters or fewer"},
    )

    def __init__(self, data: Any = None, *, user: "User"):
        super().__init__(data, user=user)
        cast(forms.ChoiceField, self.fields["batch"]).choices = lambda: [
            ("", "Any batch"),
            *(
                (str(b.pk), b.name)
                for b in batch_list_for_user(user=user, kind=CertificateKind.CAS)
            ),
        ]

    def to_query(self) -> CertificateQuery | None:
        query = super().to_query()
        if query is None or not self.is_bound:
            return query
        return replace(query, course=" ".join(self.cleaned_data["course"].split()))


# Pounds and pence as people type them: 18500, 18,500.50 or £18500.
_MONEY = re.compile(r"^£?\s*([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]{1,2})?$")
# The fee fields of the form, in the order of the fees section, with their words.
FEE_WORDS = {
    "course_fees_first_year": "course fees for the first year",
    "course_fees_paid": "course fees paid to date",
    "accommodation_fees_paid": "accommodation fees paid to date",
}
FEE_NEEDS = {need.field: need.message for need in CAS_SECTIONS[-1].needs}


class MoneyField(forms.CharField):
    """An amount in pounds, 0 included: digits with at most 2 decimal places, with or without a
    pound sign and thousands commas. Gives a Decimal, or None when left empty. How much is
    allowed is the service's rule."""

    def __init__(self, *, invalid: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.invalid = invalid

    def clean(self, value: Any) -> Decimal | None:
        text = " ".join(str(super().clean(value) or "").split())
        if not text:
            return None
        if not _MONEY.match(text):
            raise forms.ValidationError(self.invalid)
        try:
            return Decimal(text.lstrip("£").strip().replace(",", ""))
        except InvalidOperation:  # pragma: no cover (the pattern lets only numbers through)
            raise forms.ValidationError(self.invalid) from None


def _money(name: str, label: str, hint: str, required: bool) -> MoneyField:
    invalid = f"Enter the {FEE_WORDS[name]} in pounds, like 18500 or 18500.50 (0 if none)"
    return MoneyField(
        label=label,
        help_text=hint,
        required=required,
        max_length=20,
        invalid=invalid,
        error_messages={
            "required": FEE_NEEDS.get(name, invalid),
            "max_length": invalid,
        },
    )


class CasFeesForm(VersionedForm):
    """The fees of a live CAS: the only fields a sponsor may change after assignment."""

    course_fees_first_year = _money(
        "course_fees_first_year",
        "Course fees for the first year",
        "In pounds, like 18500 or 18500.50. Enter 0 if there are none.",
        required=True,
    )
    course_fees_paid = _money(
        "course_fees_paid",
        "Course fees paid to date",
        "In pounds: what the student has paid towards the first year. Enter 0 if nothing yet.",
        required=True,
    )
    accommodation_included = forms.BooleanField(
        label="The course fees include accommodation", required=False
    )
    accommodation_fees_paid = _money(
        "accommodation_fees_paid",
        "Accommodation fees paid to date (optional)",
        "In pounds. Only when the course fees include accommodation.",
        required=False,
    )

    def values(self) -> dict[str, Any]:
        """The fees as the service takes them."""
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class CasWithdrawForm(WithdrawForm):
    reason = forms.CharField(
        label="Why are you withdrawing this CAS?",
        help_text="This is kept in the CAS's history.",
        required=False,
        widget=forms.Textarea,
    )


class CasNoteForm(NoteForm):
    note = forms.CharField(
        label="Sponsor note",
        help_text="Every version of the note is kept in the CAS's history.",
        required=False,
        widget=forms.Textarea,
    )


class CasTransferForm(TransferForm):
    to_user = forms.ChoiceField(
        label="Who should own this CAS?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who should own this CAS",
            "invalid_choice": "Select an active user of your organisation",
        },
    )
