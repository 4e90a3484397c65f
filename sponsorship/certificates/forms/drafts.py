"""Input shapes for a CoS draft: the first page (route, category and family name), the route
section, each section of the form (built from the section's field list in `sections.py`),
copying a certificate and the version-only forms of assigning and deleting. Field errors only:
what assignment needs and every business rule are the services' (`clean_values`,
`assignment_check`)."""

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
    Certificate,
    CosCategory,
    SalaryOption,
    SalaryPeriod,
    Sex,
    SkillsCharge,
    WorkAddress,
)
from ..sections import COS_SECTIONS, SECTIONS_BY_KEY, Section, model_field, value_of

# The pseudo-section that holds what is not a field of the form's sections: the route and the
# category, chosen on the first page and changeable here.
ROUTE_SECTION = "route"
ROUTE_SECTION_TITLE = "Route and category"

SALARY_INVALID = (
    "Enter the gross salary in pounds, like 35000 or 35000.99, with no commas or pound sign"
)
HOURS_INVALID = "Enter the weekly working hours as a number up to 99, like 37.5"
# Whole pounds, or pounds and pence: 35000 or 35000.99 (nothing else: no commas, no £).
SALARY_PATTERN = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
HOURS_PATTERN = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
FAMILY_NAME_REQUIRED = (
    "Enter the worker's family name, as in their passport: a draft needs at least that"
)
VERSION_ERRORS = {
    "required": "Reload the page and try again",
    "invalid": "Reload the page and try again",
    "min_value": "Reload the page and try again",
}


def section_of(field: str | None) -> str | None:
    """The key of the section whose page has `field`, or None for findings with no field."""
    if field in ("route", "category"):
        return ROUTE_SECTION
    if field == "work_address_id":
        return "work_address"
    for section in COS_SECTIONS:
        if field in section.fields:
            return section.key
    return None


def field_anchor(field: str) -> str:
    """The id of the control a link to `field` should land on: a date's first box."""
    return f"id_{field}_day" if field in DATES else f"id_{field}"


# ---------------------------------------------------------------- how each field is asked


@dataclass(frozen=True)
class Spec:
    """How one field of the CoS form is asked: its control and its words."""

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

RADIO_CHOICES: dict[str, list[tuple[str, str]]] = {
    "sex": list(Sex.choices),
    "work_nation": list(Nation.choices),
    "salary_period": list(SalaryPeriod.choices),
    "salary_option": list(SalaryOption.choices),
    "skills_charge": list(SkillsCharge.choices),
}
SELECT_PLACEHOLDERS = {
    "nationality": "Select a nationality",
    "country_of_birth": "Select a country",
    "country_of_residence": "Select a country",
    "home_country": "Select a country",
}
NATIONALITY_FIELDS = frozenset({"nationality"})


def _label(name: str) -> str:
    return SPECS[name].label or label_of(name)


def _max_length(name: str) -> int | None:
    spec = SPECS[name]
    if spec.max_length:
        return spec.max_length
    return getattr(model_field(name), "max_length", None)


def _length_message(name: str, limit: int) -> str:
    if name == "job_description":
        return "Describe the job in 1,000 characters or fewer"
    return f"{_label(name)} must be {limit:,} characters or fewer"


def _text_field(name: str, widget: forms.Widget) -> forms.CharField:
    limit = _max_length(name)
    spec = SPECS[name]
    messages = {"required": FAMILY_NAME_REQUIRED}
    if limit:
        messages["max_length"] = _length_message(name, limit)
    return forms.CharField(
        label=_label(name),
        help_text=spec.hint,
        required=name == "family_name",
        max_length=limit,
        error_messages=messages,
        widget=widget,
    )


def _choice_field(
    name: str, choices: list[tuple[Any, str]], widget: type[forms.Widget]
) -> forms.ChoiceField:
    label = _label(name)
    what = label.lower()
    if name in NATIONALITY_FIELDS:
        wrong = "Select a nationality in the list"
    elif widget is forms.Select:
        wrong = f"Select a country in the list for {what}"
    else:
        wrong = f"Select one of the options for {what}"
    return forms.ChoiceField(
        label=label,
        help_text=SPECS[name].hint,
        required=False,
        choices=choices,
        widget=widget,
        error_messages={"invalid_choice": wrong},
    )


