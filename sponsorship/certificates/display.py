"""A certificate's fields as people read them, section by section: labels and values in words
(dates written out, countries named, amounts in pounds, yes or no). Pages, the PDF and exports
all use this, for a CoS and a CAS alike: each kind's own sections (sections.SECTIONS)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models

from sponsorship.core.countries import country_names, nationality_names

from .models import Certificate, CertificateKind, SalaryPeriod
from .sections import CORE_FIELDS, SECTIONS, Section, SectionStatus, details_of, model_field

NOT_GIVEN = "Not given"
LABELS = {
    "sex": "Sex",
    "passport_number": "Passport or travel document number",
    "uk_ni_number": "UK National Insurance number",
    "work_address_line_1": "Address line 1",
    "work_address_line_2": "Address line 2",
    "work_town": "Town or city",
    "work_postcode": "Postcode",
    "work_nation": "Part of the UK",
    "home_address_line_1": "Address line 1",
    "home_address_line_2": "Address line 2",
    "home_town": "Town or city",
    "home_postcode": "Postcode or zip code",
    "home_country": "Country",
    "salary_amount": "Gross salary",
    "salary_period": "For each",
    "salary_option": "Salary option claimed",
    "soc_code": "SOC 2020 occupation code",
    "leave_and_reenter": "May leave and re-enter the UK during the job",
    "eligible_occupation_confirmed": "Occupation confirmed eligible",
    "salary_list_confirmed": "Job confirmed on the Immigration Salary List",
    "maintenance_certified": "Maintenance certified",
    "atas_required": "ATAS certificate required",
    "skills_charge": "Immigration Skills Charge",
    "client_contract": "Work on a client contract",
    "sourced_through_agent": "Worker sourced through an agent",
    "national_id": "National identity card number",
    "new_entrant": "New entrant",
    "paye_reference": "PAYE reference",
    "paye_reason": "Reason for no PAYE reference",
    "weekly_hours": "Weekly working hours",
    # The main study address of a CAS reads like any other address.
    "study_address_line_1": "Address line 1",
    "study_address_line_2": "Address line 2",
    "study_town": "Town or city",
    "study_postcode": "Postcode",
    "study_nation": "Part of the UK",
}
COUNTRY_FIELDS = frozenset({"country_of_birth", "country_of_residence", "home_country"})
# Amounts in pounds and pence.
MONEY_FIELDS = frozenset(
    {"salary_amount", "course_fees_first_year", "course_fees_paid", "accommodation_fees_paid"}
)


@dataclass(frozen=True)
class Row:
    field: str
    label: str
    value: str


def label_of(name: str, kind: str = CertificateKind.COS) -> str:
    """What a field is called on the pages, of a CoS or (`kind`) of a CAS."""
    if name in LABELS:
        return LABELS[name]
    words = str(model_field(name, kind).verbose_name)
    return words[:1].upper() + words[1:]


def _words(certificate: Certificate, name: str) -> str:
    owner: Any = certificate if name in CORE_FIELDS else details_of(certificate)
    value = getattr(owner, name)
    field = model_field(name, certificate.kind)
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if value in (None, ""):
        return NOT_GIVEN
    if name == "nationality":
        return nationality_names().get(value, value)
    if name in COUNTRY_FIELDS:
        return country_names().get(value, value)
    if field.choices:
        return str(getattr(owner, f"get_{name}_display")())
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if name in MONEY_FIELDS and isinstance(value, Decimal):
        return f"£{value:,.2f}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def section_rows(certificate: Certificate, section: Section) -> list[Row]:
    return [
        Row(name, label_of(name, certificate.kind), _words(certificate, name))
        for name in section.fields
    ]


@dataclass(frozen=True)
class SectionView:
    section: Section
    status: SectionStatus
    rows: list[Row]


def sections_for(certificate: Certificate) -> list[SectionView]:
    """Every section of the certificate's kind, with its status on the task list and its rows
    in words."""
    return [
        SectionView(section, section.status(certificate), section_rows(certificate, section))
        for section in SECTIONS[certificate.kind]
    ]


def annual_salary_words(certificate: Certificate) -> str:
    """ "£55,000.00 a year", with the yearly figure when paid by month, week or hour."""
    cos = certificate.cos
    if cos.salary_amount is None or not cos.salary_period:
        return NOT_GIVEN
    text = f"£{cos.salary_amount:,.2f} for each {SalaryPeriod(cos.salary_period).label.lower()}"
    annual = cos.annual_salary
    if cos.salary_period != SalaryPeriod.YEAR and annual is not None:
        text += f" (£{annual:,.2f} a year)"
    return text
