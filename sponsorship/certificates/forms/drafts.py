"""Input shapes for a draft: the first page of a CoS (route, category and family name), its
route section, each section of the form of either kind (built from the section tables in
`sections/`: COS_SECTIONS or CAS_SECTIONS), copying a certificate and the version-only forms of
assigning and deleting. Field errors only: what assignment needs and every business rule are the
services' (`clean_values`, `assignment_check`). The CAS's own first page and route section are
in `forms/cas.py`."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from sponsorship.core.countries import country_choices, nationality_choices
from sponsorship.licences.forms.dates import DATE_PARTS, BoundDate, DateInputMixin, date_part
from sponsorship.licences.models import ROUTE_GROUPS, Nation, PayeReference, Route, RouteGroup

from ..display import label_of
from ..models import (
    AcademicLevel,
    CefrLevel,
    Certificate,
    CertificateKind,
    CosCategory,
    CourseType,
    EnglishMethod,
    SalaryOption,
    SalaryPeriod,
    Sex,
    SkillsCharge,
    StudyMode,
    WorkAddress,
)
from ..sections import CORE_FIELDS, SECTIONS, Section, model_field, value_of
from ..sections import section_for as kind_section_for

# The pseudo-section that holds what is not a field of the form's sections: the route (and for
# a CoS the category), chosen on the first page and changeable here.
ROUTE_SECTION = "route"
ROUTE_SECTION_TITLE = "Route and category"

SALARY_INVALID = (
    "Enter the gross salary in pounds, like 35000 or 35000.99, with no commas or pound sign"
)
HOURS_INVALID = "Enter the weekly working hours as a number up to 99, like 37.5"
STUDY_HOURS_INVALID = "Enter the hours of study a week as a number up to 99, like 37.5"
# Whole pounds, or pounds and pence: 35000 or 35000.99 (nothing else: no commas, no £); hours
# likewise, like 37.5.
AMOUNT_PATTERN = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
MAX_HOURS = Decimal(99)
MAX_FEES = Decimal("9999999.99")
FAMILY_NAME_REQUIRED = (
    "Enter the worker's family name, as in their passport: a draft needs at least that"
)
STUDENT_FAMILY_NAME_REQUIRED = (
    "Enter the student's family name, as in their passport: a draft needs at least that"
)
VERSION_ERRORS = {
    "required": "Reload the page and try again",
    "invalid": "Reload the page and try again",
    "min_value": "Reload the page and try again",
}

# The field that picks a pre-stored address on a section's page, by kind and section: its name,
# its label, its hint and what to say when the one picked is not offered.
ADDRESS_CHOOSERS: dict[tuple[str, str], tuple[str, str, str, str]] = {
    (CertificateKind.COS, "work_address"): (
        "work_address_id",
        "Choose one of your work addresses",
        "We copy it into the certificate. Or type the address below.",
        "Select one of your work addresses in use",
    ),
    (CertificateKind.CAS, "study_address"): (
        "study_address_id",
        "Choose one of your study addresses",
        "We copy it into the CAS. Or type the address below.",
        "Select one of your study addresses in use",
    ),
}


def section_of(field: str | None, kind: str = CertificateKind.COS) -> str | None:
    """The key of the section whose page has `field`, or None for findings with no field."""
    if field == "route" or (kind == CertificateKind.COS and field == "category"):
        return ROUTE_SECTION
    for (chooser_kind, key), (name, *_) in ADDRESS_CHOOSERS.items():
        if chooser_kind == kind and field == name:
            return key
    for section in SECTIONS[kind]:
        if field in section.fields:
            return section.key
    return None


def field_anchor(field: str) -> str:
    """The id of the control a link to `field` should land on: a date's first box."""
    return f"id_{field}_day" if field in DATES else f"id_{field}"


# ---------------------------------------------------------------- how each field is asked


@dataclass(frozen=True)
class Spec:
    """How one field of a draft's form is asked: its control and its words."""

    kind: str  # text, textarea, count, select, radios, checkbox, date, money, hours
    label: str = ""
    hint: str = ""
    width: str = ""
    autocomplete: str = "off"
    max_length: int = 0
    inputmode: str = ""


