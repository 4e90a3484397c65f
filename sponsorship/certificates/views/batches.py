"""Batches and Creative Worker groups: the list, a new one, one batch with its certificates
(add drafts, link and unlink, assign), and handing it to another user (Level 1). The same pages
serve batches of CAS, under /cas/batches/, with the CAS permissions: `BatchPages` says which
kind of certificate, which permissions and which URLs."""

from dataclasses import dataclass

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
from ..models import Batch, CertificateKind, CertificateStatus
from ..search import certificate_find, transfer_recipient_list_for_user
from ..sections import missing_needs


@dataclass(frozen=True)
class BatchPages:
    """The pages of batches of one kind of certificate: who may use them, and where they are."""

    kind: str
    manage: Permission
    transfer: Permission
    prefix: str  # of the URL names: "" for CoS, "cas_" for CAS
    noun: str  # "certificate" or "CAS"
    noun_plural: str  # "certificates" or "CAS"
    person: str  # "worker" or "student"
    caption: str  # the menu they belong to
    draft_url: str
    live_url: str

    def url(self, name: str) -> str:
        return f"certificates:{self.prefix}{name}"

    @property
    def urls(self) -> dict[str, str]:
        """Every URL name the templates need, by what it is for."""
        names = ("batches", "batch_new", "batch", "batch_add", "batch_link", "batch_unlink")
        more = ("batch_assign", "batch_transfer")
        return {
            **{name: self.url(name) for name in (*names, *more)},
            "draft": self.draft_url,
            "live": self.live_url,
        }


COS_PAGES = BatchPages(
    kind=CertificateKind.COS,
    manage=Permission.CERTIFICATES_MANAGE,
    transfer=Permission.CERTIFICATES_TRANSFER,
    prefix="",
    noun="certificate",
    noun_plural="certificates",
    person="worker",
    caption="Workers",
    draft_url="certificates:draft",
    live_url="certificates:detail",
)
CAS_PAGES = BatchPages(
    kind=CertificateKind.CAS,
    manage=Permission.CAS_MANAGE,
    transfer=Permission.CAS_TRANSFER,
    prefix="cas_",
    noun="CAS",
    noun_plural="CAS",
    person="student",
    caption="Students",
    draft_url="certificates:cas_draft",
    live_url="certificates:cas_detail",
)


def _service_error(form: object, error: ApplicationError) -> int:
    if isinstance(error, NotFound | NotPermitted):
        raise error
    form.add_error(error.field if error.field in form.fields else None, error.message)  # type: ignore[attr-defined]
    return error.http_status


def _held(request: SignedInRequest) -> frozenset[str]:
    return request.user.sponsor.route_codes if request.user.sponsor else frozenset()


def _batch(request: SignedInRequest, batch_id: int, pages: BatchPages) -> Batch:
    return selectors.batch_get_for_user(user=request.user, batch_id=batch_id, kind=pages.kind)


def _list(request: SignedInRequest, pages: BatchPages) -> HttpResponse:
    page = paginate(request, selectors.batch_list_for_user(user=request.user, kind=pages.kind))
    return render(
        request,
        "certificates/batches/list.html",
        {"page": page, "pages": pages, "urls": pages.urls},
    )


