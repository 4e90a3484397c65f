"""The certificate API's shapes. The fields of a certificate, coming in and going out, are made
from its form's sections (sections.COS_SECTIONS for a CoS; cas_schemas.py applies the same
builders to sections.CAS_SECTIONS) and the models' own fields, so the API, the web form and the
check before assignment never drift apart."""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Annotated, Any, Literal

from django.db import models
from ninja import Field, Schema
from ninja.params.functions import Path as PathParam
from pydantic import (
    BeforeValidator,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainValidator,
    WithJsonSchema,
    create_model,
)
from pydantic_core import core_schema

from sponsorship.api.pagination import PageInfo
from sponsorship.api.schemas import StrictSchema
from sponsorship.licences.api.shapes import (
    NO_NUL,
    NOT_BLANK,
    IsoDate,
    RouteCode,
    UserRef,
    user_ref,
    whole,
)

from ..checks import AssignmentCheck
from ..display import label_of
from ..models import Certificate, CertificateEvent, CertificateKind, CosCategory
from ..sections import COS_SECTIONS, Need, Section, SectionStatus, model_field, value_of

# Versions and ids are stored as 32-bit integers; anything larger cannot name a row.
LARGEST_ID = 2_147_483_647
# Free text with no limit of its own in the database: this bound only stops a runaway request.
LONGEST_TEXT = 100_000
# Pounds and pence, or hours and hundredths: digits, then at most 2 decimal places. ASCII digits
# only, so clients' regular expressions (JavaScript's \d) and this server's agree.
AMOUNT = r"^[0-9]+(\.[0-9]{1,2})?$"
SALARY_FORMAT = (
    "Enter the gross salary in pounds as text, like 35000 or 35000.99, with no commas or pound sign"
)
HOURS_FORMAT = "Enter the weekly working hours as a number, like 37.5"

# The bounds come before the validator, or the OpenAPI document would not show them.
Version = Annotated[
    int,
    Field(
        ge=1,
        le=LARGEST_ID,
        description="The `version` you read the certificate with, so a stale change is refused.",
    ),
    BeforeValidator(whole),
]
Id = Annotated[int, Field(ge=1, le=LARGEST_ID), BeforeValidator(whole)]
CategoryCode = Annotated[CosCategory, Field(strict=False)]
CertificateId = Annotated[int, PathParam(description="The certificate's `id`.")]


# Input: one field each, as the sections list them.


def _matches(pattern: str, value: str) -> bool:
    # re.search, as the JSON Schema validators written in Python read a pattern.
    return re.search(pattern, value) is not None


@dataclass(frozen=True)
class TextRules:
    """Text up to `longest` characters with no NUL (no database stores one); `required`: not
    blank either. The document states both, and the validator checks the very same, in plain
    words. Use as `Annotated[str, TextRules("Reason", 2000)]`."""

    label: str
    longest: int
    required: bool = False

    @property
    def pattern(self) -> str:
        return NOT_BLANK if self.required else NO_NUL

    def check(self, value: str) -> str:
        if not _matches(self.pattern, value):
            raise ValueError(
                f"Enter the {self.label.lower()}: it cannot be blank"
                if self.required
                else f"Remove the NUL character from the {self.label.lower()}"
            )
        if len(value) > self.longest:
            raise ValueError(f"{self.label} must be {self.longest:,} characters or fewer")
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        described = dict(handler(schema))
        described.update(maxLength=self.longest, pattern=self.pattern)
        if self.required:
            described["minLength"] = 1
        return described


def amount_type(message: str, *, nullable: bool = True) -> Any:
    """Pounds and pence as JSON text, like "35000.99" (never a JSON number, which a client may
    round), or null when `nullable`; `message` says how to write it. How much is allowed is the
    service's rule."""

    def parse(value: Any) -> Decimal | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str) or not _matches(AMOUNT, value):
            raise ValueError(message)
        return Decimal(value.strip())

    text = {"type": "string", "pattern": AMOUNT}
    return Annotated[
        Decimal | None,
        PlainValidator(parse),
        WithJsonSchema({"anyOf": [text, {"type": "null"}]} if nullable else text),
    ]


def hours_type(message: str) -> Any:
    """Hours a week: a JSON number, or text in the same format as an amount, or null. How many
    hours are allowed is the service's rule."""

    def parse(value: Any) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError(message)
        if isinstance(value, str) and not _matches(AMOUNT, value):
            raise ValueError(message)
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:  # pragma: no cover (the pattern and JSON admit numbers only)
            raise ValueError(message) from None

    return Annotated[
        Decimal | None,
        PlainValidator(parse),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "exclusiveMinimum": 0, "maximum": 99},
                    {"type": "string", "pattern": AMOUNT},
                    {"type": "null"},
                ]
            }
        ),
    ]