# The `what` DateInputMixin.clean_date uses to name each date in its messages.
DATES = {
    "date_of_birth": "the date of birth",
    "passport_issue_date": "the date of issue of the passport",
    "passport_expiry_date": "the date of expiry of the passport",
    "start_date": "the date of the start of the job",
    "end_date": "the date of the end of the job",
    "course_start_date": "the date of the start of the course",
    "course_end_date": "the date of the end of the course",
}

SPECS: dict[str, Spec] = {
    # Personal information. The person is the worker, not the user filling the form, so the
    # browser must not offer the user's own name or address (autocomplete off).
    "family_name": Spec("text", hint="As shown in their passport or travel document.", width="20"),
    "given_names": Spec(
        "text", hint="As shown in their passport. Leave empty if they have none.", width="20"
    ),
    "other_names": Spec("text", hint="Any other names they use or have used.", width="20"),
    "nationality": Spec("select"),
    "place_of_birth": Spec("text", hint="The town or city, as in their passport.", width="20"),
    "country_of_birth": Spec("select"),
    "date_of_birth": Spec("date", hint="For example, 27 3 1990."),
    "sex": Spec("radios", hint="As shown in their passport."),
    "country_of_residence": Spec("select", hint="Where the worker lives now."),
    # Passport
    "passport_number": Spec(
        "text", hint="Letters and numbers only, as printed in the passport.", width="10"
    ),
    "passport_issue_date": Spec("date", hint="For example, 1 5 2022."),
    "passport_expiry_date": Spec("date", hint="For example, 30 4 2032."),
    "passport_place_of_issue": Spec("text", width="20"),
    # Home address
    "home_address_line_1": Spec("text", label="Address line 1"),
    "home_address_line_2": Spec("text", label="Address line 2 (optional)"),
    "home_town": Spec("text", width="20"),
    "home_postcode": Spec("text", width="10"),
    "home_country": Spec("select"),
    # Identification numbers
    "uk_ni_number": Spec("text", hint="If they have one. For example, QQ 12 34 56 C.", width="10"),
    "national_id": Spec("text", hint="If their country issues one.", width="20"),
    "employee_number": Spec("text", hint="Your own reference for the worker.", width="20"),
    # Dates and hours of work
    "start_date": Spec("date", hint="For example, 4 1 2027."),
    "end_date": Spec("date", hint="For example, 31 12 2029."),
    "weekly_hours": Spec("hours", hint="For example, 37.5.", width="4", inputmode="decimal"),
    "leave_and_reenter": Spec(
        "checkbox",
        label="The worker may leave and re-enter the UK during the job",
        hint="For example, to work abroad for part of the job.",
    ),
    # Main work address in the UK
    "work_address_line_1": Spec("text", label="Address line 1"),
    "work_address_line_2": Spec("text", label="Address line 2 (optional)"),
    "work_town": Spec("text", width="20"),
    "work_postcode": Spec("text", hint="For example, SW1A 2AA.", width="10"),
    "work_nation": Spec(
        "radios",
        label="Which part of the UK is it in?",
        hint="Its bank holidays count in the worker's reporting deadlines.",
    ),
    "other_work_addresses": Spec(
        "textarea",
        label="Other regular work addresses (optional)",
        hint="Any other places the worker will regularly work, one a line.",
    ),
    # Agent
    "sourced_through_agent": Spec(
        "checkbox",
        label="The worker was sourced through an agent",
        hint="Tick this and the agent's name and address are needed before you can assign.",
    ),
    "agent_name": Spec("text", label="Agent's name"),
    "agent_address": Spec("textarea", label="Agent's address"),
    # Job and salary
    "job_title": Spec("text"),
    "soc_code": Spec("text", hint="4 digits, for example 2136.", width="4", inputmode="numeric"),
    "job_description": Spec(
        "count",
        hint="What the worker will do: their main duties and responsibilities.",
        max_length=1000,
    ),
    "new_entrant": Spec(
        "checkbox",
        label="The worker is a new entrant",
        hint="For example, under 26, a recent graduate or working towards a professional "
        "qualification.",
    ),
    "salary_amount": Spec(
        "money",
        label="Gross salary",
        hint="In pounds, before tax, like 35000 or 35000.99: no commas or pound sign.",
        width="10",
        inputmode="decimal",
    ),
    "salary_period": Spec("radios", label="For each", hint="What the salary above is paid for."),
    "salary_option": Spec(
        "radios",
        label="Salary option claimed",
        hint="Skilled Worker only: the option of Appendix Skilled Worker the salary meets.",
    ),
    "allowances": Spec(
        "textarea",
        label="Allowances (optional)",
        hint="Any allowances paid on top of the salary, with their amounts.",
    ),
    "client_contract": Spec(
        "checkbox",
        label="The worker will work on a client contract",
        hint="Tick this and a summary of the contract is needed before you can assign.",
    ),
    "client_contract_summary": Spec("textarea", label="Summary of the client contract"),
    "eligible_occupation_confirmed": Spec(
        "checkbox",
        label="I confirm the job is in an occupation the Skilled Worker route accepts",
    ),
    "salary_list_confirmed": Spec(
        "checkbox",
        label="I confirm the job is on the Immigration Salary List",
        hint="Only when you claim salary option D.",
    ),
    "registration_details": Spec(
        "count",
        label="Registration details (optional)",
        hint="Any registration or accreditation the job needs, with its number.",
        max_length=250,
    ),
    "maintenance_certified": Spec(
        "checkbox",
        label="I certify maintenance: we will support the worker for their first month",
        hint="Not required, but without it the worker must show their own funds, and "
        "applications often fail for lack of this.",
    ),
    "atas_required": Spec(
        "checkbox", label="The worker needs an Academic Technology Approval Scheme certificate"
    ),
    "skills_charge": Spec(
        "radios",
        label="Immigration Skills Charge",
        hint="Skilled Worker and Senior or Specialist Worker only: whether it applies, or "
        "which exemption you claim.",
    ),
    # PAYE reference
    "paye_reference": Spec(
        "select", hint="One of your PAYE references. A Level 1 user can add more."
    ),
    "paye_reason": Spec(
        "textarea",
        label="Reason for no PAYE reference",
        hint="Only when the worker will not be paid under one of your PAYE references.",
    ),
    # Care worker registration
    "care_worker_registration": Spec(
        "text",
        label="Care worker registration number (optional)",
        hint="For care workers: their registration with the care regulator.",
        width="20",
    ),
}

