"""A Level 1 user keeps the sponsor's pre-stored work addresses: lists them, adds one (it gets
the next identifier, like WA0003), changes one and retires one. Certificates keep their own copy
of the address they were given, so neither a change nor retiring touches them. The services
check every value and write the audit events."""

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, StaleEdit
from sponsorship.core.http import client_ip
from sponsorship.core.middleware import forbidden
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest
from sponsorship.licences.forms.people import add_service_error

from .. import selectors
from ..forms.addresses import WorkAddressChangeForm, WorkAddressForm, WorkAddressRetireForm
from ..models import WorkAddress
from ..services import addresses as services_addresses


def _show_errors(form: WorkAddressForm | WorkAddressRetireForm, error: ApplicationError) -> None:
    """Each field the service names, on its field; anything else (a stale save) above the
    form."""
    if isinstance(error, StaleEdit) or not error.errors:
        add_service_error(form, None, error.message)
        return
    for field, message in error.errors:
        add_service_error(form, field, message)


def _refused_here(error: ApplicationError) -> bool:
    """Field errors and stale saves go back on the form; anything else is its own page."""
    return isinstance(error, StaleEdit) or type(error) is ApplicationError


def _posted(request: SignedInRequest) -> QueryDict | None:
    """The submitted form, even an empty one: a POST is always checked."""
    return request.POST if request.method == "POST" else None


def _retired(address: WorkAddress, action: str) -> str:
    return (
        f"Work address {address.identifier} is retired, so you can no longer {action} it. "
        "Certificates that used it keep their copy of the address."
    )


@requires(Permission.WORK_ADDRESSES_MANAGE)
def work_addresses(request: SignedInRequest) -> HttpResponse:
    page = paginate(request, selectors.work_address_list_for_user(user=request.user))
    return render(request, "certificates/addresses/list.html", {"page": page})


@requires(Permission.WORK_ADDRESSES_MANAGE)
def work_address_add(request: SignedInRequest) -> HttpResponse:
    form = WorkAddressForm(_posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                address = services_addresses.work_address_add(
                    actor=request.user, ip=client_ip(request), **form.values()
                )
            except ApplicationError as error:
                if not _refused_here(error):
                    raise
                _show_errors(form, error)
                status = error.http_status
            else:
                messages.success(request, f"Work address {address.identifier} was added.")
                return redirect("certificates:work_addresses")
    return render(
        request, "certificates/addresses/form.html", {"form": form, "address": None}, status=status
    )


@requires(Permission.WORK_ADDRESSES_MANAGE)
def work_address_change(request: SignedInRequest, address_id: int) -> HttpResponse:
    address = selectors.work_address_get_for_user(user=request.user, address_id=address_id)
    if address.retired_at is not None:
        return forbidden(request, _retired(address, "change"), status=409)
    initial = {field: getattr(address, field) for field in WorkAddressForm.ADDRESS_FIELDS}
    form = WorkAddressChangeForm(_posted(request), initial={**initial, "version": address.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services_addresses.work_address_change(
                    actor=request.user,
                    address=address,
                    version=form.cleaned_data["version"],
                    ip=client_ip(request),
                    **form.values(),
                )
            except ApplicationError as error:
                if not _refused_here(error):
                    raise
                _show_errors(form, error)
                status = error.http_status
            else:
                messages.success(
                    request,
                    f"Work address {address.identifier} was saved. Certificates that already "
                    "have this address keep the address they were given.",
                )
                return redirect("certificates:work_addresses")
    return render(
        request,
        "certificates/addresses/form.html",
        {"form": form, "address": address},
        status=status,
    )


@requires(Permission.WORK_ADDRESSES_MANAGE)
def work_address_retire(request: SignedInRequest, address_id: int) -> HttpResponse:
    address = selectors.work_address_get_for_user(user=request.user, address_id=address_id)
    if address.retired_at is not None:
        return forbidden(request, _retired(address, "retire"), status=409)
    form = WorkAddressRetireForm(_posted(request), initial={"version": address.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services_addresses.work_address_retire(
                    actor=request.user,
                    address=address,
                    version=form.cleaned_data["version"],
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                if not _refused_here(error):
                    raise
                _show_errors(form, error)
                status = error.http_status
            else:
                messages.success(
                    request,
                    f"Work address {address.identifier} was retired. You can no longer choose it "
                    "for new certificates.",
                )
                return redirect("certificates:work_addresses")
    return render(
        request,
        "certificates/addresses/retire.html",
        {"form": form, "address": address},
        status=status,
    )
