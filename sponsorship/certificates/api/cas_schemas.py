"""The CAS API's shapes, made by the certificate API's builders (schemas.py) from the CAS form's
sections (sections.CAS_SECTIONS), so the API, the web form and the check before assignment
never drift apart."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import create_model

from sponsorship.api.pagination import PageInfo
from sponsorship.api.schemas import StrictSchema
from sponsorship.licences.api.shapes import UserRef
from sponsorship.licences.models import Route

from ..checks import AssignmentCheck
from ..models import Certificate, CertificateKind
from ..sections import CAS_SECTIONS, FEE_FIELDS
from .schemas import (
    PERSON_HINTS,
    CertificateAllocationOut,
    FamilyName,
    FormShape,
    Version,
    amount_type,
    hours_type,
    input_fields,
    section_models,
    sections_out,
    summary_fields,
)

STUDY_HOURS_FORMAT = "Enter the hours of study a week as a number, like 15"
FEES_FORMAT = (
    "Enter the {what} in pounds as text, like 18500 or 18500.50, with no commas or pound sign "
    '("0" if none)'
)
FEE_AMOUNTS = {
    "course_fees_first_year": "course fees for the first year",
    "course_fees_paid": "course fees paid to date",
    "accommodation_fees_paid": "accommodation fees paid to date",
}
_AMOUNT_HINT = 'Text, in pounds, with no commas or pound sign, like 18500 or 18500.50; "0" if none.'

CAS_HINTS = {
    **PERSON_HINTS,
    "student_id": "Your own reference for the student, as in your student records system "
    "(ApplicantID in bulk files).",
    "existing_student": "True when the student is already studying with you in the UK: while "
    "your Student rating is B, only they can be assigned a CAS.",
    "academic_level": "RQF 6 and above is degree level, which needs English at B2; below, B1.",
    "secondary_academic_level": "Only for a course with a second level, different from the "
    "first; an empty string when there is none.",
    "course_start_date": "A CAS can be assigned up to 6 months before the course starts: the "
    "check before assignment says from when.",
    "weekly_study_hours": 'A number or text, like 15 or "15": more than 0, up to 99, at most '
    "2 decimal places.",
    "study_address_line_1": "Or send `study_address_id` to copy one of your study addresses.",
    "work_placement_details": "Up to 1,000 characters.",
    "english_level": "At least B2 for a degree-level course, B1 below.",
    "selt_reading_level": "For a SELT: at least B2 for a degree-level course, B1 below.",
    "selt_writing_level": "For a SELT: at least B2 for a degree-level course, B1 below.",
    "selt_listening_level": "For a SELT: at least B2 for a degree-level course, B1 below.",
    "selt_speaking_level": "For a SELT: at least B2 for a degree-level course, B1 below.",
    "atas_reference": "When an ATAS certificate is required.",
    "course_fees_first_year": _AMOUNT_HINT,
    "course_fees_paid": f"{_AMOUNT_HINT} No more than the course fees for the first year.",
    "accommodation_included": "True when the course fees include accommodation.",
    "accommodation_fees_paid": f"{_AMOUNT_HINT} Only when the course fees include accommodation.",
}


def _fee_inputs(*, nullable: bool) -> dict[str, Any]:
    return {
        name: amount_type(FEES_FORMAT.format(what=what), nullable=nullable)
        for name, what in FEE_AMOUNTS.items()
    }


CAS_SHAPE = FormShape(
    kind=CertificateKind.CAS,
    prefix="Cas",
    sections=CAS_SECTIONS,
    hints=CAS_HINTS,
    address_source="study_address_id",
    address_source_description="The id of one of your study addresses in use: its address is "
    "copied into the main study address, and later changes to it never change this CAS.",
    typed_inputs={
        "weekly_study_hours": hours_type(STUDY_HOURS_FORMAT),
        **_fee_inputs(nullable=True),
    },
    labels={"english_level": "Level of English"},
)

# The routes a CAS is for.
STUDENT_ROUTE_CODES = (Route.STUDENT, Route.CHILD_STUDENT)
StudentRoute = Literal["STUDENT", "CHILD_STUDENT"]
STUDENT_ROUTES = " or ".join(f"{route.value} ({route.label})" for route in STUDENT_ROUTE_CODES)
ROUTE_CHANGE = f"To change the route: {STUDENT_ROUTES}."
NUMBER = "Given on assignment: E and 13 more characters."
STATUSES = "DRAFT, ASSIGNED, USED, WITHDRAWN, EXPIRED, CANCELLED or OBSOLETE."


# Input


CasFieldsIn: type[StrictSchema] = create_model(
    "CasFieldsIn",
    __base__=StrictSchema,
    __doc__="Any fields of a Confirmation of Acceptance for Studies; those not sent stay as they "
    "are.",
    **input_fields(CAS_SHAPE),
)


class CasCreateIn(CasFieldsIn):  # type: ignore[misc, valid-type]
    """A new CAS draft: its route, the student's family name, and any other fields."""

    route: StudentRoute = Field(
        description=f"One of your licence's student routes: {STUDENT_ROUTES}."
    )
    family_name: FamilyName = Field(
        description="The student's family name, as in their passport. A draft needs at least this."
    )


