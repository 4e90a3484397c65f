"""The elements of each record of the bulk schema (schema/cas-bulk-v1.xsd): the CAS field each
fills, what it holds, and the plain-English words for a value the schema refuses. The services'
messages name CAS fields; `element_of` names the element a sender wrote instead."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sponsorship.certificates.models import (
    AcademicLevel,
    CefrLevel,
    CourseType,
    EnglishMethod,
    Sex,
    StudyMode,
)
from sponsorship.licences.models import Nation, Route

# The nationality a bulk file may write in words; the CAS keeps the ICAO code.
STATELESS = "STATELESS"
STATELESS_CODE = "XXA"


class Holds(StrEnum):
    TEXT = "text"
    DATE = "date"
    AMOUNT = "amount"
    HOURS = "hours"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    NATIONALITY = "nationality"
    COUNTRY = "country"
    CAS_NUMBER = "cas number"
    STUDY_ADDRESS = "study address"


def _quoted(text: str) -> str:
    shown = text if len(text) <= 40 else text[:40] + "…"
    return f"'{shown}'" if shown else "empty"


def _either(values: tuple[str, ...]) -> str:
    return ", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1 else values[0]


@dataclass(frozen=True)
class Element:
    """One element of a record: `field` is the CAS field it fills (or "route",
    "study_address_id", "cas_number", "applicant_id")."""

    name: str
    field: str
    holds: Holds = Holds.TEXT
    required: bool = False
    max_length: int = 0
    choices: tuple[str, ...] = ()
    # Runs of spaces and line breaks become one space (xs:token), except in long texts.
    collapse: bool = True

    def value(self, text: str | None) -> Any:
        """The element's text as the CAS field stores it. The schema has already checked its
        form."""
        raw = text or ""
        if self.holds == Holds.DATE:
            return date.fromisoformat(raw.strip())
        if self.holds in (Holds.AMOUNT, Holds.HOURS):
            return Decimal(raw.strip())
        if self.holds == Holds.BOOLEAN:
            return raw.strip() == "true"
        if self.holds == Holds.NATIONALITY and raw.strip() == STATELESS:
            return STATELESS_CODE
        return " ".join(raw.split()) if self.collapse else raw.strip()

    def problem(self, text: str | None) -> str:
        """Why the schema refused this element's text, and how to write it."""
        raw = text or ""
        shown = _quoted(raw.strip())
        name = self.name
        if self.holds == Holds.DATE:
            return f"{name} must be a real date written YYYY-MM-DD, like 2027-01-18 (it is {shown})"
        if self.holds == Holds.AMOUNT:
            return (
                f"{name} must be an amount in pounds with up to 2 decimal places and no commas "
                f"or pound sign, like 18500 or 18500.50 (it is {shown})"
            )
        if self.holds == Holds.HOURS:
            return (
                f"{name} must be a number of hours above 0 and below 100, with up to 2 decimal "
                f"places, like 20 or 37.5 (it is {shown})"
            )
        if self.holds == Holds.BOOLEAN:
            return f"{name} must be true or false, in small letters (it is {shown})"
        if self.holds == Holds.CHOICE:
            return f"{name} must be one of {_either(self.choices)} (it is {shown})"
        if self.holds == Holds.NATIONALITY:
            return (
                f"{name} must be a 3-letter country code in capitals (ISO 3166-1 alpha-3), like "
                f"POL, or {STATELESS} (it is {shown})"
            )
        if self.holds == Holds.COUNTRY:
            return (
                f"{name} must be a 3-letter country code in capitals (ISO 3166-1 alpha-3), like "
                f"POL (it is {shown})"
            )
        if self.holds == Holds.CAS_NUMBER:
            return (
                f"{name} must be a CAS number: 14 capital letters and digits, like "
                f"E4K7P2M9X3Q8R6 (it is {shown})"
            )
        if self.holds == Holds.STUDY_ADDRESS:
            return (
                f"{name} must be the identifier of one of your study addresses, like SA0001 "
                f"(it is {shown})"
            )
        if self.required and not raw.strip():
            return f"{name} must not be empty"
        return (
            f"{name} must be {self.max_length:,} characters or fewer (it has {len(raw.strip()):,})"
        )


