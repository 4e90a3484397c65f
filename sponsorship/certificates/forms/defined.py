"""Applying for a defined certificate: the job, how many, and why."""

from typing import Any

from django import forms

from sponsorship.core.errors import ApplicationError
from sponsorship.licences.forms.dates import DATE_PARTS, BoundDate, DateInputMixin, date_part

from ..defined import DefinedJob


class DefinedApplicationForm(DateInputMixin, forms.Form):
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    soc_code = forms.CharField(
        label="SOC 2020 occupation code",
        help_text="4 digits, like 2136. Appendix Skilled Occupations lists them.",
        max_length=4,
        required=False,
    )
    salary = forms.CharField(
        label="Gross annual salary in pounds",
        help_text="Like 45000 or 45000.50, with no commas or pound sign.",
        required=False,
    )
    weekly_hours = forms.CharField(
        label="Weekly working hours", help_text="Like 37.5", required=False
    )
    start_date_day = date_part()
    start_date_month = date_part()
    start_date_year = date_part()
    number = forms.IntegerField(
        label="How many workers do you need for this job?",
        min_value=1,
        required=False,
        error_messages={"invalid": "Enter how many certificates you need, like 2"},
    )
    justification = forms.CharField(
        label="Why do you need to recruit from abroad for this job?",
        help_text="The role, how you advertised it, and why you need it filled.",
        widget=forms.Textarea,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get(f"start_date_{p}") for p in DATE_PARTS]
        # The service names a missing start date; only a half-typed one is refused here.
        data["start_date"] = self.clean_date("start_date", "the start date") if any(parts) else None
        return data

    def job(self) -> DefinedJob:
        data = self.cleaned_data
        return DefinedJob(
            job_title=data.get("job_title") or "",
            soc_code=data.get("soc_code") or "",
            salary=data.get("salary") or "",
            weekly_hours=data.get("weekly_hours") or "",
            start_date=data.get("start_date"),
        )

    def add_service_error(self, error: ApplicationError) -> None:
        for field, message in error.errors or [(error.field or "", error.message)]:
            if field == "start_date":
                self.date_error("start_date", DATE_PARTS, message)
            else:
                self.add_error(field if field in self.fields else None, message)

    @property
    def start_date(self) -> BoundDate:
        return self.bound_date("start_date")


class DefinedCertificateForm(forms.Form):
    """A certificate for one worker under a granted application."""

    family_name = forms.CharField(
        label="The worker's family name, as in their passport",
        max_length=100,
        error_messages={"required": "Enter the worker's family name"},
    )
