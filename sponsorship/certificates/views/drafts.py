"""A sponsor's journey to a certificate: create a draft (new, or based on another certificate),
fill its sections from a task list, check the answers with every problem named, and assign it.
The services do every write and every rule; these views only read the actor's certificate,
check the input's shape and show the outcome. A section's page, the assign button and deleting
serve CAS drafts too (views/cas_drafts.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sponsorship.core.access import requires
from sponsorship.core.errors import (
    AllocationExhausted,
    ApplicationError,
    Conflict,
    NotFound,
    NotPermitted,
    NotReady,
    StaleEdit,
)
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission, can
from sponsorship.core.rules import Rule, rule_value
from sponsorship.core.types import SignedInRequest
from sponsorship.licences.models import Route
from sponsorship.licences.selectors import paye_list_for_user

from .. import selectors, services
from ..checks import AssignmentCheck, Finding, allocation_message, assignment_check
from ..display import SectionView, annual_salary_words, label_of, sections_for
from ..fees import pounds
from ..forms.cas import CasRouteForm
from ..forms.drafts import (
    ROUTE_SECTION,
    ROUTE_SECTION_TITLE,
    AssignForm,
    CopyForm,
    NewDraftForm,
    RouteForm,
    SectionForm,
    field_anchor,
    field_label,
    route_initial,
    section_for,
    section_initial,
    section_of,
)
from ..models import Certificate, CertificateKind, CosCategory
from ..sections import SectionStatus

# Errors a form shows; the others (not found, not allowed) are pages of their own.
PAGE_ERRORS = (NotFound, NotPermitted)

DraftForm = RouteForm | CasRouteForm | SectionForm


def _certificate(request: SignedInRequest, certificate_id: int) -> Certificate:
    """The actor's CoS: another sponsor's, or a Level 2 user's not-owned, is not found."""
    certificate = selectors.certificate_get_for_user(
        user=request.user, certificate_id=certificate_id
    )
    if certificate.kind != CertificateKind.COS:
        raise NotFound("There is no such certificate.")
    return certificate


def _live_page(certificate: Certificate) -> HttpResponse:
    """A certificate that is no longer a draft is shown on its own page."""
    return redirect("certificates:detail", certificate_id=certificate.pk)


def held_routes(request: SignedInRequest) -> frozenset[str]:
    sponsor = request.user.sponsor
    return sponsor.route_codes if sponsor is not None else frozenset()


def route_label(route: str) -> str:
    return Route(route).label if route in Route.values else route


# ---------------------------------------------------------------- create


