"""The duties API's shapes. The questions each HR event and each report asks come from the same
tables as the web forms (kinds.HR_EVENT_FIELDS, kinds.REPORT_FIELDS): the operations' own
descriptions are written from them, and the service checks the answers, so the API, the forms
and the rules never drift apart."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from ninja.params.functions import Path as PathParam
from pydantic import PlainValidator, WithJsonSchema, create_model

from sponsorship.api.pagination import PageInfo
from sponsorship.api.schemas import StrictSchema
from sponsorship.certificates.api.schemas import TextRules, Version
from sponsorship.licences.api.shapes import NO_NUL, IsoDate, UserRef, optional_user_ref, user_ref

from ..fields import EARLIEST_DATE, LATEST_DATE, long_date
from ..kinds import (
    EVENT_DATE_LABELS,
    HR_EVENT_FIELDS,
    REPORT_FIELDS,
    STUDENT_EVENT_KINDS,
    WORKER_EVENT_KINDS,
    EventKind,
    ReportField,
)
from ..models import (
    STUDENT_HR_EVENT_KINDS,
    WORKER_HR_EVENT_KINDS,
    AbsenceType,
    ActivityReport,
    ComplianceSettings,
    Duty,
    DutyStatus,
    HrEvent,
    HrEventKind,
    Worker,
    WorkerContact,
)
from ..selectors import DutyBucket, end_of_week
from ..services import EDITABLE_DATES

WorkerId = Annotated[int, PathParam(description="The worker's `id` on your register.")]
ReportId = Annotated[int, PathParam(description="The report's `id`.")]
DutyId = Annotated[int, PathParam(description="The duty's `id`.")]

# Each question has its own limit, which the service checks and names; this bound only stops a
# runaway request.
LONGEST_ANSWER = 100_000
ANSWER_FORMAT = "Answer with text, a number, true or false"


# What the service accepts as a date (fields.parse_date), in words for the document.
DATE_RANGE = f"from {long_date(EARLIEST_DATE)} to {long_date(LATEST_DATE)}"


def _answer(value: Any) -> Any:
    """One answer in `details`: what each question means is the service's to check."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if not isinstance(value, str):
        raise ValueError(ANSWER_FORMAT)
    if "\x00" in value:
        raise ValueError("Remove the NUL character from the answer")
    if len(value) > LONGEST_ANSWER:
        raise ValueError(f"An answer must be {LONGEST_ANSWER:,} characters or fewer")
    return value


Answer = Annotated[
    Any,
    PlainValidator(_answer),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": LONGEST_ANSWER, "pattern": NO_NUL},
                {"type": "number"},
                {"type": "boolean"},
                {"type": "null"},
            ]
        }
    ),
]
Details = dict[str, Answer]


# The per-kind questions, in words, for the operations' descriptions.


def _format(field: ReportField) -> str:
    if field.kind == "date":
        return "a date, like 2026-11-27"
    if field.kind == "yes_no":
        return "true or false"
    if field.kind == "money":
        return 'pounds, like "38500" or "38500.50", with no commas or pound sign'
    if field.kind == "choice" and field.choices is not None:
        return "one of " + ", ".join(
            f"`{value}` ({words})" for value, words in field.choices.choices
        )
    if field.kind == "email":
        return f"an e-mail address, up to {field.max_length:,} characters"
    return f"text, up to {field.max_length:,} characters"


def _question(field: ReportField) -> str:
    need = "required" if field.required else "optional"
    words = field.label if field.label.endswith(("?", ".")) else f"{field.label}."
    hint = f" {field.hint}" if field.hint else ""
    return f"    - `{field.name}` ({need}; {_format(field)}): {words}{hint}"


def questions(
    table: dict[str, tuple[ReportField, ...]],
    names: dict[str, str],
    dated: dict[str, str] | None = None,
) -> str:
    """Markdown: each kind, what its date means (when `dated` says), and its questions."""
    lines = []
    for kind, fields in table.items():
        head = f"- `{kind}` ({names[kind]})"
        if dated is not None:
            head += f". The event date: {dated[kind][:1].lower()}{dated[kind][1:]}"
        lines.append(f"{head}. " + ("Its details:" if fields else "No details: send `{}`."))
        lines.extend(_question(field) for field in fields)
    return "\n".join(lines)