Salary = amount_type(SALARY_FORMAT)
Hours = hours_type(HOURS_FORMAT)

_ISO_CODE = "An ISO 3166 alpha-3 code, like POL or GBR."
# The person's details: the same on every kind of certificate.
PERSON_HINTS = {
    "family_name": "As in the passport. A draft needs at least this.",
    "given_names": "As in the passport.",
    "nationality": "An ISO 3166 alpha-3 code, like POL; XXA stateless, XXB refugee, "
    "XXX unspecified.",
    "country_of_birth": _ISO_CODE,
    "country_of_residence": _ISO_CODE,
    "home_country": _ISO_CODE,
    "passport_number": "Letters and numbers only; spaces are removed and letters made upper case.",
}
HINTS = {
    **PERSON_HINTS,
    "uk_ni_number": "Like QQ123456C; spaces are removed.",
    "start_date": "A certificate cannot be assigned long before this date: the check before "
    "assignment says from when.",
    "weekly_hours": 'A number or text, like 37.5 or "37.5": more than 0, up to 99, at most '
    "2 decimal places.",
    "work_address_line_1": "Or send `work_address_id` to copy one of your work addresses.",
    "soc_code": "4 digits, like 2134.",
    "job_description": "Up to 1,000 characters.",
    "salary_amount": "Like 35000 or 35000.99: text, in pounds, with no commas or pound sign. "
    "Say what it is for in `salary_period`.",
    "salary_period": "What the salary is for.",
    "registration_details": "Up to 250 characters.",
    "maintenance_certified": "Not needed to assign, but applications often fail without it.",
    "paye_reference": "One of your PAYE references, like 123/AB45678.",
    "paye_reason": "Why there is no PAYE reference, when there is none.",
}


@dataclass(frozen=True)
class FormShape:
    """What the API's shapes of one kind of certificate are made from: its form's sections,
    words added to fields' descriptions, the inputs with a type of their own, and the field
    that copies one of the sponsor's pre-stored addresses."""

    kind: str
    # Starts the names of the section shapes in the OpenAPI document, like CosPersonalValues.
    prefix: str
    sections: tuple[Section, ...]
    hints: Mapping[str, str]
    address_source: str
    address_source_description: str
    typed_inputs: Mapping[str, Any]
    # Labels of this form's own, where the field's label would not do.
    labels: Mapping[str, str]

    @property
    def needs(self) -> dict[str, Need]:
        return {need.field: need for s in self.sections for need in s.needs}

    @property
    def section_of(self) -> dict[str, Section]:
        return {name: section for section in self.sections for name in section.fields}

    def label(self, name: str) -> str:
        """As on the pages (`display.label_of`), unless this form's `labels` say otherwise."""
        return self.labels.get(name) or label_of(name, self.kind)


COS_SHAPE = FormShape(
    kind=CertificateKind.COS,
    prefix="Cos",
    sections=COS_SECTIONS,
    hints=HINTS,
    address_source="work_address_id",
    address_source_description="The id of one of your work addresses in use: its address is "
    "copied into the main work address, and later changes to it never change this certificate.",
    typed_inputs={"salary_amount": Salary, "weekly_hours": Hours},
    labels={},
)
NEEDS: dict[str, Need] = COS_SHAPE.needs
SECTION_OF = COS_SHAPE.section_of


def _described(shape: FormShape, name: str, *, incoming: bool) -> str:
    field = model_field(name, shape.kind)
    label = shape.label(name)
    # "Home address: postcode", but "Identification numbers: UK National Insurance number".
    if not label[1:2].isupper():
        label = label[:1].lower() + label[1:]
    parts = [f"{shape.section_of[name].title}: {label}."]
    if name in shape.hints:
        parts.append(shape.hints[name])
    if field.choices:
        options = ", ".join(f"{value} ({words})" for value, words in field.choices)
        parts.append(f"One of {options}" + ("; an empty string clears it." if incoming else "."))
    elif incoming and isinstance(field, models.DateField):
        parts.append("An ISO date, like 2027-01-04; null clears it.")
    needs = shape.needs
    if name in needs:
        parts.append(f'Checked before assignment: "{needs[name].message}".')
    return " ".join(parts)


