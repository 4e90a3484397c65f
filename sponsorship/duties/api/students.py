"""API: sponsored students: the register (students on a used CAS), what happened to them
(recorded one by one or sent by a student records system's webhook, safe to retry), and their
activity reports, graduate notifications included. The same services as the pages."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import Count, Q, QuerySet
from ninja import Field, Query, Router, Schema, Status
from ninja.params.functions import Path as PathParam

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.certificates.api.schemas import LARGEST_ID, Id, TextRules
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, IsoDate, PageQuery, UserRef, user_ref

from .. import selectors, services
from ..models import (
    STUDENT_STATUSES,
    ActivityReport,
    DutyStatus,
    EventSource,
    PersonKind,
    Worker,
)
from .events import RETRIES
from .schemas import (
    ANSWERS_CHECKED,
    DATE_RANGE,
    STUDENT_EVENT_QUESTIONS,
    STUDENT_REPORT_QUESTIONS,
    Details,
    ExternalId,
    HrEventPage,
    HrEventRecordedOut,
    ReportRef,
    StudentEventKindCode,
    StudentReportKind,
    WorkerContactOut,
    contact_out,
    duty_raised_out,
    event_out,
    report_fields,
    today,
)

router = Router(tags=["Student register"])

StudentId = Annotated[int, PathParam(description="The student's `id` on your student register.")]
StudentReportId = Annotated[int, PathParam(description="The report's `id`.")]
StudentStatusFilter = Literal[(*(s.value for s in STUDENT_STATUSES), "sponsored")]  # type: ignore[valid-type]
CasNumber = Annotated[str, TextRules("CAS number", 40, required=True)]


# ---------------------------------------------------------------- the register


class StudentQuery(PageQuery):
    status: StudentStatusFilter | None = Field(  # type: ignore[valid-type]
        None,
        description="NOT_ENROLLED, STUDYING, STUDIES_PAUSED or ENDED; `sponsored` for everyone "
        "not ended.",
    )
    search: Annotated[str, TextRules("Search", 100)] = Field(
        "",
        description="A CAS number or a student ID, exactly (a CAS number's spaces and case "
        "ignored), or the start of the student's family name.",
    )
    course: Annotated[str, TextRules("Course", 100)] = Field(
        "", description="Part of the course title, in any case."
    )
    course_starts_from: IsoDate | None = Field(
        None, description="Only courses starting on or after this day."
    )
    course_starts_to: IsoDate | None = Field(
        None, description="Only courses starting on or before this day."
    )


class StudentOut(Schema):
    id: int = Field(description="The student's id on your student register.")
    certificate_id: int = Field(description="The CAS that sponsors them.")
    cas_number: str
    family_name: str
    given_names: str
    owner: UserRef = Field(
        description="Who owns the CAS: a Level 2 user sees only their own students."
    )
    student_id: str = Field(description="Your own reference for the student (ApplicantID).")
    course_title: str
    course_start_date: date | None
    course_end_date: date | None
    study_address: str = Field(description="The main study address.")
    nation: str = Field(
        description="ENG, WLS, SCT or NIR: the study address's part of the UK, whose bank "
        "holidays count in this student's deadlines."
    )
    nation_name: str
    status: str = Field(description="NOT_ENROLLED, STUDYING, STUDIES_PAUSED or ENDED.")
    status_name: str
    enrolled_on: date | None = Field(description="The day they enrolled, once recorded.")
    ended_on: date | None
    ended_reason: str = Field(description="Why sponsorship ended, once it has.")
    email: str
    phone: str
    home_address: str
    open_duties: int = Field(description="Duties about this student still to report.")
    created_at: datetime = Field(description="When they joined the register.")
    updated_at: datetime
    version: int


class StudentDetailOut(StudentOut):
    contact_history: list[WorkerContactOut] = Field(description="Newest first.")


class StudentPage(Schema):
    items: list[StudentOut]
    page: PageInfo


def _student_fields(student: Worker, open_duties: int) -> dict[str, Any]:
    certificate = student.certificate
    return {
        "id": student.pk,
        "certificate_id": certificate.pk,
        "cas_number": certificate.number or "",
        "family_name": certificate.family_name,
        "given_names": certificate.given_names,
        "owner": user_ref(certificate.owner),
        "student_id": student.student_id,
        "course_title": student.course_title,
        "course_start_date": student.course_start_date,
        "course_end_date": student.course_end_date,
        "study_address": student.study_address,
        "nation": student.nation,
        "nation_name": student.get_nation_display(),
        "status": student.status,
        "status_name": student.get_status_display(),
        "enrolled_on": student.started_on,
        "ended_on": student.ended_on,
        "ended_reason": student.ended_reason,
        "email": student.email,
        "phone": student.phone,
        "home_address": student.home_address,
        "open_duties": open_duties,
        "created_at": student.created_at,
        "updated_at": student.updated_at,
        "version": student.version,
    }


def _with_open_duties(rows: QuerySet[Worker]) -> QuerySet[Worker]:
    return rows.annotate(open_duties=Count("duties", filter=Q(duties__status=DutyStatus.OPEN)))


@router.get(
    "/students",
    response={200: StudentPage, **RESPONSES},
    summary="Your sponsored students: the register, by family name",
    description="One row per student sponsored through a used CAS, put on the register when "
    "the Home Office marks the CAS used. A Level 2 user sees the students whose CAS they own.",
)
@api_requires(Permission.STUDENT_REGISTER_VIEW)
def students(request: ApiRequest, query: Query[StudentQuery]) -> StudentPage:
    rows = selectors.student_list_for_user(
        user=request.auth,
        status=query.status or "",
        search=query.search,
        course=query.course,
        course_starts_from=query.course_starts_from,
        course_starts_to=query.course_starts_to,
    )
    items, info = paginate(_with_open_duties(rows), query.page, query.page_size)
    return StudentPage(
        items=[StudentOut(**_student_fields(s, s.open_duties)) for s in items], page=info
    )


@router.get(
    "/students/{int:student_id}",
    response={200: StudentDetailOut, **RESPONSES},
    summary="One student on your register, with their contact details' history",
)
@api_requires(Permission.STUDENT_REGISTER_VIEW)
def student(request: ApiRequest, student_id: StudentId) -> StudentDetailOut:
    found = selectors.student_get_for_user(user=request.auth, student_id=student_id)
    open_duties = (
        selectors.duty_list_for_user(user=request.auth, today=today(), worker=found)
        .filter(status=DutyStatus.OPEN)
        .count()
    )
    return StudentDetailOut(
        **_student_fields(found, open_duties),
        contact_history=[contact_out(c) for c in selectors.worker_contacts(found)],
    )


# ---------------------------------------------------------------- events

WHAT_EACH_EVENT_ASKS = f"""The kinds of event, and the `details` each asks for:

