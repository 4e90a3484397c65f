"""Premium customer service and Student Sponsor status: whether the licence holds each, since
when, and applying for one. The page shows while the licence is suspended or B-rated, with the
Apply button disabled and the reason; applying itself needs SPONSOR_STATUS_APPLY."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sponsorship.core.access import requires
from sponsorship.core.errors import Conflict, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.middleware import forbidden
from sponsorship.core.permissions import Permission, denial
from sponsorship.core.types import SignedInRequest

from .. import selectors, services
from ..models import LicenceRequest, RequestKind
from ..services.status import STATUS_KINDS, status_held_since

# How each kind appears in addresses: /licence/sponsor-status/apply/premium/.
KIND_SLUGS = {
    RequestKind.PREMIUM: "premium",
    RequestKind.STUDENT_SPONSOR_STATUS: "student-sponsor-status",
}


def describe(kind: str) -> str:
    if kind == RequestKind.PREMIUM:
        return (
            "A dedicated account manager at the Home Office and priority handling of your "
            "requests. There is a yearly fee."
        )
    return (
        "Recognition for Student route sponsors with a record of compliance. You can apply once "
        f"you have held your licence for {settings.STUDENT_SPONSOR_STATUS_MIN_YEARS} years."
    )


@dataclass(frozen=True)
class StatusLine:
    kind: str
    label: str
    slug: str
    description: str
    held_since: date | None
    refused: str | None
    outstanding: LicenceRequest | None


def _kind_of(slug: str) -> str:
    for kind, kind_slug in KIND_SLUGS.items():
        if kind_slug == slug:
            return kind
    raise NotFound("There is no such status.")


@requires(Permission.LICENCE_SERVICES_VIEW)
def overview(request: SignedInRequest) -> HttpResponse:
    sponsor = selectors.sponsor_get_for_user(user=request.user)
    today = timezone.localdate()
    outstanding = {
        r.kind: r
        for r in selectors.request_list_for_user(
            user=request.user, kinds=STATUS_KINDS, open_only=True
        )
    }
    gate = denial(request.user, Permission.SPONSOR_STATUS_APPLY)
    lines = [
        StatusLine(
            kind=kind,
            label=RequestKind(kind).label,
            slug=KIND_SLUGS[kind],
            description=describe(kind),
            held_since=status_held_since(sponsor, kind),
            # The service's reason first: it names the status; the gate covers the rest.
            refused=services.status_application_denial(sponsor, kind, today)
            or (gate.reason if gate else None),
            outstanding=outstanding.get(kind),
        )
        for kind in STATUS_KINDS
    ]
    return render(request, "licences/status/overview.html", {"sponsor": sponsor, "lines": lines})


@requires(Permission.SPONSOR_STATUS_APPLY)
def apply(request: SignedInRequest, kind: str) -> HttpResponse:
    """Confirm, then apply; the confirmation page shows the reference."""
    kind = _kind_of(kind)
    sponsor = selectors.sponsor_get_for_user(user=request.user)
    refused = services.status_application_denial(sponsor, kind, timezone.localdate())
    if refused:
        return forbidden(request, refused, status=409)
    if request.method == "POST":
        try:
            created = services.status_apply(actor=request.user, kind=kind, ip=client_ip(request))
        except Conflict as error:
            return forbidden(request, error.message, status=409)
        return redirect("licences:request_sent", request_id=created.pk)
    return render(
        request,
        "licences/status/apply.html",
        {"label": RequestKind(kind).label, "description": describe(kind)},
    )
