"""Certificates for tests: a complete Skilled Worker draft, ready to assign on the frozen date
the certificate tests use (Monday 16 November 2026), and work addresses."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from sponsorship.certificates.models import (
    AcademicLevel,
    AddressPurpose,
    CasDetails,
    CefrLevel,
    Certificate,
    CertificateKind,
    CertificateStatus,
    CosCategory,
    CosDetails,
    CourseType,
    EnglishMethod,
    SalaryOption,
    SalaryPeriod,
    Sex,
    SkillsCharge,
    StudyMode,
    WorkAddress,
    name_key,
)
from sponsorship.licences.models import Nation, PayeReference, Route

# A complete CoS for a software developer (2134 Programmers and software development
# professionals), paid above the going rate and the general threshold.
COMPLETE_CORE: dict[str, Any] = {
    "family_name": "Kowalczyk",
    "given_names": "Łukasz Marek",
    "nationality": "POL",
    "place_of_birth": "Kraków",
    "country_of_birth": "POL",
    "date_of_birth": date(1991, 3, 14),
    "sex": Sex.MALE,
    "country_of_residence": "GBR",
    "passport_number": "EP1234567",
    "passport_issue_date": date(2022, 5, 1),
    "passport_expiry_date": date(2032, 4, 30),
    "passport_place_of_issue": "Warsaw",
    "home_address_line_1": "14 Wellington Road",
    "home_town": "Leeds",
    "home_postcode": "LS1 4AB",
    "home_country": "GBR",
}
COMPLETE_COS: dict[str, Any] = {
    "category": CosCategory.CHANGE_OF_EMPLOYMENT,
    "skills_charge": SkillsCharge.LIABLE,
    "start_date": date(2027, 1, 4),
    "end_date": date(2029, 12, 31),
    "weekly_hours": Decimal("37.5"),
    "work_address_line_1": "1 High Street",
    "work_town": "London",
    "work_postcode": "SW1A 1AA",
    "work_nation": Nation.ENGLAND,
    "job_title": "Software developer",
    "soc_code": "2134",
    "job_description": "Builds and maintains the company's booking systems.",
    "salary_amount": Decimal("55000"),
    "salary_period": SalaryPeriod.YEAR,
    "salary_option": SalaryOption.GENERAL,
    "eligible_occupation_confirmed": True,
    "maintenance_certified": True,
    "paye_reason": "Paid through the payroll of the parent company.",
}


def complete_draft(owner: Any, *, route: str = Route.SKILLED_WORKER, **fields: Any) -> Certificate:
    """A draft with every field assignment needs; `fields` override core or CoS fields."""
    core_names = {f.name for f in Certificate._meta.get_fields()}
    core = {**COMPLETE_CORE, **{k: v for k, v in fields.items() if k in core_names}}
    cos = {**COMPLETE_COS, **{k: v for k, v in fields.items() if k not in core_names}}
    certificate = Certificate.objects.create(
        sponsor=owner.sponsor,
        kind=CertificateKind.COS,
        route=route,
        owner=owner,
        created_by=owner,
        family_name_key=name_key(core["family_name"]),
        given_names_key=name_key(core.get("given_names", "")),
        **core,
    )
    CosDetails.objects.create(certificate=certificate, **cos)
    return Certificate.objects.select_related("sponsor", "cos", "owner").get(pk=certificate.pk)


def assigned_certificate(owner: Any, *, number: str | None = None, **fields: Any) -> Certificate:
    """An assigned certificate, made directly (no allocation taken): for tests of what comes
    after assignment."""
    certificate = complete_draft(owner, **fields)
    today = timezone.localdate()
    certificate.status = CertificateStatus.ASSIGNED
    certificate.number = number or f"C{certificate.pk:010d}"
    certificate.assigned_at = timezone.now()
    certificate.assigned_by = owner
    certificate.use_by = today + timedelta(days=91)
    certificate.save()
    return certificate


# A complete CAS for a master's student at a university in Scotland, starting in January
# (within 6 months of the frozen date), with a SELT at B2 in every component.
COMPLETE_CAS: dict[str, Any] = {
    "student_id": "S2026-0042",
    "course_title": "MSc Marine Biology",
    "academic_level": AcademicLevel.RQF7,
    "course_type": CourseType.TAUGHT,
    "course_start_date": date(2027, 1, 18),
    "course_end_date": date(2028, 1, 14),
    "weekly_study_hours": Decimal("20"),
    "study_mode": StudyMode.FULL_TIME,
    "study_address_line_1": "University Avenue",
    "study_town": "Aberdeen",
    "study_postcode": "AB24 3FX",
    "study_nation": Nation.SCOTLAND,
    "english_method": EnglishMethod.SELT,
    "english_level": CefrLevel.B2,
    "selt_provider": "IELTS",
    "selt_reference": "26GB012345ABCD",
    "selt_reading_level": CefrLevel.B2,
    "selt_writing_level": CefrLevel.B2,
    "selt_listening_level": CefrLevel.C1,
    "selt_speaking_level": CefrLevel.B2,
    "course_fees_first_year": Decimal("24500.00"),
    "course_fees_paid": Decimal("5000.00"),
}


def complete_cas(owner: Any, *, route: str = Route.STUDENT, **fields: Any) -> Certificate:
    """A CAS draft with every field assignment needs; `fields` override core or CAS fields.
    The sponsor needs the Student route (`SponsorFactory(routes=[Route.STUDENT])`)."""
    core_names = {f.name for f in Certificate._meta.get_fields()}
    core = {**COMPLETE_CORE, **{k: v for k, v in fields.items() if k in core_names}}
    cas = {**COMPLETE_CAS, **{k: v for k, v in fields.items() if k not in core_names}}
    certificate = Certificate.objects.create(
        sponsor=owner.sponsor,
        kind=CertificateKind.CAS,
        route=route,
        owner=owner,
        created_by=owner,
        family_name_key=name_key(core["family_name"]),
        given_names_key=name_key(core.get("given_names", "")),
        **core,
    )
    CasDetails.objects.create(certificate=certificate, **cas)
    return Certificate.objects.select_related("sponsor", "cas", "owner").get(pk=certificate.pk)


def assigned_cas(owner: Any, *, number: str | None = None, **fields: Any) -> Certificate:
    """An assigned CAS, made directly (no allocation taken): for tests of what comes after
    assignment."""
    certificate = complete_cas(owner, **fields)
    certificate.status = CertificateStatus.ASSIGNED
    certificate.number = number or f"E{certificate.pk:013d}"
    certificate.assigned_at = timezone.now()
    certificate.assigned_by = owner
    certificate.use_by = timezone.localdate() + timedelta(days=182)
    certificate.save()
    return certificate


class WorkAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkAddress

    identifier = factory.Sequence(lambda n: f"WA{n + 1:04d}")
    name = "Head office"
    line_1 = "1 High Street"
    town = "London"
    postcode = "SW1A 1AA"
    nation = Nation.ENGLAND


class StudyAddressFactory(WorkAddressFactory):
    purpose = AddressPurpose.STUDY
    identifier = factory.Sequence(lambda n: f"SA{n + 1:04d}")
    name = "Main campus"
    line_1 = "University Avenue"
    town = "Aberdeen"
    postcode = "AB24 3FX"
    nation = Nation.SCOTLAND


class PayeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayeReference

    reference = "123/AB45678"
