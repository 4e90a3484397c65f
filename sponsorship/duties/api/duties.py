"""API: duties: what must be reported, by when, grouped as the compliance dashboard groups
them."""

from typing import Annotated, Any, Literal

from ninja import Field, Query, Router, Status

from sponsorship.api.pagination import paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.certificates.api.schemas import LARGEST_ID
from sponsorship.core.errors import ApplicationError
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, IsoDate, PageQuery
from sponsorship.licences.models import OrganisationChange

from .. import selectors, services
from ..selectors import DutyBucket
from ..services.organisation import MAX_SUMMARY
from .schemas import DutyId, DutyOut, DutyPage, duty_out, today

router = Router(tags=["Duties"])

Bucket = Literal[DutyBucket.ALL]  # type: ignore[valid-type]


class DutyQuery(PageQuery):
    bucket: Bucket | None = Field(
        None,
        description="overdue: open and past its due date; this-week: open and due by Sunday; "
        "later: open and due after that; done: reported or no longer needed. Every duty when "
        "left out.",
    )
    worker_id: int | None = Field(
        None, ge=1, le=LARGEST_ID, description="Only the duties about this worker."
    )
    student_id: int | None = Field(
        None,
        ge=1,
        le=LARGEST_ID,
        description="Only the duties about this student (their `id` on the student register).",
    )


@router.get(
    "/duties",
    response={200: DutyPage, **RESPONSES},
    summary="Your duties: what must be reported, by when",
    description="Raised by recorded events and by the daily check of every worker and student "
    "(a worker who has not started 28 days after the latest start date, a student not "
    "enrolled by the end of the enrolment period, for example); closed by the report that "
    "meets them. A Level 2 user sees the duties about the workers and students they own, and "
    "none about the organisation.",
)
@api_requires(Permission.COMPLIANCE_VIEW)
def duties(request: ApiRequest, query: Query[DutyQuery]) -> DutyPage:
    worker: Any = None
    if query.worker_id is not None and query.student_id is not None:
        raise ApplicationError(
            "Ask for the duties of a worker or of a student, not both", field="student_id"
        )
    if query.worker_id is not None:
        worker = selectors.worker_get_for_user(user=request.auth, worker_id=query.worker_id)
    if query.student_id is not None:
        worker = selectors.student_get_for_user(user=request.auth, student_id=query.student_id)
    on = today()
    rows = selectors.duty_list_for_user(
        user=request.auth, bucket=query.bucket or "", today=on, worker=worker
    )
    items, info = paginate(rows, query.page, query.page_size)
    return DutyPage(items=[duty_out(d, on) for d in items], page=info)


@router.get(
    "/duties/{int:duty_id}",
    response={200: DutyOut, **RESPONSES},
    summary="One duty, with the report that met it",
)
@api_requires(Permission.COMPLIANCE_VIEW)
def duty(request: ApiRequest, duty_id: DutyId) -> DutyOut:
    on = today()
    return duty_out(selectors.duty_get_for_user(user=request.auth, duty_id=duty_id, today=on), on)


class OrganisationChangeIn(StrictSchema):
    change_type: Annotated[OrganisationChange, Field(strict=False)] = Field(
        description="What changed."
    )
    change_date: IsoDate = Field(description="When the change happened: today or earlier.")
    summary: str = Field(
        min_length=1,
        max_length=MAX_SUMMARY,
        description="What changed, in a sentence, for your own record and the reminders.",
    )


@router.post(
    "/organisation-changes",
    response={201: DutyOut, **RESPONSES},
    summary="Record a change to your organisation, to get its deadline and reminders",
    description="Changes to the organisation are reported within 20 working days of the "
    "change (key personnel: as the service is configured), counted in the head office's part "
    "of the UK. Recording one here gives a duty with that deadline and reminders before it; "
    "sending the change of circumstances request (`POST /change-requests`) meets it. Level 1 only.",
)
@api_requires(Permission.LICENCE_CHANGE_REQUEST)
def organisation_change(request: ApiRequest, payload: OrganisationChangeIn) -> Status:
    duty = services.organisation_change_record(
        actor=request.auth,
        change_type=payload.change_type.value,
        change_date=payload.change_date,
        summary=payload.summary,
        ip=client_ip(request),
    )
    return Status(201, duty_out(duty, today()))
