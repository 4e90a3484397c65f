"""The form that starts the clock on an organisation change."""

from typing import Any

from django import forms

from sponsorship.core.errors import ApplicationError
from sponsorship.licences.forms.dates import DATE_PARTS, BoundDate, DateInputMixin, date_part
from sponsorship.licences.forms.people import add_service_error
from sponsorship.licences.forms.requests import change_type_field

from .services.organisation import MAX_SUMMARY


class OrganisationChangeForm(DateInputMixin, forms.Form):
    WHAT = "the date of the change"

    change_type = change_type_field()
    change_date_day = date_part()
    change_date_month = date_part()
    change_date_year = date_part()
    summary = forms.CharField(
        label="What changed, in a sentence",
        help_text="For your own record and the reminders, like “Our Leeds office moved to "
        "2 Park Row”.",
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say what changed, in a sentence",
            "max_length": f"Say what changed in {MAX_SUMMARY} characters or fewer",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["change_date"] = self.clean_date("change_date", self.WHAT)
        return data

    def add_service_error(self, error: ApplicationError) -> None:
        problems: list[tuple[str | None, str]] = list(error.errors) or [(None, error.message)]
        for field, message in problems:
            if field == "change_date":
                self.date_error("change_date", DATE_PARTS, message)
            else:
                add_service_error(self, field, message)

    @property
    def change_date(self) -> BoundDate:
        return self.bound_date("change_date")
