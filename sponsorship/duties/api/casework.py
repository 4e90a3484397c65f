"""Casework API: every sponsor's activity reports about workers and students, filtered, with late
ones flagged."""

from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.casework.api.requests import CaseworkSponsorRef, sponsor_ref
from sponsorship.certificates.api.schemas import TextRules
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, PageQuery

from .. import selectors
from ..kinds import STUDENT_EVENT_KINDS, WORKER_EVENT_KINDS
from ..models import ActivityReport
from .schemas import ActivityReportOut, ReportId, report_fields

router = Router(tags=["Casework: activity reports"])

Search = Annotated[str, TextRules("Search", 100)]
ANY_KIND = [*WORKER_EVENT_KINDS, *STUDENT_EVENT_KINDS]
AnyReportKind = Literal[tuple(kind.value for kind in ANY_KIND)]  # type: ignore[valid-type]


class CaseworkActivityReportOut(ActivityReportOut):
    sponsor: CaseworkSponsorRef = Field(description="The sponsor that submitted it.")


class CaseworkActivityReportPage(Schema):
    items: list[CaseworkActivityReportOut] = Field(description="Newest first.")
    page: PageInfo


class CaseworkActivityReportQuery(PageQuery):
    sponsor: Search = Field(
        "", description="The sponsor's licence number, exactly, or part of its name."
    )
    kind: AnyReportKind | None = Field(  # type: ignore[valid-type]
        None, description="What was reported: " + ", ".join(ANY_KIND) + "."
    )
    late: bool = Field(False, description="true: only the reports submitted late.")
    number: Search = Field(
        "",
        description="The certificate or CAS number, exactly (case and spaces ignored).",
    )


def _out(report: ActivityReport) -> CaseworkActivityReportOut:
    return CaseworkActivityReportOut(**report_fields(report), sponsor=sponsor_ref(report.sponsor))


@router.get(
    "/activity-reports",
    response={200: CaseworkActivityReportPage, **RESPONSES},
    summary="Every sponsor's activity reports about workers and students, newest first",
    description="Every filter given must match. `late` reports were submitted after their "
    "due date.",
)
@api_requires(Permission.CASEWORK_ACTIVITY_VIEW)
def casework_activity_reports(
    request: ApiRequest, query: Query[CaseworkActivityReportQuery]
) -> CaseworkActivityReportPage:
    rows = selectors.report_list_for_caseworker(
        sponsor_search=query.sponsor,
        kind=query.kind or "",
        late_only=query.late,
        number=query.number,
    )
    items, info = paginate(rows, query.page, query.page_size)
    return CaseworkActivityReportPage(items=[_out(r) for r in items], page=info)


@router.get(
    "/activity-reports/{int:report_id}",
    response={200: CaseworkActivityReportOut, **RESPONSES},
    summary="One activity report of any sponsor",
)
@api_requires(Permission.CASEWORK_ACTIVITY_VIEW)
def casework_activity_report(request: ApiRequest, report_id: ReportId) -> CaseworkActivityReportOut:
    return _out(selectors.report_get_for_caseworker(report_id=report_id))
