"""Batches and Creative Worker groups: the list, a new one, one batch with its certificates
(add drafts, link and unlink, assign), and handing it to another user (Level 1)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound, NotPermitted
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission, can
from sponsorship.core.types import SignedInRequest
from sponsorship.licences.models import Route

from .. import selectors, services
from ..forms.batches import AddDraftsForm, BatchForm, LinkForm, TransferForm, VersionForm
from ..models import Batch, CertificateStatus
from ..search import certificate_find, transfer_recipient_list_for_user
from ..sections import missing_needs


def _service_error(form: object, error: ApplicationError) -> int:
    if isinstance(error, NotFound | NotPermitted):
        raise error
    form.add_error(error.field if error.field in form.fields else None, error.message)  # type: ignore[attr-defined]
    return error.http_status


@requires(Permission.CERTIFICATES_MANAGE)
def batch_list(request: SignedInRequest) -> HttpResponse:
    page = paginate(request, selectors.batch_list_for_user(user=request.user))
    return render(request, "certificates/batches/list.html", {"page": page})


@requires(Permission.CERTIFICATES_MANAGE)
def batch_new(request: SignedInRequest) -> HttpResponse:
    sponsor = request.user.sponsor
    groups_allowed = sponsor is not None and Route.CREATIVE_WORKER in sponsor.route_codes
    form = BatchForm(request.POST or None, groups_allowed=groups_allowed)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                batch = services.batch_create(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    name=form.cleaned_data["name"],
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                status = _service_error(form, error)
            else:
                messages.success(request, f"{batch.get_kind_display()} '{batch.name}' was made.")
                return redirect("certificates:batch", batch_id=batch.pk)
    return render(request, "certificates/batches/new.html", {"form": form}, status=status)


def _unbatched_drafts(request: SignedInRequest) -> list[tuple[int, str]]:
    drafts = selectors.certificate_list_for_user(user=request.user).filter(
        status=CertificateStatus.DRAFT, batch__isnull=True
    )[:200]
    return [(c.pk, f"{c.full_name}, {c.get_route_display()} (draft {c.pk})") for c in drafts]


def _batch_page(
    request: SignedInRequest,
    batch: Batch,
    *,
    add_form: AddDraftsForm | None = None,
    link_form: LinkForm | None = None,
    outcome: services.BatchOutcome | None = None,
    status: int = 200,
) -> HttpResponse:
    held = request.user.sponsor.route_codes if request.user.sponsor else frozenset()
    certificates = list(selectors.batch_certificates(batch))
    rows = [(c, len(missing_needs(c)) if c.is_draft else 0) for c in certificates]
    return render(
        request,
        "certificates/batches/detail.html",
        {
            "batch": batch,
            "rows": rows,
            "drafts": sum(1 for c in certificates if c.is_draft),
            "add_form": add_form or AddDraftsForm(held=held),
            "link_form": link_form or LinkForm(drafts=_unbatched_drafts(request)),
            "outcome": outcome,
            "may_transfer": can(request.user, Permission.CERTIFICATES_TRANSFER),
        },
        status=status,
    )


@requires(Permission.CERTIFICATES_MANAGE)
def batch_detail(request: SignedInRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get_for_user(user=request.user, batch_id=batch_id)
    return _batch_page(request, batch)


@requires(Permission.CERTIFICATES_MANAGE)
def batch_add(request: SignedInRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get_for_user(user=request.user, batch_id=batch_id)
    if request.method != "POST":
        return redirect("certificates:batch", batch_id=batch.pk)
    held = request.user.sponsor.route_codes if request.user.sponsor else frozenset()
    form = AddDraftsForm(request.POST, held=held)
    if form.is_valid():
        data = form.cleaned_data
        based_on = None
        try:
            if data["based_on"]:
                based_on = certificate_find(user=request.user, text=data["based_on"]).first()
                if based_on is None:
                    raise ApplicationError(
                        f"None of your certificates has the number {data['based_on']}",
                        field="based_on",
                    )
            made = services.batch_add_drafts(
                actor=request.user,
                batch=batch,
                family_names=data["family_names"],
                route=data.get("route") or "",
                category=data.get("category") or "",
                based_on=based_on,
                ip=client_ip(request),
            )
        except ApplicationError as error:
            return _batch_page(request, batch, add_form=form, status=_service_error(form, error))
        messages.success(request, f"{len(made)} draft{'s' if len(made) != 1 else ''} added.")
        return redirect("certificates:batch", batch_id=batch.pk)
    return _batch_page(request, batch, add_form=form, status=400)


@requires(Permission.CERTIFICATES_MANAGE)
def batch_link(request: SignedInRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get_for_user(user=request.user, batch_id=batch_id)
    if request.method != "POST":
        return redirect("certificates:batch", batch_id=batch.pk)
    form = LinkForm(request.POST, drafts=_unbatched_drafts(request))
    if form.is_valid():
        certificate = selectors.certificate_get_for_user(
            user=request.user, certificate_id=form.cleaned_data["certificate_id"]
        )
        try:
            services.batch_link(
                actor=request.user, batch=batch, certificate=certificate, ip=client_ip(request)
            )
        except ApplicationError as error:
            return _batch_page(request, batch, link_form=form, status=_service_error(form, error))
        messages.success(request, f"The draft for {certificate.full_name} was added.")
        return redirect("certificates:batch", batch_id=batch.pk)
    return _batch_page(request, batch, link_form=form, status=400)


@requires(Permission.CERTIFICATES_MANAGE)
def batch_unlink(request: SignedInRequest, batch_id: int, certificate_id: int) -> HttpResponse:
    batch = selectors.batch_get_for_user(user=request.user, batch_id=batch_id)
    certificate = selectors.certificate_get_for_user(
        user=request.user, certificate_id=certificate_id
    )
    if request.method == "POST":
        try:
            services.batch_unlink(
                actor=request.user, batch=batch, certificate=certificate, ip=client_ip(request)
            )
        except ApplicationError as error:
            if isinstance(error, NotFound | NotPermitted):
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, f"The draft for {certificate.full_name} was taken out.")
    return redirect("certificates:batch", batch_id=batch.pk)


@requires(Permission.CERTIFICATES_MANAGE)
def batch_assign(request: SignedInRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get_for_user(user=request.user, batch_id=batch_id)
    form = VersionForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return redirect("certificates:batch", batch_id=batch.pk)
    try:
        outcome = services.batch_assign(
            actor=request.user,
            batch=batch,
            version=form.cleaned_data["version"],
            ip=client_ip(request),
        )
    except ApplicationError as error:
        if isinstance(error, NotFound | NotPermitted):
            raise
        messages.error(request, error.message)
        return redirect("certificates:batch", batch_id=batch.pk)
    batch.refresh_from_db()
    return _batch_page(request, batch, outcome=outcome)


@requires(Permission.CERTIFICATES_TRANSFER)
def batch_transfer(request: SignedInRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get_for_user(user=request.user, batch_id=batch_id)
    users = [
        (u.pk, f"{u.full_name} ({u.username}), {u.get_level_display()}")
        for u in transfer_recipient_list_for_user(user=request.user).exclude(pk=batch.owner_id)
    ]
    form = TransferForm(request.POST or None, users=users, initial={"version": batch.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.batch_transfer(
                    actor=request.user,
                    batch=batch,
                    version=form.cleaned_data["version"],
                    to_user_id=form.cleaned_data["to_user"],
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                status = _service_error(form, error)
            else:
                messages.success(request, f"'{batch.name}' and its certificates were handed over.")
                return redirect("certificates:batch", batch_id=batch.pk)
    return render(
        request, "certificates/batches/transfer.html", {"batch": batch, "form": form}, status=status
    )