def _new(request: SignedInRequest, pages: BatchPages) -> HttpResponse:
    groups_allowed = pages.kind == CertificateKind.COS and Route.CREATIVE_WORKER in _held(request)
    form = BatchForm(request.POST or None, groups_allowed=groups_allowed, kind=pages.kind)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                batch = services.batch_create(
                    actor=request.user,
                    kind=form.batch_kind,
                    name=form.cleaned_data["name"],
                    certificate_kind=pages.kind,
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                status = _service_error(form, error)
            else:
                kind = batch.get_kind_display() if pages.kind == CertificateKind.COS else "Batch"
                messages.success(request, f"{kind} '{batch.name}' was made.")
                return redirect(pages.url("batch"), batch_id=batch.pk)
    return render(
        request,
        "certificates/batches/new.html",
        {"form": form, "pages": pages, "urls": pages.urls},
        status=status,
    )


def _unbatched_drafts(request: SignedInRequest, pages: BatchPages) -> list[tuple[int, str]]:
    drafts = selectors.certificate_list_for_user(user=request.user, kind=pages.kind).filter(
        status=CertificateStatus.DRAFT, batch__isnull=True
    )[:200]
    return [(c.pk, f"{c.full_name}, {c.get_route_display()} (draft {c.pk})") for c in drafts]


def _batch_page(
    request: SignedInRequest,
    batch: Batch,
    pages: BatchPages,
    *,
    add_form: AddDraftsForm | None = None,
    link_form: LinkForm | None = None,
    outcome: services.BatchOutcome | None = None,
    status: int = 200,
) -> HttpResponse:
    certificates = list(selectors.batch_certificates(batch))
    rows = [(c, len(missing_needs(c)) if c.is_draft else 0) for c in certificates]
    return render(
        request,
        "certificates/batches/detail.html",
        {
            "batch": batch,
            "rows": rows,
            "drafts": sum(1 for c in certificates if c.is_draft),
            "add_form": add_form or AddDraftsForm(held=_held(request), kind=pages.kind),
            "link_form": link_form or LinkForm(drafts=_unbatched_drafts(request, pages)),
            "outcome": outcome,
            "may_transfer": can(request.user, pages.transfer),
            "pages": pages,
            "urls": pages.urls,
        },
        status=status,
    )


def _detail(request: SignedInRequest, batch_id: int, pages: BatchPages) -> HttpResponse:
    return _batch_page(request, _batch(request, batch_id, pages), pages)


def _add(request: SignedInRequest, batch_id: int, pages: BatchPages) -> HttpResponse:
    batch = _batch(request, batch_id, pages)
    if request.method != "POST":
        return redirect(pages.url("batch"), batch_id=batch.pk)
    form = AddDraftsForm(request.POST, held=_held(request), kind=pages.kind)
    if form.is_valid():
        data = form.cleaned_data
        based_on = None
        try:
            if data["based_on"]:
                based_on = certificate_find(
                    user=request.user, text=data["based_on"], kind=pages.kind
                ).first()
                if based_on is None:
                    raise ApplicationError(
                        f"None of your {pages.noun_plural} has the number {data['based_on']}",
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
            return _batch_page(
                request, batch, pages, add_form=form, status=_service_error(form, error)
            )
        messages.success(request, f"{len(made)} draft{'s' if len(made) != 1 else ''} added.")
        return redirect(pages.url("batch"), batch_id=batch.pk)
    return _batch_page(request, batch, pages, add_form=form, status=400)


def _link(request: SignedInRequest, batch_id: int, pages: BatchPages) -> HttpResponse:
    batch = _batch(request, batch_id, pages)
    if request.method != "POST":
        return redirect(pages.url("batch"), batch_id=batch.pk)
    form = LinkForm(request.POST, drafts=_unbatched_drafts(request, pages))
    if form.is_valid():
        certificate = selectors.certificate_get_for_user(
            user=request.user, certificate_id=form.cleaned_data["certificate_id"], kind=pages.kind
        )
        try:
            services.batch_link(
                actor=request.user, batch=batch, certificate=certificate, ip=client_ip(request)
            )
        except ApplicationError as error:
            return _batch_page(
                request, batch, pages, link_form=form, status=_service_error(form, error)
            )
        messages.success(request, f"The draft for {certificate.full_name} was added.")
        return redirect(pages.url("batch"), batch_id=batch.pk)
    return _batch_page(request, batch, pages, link_form=form, status=400)


def _unlink(
    request: SignedInRequest, batch_id: int, certificate_id: int, pages: BatchPages
) -> HttpResponse:
    batch = _batch(request, batch_id, pages)
    certificate = selectors.certificate_get_for_user(
        user=request.user, certificate_id=certificate_id, kind=pages.kind
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
    return redirect(pages.url("batch"), batch_id=batch.pk)


def _assign(request: SignedInRequest, batch_id: int, pages: BatchPages) -> HttpResponse:
    batch = _batch(request, batch_id, pages)
    form = VersionForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return redirect(pages.url("batch"), batch_id=batch.pk)
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
        return redirect(pages.url("batch"), batch_id=batch.pk)
    batch.refresh_from_db()
    return _batch_page(request, batch, pages, outcome=outcome)


def _transfer(request: SignedInRequest, batch_id: int, pages: BatchPages) -> HttpResponse:
    batch = _batch(request, batch_id, pages)
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
                messages.success(
                    request, f"'{batch.name}' and its {pages.noun_plural} were handed over."
                )
                return redirect(pages.url("batch"), batch_id=batch.pk)
    return render(
        request,
        "certificates/batches/transfer.html",
        {"batch": batch, "form": form, "pages": pages, "urls": pages.urls},
        status=status,
    )


# ---------------------------------------------------------------- certificates of sponsorship


@requires(Permission.CERTIFICATES_MANAGE)
def batch_list(request: SignedInRequest) -> HttpResponse:
    return _list(request, COS_PAGES)


@requires(Permission.CERTIFICATES_MANAGE)
def batch_new(request: SignedInRequest) -> HttpResponse:
    return _new(request, COS_PAGES)


@requires(Permission.CERTIFICATES_MANAGE)
def batch_detail(request: SignedInRequest, batch_id: int) -> HttpResponse:
    return _detail(request, batch_id, COS_PAGES)


@requires(Permission.CERTIFICATES_MANAGE)
def batch_add(request: SignedInRequest, batch_id: int) -> HttpResponse:
    return _add(request, batch_id, COS_PAGES)


@requires(Permission.CERTIFICATES_MANAGE)
def batch_link(request: SignedInRequest, batch_id: int) -> HttpResponse:
    return _link(request, batch_id, COS_PAGES)


@requires(Permission.CERTIFICATES_MANAGE)
def batch_unlink(request: SignedInRequest, batch_id: int, certificate_id: int) -> HttpResponse:
    return _unlink(request, batch_id, certificate_id, COS_PAGES)


@requires(Permission.CERTIFICATES_MANAGE)
def batch_assign(request: SignedInRequest, batch_id: int) -> HttpResponse:
    return _assign(request, batch_id, COS_PAGES)


@requires(Permission.CERTIFICATES_TRANSFER)
def batch_transfer(request: SignedInRequest, batch_id: int) -> HttpResponse:
    return _transfer(request, batch_id, COS_PAGES)


# ---------------------------------------------------------------- CAS


@requires(Permission.CAS_MANAGE)
def cas_batch_list(request: SignedInRequest) -> HttpResponse:
    return _list(request, CAS_PAGES)


@requires(Permission.CAS_MANAGE)
def cas_batch_new(request: SignedInRequest) -> HttpResponse:
    return _new(request, CAS_PAGES)


@requires(Permission.CAS_MANAGE)
def cas_batch_detail(request: SignedInRequest, batch_id: int) -> HttpResponse:
    return _detail(request, batch_id, CAS_PAGES)


@requires(Permission.CAS_MANAGE)
def cas_batch_add(request: SignedInRequest, batch_id: int) -> HttpResponse:
    return _add(request, batch_id, CAS_PAGES)


@requires(Permission.CAS_MANAGE)
def cas_batch_link(request: SignedInRequest, batch_id: int) -> HttpResponse:
    return _link(request, batch_id, CAS_PAGES)


@requires(Permission.CAS_MANAGE)
def cas_batch_unlink(request: SignedInRequest, batch_id: int, certificate_id: int) -> HttpResponse:
    return _unlink(request, batch_id, certificate_id, CAS_PAGES)


@requires(Permission.CAS_MANAGE)
def cas_batch_assign(request: SignedInRequest, batch_id: int) -> HttpResponse:
    return _assign(request, batch_id, CAS_PAGES)


@requires(Permission.CAS_TRANSFER)
def cas_batch_transfer(request: SignedInRequest, batch_id: int) -> HttpResponse:
    return _transfer(request, batch_id, CAS_PAGES)
