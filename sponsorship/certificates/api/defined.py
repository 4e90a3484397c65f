"""API: defined certificates of sponsorship. Withdrawing and answering a caseworker's question
use the requests operations (`/requests/{id}/withdraw`, `/requests/{id}/answer`)."""

from datetime import date, datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import (
    RESPONSES,
    Count,
    IsoDate,
    LongText,
    PageQuery,
    Text100,
    Text200,
)
from sponsorship.licences.models import LicenceRequest

from .. import defined

router = Router(tags=["Defined certificates"])

Digits = Annotated[
    str, Field(min_length=1, max_length=12, json_schema_extra={"pattern": r"^[0-9.]+$"})
]


class DefinedIn(StrictSchema):
    job_title: Text200
    soc_code: Annotated[str, Field(description="4 digits, like 2136", min_length=4, max_length=4)]
    salary: Digits = Field(description="Gross annual salary in pounds, like 45000 or 45000.50")
    weekly_hours: Digits = Field(description="Like 37.5")
    start_date: IsoDate
    number: Count = Field(ge=1, le=defined.MAX_CERTIFICATES, description="Certificates needed")
    justification: LongText


class GrantOut(Schema):
    granted: int
    assigned: int
    remaining: int
    assign_by: date
    lapsed: bool


class DefinedOut(Schema):
    id: int
    number: str = Field(description="DCS and 8 digits")
    status: str
    job_title: str
    soc_code: str
    salary: str
    weekly_hours: str
    start_date: str
    number_requested: int
    justification: str
    submitted_at: datetime
    decided_at: datetime | None
    reasons: str
    grant: GrantOut | None
    version: int


class DefinedPage(Schema):
    items: list[DefinedOut]
    page: PageInfo


class CertificateFromDefinedIn(StrictSchema):
    family_name: Text100


class DraftRef(Schema):
    id: int
    family_name: str
    status: str


def _out(application: LicenceRequest) -> DefinedOut:
    grant = defined.defined_grant(application, timezone.localdate())
    job = application.details
    return DefinedOut(
        id=application.pk,
        number=application.reference,
        status=application.status,
        job_title=job.get("job_title", ""),
        soc_code=job.get("soc_code", ""),
        salary=job.get("salary", ""),
        weekly_hours=job.get("weekly_hours", ""),
        start_date=job.get("start_date", ""),
        number_requested=application.number_requested or 0,
        justification=application.description,
        submitted_at=application.submitted_at,
        decided_at=application.decided_at,
        reasons=application.reasons,
        grant=GrantOut(
            granted=grant.granted,
            assigned=grant.assigned,
            remaining=grant.remaining,
            assign_by=grant.valid_until,
            lapsed=grant.lapsed,
        )
        if grant
        else None,
        version=application.version,
    )


@router.get(
    "/defined-certificates",
    response={200: DefinedPage, **RESPONSES},
    summary="Your defined certificate applications, newest first",
)
@api_requires(Permission.DEFINED_COS_VIEW)
def defined_list(request: ApiRequest, query: Query[PageQuery]) -> DefinedPage:
    items, info = paginate(
        defined.defined_list_for_user(user=request.auth).order_by("-pk"),
        query.page,
        query.page_size,
    )
    return DefinedPage(items=[_out(a) for a in items], page=info)


@router.post(
    "/defined-certificates",
    response={201: DefinedOut, **RESPONSES},
    summary="Apply for defined certificates for one job",
)
@api_requires(Permission.DEFINED_COS_VIEW)
def defined_apply(request: ApiRequest, payload: DefinedIn) -> Status:
    application = defined.defined_cos_apply(
        actor=request.auth,
        job=defined.DefinedJob(
            job_title=payload.job_title,
            soc_code=payload.soc_code,
            salary=payload.salary,
            weekly_hours=payload.weekly_hours,
            start_date=payload.start_date,
        ),
        number=payload.number,
        justification=payload.justification,
        ip=client_ip(request),
    )
    return Status(201, _out(application))


@router.get(
    "/defined-certificates/{int:request_id}",
    response={200: DefinedOut, **RESPONSES},
    summary="One defined certificate application, with what its grant still allows",
)
@api_requires(Permission.DEFINED_COS_VIEW)
def defined_detail(request: ApiRequest, request_id: int) -> DefinedOut:
    return _out(defined.defined_get_for_user(user=request.auth, request_id=request_id))


@router.post(
    "/defined-certificates/{int:request_id}/certificates",
    response={201: DraftRef, **RESPONSES},
    summary="Start a draft certificate for one worker under a granted application",
)
@api_requires(Permission.DEFINED_COS_VIEW)
def defined_certificate(
    request: ApiRequest, request_id: int, payload: CertificateFromDefinedIn
) -> Status:
    application = defined.defined_get_for_user(user=request.auth, request_id=request_id)
    certificate = defined.certificate_create_from_defined(
        actor=request.auth,
        request=application,
        family_name=payload.family_name,
        ip=client_ip(request),
    )
    return Status(
        201,
        DraftRef(id=certificate.pk, family_name=certificate.family_name, status=certificate.status),
    )
