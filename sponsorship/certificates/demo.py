"""Demo certificates: drafts, assigned, used and withdrawn, made through the services so they
carry their history and audit events like real ones."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from sponsorship.accounts.models import User
from sponsorship.licences.models import Nation, Sponsor

from .models import (
    AcademicLevel,
    AddressPurpose,
    CefrLevel,
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
from .services import (
    cas_create,
    certificate_assign,
    certificate_create,
    certificate_mark_used,
    certificate_withdraw,
)


def _person(
    family: str, given: str, nationality: str, born: date, sex: str, passport: str
) -> dict[str, Any]:
    return {
        "family_name": family,
        "given_names": given,
        "nationality": nationality,
        "place_of_birth": "Not recorded",
        "country_of_birth": nationality,
        "date_of_birth": born,
        "sex": sex,
        "country_of_residence": "GBR",
        "passport_number": passport,
        "passport_issue_date": date(2023, 2, 1),
        "passport_expiry_date": date(2033, 1, 31),
        "passport_place_of_issue": "Issuing authority",
        "home_address_line_1": "Flat 2, 18 Mutley Plain",
        "home_town": "Plymouth",
        "home_postcode": "PL4 6LE",
        "home_country": "GBR",
    }


def _care_manager_job(today: date, address: WorkAddress) -> dict[str, Any]:
    start = today + timedelta(days=30)
    return {
        "start_date": start,
        "end_date": start + relativedelta(years=3) - timedelta(days=1),
        "weekly_hours": Decimal("37.5"),
        "work_address_id": address.pk,
        "job_title": "Deputy care home manager",
        "soc_code": "1232",
        "job_description": "Runs the Citadel Road home's day-to-day care with the registered "
        "manager: rotas, care plans, training and inspections.",
        "salary_amount": Decimal("41000"),
        "salary_period": SalaryPeriod.YEAR,
        "salary_option": SalaryOption.IMMIGRATION_SALARY_LIST,
        "salary_list_confirmed": True,
        "eligible_occupation_confirmed": True,
        "maintenance_certified": True,
        "registration_details": "Care Quality Commission registered location 1-123456789",
        "skills_charge": SkillsCharge.LIABLE,
        "paye_reference": "475/HV12345",
    }


def load_demo_certificates(today: date, caseworker: User) -> None:
    harbour = Sponsor.objects.get(licence_number="HVC7Q2M4K")
    level_1 = User.objects.get(username="ZHARTLEY1")
    level_2 = User.objects.get(username="PRAMAN01")
    home = WorkAddress.objects.create(
        sponsor=harbour,
        identifier="WA0001",
        name="Citadel Road care home",
        line_1="14 Citadel Road",
        town="Plymouth",
        postcode="PL1 3DE",
        nation=Nation.ENGLAND,
        created_by=level_1,
    )
    WorkAddress.objects.create(
        sponsor=harbour,
        identifier="WA0002",
        name="Mannamead day centre",
        line_1="3 Eggbuckland Road",
        town="Plymouth",
        postcode="PL3 5HF",
        nation=Nation.ENGLAND,
        created_by=level_1,
    )
    people = [
        _person("Santos", "Maria Clara", "PHL", date(1994, 6, 2), Sex.FEMALE, "P4829175A"),
        _person("Mensah", "Abena", "GHA", date(1990, 11, 23), Sex.FEMALE, "G3012785"),
        _person("Nair", "Arjun", "IND", date(1988, 1, 9), Sex.MALE, "V7781234"),
    ]
    assigned = []
    for values in people:
        draft = certificate_create(
            actor=level_1,
            route="SKILLED_WORKER",
            category=CosCategory.CHANGE_OF_EMPLOYMENT,
            values={**values, **_care_manager_job(today, home)},
            ip=None,
        )
        assigned.append(
            certificate_assign(actor=level_1, certificate=draft, version=draft.version, ip=None)
        )
    certificate_mark_used(actor=caseworker, certificate=assigned[0], ip=None)
    certificate_withdraw(
        actor=level_1,
        certificate=assigned[2],
        version=assigned[2].version,
        reason="The candidate accepted another offer before applying.",
        ip=None,
    )
    # A Level 2 user's draft, half done: the task list shows what is missing.
    certificate_create(
        actor=level_2,
        route="SKILLED_WORKER",
        category=CosCategory.SWITCHING,
        values={"family_name": "Kowalczyk", "given_names": "Łukasz", "nationality": "POL"},
        ip=None,
    )


def _msc(start: date, campus: WorkAddress, student_id: str) -> dict[str, Any]:
    return {
        "student_id": student_id,
        "course_title": "MSc Data Science",
        "academic_level": AcademicLevel.RQF7,
        "course_type": CourseType.TAUGHT,
        "course_start_date": start,
        "course_end_date": start + relativedelta(years=1) - timedelta(days=5),
        "weekly_study_hours": Decimal("20"),
        "study_mode": StudyMode.FULL_TIME,
        "study_address_id": campus.pk,
        "english_method": EnglishMethod.SELT,
        "english_level": CefrLevel.B2,
        "selt_provider": "IELTS Academic",
        "selt_reference": f"26CN{student_id[-4:]}LIU",
        "selt_reading_level": CefrLevel.B2,
        "selt_writing_level": CefrLevel.B2,
        "selt_listening_level": CefrLevel.C1,
        "selt_speaking_level": CefrLevel.B2,
        "course_fees_first_year": Decimal("27450"),
        "course_fees_paid": Decimal("8000"),
    }


def load_demo_cas(today: date, caseworker: User) -> None:
    """The University of Glenmoor's January intake: assigned CAS, one used, one draft with the
    English level too low for a master's course, so the check page has something to say."""
    glenmoor = Sponsor.objects.get(licence_number="UGL4N8T2R")
    level_1 = User.objects.get(username="ECAMPBELL1")
    level_2 = User.objects.get(username="WCHEN001")
    campus = WorkAddress.objects.create(
        sponsor=glenmoor,
        purpose=AddressPurpose.STUDY,
        identifier="SA0001",
        name="Central campus",
        line_1="1 College Wynd",
        town="Edinburgh",
        postcode="EH8 9YL",
        nation=Nation.SCOTLAND,
        created_by=level_1,
    )
    start = today + relativedelta(months=2)
    students = [
        ("Liu", "Yang", "CHN", date(2001, 4, 17), Sex.FEMALE, "E83920145", "G2026-1001"),
        ("Okafor", "Chinedu", "NGA", date(1999, 9, 3), Sex.MALE, "A09876543", "G2026-1002"),
        ("Nguyễn", "Thị Mai", "VNM", date(2000, 12, 30), Sex.FEMALE, "C4417720", "G2026-1003"),
    ]
    assigned = []
    for family, given, nationality, born, sex, passport, student_id in students:
        values = {
            **_person(family, given, nationality, born, sex, passport),
            **_msc(start, campus, student_id),
        }
        values.update(home_address_line_1="12 Buccleuch Street", home_town="Edinburgh")
        values.update(home_postcode="EH8 9LR")
        draft = cas_create(actor=level_1, route="STUDENT", values=values, ip=None)
        assigned.append(
            certificate_assign(actor=level_1, certificate=draft, version=draft.version, ip=None)
        )
    certificate_mark_used(actor=caseworker, certificate=assigned[0], ip=None)
    # A Level 2 user's draft: a SELT writing score of B1 is too low for a master's course.
    cas_create(
        actor=level_2,
        route="STUDENT",
        values={
            **_person("Haddad", "Omar", "JOR", date(2002, 2, 11), Sex.MALE, "N551203"),
            **_msc(start, campus, "G2026-1004"),
            "selt_writing_level": CefrLevel.B1,
        },
        ip=None,
    )