@requires(Permission.CERTIFICATES_MANAGE)
def draft_new(request: SignedInRequest) -> HttpResponse:
    """Start a certificate: the route, what it is for and the worker's family name."""
    form = NewDraftForm(request.POST or None, held=held_routes(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                certificate = services.certificate_create(
                    actor=request.user,
                    route=data["route"],
                    category=data["category"],
                    values={"family_name": data["family_name"]},
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
                    f"Draft saved for {certificate.family_name}. Fill in the sections below, "
                    "in any order.",
                )
                return redirect("certificates:draft", certificate_id=certificate.pk)
    return render(request, "certificates/drafts/new.html", {"form": form}, status=status)


@requires(Permission.CERTIFICATES_MANAGE)
def draft_copy(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """A new draft with this certificate's job, work and PAYE details, for another person."""
    source = _certificate(request, certificate_id)
    form = CopyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                copy = services.certificate_copy(
                    actor=request.user,
                    source=source,
                    family_name=form.cleaned_data["family_name"],
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
                    f"Draft saved for {copy.family_name}, based on {source.reference}. The job, "
                    "work and PAYE details are copied: add the worker's own details.",
                )
                return redirect("certificates:draft", certificate_id=copy.pk)
    return render(
        request,
        "certificates/drafts/copy.html",
        {"form": form, "source": source, "route": route_label(source.route)},
        status=status,
    )


# ---------------------------------------------------------------- the task list


@requires(Permission.CERTIFICATES_MANAGE)
def draft(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """The task list: every section with its status and a link to fill it in."""
    certificate = _certificate(request, certificate_id)
    if not certificate.is_draft:
        return _live_page(certificate)
    sections = sections_for(certificate)
    counted = [v for v in sections if v.status != SectionStatus.OPTIONAL]
    return render(
        request,
        "certificates/drafts/task_list.html",
        {
            "certificate": certificate,
            "sections": sections,
            "route": route_label(certificate.route),
            "category": certificate.cos.get_category_display(),
            "route_section": ROUTE_SECTION,
            "route_section_title": ROUTE_SECTION_TITLE,
            "completed": sum(v.status == SectionStatus.COMPLETED for v in counted),
            "total": len(counted),
        },
    )


# ---------------------------------------------------------------- one section


def _section_form(
    request: SignedInRequest, certificate: Certificate, key: str, data: Any
) -> RouteForm | SectionForm:
    if key == ROUTE_SECTION:
        return RouteForm(data, initial=route_initial(certificate), held=held_routes(request))
    section = section_for(key)
    if section is None:
        raise NotFound("There is no such section.")
    work_addresses = (
        list(selectors.work_address_list_for_user(user=request.user, in_use_only=True))
        if key == "work_address"
        else None
    )
    paye = list(paye_list_for_user(user=request.user)) if key == "paye" else None
    return SectionForm(
        data,
        initial=section_initial(certificate, section),
        section=section,
        addresses=work_addresses,
        paye_references=paye,
        current_paye=certificate.cos.paye_reference,
    )


def section_findings(certificate: Certificate, key: str) -> list[Finding]:
    """What stops this section's fields being assigned, as the check page names it (a CoS or
    a CAS)."""
    check = assignment_check(certificate, timezone.localdate())
    return [f for f in check.errors if f.field and section_of(f.field, certificate.kind) == key]


def section_page(
    request: SignedInRequest,
    certificate: Certificate,
    section: str,
    form_for: Callable[[Any], DraftForm],
    update: Callable[..., Certificate],
) -> HttpResponse:
    """One section of a draft of either kind, prefilled; saving (through `update`, the kind's
    service) goes back to the task list. From the check page (`?check=1`) the problems
    assignment would meet are shown on their fields."""
    cas = certificate.kind == CertificateKind.CAS
    posted = request.method == "POST"
    form = form_for(request.POST if posted else None)
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                update(
                    actor=request.user,
                    certificate=certificate,
                    version=form.cleaned_data["version"],
                    values=form.values(),
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                if isinstance(error, PAGE_ERRORS):
                    raise
                errors = [] if isinstance(error, Conflict) else error.errors
                form.add_service_errors(errors, error.message)
                status = error.http_status
            else:
                messages.success(request, f"{form.title}: saved.")
                task_list = "certificates:cas_draft" if cas else "certificates:draft"
                return redirect(task_list, certificate_id=certificate.pk)
    elif request.GET.get("check"):
        # The saved values, checked as a save would check them, with assignment's findings.
        form = form_for(form.initial)
        if form.is_valid():
            findings = section_findings(certificate, section)
            form.add_service_errors([(f.field, f.message) for f in findings], "")
    return render(
        request,
        f"certificates/{'cas/' if cas else ''}drafts/section.html",
        {"certificate": certificate, "form": form, "section_key": section, "title": form.title},
        status=status,
    )


@requires(Permission.CERTIFICATES_MANAGE)
def draft_section(request: SignedInRequest, certificate_id: int, section: str) -> HttpResponse:
    """One section of the draft."""
    certificate = _certificate(request, certificate_id)
    if not certificate.is_draft:
        return _live_page(certificate)
    return section_page(
        request,
        certificate,
        section,
        lambda data: _section_form(request, certificate, section, data),
        services.certificate_update,
    )


# ---------------------------------------------------------------- check and assign


@dataclass
class Problem:
    """A finding of the check, with where to fix it."""

    message: str
    label: str = ""
    href: str = ""


@dataclass
class SectionBlock:
    """A section on the check page with the problems found in it."""

    views: list[SectionView]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def increase_url(request: SignedInRequest) -> str:
    """Where to ask for more allocation: Level 1 users only may (others are told who can)."""
    return (
        reverse("licences:allocations") if can(request.user, Permission.ALLOCATIONS_REQUEST) else ""
    )


# The page of a draft's section, by kind: a check page's problems link there.
SECTION_URL: dict[str, str] = {
    CertificateKind.COS: "certificates:draft_section",
    CertificateKind.CAS: "certificates:cas_draft_section",
}


def _label(kind: str, field: str) -> str:
    if kind == CertificateKind.COS:
        if field == "route":
            return "Route"
        if field == "category":
            return "Category"
        return label_of(field)
    return "Route" if field == "route" else field_label(field, kind)


def _problem(certificate: Certificate, finding: Finding, increase: str) -> Problem:
    key = section_of(finding.field, certificate.kind)
    if finding.field is None or key is None:
        if finding.message == allocation_message(certificate.route):
            return Problem(finding.message, href=increase)
        return Problem(finding.message)
    url = reverse(SECTION_URL[certificate.kind], args=[certificate.pk, key])
    return Problem(
        finding.message,
        label=_label(certificate.kind, finding.field),
        href=f"{url}?check=1#{field_anchor(finding.field)}",
    )


@dataclass
class CheckBlocks:
    """The check's findings as the page shows them: every error and warning with where to fix
    it, and each section's summary with the problems found in it."""

    blocks: list[SectionBlock]
    errors: list[Problem]
    warnings: list[Problem]
    route_errors: list[Problem]


def check_blocks(
    request: SignedInRequest, certificate: Certificate, check: AssignmentCheck
) -> CheckBlocks:
    increase = increase_url(request)
    kind = certificate.kind
    blocks = [SectionBlock(views=[view]) for view in sections_for(certificate)]
    by_key = {block.views[0].section.key: block for block in blocks}
    errors = [_problem(certificate, f, increase) for f in check.errors]
    warnings = [_problem(certificate, f, increase) for f in check.warnings]
    route_errors = []
    for finding, problem in zip(check.errors, errors, strict=True):
        key = section_of(finding.field, kind)
        if key == ROUTE_SECTION:
            route_errors.append(problem)
        elif key in by_key:
            by_key[key].errors.append(problem)
    for finding, problem in zip(check.warnings, warnings, strict=True):
        key = section_of(finding.field, kind)
        if key in by_key:
            by_key[key].warnings.append(problem)
    return CheckBlocks(blocks, errors, warnings, route_errors)


def _check_context(
    request: SignedInRequest, certificate: Certificate, check: AssignmentCheck
) -> dict[str, Any]:
    found = check_blocks(request, certificate, check)
    charges = check.charges
    salary = check.salary
    return {
        "certificate": certificate,
        "check": check,
        "blocks": found.blocks,
        "errors": found.errors,
        "warnings": found.warnings,
        "route_errors": found.route_errors,
        "route": route_label(certificate.route),
        "category": CosCategory(certificate.cos.category).label,
        "route_section": ROUTE_SECTION,
        "fee": pounds(charges.fee_pence),
        "skills_charge": pounds(charges.skills_charge_pence),
        "skills_charge_workings": charges.skills_charge_workings,
        "total": pounds(charges.total_pence),
        "salary": salary,
        "salary_words": annual_salary_words(certificate),
        "salary_figures": {
            "going_rate": _money(salary.going_rate) if salary else "",
            "threshold": _money(salary.threshold) if salary else "",
            "required": _money(salary.required) if salary else "",
        },
        "skilled_worker": certificate.route == Route.SKILLED_WORKER,
        "allocation": check.allocation,
        "assign_form": AssignForm(initial={"version": certificate.version}),
        "validity_months": rule_value(Rule.CERTIFICATE_VALIDITY_MONTHS, timezone.localdate()),
    }


def _money(amount: Any) -> str:
    return pounds(round(amount * 100)) if amount is not None else ""


@dataclass
class AssignOutcome:
    """What the assign button did: the assigned certificate, or why not, with where to go."""

    assigned: Certificate | None = None
    refusal: str = ""
    refusal_href: str = ""
    status: int = 200


def assign_posted(request: SignedInRequest, certificate: Certificate) -> AssignOutcome:
    """Assign the draft of either kind from the check page's button."""
    form = AssignForm(request.POST)
    if not form.is_valid():
        return AssignOutcome(refusal="Reload the page and try again.", status=400)
    try:
        assigned = services.certificate_assign(
            actor=request.user,
            certificate=certificate,
            version=form.cleaned_data["version"],
            ip=client_ip(request),
        )
    except AllocationExhausted as error:
        return AssignOutcome(
            refusal=error.message, refusal_href=increase_url(request), status=error.http_status
        )
    except (NotReady, StaleEdit) as error:
        return AssignOutcome(refusal=error.message, status=error.http_status)
    return AssignOutcome(assigned=assigned)


@requires(Permission.CERTIFICATES_MANAGE)
def draft_check(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Check your answers: every problem named with a link to its field, the warnings, the
    salary check, what assigning costs and the allocation it uses; then assign."""
    certificate = _certificate(request, certificate_id)
    if not certificate.is_draft:
        return _live_page(certificate)
    outcome = AssignOutcome()
    if request.method == "POST":
        outcome = assign_posted(request, certificate)
        if outcome.assigned is not None:
            messages.success(
                request,
                f"Certificate {outcome.assigned.number} is assigned. Give the number to "
                f"{outcome.assigned.full_name}: they need it to apply.",
            )
            return redirect("certificates:detail", certificate_id=outcome.assigned.pk)
        # Whatever refused it, show the certificate as it now is.
        certificate = _certificate(request, certificate_id)
        if not certificate.is_draft:
            return _live_page(certificate)
    check = assignment_check(certificate, timezone.localdate())
    context = _check_context(request, certificate, check)
    context.update(refusal=outcome.refusal, refusal_href=outcome.refusal_href)
    return render(request, "certificates/drafts/check.html", context, status=outcome.status)


# ---------------------------------------------------------------- delete


def delete_page(request: SignedInRequest, certificate: Certificate) -> HttpResponse:
    """Delete a draft of either kind for good, after a confirmation."""
    cas = certificate.kind == CertificateKind.CAS
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        initial={"version": certificate.version},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.certificate_delete(
                    actor=request.user,
                    certificate=certificate,
                    version=form.cleaned_data["version"],
                    ip=client_ip(request),
                )
            except StaleEdit as error:
                form.add_error(None, error.message)
                status = error.http_status
            else:
                messages.success(
                    request,
                    f"The draft {'CAS ' if cas else ''}for {certificate.full_name} was deleted.",
                )
                return redirect("certificates:cas_drafts" if cas else "certificates:list")
    return render(
        request,
        f"certificates/{'cas/' if cas else ''}drafts/delete.html",
        {"certificate": certificate, "form": form, "route": route_label(certificate.route)},
        status=status,
    )


@requires(Permission.CERTIFICATES_MANAGE)
def draft_delete(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Delete a draft for good, after a confirmation."""
    certificate = _certificate(request, certificate_id)
    if not certificate.is_draft:
        return _live_page(certificate)
    return delete_page(request, certificate)
