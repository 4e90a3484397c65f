"""A university's or college's journey to a CAS: start a draft with Student or Child Student and
the student's family name, fill its sections from a task list (picking a stored study address if
they like), check the answers with every problem named next to its field and the warnings (such
as the CAS that assigning makes obsolete), assign it and see its number; delete a draft; the list
of drafts. A section's page, the assign button and deleting are shared with the CoS pages
(`views/drafts.py`); the section forms are built from CAS_SECTIONS."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sponsorship.core.access import requires
from sponsorship.core.errors import (
    ApplicationError,
    NotFound,
)
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.rules import Rule, rule_value
from sponsorship.core.types import SignedInRequest

from .. import selectors, services
from ..checks import assignment_check
from ..forms.cas import CAS_ROUTE_SECTION_TITLE, CasRouteForm, NewCasForm, cas_route_initial
from ..forms.drafts import (
    ROUTE_SECTION,
    AssignForm,
    SectionForm,
    section_for,
    section_initial,
)
from ..models import AddressPurpose, Certificate, CertificateKind, CertificateStatus
from ..sections import SECTIONS, SectionStatus, missing_needs
from .drafts import (
    PAGE_ERRORS,
    AssignOutcome,
    assign_posted,
    check_blocks,
    delete_page,
    held_routes,
    increase_url,
    route_label,
    section_page,
)

CAS = CertificateKind.CAS
# The live CAS's own page (search, fees, notes, history) once it is no longer a draft.
CAS_PAGE = "certificates:cas_detail"


def _cas(request: SignedInRequest, certificate_id: int) -> Certificate:
    """The actor's CAS: another sponsor's, a CoS, or a Level 2 user's not-owned, is not
    found."""
    return selectors.certificate_get_for_user(
        user=request.user, certificate_id=certificate_id, kind=CAS
    )


def _live_page(certificate: Certificate) -> HttpResponse:
    """A CAS that is no longer a draft is shown on its own page."""
    return redirect(CAS_PAGE, certificate_id=certificate.pk)


# ---------------------------------------------------------------- the drafts


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_draft_list(request: SignedInRequest) -> HttpResponse:
    """The CAS drafts not yet assigned, most recently changed first (a Level 2 user's own)."""
    drafts = selectors.certificate_list_for_user(user=request.user, kind=CAS).filter(
        status=CertificateStatus.DRAFT
    )
    page = paginate(request, drafts)
    rows = [(draft, len(missing_needs(draft))) for draft in page.object_list]
    return render(request, "certificates/cas/drafts/list.html", {"page": page, "rows": rows})


@requires(Permission.CAS_MANAGE)
def cas_draft_new(request: SignedInRequest) -> HttpResponse:
    """Start a CAS: Student or Child Student, and the student's family name."""
    form = NewCasForm(request.POST or None, held=held_routes(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                certificate = services.cas_create(
                    actor=request.user,
                    route=form.cleaned_data["route"],
                    values={"family_name": form.cleaned_data["family_name"]},
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                if isinstance(error, PAGE_ERRORS):
                    raise
                form.add_service_errors(error.errors, error.message)
                status = error.http_status
            else:
                messages.success(
                    request,
                    f"Draft CAS saved for {certificate.family_name}. Fill in the sections below, "
                    "in any order.",
                )
                return redirect("certificates:cas_draft", certificate_id=certificate.pk)
    return render(request, "certificates/cas/drafts/new.html", {"form": form}, status=status)


# ---------------------------------------------------------------- the task list


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_draft(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """The task list: every section with its status and a link to fill it in."""
    certificate = _cas(request, certificate_id)
    if not certificate.is_draft:
        return _live_page(certificate)
    sections = [(section, section.status(certificate)) for section in SECTIONS[CAS]]
    counted = [status for _, status in sections if status != SectionStatus.OPTIONAL]
    return render(
        request,
        "certificates/cas/drafts/task_list.html",
        {
            "certificate": certificate,
            "sections": sections,
            "route": route_label(certificate.route),
            "route_section": ROUTE_SECTION,
            "route_section_title": CAS_ROUTE_SECTION_TITLE,
            "completed": sum(status == SectionStatus.COMPLETED for status in counted),
            "total": len(counted),
        },
    )


# ---------------------------------------------------------------- one section


def _section_form(
    request: SignedInRequest, certificate: Certificate, key: str, data: Any
) -> CasRouteForm | SectionForm:
    if key == ROUTE_SECTION:
        return CasRouteForm(data, initial=cas_route_initial(certificate), held=held_routes(request))
    section = section_for(key, CAS)
    if section is None:
        raise NotFound("There is no such section.")
    addresses = (
        list(
            selectors.work_address_list_for_user(
                user=request.user, in_use_only=True, purpose=AddressPurpose.STUDY
            )
        )
        if key == "study_address"
        else None
    )
    return SectionForm(
        data,
        initial=section_initial(certificate, section),
        section=section,
        kind=CAS,
        addresses=addresses,
    )


@requires(Permission.CAS_MANAGE)
def cas_draft_section(request: SignedInRequest, certificate_id: int, section: str) -> HttpResponse:
    """One section of the draft."""
    certificate = _cas(request, certificate_id)
    if not certificate.is_draft:
        return _live_page(certificate)
    return section_page(
        request,
        certificate,
        section,
        lambda data: _section_form(request, certificate, section, data),
        services.cas_update,
    )


# ---------------------------------------------------------------- check and assign


def _check_context(request: SignedInRequest, certificate: Certificate) -> dict[str, Any]:
    today = timezone.localdate()
    check = assignment_check(certificate, today)
    found = check_blocks(request, certificate, check)
    return {
        "certificate": certificate,
        "check": check,
        "blocks": found.blocks,
        "errors": found.errors,
        "warnings": found.warnings,
        "route_errors": found.route_errors,
        "route": route_label(certificate.route),
        "route_section": ROUTE_SECTION,
        "allocation": check.allocation,
        "increase_url": increase_url(request),
        "assign_form": AssignForm(initial={"version": certificate.version}),
        "validity_months": rule_value(Rule.CAS_VALIDITY_MONTHS, today),
    }


@requires(Permission.CAS_MANAGE)
def cas_draft_check(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Check your answers: every problem named with a link to its field, the warnings (a CAS
    for the same student and course that assigning makes obsolete), the allocation it uses;
    then assign."""
    certificate = _cas(request, certificate_id)
    if not certificate.is_draft:
        return _live_page(certificate)
    outcome = AssignOutcome()
    if request.method == "POST":
        outcome = assign_posted(request, certificate)
        if outcome.assigned is not None:
            return redirect("certificates:cas_assigned", certificate_id=outcome.assigned.pk)
        # Whatever refused it, show the CAS as it now is.
        certificate = _cas(request, certificate_id)
        if not certificate.is_draft:
            return _live_page(certificate)
    context = _check_context(request, certificate)
    context.update(refusal=outcome.refusal, refusal_href=outcome.refusal_href)
    return render(request, "certificates/cas/drafts/check.html", context, status=outcome.status)


@requires(Permission.CAS_MANAGE)
@require_safe
def cas_assigned(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """The confirmation: the CAS number to give the student, and what happens next."""
    certificate = _cas(request, certificate_id)
    if certificate.is_draft:
        return redirect("certificates:cas_draft_check", certificate_id=certificate.pk)
    return render(
        request,
        "certificates/cas/drafts/assigned.html",
        {"certificate": certificate, "route": route_label(certificate.route)},
    )


# ---------------------------------------------------------------- delete


@requires(Permission.CAS_MANAGE)
def cas_draft_delete(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Delete a draft for good, after a confirmation."""
    certificate = _cas(request, certificate_id)
    if not certificate.is_draft:
        return _live_page(certificate)
    return delete_page(request, certificate)