def _only(table: dict[str, tuple[ReportField, ...]], kinds: list[Any]) -> dict[str, Any]:
    return {kind: fields for kind, fields in table.items() if kind in kinds}


HR_EVENT_QUESTIONS = questions(
    _only(HR_EVENT_FIELDS, WORKER_HR_EVENT_KINDS), dict(HrEventKind.choices)
)
REPORT_QUESTIONS = questions(
    _only(REPORT_FIELDS, WORKER_EVENT_KINDS), dict(EventKind.choices), EVENT_DATE_LABELS
)
STUDENT_EVENT_QUESTIONS = questions(
    _only(HR_EVENT_FIELDS, STUDENT_HR_EVENT_KINDS), dict(HrEventKind.choices)
)
STUDENT_REPORT_QUESTIONS = questions(
    _only(REPORT_FIELDS, STUDENT_EVENT_KINDS), dict(EventKind.choices), EVENT_DATE_LABELS
)
ANSWERS_CHECKED = (
    "A question left out, an answer in the wrong form or a name that is not a question of "
    'that kind is refused with 400, naming the field like `"details.new_salary"`, and nothing '
    "is recorded."
)


# Input


WorkerHrKind = Literal[tuple(kind.value for kind in WORKER_HR_EVENT_KINDS)]  # type: ignore[valid-type]
StudentHrKind = Literal[tuple(kind.value for kind in STUDENT_HR_EVENT_KINDS)]  # type: ignore[valid-type]
HrEventKindCode = Annotated[
    WorkerHrKind,  # type: ignore[valid-type]
    Field(description="What happened: " + ", ".join(WORKER_HR_EVENT_KINDS) + "."),
]
StudentEventKindCode = Annotated[
    StudentHrKind,  # type: ignore[valid-type]
    Field(description="What happened: " + ", ".join(STUDENT_HR_EVENT_KINDS) + "."),
]
AbsenceTypeCode = Annotated[AbsenceType, Field(strict=False)]
# What a migrant activity report can be about: never the organisation.
ReportKind = Literal[tuple(kind.value for kind in WORKER_EVENT_KINDS)]  # type: ignore[valid-type]
# What a student activity report can be about, graduate notifications included.
StudentReportKind = Literal[tuple(kind.value for kind in STUDENT_EVENT_KINDS)]  # type: ignore[valid-type]
ExternalId = Annotated[str, TextRules("External id", 100, required=True)]
CertificateNumber = Annotated[str, TextRules("Certificate number", 40, required=True)]


class HrEventFieldsIn(StrictSchema):
    kind: HrEventKindCode
    occurred_on: IsoDate = Field(
        description="The day it happened: the first day at work, the first day of an absence, "
        "the day a change took effect, the last day at work. Only leaving can be in the future "
        f"(a notice period). {DATE_RANGE[:1].upper()}{DATE_RANGE[1:]}."
    )
    ends_on: IsoDate | None = Field(
        None,
        description="ABSENCE only: the last day of the absence, when known. Required for "
        "UNPAID_LEAVE (the planned last day, if it is ahead).",
    )
    absence_type: AbsenceTypeCode | None = Field(
        None, description="ABSENCE only, and required for it: UNAUTHORISED or UNPAID_LEAVE."
    )
    details: Details = Field(
        default_factory=dict,
        description="The kind's own answers, by question name (see the operation's "
        "description). `{}` for a kind with none.",
    )


class HrEventIn(HrEventFieldsIn):
    external_id: ExternalId | None = Field(
        None,
        description="Your own system's id for this event, up to 100 characters, unique among "
        "your organisation's events. Sent again, the event is recorded once.",
    )


class HrEventWebhookIn(HrEventFieldsIn):
    certificate_number: CertificateNumber = Field(
        description="The number of the certificate that sponsors the worker, like C1A2B3C4D5E "
        "(case and spaces ignored)."
    )
    external_id: ExternalId = Field(
        description="Your own system's id for this event, 1 to 100 characters, unique among "
        "your organisation's events: required, so that a retry is recorded once."
    )


