"""A Level 1 user reads, filters and exports their licence's audit trail."""

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import audit_record
from sponsorship.core.access import requires
from sponsorship.core.csv_export import stream_csv
from sponsorship.core.errors import NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from ..forms import AuditFilterForm
from ..selectors import AuditFilter, audit_events_for_sponsor
from ..templatetags.audit import describe_payload

CSV_HEADER = ["When (UTC)", "User ID", "Action", "Target", "Details", "IP address", "Event hash"]


def audit_rows(sponsor_id: int, filters: AuditFilter) -> Iterator[list[Any]]:
    events = audit_events_for_sponsor(sponsor_id=sponsor_id, filters=filters)
    for event in events.iterator(chunk_size=2000):
        yield [
            event.created_at.isoformat(timespec="seconds"),
            event.actor_label,
            event.get_verb_display(),
            event.target_label,
            describe_payload(event.payload),
            event.ip_address or "",
            event.hash,
        ]


def render_trail(
    request: HttpRequest, sponsor_id: int, template: str, extra: dict[str, Any]
) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.to_filter()
    if filters is None:
        return render(request, template, {"form": form, "page": None, **extra}, status=400)
    page = paginate(
        request, audit_events_for_sponsor(sponsor_id=sponsor_id, filters=filters), per_page=50
    )
    return render(request, template, {"form": form, "page": page, **extra})


def _sponsor_id(request: SignedInRequest) -> int:
    # AUDIT_TRAIL_* are Level 1 permissions, and Level 1 users always have a sponsor.
    sponsor_id = request.user.sponsor_id
    if sponsor_id is None:
        raise NotFound("Only sponsor users have a licence audit trail.")
    return sponsor_id


@requires(Permission.AUDIT_TRAIL_VIEW)
def trail(request: SignedInRequest) -> HttpResponse:
    return render_trail(request, _sponsor_id(request), "audit/trail.html", {})


@requires(Permission.AUDIT_TRAIL_EXPORT)
def export(request: SignedInRequest) -> HttpResponse | StreamingHttpResponse:
    filters = AuditFilterForm(request.GET or None).to_filter()
    sponsor_id = _sponsor_id(request)
    if filters is None:
        # Show the errors on the trail page rather than export a file nobody asked for.
        return render_trail(request, sponsor_id, "audit/trail.html", {})
    audit_record(
        AuditVerb.AUDIT_EXPORTED,
        actor=request.user,
        ip_address=client_ip(request),
        payload={"filters": filters.__dict__},
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return stream_csv(f"audit-trail-{stamp}.csv", CSV_HEADER, audit_rows(sponsor_id, filters))