def _text(name: str, field: str, max_length: int, **kwargs: Any) -> Element:
    return Element(name, field, Holds.TEXT, max_length=max_length, **kwargs)


def _choice(name: str, field: str, values: list[str]) -> Element:
    return Element(name, field, Holds.CHOICE, choices=tuple(values))


def _levels(name: str, field: str) -> Element:
    return _choice(name, field, CefrLevel.values)


APPLICANT_ID = Element("ApplicantID", "student_id", required=True, max_length=40)
CAS_NUMBER = Element("CASNumber", "cas_number", Holds.CAS_NUMBER, required=True)

# Bulk Upload: one Applicant is one CAS, created and assigned.
APPLICANT: tuple[Element, ...] = (
    APPLICANT_ID,
    _choice("Route", "route", [Route.STUDENT.value, Route.CHILD_STUDENT.value]),
    Element("ExistingStudent", "existing_student", Holds.BOOLEAN),
    _text("FamilyName", "family_name", 100, required=True),
    _text("GivenNames", "given_names", 100),
    _text("OtherNames", "other_names", 200),
    Element("Nationality", "nationality", Holds.NATIONALITY),
    _text("PlaceOfBirth", "place_of_birth", 100),
    Element("CountryOfBirth", "country_of_birth", Holds.COUNTRY),
    Element("DateOfBirth", "date_of_birth", Holds.DATE),
    _choice("Sex", "sex", Sex.values),
    Element("CountryOfResidence", "country_of_residence", Holds.COUNTRY),
    _text("PassportNumber", "passport_number", 20),
    Element("PassportIssueDate", "passport_issue_date", Holds.DATE),
    Element("PassportExpiryDate", "passport_expiry_date", Holds.DATE),
    _text("PassportPlaceOfIssue", "passport_place_of_issue", 100),
    _text("HomeAddressLine1", "home_address_line_1", 200),
    _text("HomeAddressLine2", "home_address_line_2", 200),
    _text("HomeTown", "home_town", 100),
    _text("HomePostcode", "home_postcode", 20),
    Element("HomeCountry", "home_country", Holds.COUNTRY),
    _text("CourseTitle", "course_title", 200),
    _choice("AcademicLevel", "academic_level", AcademicLevel.values),
    _choice("SecondaryAcademicLevel", "secondary_academic_level", AcademicLevel.values),
    _choice("CourseType", "course_type", CourseType.values),
    Element("CourseStartDate", "course_start_date", Holds.DATE),
    Element("CourseEndDate", "course_end_date", Holds.DATE),
    Element("WeeklyStudyHours", "weekly_study_hours", Holds.HOURS),
    _choice("StudyMode", "study_mode", StudyMode.values),
    _text("PartnerInstitution", "partner_institution", 200),
    Element("WorkPlacement", "work_placement", Holds.BOOLEAN),
    _text("WorkPlacementDetails", "work_placement_details", 1000, collapse=False),
    Element("StudyAddressID", "study_address_id", Holds.STUDY_ADDRESS),
    _text("StudyAddressLine1", "study_address_line_1", 200),
    _text("StudyAddressLine2", "study_address_line_2", 200),
    _text("StudyTown", "study_town", 100),
    _text("StudyPostcode", "study_postcode", 10),
    _choice("StudyNation", "study_nation", Nation.values),
    _choice("EnglishMethod", "english_method", EnglishMethod.values),
    _levels("EnglishLevel", "english_level"),
    _text("SELTProvider", "selt_provider", 100),
    _text("SELTReference", "selt_reference", 50),
    _levels("SELTReadingLevel", "selt_reading_level"),
    _levels("SELTWritingLevel", "selt_writing_level"),
    _levels("SELTListeningLevel", "selt_listening_level"),
    _levels("SELTSpeakingLevel", "selt_speaking_level"),
    Element("ATASRequired", "atas_required", Holds.BOOLEAN),
    _text("ATASReference", "atas_reference", 50),
    Element("CourseFeesForFirstYearOnly", "course_fees_first_year", Holds.AMOUNT),
    Element("CourseFeesPaidToDate", "course_fees_paid", Holds.AMOUNT),
    Element("CourseFeeIncludesAccomodationCosts", "accommodation_included", Holds.BOOLEAN),
    Element("AccommodationFeesPaidToDate", "accommodation_fees_paid", Holds.AMOUNT),
)