{STUDENT_EVENT_QUESTIONS}

{ANSWERS_CHECKED}"""

EVENT_ANSWERS = """Answers **201** with the event and the duties it raised (what must now be
reported, and by when: 10 working days in the student's study nation), or **200** with the
event first recorded when the same `external_id` was sent before with the same event.
ENROLLED within the enrolment period cancels a "did not enrol" duty already raised; after it,
"did not enrol" is raised, dated the period's last day."""


class StudentEventFieldsIn(StrictSchema):
    kind: StudentEventKindCode
    occurred_on: IsoDate = Field(
        description="The day it happened: the day they enrolled, stopped engaging, left, "
        f"took a break, resumed or completed the course. Not in the future; {DATE_RANGE}."
    )
    details: Details = Field(
        default_factory=dict,
        description="The kind's own answers, by question name (see the operation's "
        "description). `{}` for a kind with none.",
    )


class StudentEventIn(StudentEventFieldsIn):
    external_id: ExternalId | None = Field(
        None,
        description="Your own system's id for this event, up to 100 characters, unique among "
        "your organisation's events. Sent again, the event is recorded once.",
    )


class StudentEventWebhookIn(StudentEventFieldsIn):
    cas_number: CasNumber = Field(
        description="The number of the CAS that sponsors the student, 14 characters like "
        "E1A2B3C4D5E6F7 (case and spaces ignored)."
    )
    external_id: ExternalId = Field(
        description="Your own system's id for this event, 1 to 100 characters, unique among "
        "your organisation's events: required, so that a retry is recorded once."
    )


def _record(
    request: ApiRequest, found: Worker, payload: StudentEventFieldsIn, external_id: str
) -> Status:
    event, created = services.student_event_record(
        actor=request.auth,
        student=found,
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        details=payload.details,
        external_id=external_id,
        source=EventSource.API,
        ip=client_ip(request),
    )
    raised = selectors.duties_raised_by(event)
    return Status(
        201 if created else 200,
        HrEventRecordedOut(event=event_out(event), duties=[duty_raised_out(d) for d in raised]),
    )


@router.get(
    "/students/{int:student_id}/events",
    response={200: HrEventPage, **RESPONSES},
    summary="The events recorded about a student, newest first",
)
@api_requires(Permission.STUDENT_REGISTER_VIEW)
def student_events(
    request: ApiRequest, student_id: StudentId, query: Query[PageQuery]
) -> HrEventPage:
    found = selectors.student_get_for_user(user=request.auth, student_id=student_id)
    items, info = paginate(selectors.worker_events(found), query.page, query.page_size)
    return HrEventPage(items=[event_out(e) for e in items], page=info)


@router.post(
    "/students/{int:student_id}/events",
    response={201: HrEventRecordedOut, 200: HrEventRecordedOut, **RESPONSES},
    summary="Record what happened to a student: enrolled, stopped engaging, withdrew...",
    description=f"""The register is brought up to date, and any duty the event makes
reportable is raised. `external_id` is optional here; with one, sending the event again records
it once.

{EVENT_ANSWERS}

{WHAT_EACH_EVENT_ASKS}""",
)
@api_requires(Permission.STUDENT_EVENTS_RECORD)
def student_event_record(
    request: ApiRequest, student_id: StudentId, payload: StudentEventIn
) -> Status:
    found = selectors.student_get_for_user(user=request.auth, student_id=student_id)
    return _record(request, found, payload, payload.external_id or "")


@router.post(
    "/student-events",
    response={201: HrEventRecordedOut, 200: HrEventRecordedOut, **RESPONSES},
    summary="Receive an event from a student records system (for webhooks): safe to retry",
    description=f"""For a student records system's webhook: the student is named by the
number of the CAS that sponsors them, and `external_id` is required. The event is recorded as
by `POST /students/{{student_id}}/events`. A Level 2 user's token reaches only the students
whose CAS they own; any other number is not found (404).

{EVENT_ANSWERS}

{RETRIES}

{WHAT_EACH_EVENT_ASKS}""",
)
@api_requires(Permission.STUDENT_EVENTS_RECORD)
def student_event_receive(request: ApiRequest, payload: StudentEventWebhookIn) -> Status:
    try:
        found = selectors.student_get_by_cas_number(user=request.auth, number=payload.cas_number)
    except NotFound as missing:
        raise NotFound(missing.message, field="cas_number") from None
    return _record(request, found, payload, payload.external_id)


# ---------------------------------------------------------------- reports


class StudentReportIn(StrictSchema):
    kind: StudentReportKind = Field(description="What you are reporting.")  # type: ignore[valid-type]
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
        description="To correct an earlier report about the same student: its `id`. The "
        "earlier report stays as it was.",
    )