_FEES_HINT = "In pounds, like 18500 or 18500.50: no commas or pound sign. Enter 0 if none."

# A CAS asks about the person as a CoS does (the student, not a worker), then the course.
CAS_SPECS: dict[str, Spec] = {
    **{name: spec for name, spec in SPECS.items() if name in CORE_FIELDS},
    # Student details
    "country_of_residence": Spec("select", hint="Where the student lives now."),
    "student_id": Spec(
        "text",
        label="Student ID (optional)",
        hint="Your own reference for the student, as in your student records.",
        width="20",
    ),
    "existing_student": Spec(
        "checkbox",
        label="The student is already studying with you in the UK",
        hint="While your Student route rating is B, you can assign a CAS only to a student "
        "already studying with you.",
    ),
    # Course
    "course_title": Spec("text", label="Course title", hint="For example, MSc Marine Biology."),
    "academic_level": Spec(
        "radios",
        label="Academic level",
        hint="On the Regulated Qualifications Framework, or its equivalent. Degree level is "
        "RQF 6 and above.",
    ),
    "secondary_academic_level": Spec(
        "select",
        label="Secondary academic level (optional)",
        hint="Only for a course at two levels, like an integrated master's: the other level.",
    ),
    "course_type": Spec("radios", label="Is the course taught or research?"),
    "course_start_date": Spec("date", label="Course start date", hint="For example, 18 1 2027."),
    "course_end_date": Spec("date", label="Course end date", hint="For example, 14 1 2028."),
    "weekly_study_hours": Spec(
        "hours",
        label="Hours of study a week",
        hint="For example, 20.",
        width="4",
        inputmode="decimal",
    ),
    "study_mode": Spec("radios", label="Is the course full time or part time?"),
    "partner_institution": Spec(
        "text",
        label="Partner institution (optional)",
        hint="If the course is taught with another institution.",
    ),
    "work_placement": Spec(
        "checkbox",
        label="The course includes a work placement",
        hint="Tick this and a description of the placement is needed before you can assign.",
    ),
    "work_placement_details": Spec(
        "count",
        label="Work placement details",
        hint="Where and for how long, and how it fits into the course.",
        max_length=1000,
    ),
    # Main study address
    "study_address_line_1": Spec("text", label="Address line 1"),
    "study_address_line_2": Spec("text", label="Address line 2 (optional)"),
    "study_town": Spec("text", label="Town or city", width="20"),
    "study_postcode": Spec("text", label="Postcode", hint="For example, AB24 3FX.", width="10"),
    "study_nation": Spec(
        "radios",
        label="Which part of the UK is it in?",
        hint="Its bank holidays count in the student's reporting deadlines.",
    ),
    # English language
    "english_method": Spec("radios", label="How was the student's English assessed?"),
    "english_level": Spec(
        "select",
        label="English level",
        hint="On the Common European Framework of Reference. A degree-level course needs at "
        "least B2; a course below degree level, B1.",
    ),
    "selt_provider": Spec(
        "text", label="SELT provider", hint="Only for a SELT. For example, IELTS.", width="20"
    ),
    "selt_reference": Spec("text", label="SELT reference number", width="20"),
    "selt_reading_level": Spec("select", label="SELT reading level"),
    "selt_writing_level": Spec("select", label="SELT writing level"),
    "selt_listening_level": Spec("select", label="SELT listening level"),
    "selt_speaking_level": Spec("select", label="SELT speaking level"),
    # ATAS
    "atas_required": Spec(
        "checkbox",
        label="The student needs an Academic Technology Approval Scheme (ATAS) certificate",
        hint="Tick this and the certificate's reference is needed before you can assign.",
    ),
    "atas_reference": Spec("text", label="ATAS certificate reference", width="20"),
    # Fees
    "course_fees_first_year": Spec(
        "money",
        label="Course fees for the first year",
        hint=_FEES_HINT,
        width="10",
        inputmode="decimal",
    ),
    "course_fees_paid": Spec(
        "money",
        label="Course fees paid to date",
        hint=f"Towards the first year only. {_FEES_HINT}",
        width="10",
        inputmode="decimal",
    ),
    "accommodation_included": Spec("checkbox", label="The course fees include accommodation"),
    "accommodation_fees_paid": Spec(
        "money",
        label="Accommodation fees paid to date (optional)",
        hint="Only when the course fees include accommodation. In pounds, like 3000.",
        width="10",
        inputmode="decimal",
    ),
}