class CasUpdateIn(CasFieldsIn):  # type: ignore[misc, valid-type]
    """The draft's `version` and the fields to change; those not sent stay as they are."""

    version: Version
    # Not nullable: left out, it stays as it is.
    route: StudentRoute = Field(None, description=ROUTE_CHANGE)  # type: ignore[arg-type]


def _fee_fields() -> dict[str, Any]:
    """The fee fields, whose amounts may be changed but not cleared once the CAS is live."""
    fields = input_fields(CAS_SHAPE, FEE_FIELDS)
    for name, amount in _fee_inputs(nullable=False).items():
        fields[name] = (amount, fields[name][1])
    return fields


CasFeeFieldsIn: type[StrictSchema] = create_model(
    "CasFeeFieldsIn",
    __base__=StrictSchema,
    __doc__="The fees of a CAS, which alone change once it is assigned.",
    **_fee_fields(),
)


class CasFeesIn(CasFeeFieldsIn):  # type: ignore[misc, valid-type]
    """The live CAS's `version` and the fees to change; those not sent stay as they are."""

    version: Version


# Output


CasSections: type[Schema] = create_model(
    "CasSections",
    __base__=Schema,
    __doc__="Every field of the CAS, section by section as on the form.",
    **section_models(CAS_SHAPE),
)


class CasSummaryOut(Schema):
    id: int = Field(description="The CAS's id in this API.")
    number: str | None = Field(description=NUMBER)
    status: str = Field(description=STATUSES)
    status_name: str = Field(description="The status in words.")
    route: str = Field(description="STUDENT or CHILD_STUDENT.")
    route_name: str = Field(description="The route in words.")
    family_name: str = Field(description="The student's family name.")
    given_names: str = Field(description="The student's given names.")
    nationality: str = Field(description="The student's nationality: an ISO 3166 alpha-3 code.")
    date_of_birth: date | None = Field(description="The student's date of birth.")
    passport_number: str = Field(description="Upper case, with no spaces.")
    student_id: str = Field(description="Your own reference for the student.")
    course_title: str = Field(description="The course's title.")
    course_start_date: date | None = Field(description="The day the course starts.")
    owner: UserRef = Field(description="The user who owns it: a Level 2 user sees only theirs.")
    assigned_at: datetime | None = Field(description="When it was assigned.")
    use_by: date | None = Field(
        description="The last day it can be used in an application; unused, it then expires."
    )
    updated_at: datetime = Field(description="When it last changed.")
    version: int = Field(description="Send it back with a change, to refuse a stale one.")


def cas_summary_fields(certificate: Certificate) -> dict[str, Any]:
    cas = certificate.cas
    return {
        **summary_fields(certificate),
        "student_id": cas.student_id,
        "course_title": cas.course_title,
        "course_start_date": cas.course_start_date,
    }


