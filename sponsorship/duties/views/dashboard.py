"""The compliance dashboard: duties by when they fall due, expiring permissions, right to work
follow-ups, allocation use and the score with its workings."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sponsorship.core.access import requires
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from ..compliance import compliance_dashboard


@requires(Permission.COMPLIANCE_VIEW)
def dashboard(request: SignedInRequest) -> HttpResponse:
    board = compliance_dashboard(user=request.user, today=timezone.localdate())
    return render(request, "duties/dashboard.html", {"board": board})