def _input_type(shape: FormShape, name: str) -> Any:
    field = model_field(name, shape.kind)
    if name in shape.typed_inputs:
        return shape.typed_inputs[name]
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.DateField):
        return IsoDate | None
    if field.choices:
        return Literal[(*(str(value) for value, _ in field.choices), "")]
    return Annotated[
        str,
        TextRules(
            shape.label(name), field.max_length or LONGEST_TEXT, required=name == "family_name"
        ),
    ]


def input_fields(shape: FormShape, names: Collection[str] | None = None) -> dict[str, Any]:
    """One optional input per field of the form (or of `names` only), as `create_model` takes
    them, and the field that copies a pre-stored address."""
    fields: dict[str, Any] = {}
    for section in shape.sections:
        for name in section.fields:
            if names is not None and name not in names:
                continue
            # "Not sent" is None; a nullable type lets a date or amount be cleared with null.
            fields[name] = (
                _input_type(shape, name),
                Field(None, description=_described(shape, name, incoming=True)),
            )
    if names is None:
        fields[shape.address_source] = (
            Id,
            Field(None, description=shape.address_source_description),
        )
    return fields


FamilyName = Annotated[str, TextRules("Family name", 100, required=True)]

CertificateFieldsIn: type[StrictSchema] = create_model(
    "CertificateFieldsIn",
    __base__=StrictSchema,
    __doc__="Any fields of a Certificate of Sponsorship; those not sent stay as they are.",
    **input_fields(COS_SHAPE),
)


class DraftCreateIn(CertificateFieldsIn):  # type: ignore[misc, valid-type]
    """A new draft: its route and what it is for, the worker's family name, and any other
    fields."""

    route: RouteCode = Field(description="A worker route of your licence, like SKILLED_WORKER.")
    category: CategoryCode = Field(description="What the certificate is for.")
    family_name: FamilyName = Field(
        description="The worker's family name, as in their passport. A draft needs at least this."
    )


class DraftUpdateIn(CertificateFieldsIn):  # type: ignore[misc, valid-type]
    """The draft's `version` and the fields to change; those not sent stay as they are."""

    version: Version
    # Not nullable: left out, they stay as they are.
    route: RouteCode = Field(None, description="A worker route of your licence, to change it.")  # type: ignore[assignment]
    category: CategoryCode = Field(None, description="What the certificate is for, to change it.")  # type: ignore[assignment]


