"""A Level 1 user keeps the licence's list of employer PAYE references: sees who added each and
when, adds one (the service checks the format and refuses duplicates) and deletes one.
The services write the audit events."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound, NotPermitted
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from .. import selectors, services
from ..forms.people import PayeForm, add_service_error
from ..models import PayeReference


def _paye_of(request: SignedInRequest, paye_id: int) -> PayeReference:
    paye = selectors.paye_list_for_user(user=request.user).filter(pk=paye_id).first()
    if paye is None:
        raise NotFound("There is no such PAYE reference.")
    return paye


@requires(Permission.PAYE_MANAGE)
def paye_list(request: SignedInRequest) -> HttpResponse:
    form = PayeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                paye = services.paye_add(
                    actor=request.user,
                    reference=form.cleaned_data["reference"],
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                if isinstance(error, NotFound | NotPermitted):
                    raise
                add_service_error(form, error.field, error.message)
                status = error.http_status
            else:
                messages.success(request, f"PAYE reference {paye.reference} was added.")
                return redirect("licences:paye")
    page = paginate(request, selectors.paye_list_for_user(user=request.user))
    return render(request, "licences/paye/list.html", {"form": form, "page": page}, status=status)


@requires(Permission.PAYE_MANAGE)
def paye_delete(request: SignedInRequest, paye_id: int) -> HttpResponse:
    paye = _paye_of(request, paye_id)
    if request.method == "POST":
        services.paye_delete(actor=request.user, paye_id=paye.pk, ip=client_ip(request))
        messages.success(request, f"PAYE reference {paye.reference} was deleted.")
        return redirect("licences:paye")
    return render(request, "licences/paye/delete.html", {"paye": paye})