def _form_field(name: str) -> forms.Field:
    spec = SPECS[name]
    attrs = {"autocomplete": spec.autocomplete}
    if spec.kind in ("text", "money", "hours"):
        if spec.inputmode:
            attrs["inputmode"] = spec.inputmode
        return _text_field(name, forms.TextInput(attrs=attrs))
    if spec.kind in ("textarea", "count"):
        return _text_field(name, forms.Textarea())
    if spec.kind == "checkbox":
        return forms.BooleanField(label=_label(name), help_text=spec.hint, required=False)
    if spec.kind == "radios":
        return _choice_field(name, RADIO_CHOICES[name], forms.RadioSelect)
    if spec.kind == "select" and name not in SELECT_PLACEHOLDERS:
        # Choices that depend on the sponsor (its PAYE references) are set by the form.
        return _choice_field(name, [], forms.Select)
    if spec.kind == "select":
        options = nationality_choices() if name in NATIONALITY_FIELDS else country_choices()
        return _choice_field(name, [("", SELECT_PLACEHOLDERS[name]), *options], forms.Select)
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


class SectionForm(ServiceErrorsMixin, DateInputMixin, VersionMixin):
    """One section of the CoS form: a control for each of its fields, prefilled from the
    draft. `values()` gives what `certificate_update` takes: typed values, by field name."""

    def __init__(
        self,
        *args: Any,
        section: Section,
        work_addresses: list[WorkAddress] | None = None,
        paye_references: list[PayeReference] | None = None,
        current_paye: str = "",
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.section = section
        self.names = list(section.fields)
        for name in self.names:
            if name in DATES:
                for part in DATE_PARTS:
                    self.fields[f"{name}_{part}"] = date_part()
            else:
                self.fields[name] = _form_field(name)
        if section.key == "work_address" and work_addresses:
            self.fields["work_address_id"] = forms.TypedChoiceField(
                label="Choose one of your work addresses",
                help_text="We copy it into the certificate. Or type the address below.",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[
                    ("", "None: I will type the address"),
                    *[
                        (a.pk, f"{a.identifier}: {a.name + ', ' if a.name else ''}{a.one_line}")
                        for a in work_addresses
                    ],
                ],
                error_messages={"invalid_choice": "Select one of your work addresses in use"},
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

    def clean_salary_amount(self) -> Decimal | None:
        text = self.cleaned_data["salary_amount"].strip()
        if not text:
            return None
        if not SALARY_PATTERN.match(text):
            raise forms.ValidationError(SALARY_INVALID)
        amount = Decimal(text)
        if amount <= 0:
            raise forms.ValidationError(SALARY_INVALID)
        return amount

    def clean_weekly_hours(self) -> Decimal | None:
        text = self.cleaned_data["weekly_hours"].strip()
        if not text:
            return None
        try:
            hours = Decimal(text) if HOURS_PATTERN.match(text) else None
        except InvalidOperation:  # pragma: no cover (the pattern lets only numbers through)
            hours = None
        if hours is None or not 0 < hours <= 99:
            raise forms.ValidationError(HOURS_INVALID)
        return hours

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {name: data.get(name) for name in self.names}
        if data.get("work_address_id") is not None:
            values["work_address_id"] = data["work_address_id"]
        return values

    def date(self, name: str) -> BoundDate:
        return self.bound_date(name)

    def items(self) -> list[Item]:
        found = []
        for name in self.names:
            spec = SPECS[name]
            field: Any = self.date(name) if name in DATES else self[name]
            found.append(Item(spec.kind, name, field, spec, _label(name)))
        return found

    @property
    def choose_address(self) -> forms.BoundField | None:
        return self["work_address_id"] if "work_address_id" in self.fields else None


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
    """Shows the licence's worker routes; any route code is passed on, so the service says
    exactly why a route it does not allow is refused."""

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


class NewDraftForm(ServiceErrorsMixin, DateInputMixin, forms.Form):
    """The first page: the route, the category and the worker's family name: enough to save."""

    family_name = _text_field("family_name", forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args: Any, held: frozenset[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["route"] = _route_field(held)
        self.fields["category"] = _category_field()
        self.order_fields(["route", "category", "family_name"])


class CopyForm(ServiceErrorsMixin, DateInputMixin, forms.Form):
    """Create a certificate based on another: for another person, so only their family name."""

    family_name = _text_field("family_name", forms.TextInput(attrs={"autocomplete": "off"}))


class AssignForm(VersionMixin):
    """Assigning or deleting: the version the page showed, so a change since is noticed."""


def section_for(key: str) -> Section | None:
    return SECTIONS_BY_KEY.get(key)