class StudentReportOut(Schema):
    id: int
    reference: str = Field(description="MA and 8 digits: quote it to the Home Office.")
    student_id: int = Field(description="The student's id on your student register.")
    cas_number: str
    student_name: str
    kind: str
    kind_name: str
    event_date: date
    event_date_label: str = Field(description="What the event date means for this kind.")
    clock_starts_on: date
    due_on: date | None = Field(
        description="The last day to report it; null for a graduate notification (sent before "
        "the student applies for the Graduate route)."
    )
    late: bool = Field(description="Submitted after the due date.")
    nation: str
    details: dict[str, Any] = Field(description="The answers as checked and kept.")
    corrects: ReportRef | None = Field(description="The earlier report this one corrects.")
    submitted_by: UserRef
    submitted_at: datetime
    source: str = Field(
        description="WEB (submitted in the service), API, or BLK (a record of a bulk file)."
    )


class StudentReportPage(Schema):
    items: list[StudentReportOut] = Field(description="Newest first.")
    page: PageInfo


class StudentReportQuery(PageQuery):
    student_id: int | None = Field(
        None, ge=1, le=LARGEST_ID, description="Only the reports about this student."
    )


def _report_out(report: ActivityReport) -> StudentReportOut:
    fields = report_fields(report)
    fields["student_id"] = fields.pop("worker_id")
    fields["student_name"] = fields.pop("worker_name")
    fields["cas_number"] = fields.pop("certificate_number")
    return StudentReportOut(**fields)


