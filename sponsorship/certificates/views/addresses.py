"""A Level 1 user keeps the sponsor's pre-stored addresses: work addresses for certificates of
sponsorship and study addresses for CAS. Lists them, adds one (it gets the next identifier, like
WA0003 or SA0003), changes one and retires one. Certificates and CAS keep their own copy of the
address they were given, so neither a change nor retiring touches them. The services check
every value and write the audit events."""

from dataclasses import dataclass

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
from ..models import AddressPurpose, WorkAddress
from ..services import addresses as services_addresses


@dataclass(frozen=True)
class AddressPages:
    """The words and URL names of the pages of one purpose of address."""

    purpose: str
    noun: str  # "work address"
    holders: str  # what keeps a copy: "Certificates"
    holders_lower: str  # "certificates"
    prefix: str  # "WA"
    list_url: str
    add_url: str
    change_url: str
    retire_url: str
    intro: str

    @property
    def title(self) -> str:
        return self.noun.capitalize()

    @property
    def plural(self) -> str:
        return f"{self.title}es"


PAGES: dict[str, AddressPages] = {
    AddressPurpose.WORK: AddressPages(
        purpose=AddressPurpose.WORK,
        noun="work address",
        holders="Certificates",
        holders_lower="certificates",
        prefix="WA",
        list_url="certificates:work_addresses",
        add_url="certificates:work_address_add",
        change_url="certificates:work_address_change",
        retire_url="certificates:work_address_retire",
        intro="Addresses where your sponsored workers work. When you fill in a certificate of "
        "sponsorship you can choose one of those in use as the main work address, instead of "
        "typing it.",
    ),
    AddressPurpose.STUDY: AddressPages(
        purpose=AddressPurpose.STUDY,
        noun="study address",
        holders="CAS",
        holders_lower="CAS",
        prefix="SA",
        list_url="certificates:study_addresses",
        add_url="certificates:study_address_add",
        change_url="certificates:study_address_change",
        retire_url="certificates:study_address_retire",
        intro="Addresses where your sponsored students study: your campuses and sites. When "
        "you fill in a CAS you can choose one of those in use as the main study address, "
        "instead of typing it.",
    ),
}


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


def _retired(address: WorkAddress, action: str, pages: AddressPages) -> str:
    return (
        f"{pages.title} {address.identifier} is retired, so you can no longer {action} it. "
        f"{pages.holders} that used it keep their copy of the address."
    )


def _address(request: SignedInRequest, address_id: int, pages: AddressPages) -> WorkAddress:
    return selectors.work_address_get_for_user(
        user=request.user, address_id=address_id, purpose=pages.purpose
    )


def _list(request: SignedInRequest, pages: AddressPages) -> HttpResponse:
    page = paginate(
        request, selectors.work_address_list_for_user(user=request.user, purpose=pages.purpose)
    )
    return render(request, "certificates/addresses/list.html", {"page": page, "pages": pages})


def _add(request: SignedInRequest, pages: AddressPages) -> HttpResponse:
    form = WorkAddressForm(_posted(request), purpose=pages.purpose)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                address = services_addresses.work_address_add(
                    actor=request.user,
                    ip=client_ip(request),
                    purpose=pages.purpose,
                    **form.values(),
                )
            except ApplicationError as error:
                if not _refused_here(error):
                    raise
                _show_errors(form, error)
                status = error.http_status
            else:
                messages.success(request, f"{pages.title} {address.identifier} was added.")
                return redirect(pages.list_url)
    return render(
        request,
        "certificates/addresses/form.html",
        {"form": form, "address": None, "pages": pages},
        status=status,
    )


def _change(request: SignedInRequest, address_id: int, pages: AddressPages) -> HttpResponse:
    address = _address(request, address_id, pages)
    if address.retired_at is not None:
        return forbidden(request, _retired(address, "change", pages), status=409)
    initial = {field: getattr(address, field) for field in WorkAddressForm.ADDRESS_FIELDS}
    form = WorkAddressChangeForm(
        _posted(request), initial={**initial, "version": address.version}, purpose=pages.purpose
    )
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
                    f"{pages.title} {address.identifier} was saved. {pages.holders} that already "
                    "have this address keep the address they were given.",
                )
                return redirect(pages.list_url)
    return render(
        request,
        "certificates/addresses/form.html",
        {"form": form, "address": address, "pages": pages},
        status=status,
    )


def _retire(request: SignedInRequest, address_id: int, pages: AddressPages) -> HttpResponse:
    address = _address(request, address_id, pages)
    if address.retired_at is not None:
        return forbidden(request, _retired(address, "retire", pages), status=409)
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
                    f"{pages.title} {address.identifier} was retired. You can no longer choose "
                    f"it for new {pages.holders_lower}.",
                )
                return redirect(pages.list_url)
    return render(
        request,
        "certificates/addresses/retire.html",
        {"form": form, "address": address, "pages": pages},
        status=status,
    )


# ---------------------------------------------------------------- work addresses

WORK_PAGES = PAGES[AddressPurpose.WORK]


@requires(Permission.WORK_ADDRESSES_MANAGE)
def work_addresses(request: SignedInRequest) -> HttpResponse:
    return _list(request, WORK_PAGES)


@requires(Permission.WORK_ADDRESSES_MANAGE)
def work_address_add(request: SignedInRequest) -> HttpResponse:
    return _add(request, WORK_PAGES)


@requires(Permission.WORK_ADDRESSES_MANAGE)
def work_address_change(request: SignedInRequest, address_id: int) -> HttpResponse:
    return _change(request, address_id, WORK_PAGES)


@requires(Permission.WORK_ADDRESSES_MANAGE)
def work_address_retire(request: SignedInRequest, address_id: int) -> HttpResponse:
    return _retire(request, address_id, WORK_PAGES)


# ---------------------------------------------------------------- study addresses

STUDY_PAGES = PAGES[AddressPurpose.STUDY]


@requires(Permission.STUDY_ADDRESSES_MANAGE)
def study_addresses(request: SignedInRequest) -> HttpResponse:
    return _list(request, STUDY_PAGES)


@requires(Permission.STUDY_ADDRESSES_MANAGE)
def study_address_add(request: SignedInRequest) -> HttpResponse:
    return _add(request, STUDY_PAGES)


@requires(Permission.STUDY_ADDRESSES_MANAGE)
def study_address_change(request: SignedInRequest, address_id: int) -> HttpResponse:
    return _change(request, address_id, STUDY_PAGES)


@requires(Permission.STUDY_ADDRESSES_MANAGE)
def study_address_retire(request: SignedInRequest, address_id: int) -> HttpResponse:
    return _retire(request, address_id, STUDY_PAGES)
