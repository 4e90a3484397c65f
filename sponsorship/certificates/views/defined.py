"""Defined certificates, for a Level 1 user: the applications and what each still allows,
applying for one, and starting a certificate under a granted one. Withdrawing, answering a
caseworker's question and reading the decision are the pages of "Your requests"."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sponsorship.core.access import requires
from sponsorship.core.errors import ApplicationError, NotFound, NotPermitted
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from .. import defined
from ..forms.defined import DefinedApplicationForm, DefinedCertificateForm


@requires(Permission.DEFINED_COS_VIEW)
def defined_list(request: SignedInRequest) -> HttpResponse:
    page = paginate(request, defined.defined_list_for_user(user=request.user).order_by("-pk"))
    today = timezone.localdate()
    rows = [(application, defined.defined_grant(application, today)) for application in page]
    return render(request, "certificates/defined/list.html", {"page": page, "rows": rows})


@requires(Permission.DEFINED_COS_VIEW)
def defined_apply(request: SignedInRequest) -> HttpResponse:
    form = DefinedApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                application = defined.defined_cos_apply(
                    actor=request.user,
                    job=form.job(),
                    number=form.cleaned_data.get("number"),
                    justification=form.cleaned_data.get("justification") or "",
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                if isinstance(error, NotFound | NotPermitted):
                    raise
                form.add_service_error(error)
                status = error.http_status
            else:
                messages.success(
                    request,
                    f"Application {application.reference} was sent. The Home Office usually "
                    "decides within one working day.",
                )
                return redirect("certificates:defined_detail", request_id=application.pk)
    return render(request, "certificates/defined/apply.html", {"form": form}, status=status)


@requires(Permission.DEFINED_COS_VIEW)
def defined_detail(request: SignedInRequest, request_id: int) -> HttpResponse:
    application = defined.defined_get_for_user(user=request.user, request_id=request_id)
    today = timezone.localdate()
    form = DefinedCertificateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                certificate = defined.certificate_create_from_defined(
                    actor=request.user,
                    request=application,
                    family_name=form.cleaned_data["family_name"],
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                if isinstance(error, NotFound | NotPermitted):
                    raise
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = error.http_status
            else:
                messages.success(
                    request,
                    f"A draft certificate for {certificate.family_name} was started with the "
                    "job of the defined certificate. Complete it, then assign it.",
                )
                return redirect("certificates:draft", certificate_id=certificate.pk)
    return render(
        request,
        "certificates/defined/detail.html",
        {
            "application": application,
            "grant": defined.defined_grant(application, today),
            "refused": defined.defined_denial(application, today),
            "form": form,
        },
        status=status,
    )