SPECS_BY_KIND: dict[str, dict[str, Spec]] = {
    CertificateKind.COS: SPECS,
    CertificateKind.CAS: CAS_SPECS,
}

_LEVELS = list(AcademicLevel.choices)
_CEFR = list(CefrLevel.choices)
RADIO_CHOICES: dict[str, list[tuple[str, str]]] = {
    "sex": list(Sex.choices),
    "work_nation": list(Nation.choices),
    "salary_period": list(SalaryPeriod.choices),
    "salary_option": list(SalaryOption.choices),
    "skills_charge": list(SkillsCharge.choices),
    "academic_level": _LEVELS,
    "course_type": list(CourseType.choices),
    "study_mode": list(StudyMode.choices),
    "study_nation": list(Nation.choices),
    "english_method": list(EnglishMethod.choices),
}
SELECT_PLACEHOLDERS = {
    "nationality": "Select a nationality",
    "country_of_birth": "Select a country",
    "country_of_residence": "Select a country",
    "home_country": "Select a country",
}
# Lists of fixed choices shown as a select, with the option that leaves them blank first.
SELECT_CHOICES: dict[str, list[tuple[str, str]]] = {
    "secondary_academic_level": [("", "None"), *_LEVELS],
    "english_level": [("", "Select a level"), *_CEFR],
    "selt_reading_level": [("", "Select a level"), *_CEFR],
    "selt_writing_level": [("", "Select a level"), *_CEFR],
    "selt_listening_level": [("", "Select a level"), *_CEFR],
    "selt_speaking_level": [("", "Select a level"), *_CEFR],
}
NATIONALITY_FIELDS = frozenset({"nationality"})
COUNTRY_FIELDS = frozenset({"country_of_birth", "country_of_residence", "home_country"})


def _spec(name: str, kind: str) -> Spec:
    return SPECS_BY_KIND[kind][name]


