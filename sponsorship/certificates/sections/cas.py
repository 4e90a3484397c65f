"""The sections of the CAS form (DOMAIN.md "Confirmation of Acceptance for Studies"): the
student, the course and where it is studied, English, ATAS and fees."""

from collections.abc import Callable

from ..models import Certificate, EnglishMethod
from .base import Need, Section
from .cos import COS_SECTIONS


def _selt(certificate: Certificate) -> bool:
    return certificate.cas.english_method == EnglishMethod.SELT


def _english_assessed(certificate: Certificate) -> bool:
    return certificate.cas.english_method not in ("", EnglishMethod.NOT_REQUIRED)


def _work_placement(certificate: Certificate) -> bool:
    return certificate.cas.work_placement


def _atas(certificate: Certificate) -> bool:
    return certificate.cas.atas_required


def _given(name: str) -> Callable[[Certificate], bool]:
    """Met when the amount is given, nothing (0) included."""
    return lambda certificate: getattr(certificate.cas, name) is not None


_COS = {section.key: section for section in COS_SECTIONS}

CAS_SECTIONS: tuple[Section, ...] = (
    Section(
        "personal",
        "Student details",
        (*_COS["personal"].fields, "student_id", "existing_student"),
        tuple(
            Need(need.field, need.message.replace("worker", "student"))
            for need in _COS["personal"].needs
        ),
    ),
    Section(
        "passport",
        "Passport or travel document",
        _COS["passport"].fields,
        _COS["passport"].needs,
    ),
    Section("home_address", "Home address", _COS["home_address"].fields),
    Section(
        "course",
        "Course",
        (
            "course_title",
            "academic_level",
            "secondary_academic_level",
            "course_type",
            "course_start_date",
            "course_end_date",
            "weekly_study_hours",
            "study_mode",
            "partner_institution",
            "work_placement",
            "work_placement_details",
        ),
        (
            Need("course_title", "Enter the course title"),
            Need("academic_level", "Select the course's academic level, like RQF 6"),
            Need("course_type", "Select whether the course is taught or research"),
            Need("course_start_date", "Enter the date the course starts"),
            Need("course_end_date", "Enter the date the course ends"),
            Need("weekly_study_hours", "Enter the hours of study a week, like 15"),
            Need("study_mode", "Select whether the course is full time or part time"),
            Need(
                "work_placement_details",
                "Describe the work placement, or untick 'includes a work placement'",
                _work_placement,
            ),
        ),
    ),
    Section(
        "study_address",
        "Main study address",
        (
            "study_address_line_1",
            "study_address_line_2",
            "study_town",
            "study_postcode",
            "study_nation",
        ),
        (
            Need(
                "study_address_line_1",
                "Enter the main study address, or pick one of your study addresses",
            ),
            Need("study_town", "Enter the town or city of the main study address"),
            Need("study_postcode", "Enter the postcode of the main study address"),
            Need("study_nation", "Select which part of the UK the main study address is in"),
        ),
    ),
    Section(
        "english",
        "English language",
        (
            "english_method",
            "english_level",
            "selt_provider",
            "selt_reference",
            "selt_reading_level",
            "selt_writing_level",
            "selt_listening_level",
            "selt_speaking_level",
        ),
        (
            Need("english_method", "Select how the student's English was assessed"),
            Need(
                "english_level",
                "Select the student's English level, like B2",
                _english_assessed,
            ),
            Need("selt_provider", "Enter the SELT provider, like IELTS", _selt),
            Need("selt_reference", "Enter the SELT reference number", _selt),
            Need("selt_reading_level", "Select the SELT reading level", _selt),
            Need("selt_writing_level", "Select the SELT writing level", _selt),
            Need("selt_listening_level", "Select the SELT listening level", _selt),
            Need("selt_speaking_level", "Select the SELT speaking level", _selt),
        ),
    ),
    Section(
        "atas",
        "Academic Technology Approval Scheme (ATAS)",
        ("atas_required", "atas_reference"),
        (
            Need(
                "atas_reference",
                "Enter the ATAS certificate reference, or untick 'ATAS certificate required'",
                _atas,
            ),
        ),
    ),
    Section(
        "fees",
        "Fees",
        (
            "course_fees_first_year",
            "course_fees_paid",
            "accommodation_included",
            "accommodation_fees_paid",
        ),
        (
            Need(
                "course_fees_first_year",
                "Enter the course fees for the first year in pounds, like 18500 (0 if none)",
                met=_given("course_fees_first_year"),
            ),
            Need(
                "course_fees_paid",
                "Enter the course fees paid to date in pounds, like 5000 (0 if none)",
                met=_given("course_fees_paid"),
            ),
        ),
    ),
)

# What a sponsor may change on a live CAS, and what it may never leave empty.
FEE_FIELDS = CAS_SECTIONS[-1].fields
FEE_NEEDS = CAS_SECTIONS[-1].needs
