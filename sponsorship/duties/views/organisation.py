"""A Level 1 user records an organisation change when it happens, to get its deadline and
reminders; sending the change of circumstances request later meets the duty."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from ..fields import long_date
from ..forms_organisation import OrganisationChangeForm
from ..services import organisation_change_record


@requires(Permission.LICENCE_CHANGE_REQUEST)
def organisation_change_new(request: SignedInRequest) -> HttpResponse:
    form = OrganisationChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            duty = organisation_change_record(
                actor=request.user,
                change_type=form.cleaned_data["change_type"],
                change_date=form.cleaned_data["change_date"],
                summary=form.cleaned_data["summary"],
                ip=client_ip(request),
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"Recorded. Report it to the Home Office by {long_date(duty.due_on)}: we will "
                "remind you before then.",
            )
            return redirect("duties:duty", duty.pk)
    return render(request, "duties/organisation_change_form.html", {"form": form})
