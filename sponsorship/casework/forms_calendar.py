"""Input shapes for the bank holiday calendar pages. The rules (a weekday, a listed holiday, one
change per day) are the service's: this form checks the shape and shows its refusals."""

from typing import Any

from django import forms

from sponsorship.core.errors import ApplicationError
from sponsorship.core.models import BankHolidayNation, BankHolidayOverride, OverrideChange
from sponsorship.core.services import CHANGE_CHOOSE, NAME_MAX, NATION_CHOOSE
from sponsorship.licences.forms.dates import DATE_PARTS, BoundDate, DateInputMixin, date_part

CHANGE_CHOICES = [
    (OverrideChange.ADD.value, "Add a bank holiday: the day is no longer a working day"),
    (OverrideChange.REMOVE.value, "Remove a bank holiday: the day is a working day after all"),
]


class BankHolidayChangeForm(DateInputMixin, forms.Form):
    day_day = date_part()
    day_month = date_part()
    day_year = date_part()
    nation = forms.ChoiceField(
        label="Which part of the UK?",
        help_text="A bank holiday for more than one part needs a change for each.",
        choices=BankHolidayNation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": NATION_CHOOSE, "invalid_choice": NATION_CHOOSE},
    )
    change = forms.ChoiceField(
        label="What is the change?",
        choices=CHANGE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": CHANGE_CHOOSE, "invalid_choice": CHANGE_CHOOSE},
    )
    name = forms.CharField(
        label="Name of the bank holiday",
        help_text="As announced, like Coronation of King Charles III.",
        max_length=NAME_MAX,
        error_messages={
            "required": "Enter the name of the bank holiday",
            "max_length": f"The name must be {NAME_MAX} characters or fewer",
        },
    )

    WHAT = "the date of the change"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["day"] = self.clean_date("day", self.WHAT)
        return data

    def add_service_error(self, error: ApplicationError) -> None:
        for field, message in error.errors or [(error.field or "", error.message)]:
            if field == "day":
                self.date_error("day", DATE_PARTS, message)
            else:
                self.add_error(field if field in self.fields else None, message)

    @property
    def day(self) -> BoundDate:
        return self.bound_date("day")

    def answers(self) -> list[tuple[str, str]]:
        """The answers as the check page shows them."""
        data = self.cleaned_data
        return [
            ("Date", f"{data['day']:%A %-d %B %Y}"),
            (str(self.fields["nation"].label), BankHolidayNation(data["nation"]).label),
            (str(self.fields["change"].label), dict(CHANGE_CHOICES)[data["change"]]),
            (str(self.fields["name"].label), data["name"]),
        ]


class RemoveChoiceForm(forms.Form):
    override = forms.ChoiceField(
        label="Which change do you want to remove?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the change to remove",
            "invalid_choice": "Choose one of the changes listed",
        },
    )

    def __init__(self, *args: Any, overrides: list[BankHolidayOverride], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["override"]
        field.choices = [
            (
                str(o.pk),
                f"{o.day:%A %-d %B %Y}, {o.get_nation_display()}: "
                f"{o.get_change_display().lower()} ({o.name})",
            )
            for o in overrides
        ]
