"""API: Premium customer service and Student Sponsor status: eligibility and applying."""

from datetime import date
from typing import Literal

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from sponsorship.api.permissions import api_requires
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest

from .. import selectors, services
from ..models import (
    RequestKind,
)
from ..services.status import status_held_since
from .shapes import RESPONSES, RequestDetailOut, created_request

status_router = Router(tags=["Sponsor status"])

STATUS_KINDS: dict[str, RequestKind] = {
    "premium": RequestKind.PREMIUM,
    "student-sponsor-status": RequestKind.STUDENT_SPONSOR_STATUS,
}


class SponsorStatusOut(Schema):
    kind: str = Field(description="premium or student-sponsor-status, as in the apply URL.")
    name: str
    held_since: date | None
    can_apply: bool
    reason: str | None = Field(description="Why you cannot apply now, when you cannot.")


@status_router.get(
    "/sponsor-status",
    response={200: list[SponsorStatusOut], **RESPONSES},
    summary="Premium customer service and Student Sponsor status: held since, or can you apply",
)
@api_requires(Permission.LICENCE_SERVICES_VIEW)
def sponsor_status(request: ApiRequest) -> list[SponsorStatusOut]:
    sponsor = selectors.sponsor_get_for_user(user=request.auth)
    on = timezone.localdate()
    result = []
    for slug, kind in STATUS_KINDS.items():
        refused = services.status_application_denial(sponsor, kind, on)
        result.append(
            SponsorStatusOut(
                kind=slug,
                name=kind.label,
                held_since=status_held_since(sponsor, kind),
                can_apply=refused is None,
                reason=refused,
            )
        )
    return result


@status_router.post(
    "/sponsor-status/{kind}/applications",
    response={201: RequestDetailOut, **RESPONSES},
    summary="Apply for Premium customer service or Student Sponsor status",
)
@api_requires(Permission.SPONSOR_STATUS_APPLY)
def sponsor_status_apply(
    request: ApiRequest, kind: Literal["premium", "student-sponsor-status"]
) -> Status:
    created = services.status_apply(
        actor=request.auth, kind=STATUS_KINDS[kind], ip=client_ip(request)
    )
    return created_request(request, created)