def values_of(payload: StrictSchema, *, leave_out: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields sent, as the services take them: strings for choices, Decimal amounts."""
    sent = payload.model_dump(exclude_unset=True, exclude=set(leave_out))
    return {name: value.value if isinstance(value, Enum) else value for name, value in sent.items()}


class CertificateVersionIn(StrictSchema):
    version: Version


class DraftVersionQuery(Schema):
    version: int = Field(ge=1, le=LARGEST_ID, description="The `version` you read the draft with.")


class CertificateCopyIn(StrictSchema):
    family_name: FamilyName = Field(
        description="The family name of the worker the new draft is for. Their other personal "
        "details start empty; the job, work and PAYE details are copied."
    )


# Output: the certificate, its sections as on the form, its history, the check.


def _output_type(field: models.Field) -> Any:
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.DateField):
        return date | None
    if isinstance(field, models.DecimalField):
        return str | None
    return str


def _camel(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("_"))


def section_models(shape: FormShape) -> dict[str, Any]:
    """One output shape per section of the form (its title, status and values), as
    `create_model` takes them."""
    statuses: Any = Literal[tuple(status.value for status in SectionStatus)]
    sections: dict[str, Any] = {}
    for section in shape.sections:
        value_fields: dict[str, Any] = {
            name: (
                _output_type(model_field(name, shape.kind)),
                Field(description=_described(shape, name, incoming=False)),
            )
            for name in section.fields
        }
        camel = _camel(section.key)
        values = create_model(f"{shape.prefix}{camel}Values", __base__=Schema, **value_fields)
        sections[section.key] = (
            create_model(
                f"{shape.prefix}{camel}Section",
                __base__=Schema,
                title=(str, Field(description="As on the form.")),
                status=(statuses, Field(description="As on the task list.")),
                values=(values, Field(description="The section's fields.")),
            ),
            Field(description=section.title),
        )
    return sections


CertificateSections: type[Schema] = create_model(
    "CertificateSections",
    __base__=Schema,
    __doc__="Every field of the certificate, section by section as on the form.",
    **section_models(COS_SHAPE),
)


def _output_value(certificate: Certificate, name: str) -> Any:
    value = value_of(certificate, name)
    if isinstance(value, Decimal):
        return f"{value:f}"
    return value


def sections_out(certificate: Certificate, shape: FormShape = COS_SHAPE) -> dict[str, Any]:
    return {
        section.key: {
            "title": section.title,
            "status": section.status(certificate).value,
            "values": {name: _output_value(certificate, name) for name in section.fields},
        }
        for section in shape.sections
    }


class CertificateSummaryOut(Schema):
    id: int = Field(description="The certificate's id in this API.")
    number: str | None = Field(description="Given on assignment: C and 10 more characters.")
    status: str = Field(description="DRAFT, ASSIGNED, USED, WITHDRAWN, EXPIRED or CANCELLED.")
    status_name: str = Field(description="The status in words.")
    route: str = Field(description="The route code, like SKILLED_WORKER.")
    route_name: str = Field(description="The route in words.")
    family_name: str = Field(description="The worker's family name.")
    given_names: str = Field(description="The worker's given names.")
    nationality: str = Field(description="The worker's nationality: an ISO 3166 alpha-3 code.")
    date_of_birth: date | None = Field(description="The worker's date of birth.")
    passport_number: str = Field(description="Upper case, with no spaces.")
    owner: UserRef = Field(description="The user who owns it: a Level 2 user sees only theirs.")
    assigned_at: datetime | None = Field(description="When it was assigned.")
    use_by: date | None = Field(
        description="The last day it can be used in an application; unused, it then expires."
    )
    updated_at: datetime = Field(description="When it last changed.")
    version: int = Field(description="Send it back with a change, to refuse a stale one.")


def summary_fields(certificate: Certificate) -> dict[str, Any]:
    return {
        "id": certificate.pk,
        "number": certificate.number,
        "status": certificate.status,
        "status_name": certificate.get_status_display(),
        "route": certificate.route,
        "route_name": certificate.get_route_display(),
        "family_name": certificate.family_name,
        "given_names": certificate.given_names,
        "nationality": certificate.nationality,
        "date_of_birth": certificate.date_of_birth,
        "passport_number": certificate.passport_number,
        "owner": user_ref(certificate.owner),
        "assigned_at": certificate.assigned_at,
        "use_by": certificate.use_by,
        "updated_at": certificate.updated_at,
        "version": certificate.version,
    }


class CertificatePage(Schema):
    items: list[CertificateSummaryOut] = Field(description="This page's certificates.")
    page: PageInfo = Field(description="Where this page is in the whole list.")


class CertificateOut(CertificateSummaryOut):
    kind: str = Field(description="COS: a Certificate of Sponsorship.")
    category: str = Field(description="What the certificate is for, like EXTENSION.")
    category_name: str = Field(description="What the certificate is for, in words.")
    created_at: datetime = Field(description="When the draft was created.")
    based_on_id: int | None = Field(description="The certificate this draft was copied from.")
    batch_id: int | None = Field(description="The batch it belongs to, if any.")
    work_address_id: int | None = Field(
        description="The work address the main work address was copied from, if any."
    )
    sponsor_note: str = Field(description="Your latest note; every version is in the history.")
    fee_pence: int | None = Field(description="The certificate fee charged on assignment.")
    skills_charge_pence: int | None = Field(
        description="The Immigration Skills Charge charged on assignment."
    )
    total_pence: int | None = Field(description="The fee and the skills charge together.")
    used_at: datetime | None = Field(description="When the Home Office marked it used.")
    outcome: str = Field(
        description="The outcome of the application it was used in: GRANTED, REFUSED, "
        "REJECTED_INVALID, VOID, WITHDRAWN, or empty while there is none."
    )
    outcome_name: str = Field(description="The outcome in words.")
    closed_at: datetime | None = Field(description="When it was withdrawn or cancelled.")
    closed_reason: str = Field(description="Why it was withdrawn or cancelled.")
    sections: CertificateSections = Field(  # type: ignore[valid-type]
        description="Every field, section by section as on the form, with each section's "
        "status on the task list."
    )


def certificate_fields(certificate: Certificate) -> dict[str, Any]:
    cos = certificate.cos
    fees = [certificate.fee_pence, certificate.skills_charge_pence]
    return {
        **summary_fields(certificate),
        "kind": certificate.kind,
        "category": cos.category,
        "category_name": cos.get_category_display(),
        "created_at": certificate.created_at,
        "based_on_id": certificate.based_on_id,
        "batch_id": certificate.batch_id,
        "work_address_id": cos.work_address_id,
        "sponsor_note": certificate.sponsor_note,
        "fee_pence": certificate.fee_pence,
        "skills_charge_pence": certificate.skills_charge_pence,
        "total_pence": None if fees[0] is None else sum(pence or 0 for pence in fees),
        "used_at": certificate.used_at,
        "outcome": certificate.application_outcome,
        "outcome_name": certificate.get_application_outcome_display(),
        "closed_at": certificate.closed_at,
        "closed_reason": certificate.closed_reason,
        "sections": sections_out(certificate),
    }


def certificate_out(certificate: Certificate) -> CertificateOut:
    return CertificateOut(**certificate_fields(certificate))


class CertificateEventOut(Schema):
    at: datetime = Field(description="When it happened.")
    action: str = Field(description="What happened, like ASSIGNED or NOTE_ADDED.")
    action_name: str = Field(description="What happened, in words.")
    status: str = Field(description="The certificate's status after the event.")
    status_name: str = Field(description="That status in words.")
    by: str = Field(description="Who did it: a user, the Home Office, or the service itself.")
    text: str = Field(description="The details: a note, a reason, the charges.")


class CertificateEventPage(Schema):
    items: list[CertificateEventOut] = Field(description="This page's events, oldest first.")
    page: PageInfo = Field(description="Where this page is in the whole history.")


def history_out(event: CertificateEvent, *, for_home_office: bool) -> CertificateEventOut:
    actor = event.actor
    if actor is None:
        by = "The service"
    elif actor.sponsor_id is None and not for_home_office:
        # Sponsors read "Home Office", not which caseworker acted.
        by = "Home Office"
    else:
        by = actor.full_name
    return CertificateEventOut(
        at=event.at,
        action=event.action,
        action_name=event.get_action_display(),
        status=event.status,
        status_name=event.get_status_display(),
        by=by,
        text=event.text,
    )


class AssignmentFindingOut(Schema):
    field: str | None = Field(
        description="The field to fix, as named in the certificate's fields; null when it is "
        "not about one field (the allocation)."
    )
    message: str = Field(description="What is wrong and how to fix it.")


class SalaryCheckOut(Schema):
    """The Skilled Worker salary check: a warning, not a legal decision."""

    passes: bool = Field(description="Whether the salary meets the requirement.")
    message: str = Field(description="The outcome, with its workings, in words.")
    required: str | None = Field(description="The yearly salary required, in pounds.")
    going_rate: str | None = Field(description="The going rate for the hours, in pounds a year.")
    threshold: str | None = Field(description="The general threshold, in pounds a year.")


class CertificateChargesOut(Schema):
    fee_pence: int = Field(description="The certificate fee.")
    skills_charge_pence: int = Field(description="The Immigration Skills Charge, if due.")
    total_pence: int = Field(description="Both together.")
    skills_charge_workings: str = Field(description="How the skills charge was worked out.")


class CertificateAllocationOut(Schema):
    route: str = Field(description="The route code, like SKILLED_WORKER.")
    limit: int = Field(description="Certificates allowed this allocation year.")
    used: int = Field(description="Certificates assigned from it so far.")
    remaining: int = Field(description="Certificates that can still be assigned.")
    year_end: date = Field(description="Unused units lapse after this day.")


class AssignmentCheckOut(Schema):
    ready: bool = Field(description="True when nothing stops assignment today.")
    errors: list[AssignmentFindingOut] = Field(description="Each must be fixed before assignment.")
    warnings: list[AssignmentFindingOut] = Field(
        description="Worth reading first; they do not stop it."
    )
    salary: SalaryCheckOut | None = Field(
        description="Skilled Worker only, once the job, salary and hours are given."
    )
    charges: CertificateChargesOut = Field(description="What assigning it today would cost.")
    allocation: CertificateAllocationOut | None = Field(
        description="The route's current allocation year, if there is one."
    )


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def check_out(check: AssignmentCheck) -> AssignmentCheckOut:
    salary, charges, allocation = check.salary, check.charges, check.allocation
    return AssignmentCheckOut(
        ready=check.ready,
        errors=[AssignmentFindingOut(field=f.field, message=f.message) for f in check.errors],
        warnings=[AssignmentFindingOut(field=f.field, message=f.message) for f in check.warnings],
        salary=None
        if salary is None
        else SalaryCheckOut(
            passes=salary.passes,
            message=salary.message,
            required=_amount(salary.required),
            going_rate=_amount(salary.going_rate),
            threshold=_amount(salary.threshold),
        ),
        charges=CertificateChargesOut(
            fee_pence=charges.fee_pence,
            skills_charge_pence=charges.skills_charge_pence,
            total_pence=charges.total_pence,
            skills_charge_workings=charges.skills_charge_workings,
        ),
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
