"""The check before a CAS is assigned: every reason it cannot be yet, named next to its field,
and the warnings a compliance officer would want first (DOMAIN.md "Confirmation of Acceptance
for Studies")."""

from datetime import date

from dateutil.relativedelta import relativedelta

from sponsorship.core.rules import Rule, rule_value
from sponsorship.licences.models import Rating, Route

from .checks import (
    AssignmentCheck,
    Finding,
    allocation_finding,
    live_duplicate_warning,
    passport_findings,
    with_passport,
)
from .fees import Charges
from .models import (
    CEFR_ORDER,
    LIVE_STATUSES,
    CasDetails,
    CefrLevel,
    Certificate,
    CertificateKind,
    CertificateStatus,
    EnglishMethod,
)
from .sections import missing_needs

SELT_COMPONENTS = (
    ("selt_reading_level", "reading"),
    ("selt_writing_level", "writing"),
    ("selt_listening_level", "listening"),
    ("selt_speaking_level", "speaking"),
)


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def english_minimum(cas: CasDetails) -> str:
    """DOMAIN.md: B2 for a degree-level course, B1 below."""
    return CefrLevel.B2 if cas.degree_level else CefrLevel.B1


def _below(level: str, minimum: str) -> bool:
    return bool(level) and CEFR_ORDER.index(level) < CEFR_ORDER.index(minimum)


def _english(cas: CasDetails) -> list[Finding]:
    if cas.english_method in ("", EnglishMethod.NOT_REQUIRED) or not cas.academic_level:
        return []
    minimum = english_minimum(cas)
    course = "a degree-level course" if cas.degree_level else "a course below degree level"
    found = []
    if _below(cas.english_level, minimum):
        found.append(
            Finding(
                f"The English level is {cas.english_level}: {course} needs at least {minimum}",
                "english_level",
            )
        )
    if cas.english_method == EnglishMethod.SELT:
        for name, skill in SELT_COMPONENTS:
            level = getattr(cas, name)
            if _below(level, minimum):
                found.append(
                    Finding(
                        f"The SELT {skill} level is {level}: {course} needs at least "
                        f"{minimum} in each of reading, writing, listening and speaking",
                        name,
                    )
                )
    return found


def _gates(certificate: Certificate) -> list[Finding]:
    """What the licence allows: the route, and its rating."""
    rating = certificate.sponsor.route_ratings.get(certificate.route)
    route = Route(certificate.route).label
    if rating is None:
        return [Finding(f"Your licence does not include the {route} route.", "route")]
    if rating == Rating.B and not certificate.cas.existing_student:
        return [
            Finding(
                f"Your {route} rating is B: you can only assign a CAS to a student already "
                "studying with you in the UK, until your rating is A again.",
                "existing_student",
            )
        ]
    if (
        rating == Rating.PROVISIONAL
        and Certificate.objects.filter(
            sponsor=certificate.sponsor, route=certificate.route, status__in=LIVE_STATUSES
        )
        .exclude(pk=certificate.pk)
        .exists()
    ):
        return [
            Finding(
                "Your provisionally rated licence allows one CAS, and it has been assigned.",
                "route",
            )
        ]
    return []


def _course(certificate: Certificate, on: date) -> list[Finding]:
    cas = certificate.cas
    start, end = cas.course_start_date, cas.course_end_date
    found = passport_findings(certificate, on, start, "student")
    if start:
        months = rule_value(Rule.CAS_MAX_MONTHS_BEFORE_COURSE_START, on)
        earliest = start - relativedelta(months=months)
        if start < on:
            found.append(
                Finding(
                    "The course start date must be today or later. If the student is joining "
                    "a course already under way, enter the date they will start",
                    "course_start_date",
                )
            )
        elif on < earliest:
            found.append(
                Finding(
                    f"The course starts on {_day(start)}, more than {months} months from now, "
                    f"which is too far ahead. You can assign this CAS from {_day(earliest)}",
                    "course_start_date",
                )
            )
    if start and end and end <= start:
        found.append(Finding("The course end date must be after its start date", "course_end_date"))
    if cas.secondary_academic_level and cas.secondary_academic_level == cas.academic_level:
        found.append(
            Finding(
                "The secondary academic level must differ from the main one, or be left blank",
                "secondary_academic_level",
            )
        )
    return found


def fee_findings(cas: CasDetails) -> list[Finding]:
    """Fees paid cannot exceed fees due. Checked on drafts and on every fee update."""
    due, paid = cas.course_fees_first_year, cas.course_fees_paid
    if due is not None and paid is not None and paid > due:
        return [
            Finding(
                f"The course fees paid to date (£{paid:,.2f}) are more than the course fees "
                f"for the first year (£{due:,.2f}). Enter the fees paid towards the first "
                "year only",
                "course_fees_paid",
            )
        ]
    if cas.accommodation_fees_paid and not cas.accommodation_included:
        return [
            Finding(
                "You entered accommodation fees paid, but the course fees do not include "
                "accommodation. Tick 'course fees include accommodation', or leave the "
                "accommodation fees blank",
                "accommodation_fees_paid",
            )
        ]
    return []


def superseded_by_assigning(certificate: Certificate) -> "list[Certificate]":
    """The assigned CAS for the same student and course (same student ID or passport, same
    course title and start date) that assigning this one makes obsolete."""
    cas = certificate.cas
    if not cas.course_title:
        return []
    # The few certificates of this student, found first on one index each, as
    # checks.with_passport says why (other sponsors' are filtered out below).
    same_student: set[int] = set()
    if cas.student_id:
        same_student.update(
            CasDetails.objects.filter(student_id=cas.student_id).values_list(
                "certificate_id", flat=True
            )
        )
    if certificate.passport_number:
        same_student.update(with_passport(certificate.passport_number))
    same_student.discard(certificate.pk)
    if not same_student:
        return []
    return list(
        Certificate.objects.filter(
            pk__in=same_student,
            sponsor=certificate.sponsor,
            kind=CertificateKind.CAS,
            status=CertificateStatus.ASSIGNED,
            cas__course_title__iexact=cas.course_title,
            cas__course_start_date=cas.course_start_date,
        ).exclude(pk=certificate.pk)
    )


def cas_assignment_check(certificate: Certificate, on: date) -> AssignmentCheck:
    """Everything that stands between this CAS draft and its assignment on `on`. A CAS carries
    no fee."""
    check = AssignmentCheck(
        charges=Charges(fee_pence=0, skills_charge_pence=0, skills_charge_workings="")
    )
    check.findings += [Finding(need.message, need.field) for need in missing_needs(certificate)]
    check.findings += _gates(certificate)
    check.findings += _course(certificate, on)
    check.findings += _english(certificate.cas)
    check.findings += fee_findings(certificate.cas)
    allocation_finding(check, certificate, on)
    superseded = superseded_by_assigning(certificate)
    check.findings += [
        Finding(
            f"CAS {older.number} is assigned for the same student and course. Assigning this "
            "one makes it obsolete",
            blocking=False,
        )
        for older in superseded
    ] or live_duplicate_warning(certificate)
    return check
