"""Input shapes for finding certificates and for what a sponsor does with one after assignment
(withdraw, note, transfer). Field errors only: the rules are the services'."""

from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django import forms

from sponsorship.core.countries import nationality_choices
from sponsorship.core.errors import ApplicationError
from sponsorship.licences.forms.dates import BoundDate, DateInputMixin, date_part

from ..models import CertificateStatus
from ..search import CertificateQuery, owner_list_for_user
from ..selectors import batch_list_for_user

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

OUT_OF_DATE = "This form is out of date. Reload the page and try again."
DATE_HINT = "For example, 27 3 2026"
DATES = {
    "date_of_birth": "the date of birth",
    "assigned_from": "the date assigned from",
    "assigned_to": "the date assigned to",
}


class CertificateSearchForm(DateInputMixin, forms.Form):
    """The single box (certificate or passport number) and the advanced search. A Level 2
    user has no owner filter: they only ever see their own certificates."""

    q = forms.CharField(
        label="Certificate number or passport number",
        required=False,
        max_length=30,
        help_text="For example, C2G8H88871U. Capital letters and spaces do not matter.",
        error_messages={"max_length": "A certificate or passport number is 30 characters or fewer"},
    )
    family_name = forms.CharField(
        label="Family name",
        required=False,
        max_length=100,
        help_text="The first few letters are enough.",
        error_messages={"max_length": "Family name must be 100 characters or fewer"},
    )
    given_names = forms.CharField(
        label="Given names",
        required=False,
        max_length=100,
        help_text="The first few letters are enough.",
        error_messages={"max_length": "Given names must be 100 characters or fewer"},
    )
    nationality = forms.ChoiceField(
        label="Nationality",
        required=False,
        choices=lambda: [("", "Any nationality"), *nationality_choices()],
        error_messages={"invalid_choice": "Select a nationality from the list"},
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *CertificateStatus.choices],
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    batch = forms.ChoiceField(
        label="Batch",
        required=False,
        error_messages={"invalid_choice": "Select one of your batches from the list"},
    )
    owner = forms.ChoiceField(
        label="Owner",
        required=False,
        error_messages={"invalid_choice": "Select one of your organisation's users from the list"},
    )
    date_of_birth_day = date_part()
    date_of_birth_month = date_part()
    date_of_birth_year = date_part()
    assigned_from_day = date_part()
    assigned_from_month = date_part()
    assigned_from_year = date_part()
    assigned_to_day = date_part()
    assigned_to_month = date_part()
    assigned_to_year = date_part()

    def __init__(self, data: Any = None, *, user: "User"):
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["batch"]).choices = lambda: [
            ("", "Any batch"),
            *((str(b.pk), b.name) for b in batch_list_for_user(user=user)),
        ]
        if user.is_level_1:
            cast(forms.ChoiceField, self.fields["owner"]).choices = lambda: [
                ("", "Anyone"),
                *(
                    (str(u.pk), f"{u.full_name} ({u.username})")
                    for u in owner_list_for_user(user=user)
                ),
            ]
        else:
            del self.fields["owner"]
        self.dates: dict[str, date | None] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for prefix, what in DATES.items():
            given = any(
                str(data.get(f"{prefix}_{part}") or "").strip() for part in ("day", "month", "year")
            )
            self.dates[prefix] = self.clean_date(prefix, what) if given else None
        start, end = self.dates.get("assigned_from"), self.dates.get("assigned_to")
        if start and end and start > end:
            self.date_error(
                "assigned_to",
                ("day", "month", "year"),
                "The date assigned to must be the same as or after the date assigned from",
            )
        return data

    def to_query(self) -> CertificateQuery | None:
        """The search asked for; everything when nothing was asked; None while the input is
        wrong, so nothing is listed or exported until it is corrected."""
        if not self.is_bound:
            return CertificateQuery()
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return CertificateQuery(
            text=data["q"].strip(),
            family_name=data["family_name"].strip(),
            given_names=data["given_names"].strip(),
            nationality=data["nationality"],
            date_of_birth=self.dates["date_of_birth"],
            status=data["status"],
            assigned_from=self.dates["assigned_from"],
            assigned_to=self.dates["assigned_to"],
            batch_id=int(data["batch"]) if data.get("batch") else None,
            owner_id=int(data["owner"]) if data.get("owner") else None,
        )

    @property
    def advanced_used(self) -> bool:
        """Whether any advanced filter was filled in (the advanced search is then open)."""
        if not self.is_bound:
            return False
        return any(str(self.data.get(name) or "").strip() for name in self.fields if name != "q")

    @property
    def date_of_birth(self) -> BoundDate:
        return self.bound_date("date_of_birth")

    @property
    def assigned_from(self) -> BoundDate:
        return self.bound_date("assigned_from")

    @property
    def assigned_to(self) -> BoundDate:
        return self.bound_date("assigned_to")


class VersionedForm(forms.Form):
    """A form that changes a certificate carries the version it was read at, so a change made
    meanwhile (another tab, another person) is refused rather than overwritten."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("version") is None and "version" not in self.errors:
            raise forms.ValidationError(OUT_OF_DATE)
        return data

    def add_service_error(self, error: ApplicationError) -> None:
        """Put a service's error on the field it names, or above the form."""
        placed = False
        for field, message in error.errors:
            if field in self.fields and field != "version":
                self.add_error(field, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)

    def full_clean(self) -> None:
        super().full_clean()
        # A tampered version is the same problem as a missing one: the form is out of date.
        if self.is_bound and "version" in self.errors:
            del self.errors["version"]
            self.add_error(None, OUT_OF_DATE)


class WithdrawForm(VersionedForm):
    reason = forms.CharField(
        label="Why are you withdrawing this certificate?",
        help_text="This is kept in the certificate's history.",
        required=False,
        widget=forms.Textarea,
    )


class NoteForm(VersionedForm):
    note = forms.CharField(
        label="Sponsor note",
        help_text="Every version of the note is kept in the certificate's history.",
        required=False,
        widget=forms.Textarea,
    )


class TransferForm(VersionedForm):
    to_user = forms.ChoiceField(
        label="Who should own this certificate?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who should own this certificate",
            "invalid_choice": "Select an active user of your organisation",
        },
    )

    def __init__(self, data: Any = None, *, recipients: list[tuple[str, str]], **kwargs: Any):
        super().__init__(data, **kwargs)
        cast(forms.ChoiceField, self.fields["to_user"]).choices = recipients
