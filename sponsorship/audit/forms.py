from django import forms

from .models import AuditVerb
from .selectors import AuditFilter


class AuditFilterForm(forms.Form):
    verb = forms.ChoiceField(
        label="Action", required=False, choices=[("", "All actions"), *AuditVerb.choices]
    )
    actor = forms.CharField(label="User ID", required=False, max_length=100)
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the start date as a real date, like 2026-11-01"},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the end date as a real date, like 2026-11-30"},
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

    def to_filter(self) -> AuditFilter | None:
        """The filter asked for; everything when nothing was asked; None when the input is
        invalid, so nothing is listed or exported until it is corrected."""
        if not self.is_bound:
            return AuditFilter()
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return AuditFilter(
            verb=data.get("verb") or "",
            actor=(data.get("actor") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