def _own_report(request: ApiRequest, report_id: int) -> ActivityReport:
    return selectors.report_get_for_user(
        user=request.auth, report_id=report_id, about=PersonKind.STUDENT
    )


@router.post(
    "/students/{int:student_id}/reports",
    response={201: StudentReportOut, **RESPONSES},
    summary="Report a student's activity, or send a graduate notification. Final",
    description=f"""Only about a student whose CAS is used (409 `certificate_not_used`
otherwise). The report records its deadline (10 working days in the student's study nation;
none for a graduate notification) and whether it was submitted late. It closes the student's
open duties of the same kind. A report that ends sponsorship (withdrawn, excluded, completed
early, sponsorship ended, a graduate notification, or any answering `false` to
`sponsorship_continues`) closes all of them and ends the student's sponsorship; after it only
a correction (`corrects_id`) can be sent (409 `sponsorship_stopped`), and, after completing
early, the graduate notification.

The kinds, what their event date is, and the `details` each asks for:

{STUDENT_REPORT_QUESTIONS}

{ANSWERS_CHECKED}""",
)
@api_requires(Permission.STUDENT_ACTIVITY_REPORT)
def student_report_submit(
    request: ApiRequest, student_id: StudentId, payload: StudentReportIn
) -> Status:
    found = selectors.student_get_for_user(user=request.auth, student_id=student_id)
    corrects = None
    if payload.corrects_id is not None:
        try:
            corrects = _own_report(request, payload.corrects_id)
        except NotFound:
            raise ApplicationError(
                "There is no such report of yours to correct", field="corrects_id"
            ) from None
    try:
        report = services.student_activity_report(
            actor=request.auth,
            certificate=found.certificate,
            kind=payload.kind,
            event_date=payload.event_date,
            answers=payload.details,
            source=EventSource.API,
            ip=client_ip(request),
            corrects=corrects,
        )
    except ApplicationError as error:
        # The service names the web form's field; here it is `corrects_id`.
        error.errors = [
            ("corrects_id" if field == "corrects" else field, message)
            for field, message in error.errors
        ]
        raise
    return Status(201, _report_out(_own_report(request, report.pk)))


@router.get(
    "/student-reports",
    response={200: StudentReportPage, **RESPONSES},
    summary="Your student activity reports and graduate notifications, newest first",
    description="A Level 2 user sees the reports about the students whose CAS they own.",
)
@api_requires(Permission.STUDENT_ACTIVITY_REPORT)
def student_reports(request: ApiRequest, query: Query[StudentReportQuery]) -> StudentReportPage:
    found: Any = None
    if query.student_id is not None:
        found = selectors.student_get_for_user(user=request.auth, student_id=query.student_id)
    rows = selectors.report_list_for_user(user=request.auth, worker=found, about=PersonKind.STUDENT)
    items, info = paginate(rows, query.page, query.page_size)
    return StudentReportPage(items=[_report_out(r) for r in items], page=info)


@router.get(
    "/student-reports/{int:report_id}",
    response={200: StudentReportOut, **RESPONSES},
    summary="One student activity report or graduate notification",
)
@api_requires(Permission.STUDENT_ACTIVITY_REPORT)
def student_report(request: ApiRequest, report_id: StudentReportId) -> StudentReportOut:
    return _report_out(_own_report(request, report_id))
