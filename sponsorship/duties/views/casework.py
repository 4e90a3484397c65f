"""The Home Office's view of activity reports about workers and students (graduate
notifications too): every sponsor's reports, newest first, filtered by sponsor, kind, lateness
or certificate (or CAS) number, and each report with every answer. Read only: a report is final
once the sponsor sends it."""

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sponsorship.certificates.models import normalise_reference
from sponsorship.core.access import requires
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from ..kinds import STUDENT_EVENT_KINDS, WORKER_EVENT_KINDS
from ..selectors import report_get_for_caseworker, report_list_for_caseworker
from .answers import answer_rows

SPONSOR_MAX = 200
NUMBER_MAX = 40


class ReportFilterForm(forms.Form):
    """The filters of the list, read from the query string: shape only."""

    sponsor = forms.CharField(
        label="Sponsor name or licence number",
        help_text="Part of the name is enough; a licence number must be whole.",
        required=False,
        max_length=SPONSOR_MAX,
        error_messages={
            "max_length": f"A sponsor name or licence number is {SPONSOR_MAX} characters or fewer"
        },
    )
    kind = forms.ChoiceField(
        label="What was reported",
        required=False,
        choices=[
            ("", "Every kind"),
            *((kind.value, kind.label) for kind in (*WORKER_EVENT_KINDS, *STUDENT_EVENT_KINDS)),
        ],
        error_messages={"invalid_choice": "Choose what was reported from the list"},
    )
    number = forms.CharField(
        label="Certificate or CAS number",
        help_text="The whole number, like C2G8H88871U or E1A2B3C4D5E6F7.",
        required=False,
        max_length=NUMBER_MAX,
        error_messages={
            "max_length": f"A certificate number is {NUMBER_MAX} characters or fewer",
        },
    )
    late = forms.BooleanField(label="Late reports only", required=False)

    FIELDS = ("sponsor", "kind", "number", "late")

    def clean_number(self) -> str:
        return normalise_reference(self.cleaned_data["number"])

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "sponsor_search": data["sponsor"],
            "kind": data["kind"],
            "late_only": data["late"],
            "number": data["number"],
        }


@requires(Permission.CASEWORK_ACTIVITY_VIEW)
@require_safe
def report_list(request: SignedInRequest) -> HttpResponse:
    """Every sponsor's reports, newest first, page by page, late ones tagged."""
    asked = any(name in request.GET for name in ReportFilterForm.FIELDS)
    form = ReportFilterForm(request.GET if asked else None)
    page = None
    if not form.is_bound:
        page = paginate(request, report_list_for_caseworker())
    elif form.is_valid():
        page = paginate(request, report_list_for_caseworker(**form.filters()))
    return render(
        request,
        "duties/casework/reports.html",
        {"form": form, "page": page, "filtered": form.is_bound and form.is_valid()},
        status=400 if form.errors else 200,
    )


@requires(Permission.CASEWORK_ACTIVITY_VIEW)
@require_safe
def report_page(request: SignedInRequest, report_id: int) -> HttpResponse:
    """One report as the sponsor sent it: every answer, its deadline, whether it was late, and
    the reports it corrects or that correct it."""
    report = report_get_for_caseworker(report_id=report_id)
    return render(
        request,
        "duties/casework/report.html",
        {
            "report": report,
            "rows": answer_rows(report.kind, report.event_date, report.details),
            "corrections": report.corrections.order_by("submitted_at", "pk"),
        },
    )