_VERSION = "The worker's `version` as you read it, so a stale change is refused."


def _dates_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {"version": (Version, Field(description=_VERSION))}
    for name, label in EDITABLE_DATES.items():
        fields[name] = (
            IsoDate | None,
            Field(
                None,
                description=f"{label}: an ISO date, like 2027-01-04, {DATE_RANGE}; null clears it.",
            ),
        )
    return fields


WorkerDatesIn: type[StrictSchema] = create_model(
    "WorkerDatesIn",
    __base__=StrictSchema,
    __doc__="The register's dates to change; those not sent stay as they are.",
    **_dates_fields(),
)


# Output


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


class WorkerContactOut(Schema):
    email: str
    phone: str
    home_address: str
    changed_on: date = Field(description="The day these details took effect.")
    recorded_at: datetime


class WorkerOut(Schema):
    id: int = Field(description="The worker's id on your register.")
    certificate_id: int = Field(description="The certificate that sponsors them.")
    certificate_number: str
    family_name: str
    given_names: str
    owner: UserRef = Field(
        description="Who owns the certificate: a Level 2 user sees only their own workers."
    )
    status: str = Field(description="AWAITING_START, WORKING or ENDED.")
    status_name: str
    ended_reason: str = Field(description="Why sponsorship ended, once it has.")
    job_title: str
    soc_code: str = Field(description="The occupation code, 4 digits.")
    annual_salary: str | None = Field(description='Gross a year, in pounds, like "38500.00".')
    weekly_hours: str | None = Field(description='Like "37.50".')
    work_address: str = Field(description="The main place of work.")
    other_work_addresses: str
    nation: str = Field(
        description="ENG, WLS, SCT or NIR: whose bank holidays count in this worker's deadlines."
    )
    nation_name: str
    certificate_start_date: date | None
    visa_valid_from: date | None
    visa_granted_on: date | None
    start_trigger_on: date | None = Field(
        description="The latest of the three dates above: the worker must start within 28 "
        "days of it."
    )
    started_on: date | None = Field(description="Their first day at work.")
    ended_on: date | None
    permission_expires_on: date | None = Field(description="Permission (visa) expiry date.")
    right_to_work_checked_on: date | None
    right_to_work_follow_up_on: date | None
    email: str
    phone: str
    home_address: str
    open_duties: int = Field(description="Duties about this worker still to report.")
    created_at: datetime = Field(description="When they joined the register.")
    updated_at: datetime
    version: int = Field(description="Send it back with a change of dates.")


class WorkerDetailOut(WorkerOut):
    contact_history: list[WorkerContactOut] = Field(description="Newest first.")


class WorkerPage(Schema):
    items: list[WorkerOut]
    page: PageInfo


def worker_fields(worker: Worker, open_duties: int) -> dict[str, Any]:
    certificate = worker.certificate
    return {
        "id": worker.pk,
        "certificate_id": certificate.pk,
        "certificate_number": certificate.number or "",
        "family_name": certificate.family_name,
        "given_names": certificate.given_names,
        "owner": user_ref(certificate.owner),
        "status": worker.status,
        "status_name": worker.get_status_display(),
        "ended_reason": worker.ended_reason,
        "job_title": worker.job_title,
        "soc_code": worker.soc_code,
        "annual_salary": _amount(worker.annual_salary),
        "weekly_hours": _amount(worker.weekly_hours),
        "work_address": worker.work_address,
        "other_work_addresses": worker.other_work_addresses,
        "nation": worker.nation,
        "nation_name": worker.get_nation_display(),
        "certificate_start_date": worker.certificate_start_date,
        "visa_valid_from": worker.visa_valid_from,
        "visa_granted_on": worker.visa_granted_on,
        "start_trigger_on": worker.start_trigger_on,
        "started_on": worker.started_on,
        "ended_on": worker.ended_on,
        "permission_expires_on": worker.permission_expires_on,
        "right_to_work_checked_on": worker.right_to_work_checked_on,
        "right_to_work_follow_up_on": worker.right_to_work_follow_up_on,
        "email": worker.email,
        "phone": worker.phone,
        "home_address": worker.home_address,
        "open_duties": open_duties,
        "created_at": worker.created_at,
        "updated_at": worker.updated_at,
        "version": worker.version,
    }


