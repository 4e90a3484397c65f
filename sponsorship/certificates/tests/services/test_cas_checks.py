"""The check before a CAS is assigned, field by field: English for the course's level (each SELT
component on its own), when the course starts and ends, the passport, fees, ATAS, the work
placement, the rating and the route, the allocation, and another CAS it makes obsolete. It
reads and never writes (DOMAIN.md "Confirmation of Acceptance for Studies")."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from sponsorship.certificates.checks import assignment_check
from sponsorship.certificates.models import (
    AcademicLevel,
    Certificate,
    CertificateStatus,
    EnglishMethod,
)
from sponsorship.certificates.tests.factories import assigned_cas, complete_cas
from sponsorship.licences.models import Rating, Route
from sponsorship.licences.tests.factories import AllocationFactory
from sponsorship.licences.tests.web.support import rate

NO_ALLOCATION = (
    "You have insufficient remaining allocation for Student. Request an increase to your "
    "allocation."
)
DEGREE = "a degree-level course needs at least B2"
BELOW_DEGREE = "a course below degree level needs at least B1"
EACH = "in each of reading, writing, listening and speaking"


@pytest.fixture(autouse=True)
def allocation(sponsor):
    rate(sponsor, Route.STUDENT, Rating.A)
    return AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=5, used=0)


def check(certificate, on=None):
    return assignment_check(certificate, on or timezone.localdate())


def blocking(certificate, on=None) -> dict[str | None, str]:
    return {f.field: f.message for f in check(certificate, on).errors}


def test_a_complete_cas_is_ready_and_costs_nothing(level1, allocation):
    result = check(complete_cas(level1))
    assert result.ready
    assert (result.errors, result.warnings) == ([], [])
    assert result.allocation == allocation
    assert (result.charges.fee_pence, result.charges.skills_charge_pence) == (0, 0)
    assert result.salary is None


def test_the_check_writes_nothing(level1):
    certificate = complete_cas(level1, course_title="")
    before = Certificate.objects.values().get(pk=certificate.pk)
    check(certificate)
    assert Certificate.objects.values().get(pk=certificate.pk) == before


# English


@pytest.mark.parametrize("level", [AcademicLevel.RQF6, AcademicLevel.RQF7, AcademicLevel.RQF8])
def test_english_below_b2_on_a_degree_level_course(level1, level):
    certificate = complete_cas(level1, academic_level=level, english_level="B1")
    assert blocking(certificate) == {"english_level": f"The English level is B1: {DEGREE}"}


@pytest.mark.parametrize(
    ("name", "skill"),
    [
        ("selt_reading_level", "reading"),
        ("selt_writing_level", "writing"),
        ("selt_listening_level", "listening"),
        ("selt_speaking_level", "speaking"),
    ],
)
def test_each_selt_component_below_b2_on_a_degree_level_course(level1, name, skill):
    certificate = complete_cas(level1, **{name: "B1"})
    assert blocking(certificate) == {name: f"The SELT {skill} level is B1: {DEGREE} {EACH}"}


def test_every_selt_component_below_the_level_is_named(level1):
    certificate = complete_cas(
        level1,
        selt_reading_level="A2",
        selt_writing_level="B1",
        selt_listening_level="B1",
        selt_speaking_level="C2",
    )
    assert set(blocking(certificate)) == {
        "selt_reading_level",
        "selt_writing_level",
        "selt_listening_level",
    }


@pytest.mark.parametrize(
    "level",
    [AcademicLevel.SCHOOL, AcademicLevel.RQF3, AcademicLevel.RQF4, AcademicLevel.RQF5],
)
def test_b1_is_enough_below_degree_level(level1, level):
    certificate = complete_cas(
        level1,
        academic_level=level,
        english_level="B1",
        selt_reading_level="B1",
        selt_writing_level="B1",
        selt_listening_level="B1",
        selt_speaking_level="B1",
    )
    assert check(certificate).ready


def test_below_b1_is_refused_below_degree_level(level1):
    certificate = complete_cas(
        level1, academic_level=AcademicLevel.RQF4, english_level="A2", selt_speaking_level="A2"
    )
    assert blocking(certificate) == {
        "english_level": f"The English level is A2: {BELOW_DEGREE}",
        "selt_speaking_level": f"The SELT speaking level is A2: {BELOW_DEGREE} {EACH}",
    }


def test_english_assessed_by_the_university_has_no_selt_components(level1):
    certificate = complete_cas(
        level1,
        english_method=EnglishMethod.SPONSOR_ASSESSED,
        english_level="B1",
        selt_provider="",
        selt_reference="",
        selt_reading_level="",
        selt_writing_level="",
        selt_listening_level="",
        selt_speaking_level="",
    )
    assert blocking(certificate) == {"english_level": f"The English level is B1: {DEGREE}"}


def test_a_selt_needs_its_provider_reference_and_every_component(level1):
    certificate = complete_cas(
        level1, selt_provider="", selt_reference="", selt_writing_level="", selt_speaking_level=""
    )
    assert blocking(certificate) == {
        "selt_provider": "Enter the SELT provider, like IELTS",
        "selt_reference": "Enter the SELT reference number",
        "selt_writing_level": "Select the SELT writing level",
        "selt_speaking_level": "Select the SELT speaking level",
    }


def test_a_child_student_may_need_no_english_assessment(sponsor, level1):
    rate(sponsor, Route.CHILD_STUDENT, Rating.A)
    AllocationFactory(sponsor=sponsor, route=Route.CHILD_STUDENT, limit=5, used=0)
    certificate = complete_cas(
        level1,
        route=Route.CHILD_STUDENT,
        academic_level=AcademicLevel.SCHOOL,
        english_method=EnglishMethod.NOT_REQUIRED,
        english_level="",
        selt_provider="",
        selt_reference="",
        selt_reading_level="",
        selt_writing_level="",
        selt_listening_level="",
        selt_speaking_level="",
    )
    assert check(certificate).ready


def test_how_english_was_assessed_is_needed(level1):
    certificate = complete_cas(level1, english_method="", english_level="")
    assert blocking(certificate) == {
        "english_method": "Select how the student's English was assessed"
    }


# When the course starts and ends


def test_a_course_more_than_6_months_ahead_names_the_day_it_can_be_assigned_from(level1):
    certificate = complete_cas(
        level1, course_start_date=date(2027, 6, 1), course_end_date=date(2028, 5, 31)
    )
    assert blocking(certificate) == {
        "course_start_date": "The course starts on 1 June 2027, more than 6 months from now, "
        "which is too far ahead. You can assign this CAS from 1 December 2026"
    }
    assert check(certificate, date(2026, 12, 1)).ready


def test_a_course_exactly_6_months_ahead_can_be_assigned(level1):
    certificate = complete_cas(
        level1, course_start_date=date(2027, 5, 16), course_end_date=date(2028, 5, 31)
    )
    assert check(certificate).ready
    later = complete_cas(level1, course_start_date=date(2027, 5, 17))
    assert set(blocking(later)) == {"course_start_date"}


def test_a_course_that_started_in_the_past_is_refused(level1):
    certificate = complete_cas(level1, course_start_date=date(2026, 11, 13))
    assert blocking(certificate) == {
        "course_start_date": "The course start date must be today or later. If the student is "
        "joining a course already under way, enter the date they will start"
    }
    assert check(complete_cas(level1, course_start_date=date(2026, 11, 16))).ready


@pytest.mark.parametrize("end", [date(2027, 1, 18), date(2027, 1, 17)])
def test_the_course_ends_after_it_starts(level1, end):
    certificate = complete_cas(level1, course_end_date=end)
    assert blocking(certificate) == {
        "course_end_date": "The course end date must be after its start date"
    }


def test_a_passport_expiring_before_the_course_starts(level1):
    certificate = complete_cas(level1, passport_expiry_date=date(2027, 1, 10))
    assert blocking(certificate) == {
        "passport_expiry_date": "The passport expires on 10 January 2027, before the course "
        "starts on 18 January 2027. Enter the details of a passport valid on the start date"
    }
    expired = complete_cas(level1, passport_expiry_date=date(2026, 11, 1))
    assert blocking(expired) == {
        "passport_expiry_date": "The passport expired on 1 November 2026. Enter the details of "
        "the student's current passport"
    }


def test_the_secondary_academic_level_differs_from_the_main_one(level1):
    certificate = complete_cas(level1, secondary_academic_level=AcademicLevel.RQF7)
    assert blocking(certificate) == {
        "secondary_academic_level": "The secondary academic level must differ from the main "
        "one, or be left blank"
    }
    assert check(complete_cas(level1, secondary_academic_level=AcademicLevel.RQF6)).ready


def test_a_work_placement_needs_its_details(level1):
    certificate = complete_cas(level1, work_placement=True)
    assert blocking(certificate) == {
        "work_placement_details": "Describe the work placement, or untick 'includes a work "
        "placement'"
    }
    described = complete_cas(
        level1, work_placement=True, work_placement_details="Six months at a marine lab."
    )
    assert check(described).ready


# Fees and ATAS


def test_fees_paid_above_the_fees_due(level1):
    certificate = complete_cas(level1, course_fees_paid=Decimal("24500.01"))
    assert blocking(certificate) == {
        "course_fees_paid": "The course fees paid to date (£24,500.01) are more than the course "
        "fees for the first year (£24,500.00). Enter the fees paid towards the first year only"
    }
    assert check(complete_cas(level1, course_fees_paid=Decimal("24500"))).ready


def test_no_fees_due_and_none_paid_is_complete(level1):
    certificate = complete_cas(level1, course_fees_first_year=Decimal("0"), course_fees_paid=0)
    assert check(certificate).ready


def test_the_fees_must_be_given(level1):
    certificate = complete_cas(level1, course_fees_first_year=None, course_fees_paid=None)
    assert blocking(certificate) == {
        "course_fees_first_year": "Enter the course fees for the first year in pounds, like "
        "18500 (0 if none)",
        "course_fees_paid": "Enter the course fees paid to date in pounds, like 5000 (0 if none)",
    }


def test_accommodation_fees_paid_need_accommodation_included(level1):
    certificate = complete_cas(level1, accommodation_fees_paid=Decimal("1200"))
    assert set(blocking(certificate)) == {"accommodation_fees_paid"}
    included = complete_cas(
        level1, accommodation_included=True, accommodation_fees_paid=Decimal("1200")
    )
    assert check(included).ready


def test_an_atas_certificate_required_needs_its_reference(level1):
    certificate = complete_cas(level1, atas_required=True)
    assert blocking(certificate) == {
        "atas_reference": "Enter the ATAS certificate reference, or untick 'ATAS certificate "
        "required'"
    }
    assert check(complete_cas(level1, atas_required=True, atas_reference="ATAS-123")).ready


# The licence: route, rating, allocation


def test_a_b_rated_student_route_assigns_only_to_existing_students(sponsor, level1):
    rate(sponsor, Route.STUDENT, Rating.B)
    assert blocking(complete_cas(level1)) == {
        "existing_student": "Your Student rating is B: you can only assign a CAS to a student "
        "already studying with you in the UK, until your rating is A again."
    }
    assert check(complete_cas(level1, existing_student=True)).ready


def test_a_route_not_on_the_licence(level1):
    certificate = complete_cas(level1, route=Route.CHILD_STUDENT)
    assert blocking(certificate)["route"] == (
        "Your licence does not include the Child Student route."
    )


def test_a_provisional_licence_assigns_one_cas(sponsor, level1):
    rate(sponsor, Route.STUDENT, Rating.PROVISIONAL)
    assert check(complete_cas(level1)).ready
    assigned_cas(level1, passport_number="PA0000001", student_id="OTHER")
    assert blocking(complete_cas(level1)) == {
        "route": "Your provisionally rated licence allows one CAS, and it has been assigned."
    }


def test_no_allocation_left(level1, allocation):
    allocation.used = 5
    allocation.save()
    result = check(complete_cas(level1))
    assert [(f.field, f.message) for f in result.errors] == [(None, NO_ALLOCATION)]
    assert result.allocation.remaining == 0


# Warnings


def test_assigning_warns_of_the_cas_it_makes_obsolete(level1):
    assigned_cas(level1, number="E0000000000001")
    result = check(complete_cas(level1))
    assert result.ready
    assert [(f.field, f.message) for f in result.warnings] == [
        (
            None,
            "CAS E0000000000001 is assigned for the same student and course. Assigning this one "
            "makes it obsolete",
        )
    ]


def test_another_live_cas_for_the_same_passport_on_another_course_is_a_warning(level1):
    other = assigned_cas(level1, number="E0000000000001", course_title="BSc Biology")
    Certificate.objects.filter(pk=other.pk).update(status=CertificateStatus.USED)
    result = check(complete_cas(level1))
    assert result.ready
    assert [(f.field, f.message) for f in result.warnings] == [
        (
            "passport_number",
            "Passport EP1234567 already has a live CAS with you (E0000000000001). Check you are "
            "not sponsoring the same person twice",
        )
    ]


def test_a_draft_starts_with_every_need_missing(level1):
    certificate = complete_cas(
        level1,
        course_title="",
        academic_level="",
        course_type="",
        course_start_date=None,
        course_end_date=None,
        weekly_study_hours=None,
        study_mode="",
        study_address_line_1="",
        study_town="",
        study_postcode="",
        study_nation="",
    )
    assert set(blocking(certificate)) == {
        "course_title",
        "academic_level",
        "course_type",
        "course_start_date",
        "course_end_date",
        "weekly_study_hours",
        "study_mode",
        "study_address_line_1",
        "study_town",
        "study_postcode",
        "study_nation",
    }