def field_label(name: str, kind: str = CertificateKind.COS) -> str:
    """What the form calls `name`: the label above its control."""
    spec = _spec(name, kind)
    if spec.label:
        return spec.label
    if kind == CertificateKind.COS or name in CORE_FIELDS:
        return label_of(name)
    return str(model_field(name, kind).verbose_name).capitalize()  # pragma: no cover


def _max_length(name: str, kind: str) -> int | None:
    spec = _spec(name, kind)
    if spec.max_length:
        return spec.max_length
    return getattr(model_field(name, kind), "max_length", None)


def _length_message(name: str, limit: int, kind: str) -> str:
    if name == "job_description":
        return "Describe the job in 1,000 characters or fewer"
    if name == "work_placement_details":
        return "Describe the work placement in 1,000 characters or fewer"
    return f"{field_label(name, kind)} must be {limit:,} characters or fewer"


def _family_name_required(kind: str) -> str:
    return FAMILY_NAME_REQUIRED if kind == CertificateKind.COS else STUDENT_FAMILY_NAME_REQUIRED


def _text_field(
    name: str, widget: forms.Widget, kind: str = CertificateKind.COS
) -> forms.CharField:
    limit = _max_length(name, kind)
    spec = _spec(name, kind)
    messages = {"required": _family_name_required(kind)}
    if limit:
        messages["max_length"] = _length_message(name, limit, kind)
    return forms.CharField(
        label=field_label(name, kind),
        help_text=spec.hint,
        required=name == "family_name",
        max_length=limit,
        error_messages=messages,
        widget=widget,
    )