def contact_out(contact: WorkerContact) -> WorkerContactOut:
    return WorkerContactOut(
        email=contact.email,
        phone=contact.phone,
        home_address=contact.home_address,
        changed_on=contact.changed_on,
        recorded_at=contact.recorded_at,
    )


class HrEventOut(Schema):
    id: int
    worker_id: int
    kind: str
    kind_name: str
    occurred_on: date
    ends_on: date | None
    absence_type: str = Field(description="UNAUTHORISED or UNPAID_LEAVE for an absence.")
    details: dict[str, Any] = Field(description="The answers as checked and kept.")
    external_id: str = Field(description="The sending system's id, if it gave one.")
    source: str = Field(description="WEB (recorded in the service) or API.")
    recorded_by: UserRef | None
    recorded_at: datetime


class HrEventPage(Schema):
    items: list[HrEventOut] = Field(description="Newest first, by the day it happened.")
    page: PageInfo


def event_out(event: HrEvent) -> HrEventOut:
    return HrEventOut(
        id=event.pk,
        worker_id=event.worker_id,
        kind=event.kind,
        kind_name=event.get_kind_display(),
        occurred_on=event.occurred_on,
        ends_on=event.ends_on,
        absence_type=event.absence_type,
        details=event.details,
        external_id=event.external_id,
        source=event.source,
        recorded_by=optional_user_ref(event.recorded_by),
        recorded_at=event.recorded_at,
    )


class DutyRaisedOut(Schema):
    id: int
    kind: str = Field(description="What must be reported, like ABSENCE.")
    kind_name: str
    due_on: date = Field(description="The last day to report it.")


class HrEventRecordedOut(Schema):
    event: HrEventOut
    duties: list[DutyRaisedOut] = Field(
        description="The duties this event raised: what must now be reported, by when. Empty "
        "on a repeat of an event already recorded (GET /duties?worker_id= lists them)."
    )


def duty_raised_out(duty: Duty) -> DutyRaisedOut:
    return DutyRaisedOut(
        id=duty.pk, kind=duty.kind, kind_name=duty.get_kind_display(), due_on=duty.due_on
    )


class DutyWorkerRef(Schema):
    id: int = Field(description="Their `id` on the worker or the student register.")
    kind: str = Field(description="WORKER or STUDENT: which register they are on.")
    certificate_number: str = Field(description="The certificate's or the CAS's number.")
    name: str


class ReportRef(Schema):
    id: int
    reference: str = Field(description="MA and 8 digits.")


class DutyOut(Schema):
    id: int
    kind: str
    kind_name: str
    worker: DutyWorkerRef | None = Field(
        description="The worker or student it is about; null for a change to the organisation."
    )
    event_date: date = Field(description="What happened, and when: see the kind's rule.")
    clock_starts_on: date
    due_on: date = Field(description="The last day to report it.")
    nation: str = Field(description="Whose bank holidays counted in the due date.")
    summary: str
    status: str = Field(description="OPEN, DONE (reported) or CANCELLED (no longer needed).")
    status_name: str
    bucket: str = Field(description="overdue, this-week, later or done, as of today.")
    raised_at: datetime
    closed_at: datetime | None
    closed_note: str
    report: ReportRef | None = Field(description="The report that met it.")


class DutyPage(Schema):
    items: list[DutyOut] = Field(description="Open duties first, soonest due first.")
    page: PageInfo


def _bucket(duty: Duty, today: date) -> str:
    if duty.status != DutyStatus.OPEN:
        return DutyBucket.DONE
    if duty.due_on < today:
        return DutyBucket.OVERDUE
    if duty.due_on <= end_of_week(today):
        return DutyBucket.THIS_WEEK
    return DutyBucket.LATER


