"""API: migrant activity reports: submit one about a worker, read yours. Final once submitted;
a correction is a new report pointing at the one it corrects."""

from typing import Any

from ninja import Field, Query, Router, Status

from sponsorship.api.pagination import paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.certificates.api.schemas import LARGEST_ID, Id
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, IsoDate, PageQuery

from .. import selectors, services
from ..models import ActivityReport, EventSource, PersonKind
from .schemas import (
    ANSWERS_CHECKED,
    DATE_RANGE,
    REPORT_QUESTIONS,
    ActivityReportOut,
    ActivityReportPage,
    Details,
    ReportId,
    ReportKind,
    WorkerId,
    report_out,
)

router = Router(tags=["Activity reports"])


class ActivityReportIn(StrictSchema):
    kind: ReportKind = Field(description="What you are reporting.")  # type: ignore[valid-type]
    event_date: IsoDate = Field(
        description="What the date means depends on the kind (see the operation's "
        f"description); its deadline is worked out from it. Not in the future; {DATE_RANGE}."
    )
    details: Details = Field(
        default_factory=dict,
        description="The kind's own answers, by question name (see the operation's description).",
    )
    corrects_id: Id | None = Field(
        None,
        description="To correct an earlier report about the same worker: its `id`. The "
        "earlier report stays as it was.",
    )


class ActivityReportQuery(PageQuery):
    worker_id: int | None = Field(
        None, ge=1, le=LARGEST_ID, description="Only the reports about this worker."
    )


def _own(request: ApiRequest, report_id: int) -> ActivityReport:
    """A report about one of the caller's workers (students' reports are under
    /student-reports)."""
    return selectors.report_get_for_user(
        user=request.auth, report_id=report_id, about=PersonKind.WORKER
    )


@router.post(
    "/workers/{int:worker_id}/reports",
    response={201: ActivityReportOut, **RESPONSES},
    summary="Report migrant activity about a worker to the Home Office. Final",
    description=f"""Only about a worker whose certificate is used (409 `certificate_not_used`
otherwise). The report records its deadline, worked out from the event's own rule, and whether
it was submitted late. It closes the worker's open duties of the same kind; a report that
sponsorship stopped closes all of them and ends the worker's sponsorship, after which only a
correction (`corrects_id`) can be sent (409 `sponsorship_stopped`).

The kinds, what their event date is, and the `details` each asks for:

{REPORT_QUESTIONS}

{ANSWERS_CHECKED}""",
)
@api_requires(Permission.ACTIVITY_REPORT)
def report_submit(request: ApiRequest, worker_id: WorkerId, payload: ActivityReportIn) -> Status:
    worker = selectors.worker_get_for_user(user=request.auth, worker_id=worker_id)
    corrects = None
    if payload.corrects_id is not None:
        try:
            corrects = _own(request, payload.corrects_id)
        except NotFound:
            raise ApplicationError(
                "There is no such report of yours to correct", field="corrects_id"
            ) from None
    try:
        report = services.activity_report_submit(
            actor=request.auth,
            worker=worker,
            kind=payload.kind,
            event_date=payload.event_date,
            details=payload.details,
            corrects=corrects,
            source=EventSource.API,
            ip=client_ip(request),
        )
    except ApplicationError as error:
        # The service names the web form's field; here it is `corrects_id`.
        error.errors = [
            ("corrects_id" if field == "corrects" else field, message)
            for field, message in error.errors
        ]
        raise
    return Status(201, report_out(_own(request, report.pk)))


@router.get(
    "/reports",
    response={200: ActivityReportPage, **RESPONSES},
    summary="Your migrant activity reports, newest first",
    description="A Level 2 user sees the reports about the workers they own. Reports about "
    "students are under `GET /student-reports`.",
)
@api_requires(Permission.ACTIVITY_REPORT)
def reports(request: ApiRequest, query: Query[ActivityReportQuery]) -> ActivityReportPage:
    worker: Any = None
    if query.worker_id is not None:
        worker = selectors.worker_get_for_user(user=request.auth, worker_id=query.worker_id)
    rows = selectors.report_list_for_user(user=request.auth, worker=worker, about=PersonKind.WORKER)
    items, info = paginate(rows, query.page, query.page_size)
    return ActivityReportPage(items=[report_out(r) for r in items], page=info)


@router.get(
    "/reports/{int:report_id}",
    response={200: ActivityReportOut, **RESPONSES},
    summary="One migrant activity report",
)
@api_requires(Permission.ACTIVITY_REPORT)
def report(request: ApiRequest, report_id: ReportId) -> ActivityReportOut:
    return report_out(_own(request, report_id))