class CasPage(Schema):
    items: list[CasSummaryOut] = Field(description="This page's CAS.")
    page: PageInfo = Field(description="Where this page is in the whole list.")


class CasOut(CasSummaryOut):
    kind: str = Field(description="CAS: a Confirmation of Acceptance for Studies.")
    created_at: datetime = Field(description="When the draft was created.")
    batch_id: int | None = Field(description="The batch it belongs to, if any.")
    study_address_id: int | None = Field(
        description="The study address the main study address was copied from, if any."
    )
    sponsor_note: str = Field(description="Your latest note; every version is in the history.")
    used_at: datetime | None = Field(description="When the Home Office marked it used.")
    outcome: str = Field(
        description="The outcome of the application it was used in: GRANTED, REFUSED, "
        "REJECTED_INVALID, VOID, WITHDRAWN, or empty while there is none."
    )
    outcome_name: str = Field(description="The outcome in words.")
    closed_at: datetime | None = Field(
        description="When it was withdrawn, cancelled or made obsolete."
    )
    closed_reason: str = Field(description="Why it was withdrawn, cancelled or made obsolete.")
    superseded_by_id: int | None = Field(
        description="OBSOLETE: the id of the later CAS for the same student and course that "
        "replaced it."
    )
    superseded_by_number: str | None = Field(description="OBSOLETE: that later CAS's number.")
    sections: CasSections = Field(  # type: ignore[valid-type]
        description="Every field, section by section as on the form, with each section's "
        "status on the task list."
    )


def cas_fields(certificate: Certificate) -> dict[str, Any]:
    """Everything CasOut shows (the casework API can add its sponsor to it)."""
    cas = certificate.cas
    later = cas.superseded_by
    return {
        **cas_summary_fields(certificate),
        "kind": certificate.kind,
        "created_at": certificate.created_at,
        "batch_id": certificate.batch_id,
        "study_address_id": cas.study_address_id,
        "sponsor_note": certificate.sponsor_note,
        "used_at": certificate.used_at,
        "outcome": certificate.application_outcome,
        "outcome_name": certificate.get_application_outcome_display(),
        "closed_at": certificate.closed_at,
        "closed_reason": certificate.closed_reason,
        "superseded_by_id": cas.superseded_by_id,
        "superseded_by_number": later.number if later is not None else None,
        "sections": sections_out(certificate, CAS_SHAPE),
    }


def cas_out(certificate: Certificate) -> CasOut:
    return CasOut(**cas_fields(certificate))


class CasFindingOut(Schema):
    field: str | None = Field(
        description="The field to fix, as named in the CAS's fields; null when it is not about "
        "one field (the allocation, another CAS it makes obsolete)."
    )
    message: str = Field(description="What is wrong and how to fix it, or what to know.")
    blocking: bool = Field(
        description="True: it stops assignment until fixed. False: a warning to read first."
    )


class CasCheckOut(Schema):
    ready: bool = Field(description="True when nothing stops assignment today.")
    findings: list[CasFindingOut] = Field(
        description="Everything that stops assignment (`blocking`), then what is worth reading "
        "first, like another CAS that assigning this one makes obsolete."
    )
    allocation: CertificateAllocationOut | None = Field(
        description="The Student route's current allocation year, if there is one."
    )


def cas_check_out(check: AssignmentCheck) -> CasCheckOut:
    allocation = check.allocation
    return CasCheckOut(
        ready=check.ready,
        findings=[
            CasFindingOut(field=f.field, message=f.message, blocking=f.blocking)
            for f in [*check.errors, *check.warnings]
        ],
        allocation=None
        if allocation is None
        else CertificateAllocationOut(
            route=allocation.route,
            limit=allocation.limit,
            used=allocation.used,
            remaining=allocation.remaining,
            year_end=allocation.year_end,
        ),
    )


def file_answer(description: str, content_type: str) -> dict[str, Any]:
    """The OpenAPI description of a 200 that is a file (a PDF, a spreadsheet), for
    `openapi_extra`."""
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }
