"""Input shapes of the bulk pages: the file to send, and what a Bulk Export covers. Field
errors only: what a file must be is the services' rule."""

from datetime import date
from typing import Any

from django import forms

from sponsorship.certificates.models import CertificateStatus
from sponsorship.core.uploads import size_in_words
from sponsorship.licences.forms.dates import BoundDate, DateInputMixin, date_part

from .xmlfiles import max_bytes

DATE_HINT = "For example, 27 3 2026"
DATES = {"assigned_from": "the date assigned from", "assigned_to": "the date assigned to"}
EXPORT_STATUSES = [(s.value, s.label) for s in CertificateStatus if s != CertificateStatus.DRAFT]


class BulkFileForm(forms.Form):
    file = forms.FileField(
        label="Upload a bulk file",
        error_messages={
            "required": "Choose the XML file to send",
            "empty": "The file you chose is empty: choose the XML file your student records "
            "system made",
            "invalid": "Choose the XML file to send",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"An XML file in UTF-8, no larger than {size_in_words(max_bytes())}: a Bulk "
            "Upload, Bulk Update, Bulk Report or Graduate notification file."
        )


class ExportForm(DateInputMixin, forms.Form):
    """Which CAS a Bulk Export holds: by status, and by the date they were assigned."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *EXPORT_STATUSES],
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    assigned_from_day = date_part()
    assigned_from_month = date_part()
    assigned_from_year = date_part()
    assigned_to_day = date_part()
    assigned_to_month = date_part()
    assigned_to_year = date_part()

    def __init__(self, data: Any = None):
        super().__init__(data)
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

    @property
    def statuses(self) -> list[str]:
        status = self.cleaned_data.get("status")
        return [status] if status else []

    @property
    def assigned_from(self) -> BoundDate:
        return self.bound_date("assigned_from")

    @property
    def assigned_to(self) -> BoundDate:
        return self.bound_date("assigned_to")