def duty_out(duty: Duty, today: date) -> DutyOut:
    worker = duty.worker
    return DutyOut(
        id=duty.pk,
        kind=duty.kind,
        kind_name=duty.get_kind_display(),
        worker=None
        if worker is None
        else DutyWorkerRef(
            id=worker.pk,
            kind=worker.kind,
            certificate_number=worker.certificate.number or "",
            name=worker.certificate.full_name,
        ),
        event_date=duty.event_date,
        clock_starts_on=duty.clock_starts_on,
        due_on=duty.due_on,
        nation=duty.nation,
        summary=duty.summary,
        status=duty.status,
        status_name=duty.get_status_display(),
        bucket=_bucket(duty, today),
        raised_at=duty.raised_at,
        closed_at=duty.closed_at,
        closed_note=duty.closed_note,
        report=None
        if duty.report is None
        else ReportRef(id=duty.report.pk, reference=duty.report.reference),
    )


class ActivityReportOut(Schema):
    id: int
    reference: str = Field(description="MA and 8 digits: quote it to the Home Office.")
    worker_id: int
    certificate_number: str
    worker_name: str
    kind: str
    kind_name: str
    event_date: date
    event_date_label: str = Field(description="What the event date means for this kind.")
    clock_starts_on: date
    due_on: date | None = Field(
        description="The last day to report it; null for a suspected breach (as soon as "
        "reasonably practicable)."
    )
    late: bool = Field(description="Submitted after the due date.")
    nation: str
    details: dict[str, Any] = Field(description="The answers as checked and kept.")
    corrects: ReportRef | None = Field(description="The earlier report this one corrects.")
    submitted_by: UserRef
    submitted_at: datetime
    source: str = Field(description="WEB (submitted in the service) or API.")


class ActivityReportPage(Schema):
    items: list[ActivityReportOut] = Field(description="Newest first.")
    page: PageInfo


def report_fields(report: ActivityReport) -> dict[str, Any]:
    certificate = report.certificate
    corrects = report.corrects_id
    return {
        "id": report.pk,
        "reference": report.reference,
        "worker_id": report.worker_id,
        "certificate_number": certificate.number or "",
        "worker_name": certificate.full_name,
        "kind": report.kind,
        "kind_name": report.get_kind_display(),
        "event_date": report.event_date,
        "event_date_label": EVENT_DATE_LABELS.get(report.kind, ""),
        "clock_starts_on": report.clock_starts_on,
        "due_on": report.due_on,
        "late": report.late,
        "nation": report.nation,
        "details": report.details,
        # The reference is made from the id alone: no need to load the earlier report.
        "corrects": None
        if corrects is None
        else ReportRef(id=corrects, reference=ActivityReport(pk=corrects).reference),
        "submitted_by": user_ref(report.submitted_by),
        "submitted_at": report.submitted_at,
        "source": report.source,
    }


def report_out(report: ActivityReport) -> ActivityReportOut:
    return ActivityReportOut(**report_fields(report))


class ReminderSettingsOut(Schema):
    reminder_lead_days: list[int] = Field(
        description="Working days before a duty falls due when reminders go out, largest first."
    )
    expiry_alert_days: list[int] = Field(
        description="Days before a worker's permission expires when alerts go out."
    )
    enrolment_window_days: int = Field(
        description="Calendar days after a course starts by which a student must enrol."
    )
    updated_by: UserRef | None = Field(description="Null while the defaults apply.")
    updated_at: datetime | None
    version: int = Field(
        description="Send it back with a change, to refuse a stale one: 0 while the defaults apply."
    )


def _days(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def settings_out(found: ComplianceSettings) -> ReminderSettingsOut:
    saved = found.pk is not None
    return ReminderSettingsOut(
        reminder_lead_days=_days(found.reminder_lead_days),
        expiry_alert_days=_days(found.expiry_alert_days),
        enrolment_window_days=found.enrolment_window_days,
        updated_by=optional_user_ref(found.updated_by) if saved else None,
        updated_at=found.updated_at if saved else None,
        version=found.version,
    )


def today() -> date:
    return timezone.localdate()