class AmountField(forms.CharField):
    """Money or hours typed as digits with at most 2 decimal places (35000, 35000.99, 37.5):
    no commas, no pound sign. Gives a Decimal, or None when left empty."""

    def __init__(
        self,
        *,
        invalid: str,
        highest: Decimal | None,
        zero_allowed: bool,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.invalid = invalid
        self.highest = highest
        self.zero_allowed = zero_allowed

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            amount = Decimal(text) if AMOUNT_PATTERN.match(text) else None
        except InvalidOperation:  # pragma: no cover (the pattern lets only numbers through)
            amount = None
        if (
            amount is None
            or (amount == 0 and not self.zero_allowed)
            or (self.highest is not None and amount > self.highest)
        ):
            raise forms.ValidationError(self.invalid)
        return amount


def _amount_invalid(name: str, kind: str) -> str:
    if name == "salary_amount":
        return SALARY_INVALID
    if name == "weekly_hours":
        return HOURS_INVALID
    if name == "weekly_study_hours":
        return STUDY_HOURS_INVALID
    # The fees: the same words as the service's (services/drafts.py).
    what = str(model_field(name, kind).verbose_name)
    return (
        f"Enter the {what} in pounds, like 18500 or 18500.50, with no commas or pound sign "
        "(0 if none)"
    )


def _amount_field(name: str, kind: str, widget: forms.Widget) -> AmountField:
    spec = _spec(name, kind)
    hours = spec.kind == "hours"
    return AmountField(
        label=field_label(name, kind),
        help_text=spec.hint,
        required=False,
        widget=widget,
        invalid=_amount_invalid(name, kind),
        highest=MAX_HOURS if hours else (MAX_FEES if kind == CertificateKind.CAS else None),
        # Fees: nothing paid is an answer. A salary or hours of 0 is not.
        zero_allowed=not hours and kind == CertificateKind.CAS,
    )


def _choice_field(
    name: str,
    choices: list[tuple[Any, str]],
    widget: type[forms.Widget],
    kind: str = CertificateKind.COS,
) -> forms.ChoiceField:
    label = field_label(name, kind)
    what = label.lower()
    if name in NATIONALITY_FIELDS:
        wrong = "Select a nationality in the list"
    elif name in COUNTRY_FIELDS:
        wrong = f"Select a country in the list for {what}"
    else:
        wrong = f"Select one of the options for {what}"
    return forms.ChoiceField(
        label=label,
        help_text=_spec(name, kind).hint,
        required=False,
        choices=choices,
        widget=widget,
        error_messages={"invalid_choice": wrong},
    )


def _form_field(name: str, kind: str = CertificateKind.COS) -> forms.Field:
    spec = _spec(name, kind)
    attrs = {"autocomplete": spec.autocomplete}
    if spec.inputmode:
        attrs["inputmode"] = spec.inputmode
    if spec.kind in ("money", "hours"):
        return _amount_field(name, kind, forms.TextInput(attrs=attrs))
    if spec.kind == "text":
        return _text_field(name, forms.TextInput(attrs=attrs), kind)
    if spec.kind in ("textarea", "count"):
        return _text_field(name, forms.Textarea(), kind)
    if spec.kind == "checkbox":
        return forms.BooleanField(
            label=field_label(name, kind), help_text=spec.hint, required=False
        )
    if spec.kind == "radios":
        return _choice_field(name, RADIO_CHOICES[name], forms.RadioSelect, kind)
    if spec.kind == "select" and name in SELECT_CHOICES:
        return _choice_field(name, SELECT_CHOICES[name], forms.Select, kind)
    if spec.kind == "select" and name not in SELECT_PLACEHOLDERS:
        # Choices that depend on the sponsor (its PAYE references) are set by the form.
        return _choice_field(name, [], forms.Select, kind)
    if spec.kind == "select":
        options = nationality_choices() if name in NATIONALITY_FIELDS else country_choices()
        return _choice_field(name, [("", SELECT_PLACEHOLDERS[name]), *options], forms.Select, kind)
    raise ValueError(f"No form control for {name}")  # pragma: no cover


# ---------------------------------------------------------------- what the template draws


@dataclass(frozen=True)
class Item:
    """One question of a section page, in order: `field` is a bound field, or for dates a
    BoundDate (with `name` as the anchor of its group)."""

    kind: str
    name: str
    field: Any
    spec: Spec
    label: str


class ServiceErrorsMixin:
    """Puts the errors a service names by field onto the form's fields (a date's on its first
    box), and any other above the form."""

    fields: dict[str, forms.Field]
    add_error: Any
    date_error: Any

    def add_service_errors(self, errors: Sequence[tuple[str | None, str]], message: str) -> None:
        placed = False
        for field, text in errors:
            if field in DATES and f"{field}_day" in self.fields:
                self.date_error(field, DATE_PARTS, text)
                placed = True
            elif field in self.fields:
                self.add_error(field, text)
                placed = True
            else:
                self.add_error(None, text)
                placed = True
        if not placed and message:
            self.add_error(None, message)


class VersionMixin(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS
    )


def _address_choice(address: WorkAddress) -> tuple[int, str]:
    return (
        address.pk,
        f"{address.identifier}: {address.name + ', ' if address.name else ''}{address.one_line}",
    )


class SectionForm(ServiceErrorsMixin, DateInputMixin, VersionMixin):
    """One section of a draft's form (of `kind`: CoS or CAS): a control for each of its fields,
    prefilled from the draft. `values()` gives what `certificate_update` or `cas_update` takes:
    typed values, by field name. On the section that holds the main work or study address,
    `addresses` are the sponsor's pre-stored ones to pick from."""

    def __init__(
        self,
        *args: Any,
        section: Section,
        kind: str = CertificateKind.COS,
        addresses: list[WorkAddress] | None = None,
        paye_references: list[PayeReference] | None = None,
        current_paye: str = "",
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.section = section
        self.title = section.title
        self.kind = kind
        self.names = list(section.fields)
        for name in self.names:
            if name in DATES:
                for part in DATE_PARTS:
                    self.fields[f"{name}_{part}"] = date_part()
            else:
                self.fields[name] = _form_field(name, kind)
        self.chooser = ""
        chooser = ADDRESS_CHOOSERS.get((kind, section.key))
        if chooser and addresses:
            self.chooser, label, hint, wrong = chooser
            self.fields[self.chooser] = forms.TypedChoiceField(
                label=label,
                help_text=hint,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[
                    ("", "None: I will type the address"),
                    *[_address_choice(a) for a in addresses],
                ],
                error_messages={"invalid_choice": wrong},
            )
        if "paye_reference" in self.fields:
            references = [p.reference for p in paye_references or []]
            if current_paye and current_paye not in references:
                references.append(current_paye)
            field: Any = self.fields["paye_reference"]
            field.choices = [
                ("", "No PAYE reference (say why below)"),
                *[(r, r) for r in references],
            ]
            field.error_messages["invalid_choice"] = "Select one of your PAYE references"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.names:
            if name in DATES:
                raw = [str(data.get(f"{name}_{p}") or "").strip() for p in DATE_PARTS]
                data[name] = self.clean_date(name, DATES[name]) if any(raw) else None
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {name: data.get(name) for name in self.names}
        if self.chooser and data.get(self.chooser) is not None:
            values[self.chooser] = data[self.chooser]
        return values

    def date(self, name: str) -> BoundDate:
        return self.bound_date(name)

    def items(self) -> list[Item]:
        found = []
        for name in self.names:
            spec = _spec(name, self.kind)
            field: Any = self.date(name) if name in DATES else self[name]
            found.append(Item(spec.kind, name, field, spec, field_label(name, self.kind)))
        return found

    @property
    def choose_address(self) -> forms.BoundField | None:
        return self[self.chooser] if self.chooser else None


def section_initial(certificate: Certificate, section: Section) -> dict[str, Any]:
    """The draft's values as the section's form shows them: text, dates in three boxes,
    ticked boxes as "on" (so the same dict can prefill or, bound, be checked)."""
    initial: dict[str, Any] = {"version": certificate.version}
    for name in section.fields:
        value = value_of(certificate, name)
        if name in DATES:
            if isinstance(value, date):
                initial.update(
                    {
                        f"{name}_day": str(value.day),
                        f"{name}_month": str(value.month),
                        f"{name}_year": str(value.year),
                    }
                )
        elif isinstance(value, bool):
            if value:
                initial[name] = "on"
        elif isinstance(value, Decimal):
            initial[name] = f"{value.normalize():f}"
        elif value is not None:
            initial[name] = str(value)
    return initial


# ---------------------------------------------------------------- route, new, copy


def worker_route_choices(held: frozenset[str]) -> list[tuple[str, str]]:
    """The licence's Worker and Temporary Worker routes, in the order of the route list."""
    return [
        (route.value, route.label)
        for route in Route
        if route in held and ROUTE_GROUPS[route] != RouteGroup.STUDENT
    ]


class RouteField(forms.ChoiceField):
    """Shows the licence's routes of the kind; any route code is passed on, so the service
    says exactly why a route it does not allow is refused."""

    def valid_value(self, value: Any) -> bool:
        return value in Route.values


def _route_field(held: frozenset[str]) -> RouteField:
    choices = worker_route_choices(held)
    return RouteField(
        label="Which route is the certificate for?",
        choices=choices,
        initial=choices[0][0] if len(choices) == 1 else None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the route the certificate is for"},
    )


def _category_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="What is the certificate for?",
        choices=CosCategory.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the certificate is for",
            "invalid_choice": "Select what the certificate is for",
        },
    )


