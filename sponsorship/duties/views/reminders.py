"""How early reminders go out (the sponsor's, Level 1) and how each user gets them."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission, can
from sponsorship.core.types import SignedInRequest

from .. import services
from ..forms import ComplianceSettingsForm, ReminderPreferenceForm
from ..selectors import compliance_settings_for_user, reminder_mode_for_user
from .register import show_refusal


def _days(stored: str) -> str:
    return ", ".join(part.strip() for part in stored.split(",") if part.strip())


@requires(Permission.COMPLIANCE_SETTINGS_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_settings(request: SignedInRequest) -> HttpResponse:
    current = compliance_settings_for_user(user=request.user)
    form = ComplianceSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": current.version,
            "reminder_lead_days": _days(current.reminder_lead_days),
            "expiry_alert_days": _days(current.expiry_alert_days),
            "enrolment_window_days": current.enrolment_window_days,
        },
    )
    students = can(request.user, Permission.STUDENT_REGISTER_VIEW)
    if not students:
        del form.fields["enrolment_window_days"]
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.compliance_settings_save(
                    actor=request.user,
                    reminder_lead_days=data["reminder_lead_days"],
                    expiry_alert_days=data["expiry_alert_days"],
                    version=data["version"],
                    ip=client_ip(request),
                    # Left blank, the period is refused rather than kept: it is a setting.
                    enrolment_window_days=(data["enrolment_window_days"] or "0")
                    if students
                    else None,
                )
            except ApplicationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(request, "Your reminder settings were saved.")
                return redirect("duties:settings")
    return render(
        request,
        "duties/settings.html",
        {"form": form, "current": current},
        status=status,
    )


@requires(Permission.REMINDER_PREFERENCE_CHOOSE)
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_preference(request: SignedInRequest) -> HttpResponse:
    form = ReminderPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"mode": reminder_mode_for_user(user=request.user)},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.reminder_preference_save(
                    actor=request.user, mode=form.cleaned_data["mode"], ip=client_ip(request)
                )
            except ApplicationError as error:
                form.add_error("mode" if error.field == "mode" else None, error.message)
            else:
                messages.success(request, "Your choice of reminder e-mails was saved.")
                return redirect("duties:preference")
    return render(request, "duties/preference.html", {"form": form}, status=status)
