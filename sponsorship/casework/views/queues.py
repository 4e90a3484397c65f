"""The caseworkers' work queues: open requests, oldest first, with their waiting clocks."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sponsorship.core.access import requires
from sponsorship.core.errors import NotFound
from sponsorship.core.http import client_ip, safe_next
from sponsorship.core.pagination import paginate
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest
from sponsorship.licences import selectors as licence_selectors
from sponsorship.licences import services as licence_services
from sponsorship.licences.models import Queue

from ..forms import QueueFilterForm
from ..selectors import queue_open_counts, waiting_clock


def queue_tabs(current: str = "") -> list[dict[str, object]]:
    """Every queue with its count of open requests, for the tabs above a queue."""
    counts = queue_open_counts()
    return [
        {"queue": q, "label": q.label, "count": counts[q], "current": q == current} for q in Queue
    ]


@requires(Permission.CASEWORK_REQUEST_DECIDE)
def queue(request: SignedInRequest, queue: str) -> HttpResponse:
    if queue not in Queue.values:
        raise NotFound("There is no such queue.")
    form = QueueFilterForm(request.GET or None, queue=Queue(queue))
    filters = form.filters() if form.is_bound else {}
    mine = bool(form.is_bound and form.is_valid() and form.cleaned_data["mine"])
    requests = licence_selectors.request_queue(
        queue=queue, assigned_to=request.user if mine else None, **filters
    )
    page = paginate(request, requests)
    rows = [(r, waiting_clock(r)) for r in page.object_list]
    return render(
        request,
        "casework/queue.html",
        {
            "queue": Queue(queue),
            "tabs": queue_tabs(queue),
            "form": form,
            "page": page,
            "rows": rows,
        },
    )


@requires(Permission.CASEWORK_REQUEST_DECIDE)
@require_POST
def request_assign(request: SignedInRequest, request_id: int) -> HttpResponse:
    taken = licence_services.request_assign(
        caseworker=request.user, request_id=request_id, ip=client_ip(request)
    )
    messages.success(request, f"Request {taken.reference} is assigned to you.")
    default = reverse("casework:request", kwargs={"request_id": taken.pk})
    return redirect(safe_next(request, request.POST.get("next"), default))