class RouteForm(ServiceErrorsMixin, DateInputMixin, VersionMixin):
    """The route and category of a draft."""

    title = ROUTE_SECTION_TITLE

    def __init__(self, *args: Any, held: frozenset[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["route"] = _route_field(held)
        self.fields["category"] = _category_field()

    def values(self) -> dict[str, Any]:
        return {"route": self.cleaned_data["route"], "category": self.cleaned_data["category"]}


def route_initial(certificate: Certificate) -> dict[str, Any]:
    return {
        "version": certificate.version,
        "route": certificate.route,
        "category": certificate.cos.category,
    }


def family_name_field(kind: str = CertificateKind.COS) -> forms.CharField:
    """The person's family name, the one answer a draft needs."""
    return _text_field("family_name", forms.TextInput(attrs={"autocomplete": "off"}), kind)


class NewDraftForm(ServiceErrorsMixin, DateInputMixin, forms.Form):
    """The first page: the route, the category and the worker's family name: enough to save."""

    family_name = family_name_field()

    def __init__(self, *args: Any, held: frozenset[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["route"] = _route_field(held)
        self.fields["category"] = _category_field()
        self.order_fields(["route", "category", "family_name"])


class CopyForm(ServiceErrorsMixin, DateInputMixin, forms.Form):
    """Create a certificate based on another: for another person, so only their family name."""

    family_name = family_name_field()


class AssignForm(VersionMixin):
    """Assigning or deleting: the version the page showed, so a change since is noticed."""


def section_for(key: str, kind: str = CertificateKind.COS) -> Section | None:
    return kind_section_for(kind, key)