# Bulk Update: the fees of one live CAS, found by its number.
FEE_UPDATE: tuple[Element, ...] = (
    CAS_NUMBER,
    Element("ApplicantID", "applicant_id", max_length=40),
    Element("CourseFeesForFirstYearOnly", "course_fees_first_year", Holds.AMOUNT),
    Element("CourseFeesPaidToDate", "course_fees_paid", Holds.AMOUNT),
    Element("CourseFeeIncludesAccomodationCosts", "accommodation_included", Holds.BOOLEAN),
    Element("AccommodationFeesPaidToDate", "accommodation_fees_paid", Holds.AMOUNT),
)


# Bulk Report: one report about the student of a used CAS. The answers are the questions each
# kind of report asks (duties.kinds.REPORT_FIELDS), one element each.
EVENT_TYPES = (
    "DID_NOT_ENROL",
    "STOPPED_ENGAGING",
    "STUDIES_STOPPED",
    "STUDIES_PAUSED",
    "COMPLETED_EARLY",
    "STUDENT_SPONSORSHIP_ENDED",
)
HOW = ("WITHDREW", "WITHDRAWN", "EXCLUDED", "SUSPENDED", "INTERRUPTED", "DEFERRED")
ANSWERS: tuple[Element, ...] = (
    _text("Reason", "reason", 2000, collapse=False),
    _text("Missed", "missed", 2000, collapse=False),
    _text("ContactAttempts", "contact_attempts", 2000, collapse=False),
    Element("SponsorshipContinues", "sponsorship_continues", Holds.BOOLEAN),
    Element("How", "how", Holds.CHOICE, choices=HOW),
    _text("ReasonDetails", "reason_details", 2000, collapse=False),
    Element("ExpectedReturn", "expected_return", Holds.DATE),
    _text("Qualification", "qualification", 200),
    _text("LastKnownAddress", "last_known_address", 500, collapse=False),
    _text("LastKnownEmail", "last_known_email", 254),
    _text("LastKnownPhone", "last_known_phone", 30),
    _text("NewRoute", "new_route", 200),
)
STUDENT_ACTIVITY: tuple[Element, ...] = (
    CAS_NUMBER,
    Element("ApplicantID", "applicant_id", max_length=40),
    Element("EventType", "kind", Holds.CHOICE, required=True, choices=EVENT_TYPES),
    Element("EventDate", "event_date", Holds.DATE, required=True),
    *ANSWERS,
)

# Graduate notifications: successful completion of the course.
GRADUATE: tuple[Element, ...] = (
    CAS_NUMBER,
    Element("ApplicantID", "applicant_id", max_length=40),
    Element("CompletionDate", "event_date", Holds.DATE, required=True),
    _text("Qualification", "qualification", 200),
)


def by_name(elements: tuple[Element, ...]) -> dict[str, Element]:
    return {element.name: element for element in elements}


def element_of(elements: tuple[Element, ...], field: str) -> str:
    """The element that fills `field`, or "" when none does (the whole record)."""
    return next((element.name for element in elements if element.field == field), "")
