"""The bank holiday calendar that every working-day count uses: the coming year's bank holidays
in each part of the UK, and the Home Office's changes to the published calendar (a newly
announced bank holiday, a cancelled one), added after a check page and removed after a
confirmation."""

import re
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sponsorship.core import services as calendar_services
from sponsorship.core import workingdays
from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.models import BankHolidayOverride
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from ..forms_calendar import BankHolidayChangeForm, RemoveChoiceForm
from .confirm import posted_values

# An id as the database can hold it; anything else is no such change.
OVERRIDE_ID = re.compile(r"[1-9][0-9]{0,17}")


@dataclass(frozen=True)
class NationCalendar:
    code: str
    name: str
    holidays: list[workingdays.BankHoliday]


def _on(day: date) -> str:
    return f"{day:%A %-d %B %Y}"


@requires(Permission.CASEWORK_CALENDAR_MANAGE)
def bank_holidays(request: SignedInRequest) -> HttpResponse:
    start = timezone.localdate()
    end = workingdays.last_of_twelve_months(start)
    nations = [
        NationCalendar(
            code,
            name,
            workingdays.bank_holidays_between(start, end, code, include_cancelled=True),
        )
        for code, name in workingdays.NATION_NAMES.items()
    ]
    page = paginate(request, calendar_services.bank_holiday_override_list())
    return render(
        request,
        "casework/calendar/bank_holidays.html",
        {"start": start, "end": end, "nations": nations, "page": page},
    )


def _said(override: BankHolidayOverride) -> str:
    where = override.get_nation_display()
    if override.adds:
        return f"{_on(override.day)} is now a bank holiday in {where}: working-day counts skip it."
    return f"{_on(override.day)} is now a working day in {where}."


def _refused(
    request: SignedInRequest, form: BankHolidayChangeForm, error: ApplicationError
) -> HttpResponse:
    form.add_service_error(error)
    return render(request, "casework/calendar/add.html", {"form": form}, status=error.http_status)


@requires(Permission.CASEWORK_CALENDAR_MANAGE)
def bank_holiday_add(request: SignedInRequest) -> HttpResponse:
    """The form; an answer the service would accept is shown on a check page; confirming makes
    the change. A refusal goes back on the form, on the field it names."""
    form = BankHolidayChangeForm(request.POST if request.method == "POST" else None)
    # "back" is the check page's "Change your answers": the form again, filled in.
    if request.method != "POST" or not form.is_valid() or "back" in request.POST:
        return render(request, "casework/calendar/add.html", {"form": form})
    data = form.cleaned_data
    answer = {k: data[k] for k in ("day", "nation", "change", "name")}
    try:
        if request.POST.get("confirmed") != "yes":
            calendar_services.bank_holiday_override_check(**answer)
            return render(
                request,
                "casework/calendar/check.html",
                {
                    "title": "Change the bank holidays",
                    "confirm": "Make the change",
                    "answers": form.answers(),
                    "posted": posted_values(form),
                },
            )
        override = calendar_services.bank_holiday_override_add(
            caseworker=request.user, ip=client_ip(request), **answer
        )
    except ApplicationError as error:
        return _refused(request, form, error)
    messages.success(request, _said(override))
    return redirect("casework:bank_holidays")


@requires(Permission.CASEWORK_CALENDAR_MANAGE)
def bank_holiday_remove(request: SignedInRequest) -> HttpResponse:
    """Asked with an override's id (the list's Remove buttons, or the choice here): shows what
    removing it changes; a POST with `confirmed` removes it. Without an id: which one?"""
    raw = request.POST.get("override", request.GET.get("override", ""))
    if not raw:
        form = RemoveChoiceForm(
            request.POST if "override" in request.POST else None,
            overrides=list(calendar_services.bank_holiday_override_list()),
        )
        form.is_valid()
        return render(request, "casework/calendar/choose.html", {"form": form})
    if not OVERRIDE_ID.fullmatch(raw):
        raise NotFound("There is no such change to the bank holidays.")
    override = calendar_services.bank_holiday_override_get(override_id=int(raw))
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        calendar_services.bank_holiday_override_remove(
            caseworker=request.user, override_id=override.pk, ip=client_ip(request)
        )
        where = override.get_nation_display()
        listed = workingdays.package_holiday_name(override.day, override.nation)
        said = (
            f"The change is removed: {_on(override.day)} is a working day in {where} again."
            if override.adds
            else f"The change is removed: {_on(override.day)} is a bank holiday in {where} "
            f"again ({listed})."
        )
        messages.success(request, said)
        return redirect("casework:bank_holidays")
    return render(
        request,
        "casework/calendar/remove.html",
        {
            "override": override,
            "listed": workingdays.package_holiday_name(override.day, override.nation),
        },
    )
