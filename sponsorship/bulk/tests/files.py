"""Bulk files as a student records system writes them: Bulk Upload files of any number of
realistic students, with chosen records made bad in chosen ways (`DEFECTS`: each with the
reasons it must be rejected for), Bulk Update files, and hostile files. Ready to assign on the
bulk tests' frozen date, Monday 16 November 2026."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from sponsorship.bulk.xmlfiles import NAMESPACE

FILE_ID = "ABDN-2026-11-16-01"

_FAMILY = ["Kowalczyk", "Nguyễn", "Okonkwo", "Ivanova", "Σταθόπουλος", "García", "Zhang", "O'Brien"]
_GIVEN = ["Łukasz Marek", "Thị Lan", "Chiamaka", "Жанна", "Ελένη", "José María", "Wei", "Siobhán"]
_NATIONALITY = ["POL", "VNM", "NGA", "UKR", "GRC", "ESP", "CHN", "IRL"]


def applicant(n: int, **overrides: str | None) -> dict[str, str]:
    """A complete student `n` (1, 2, ...), ready to assign: a master's course in Aberdeen
    starting on 18 January 2027, a SELT at B2. An override of None leaves the element out."""
    at = n % len(_FAMILY)
    values = {
        "ApplicantID": f"S{n:07d}",
        "Route": "STUDENT",
        "FamilyName": _FAMILY[at],
        "GivenNames": _GIVEN[at],
        "Nationality": _NATIONALITY[at],
        "PlaceOfBirth": "Kraków",
        "CountryOfBirth": _NATIONALITY[at],
        "DateOfBirth": "2001-03-14",
        "Sex": "F" if n % 2 else "M",
        "CountryOfResidence": _NATIONALITY[at],
        "PassportNumber": f"P{n:08d}",
        "PassportIssueDate": "2022-05-01",
        "PassportExpiryDate": "2032-04-30",
        "PassportPlaceOfIssue": "Warsaw",
        "HomeAddressLine1": "ul. Długa 14",
        "HomeTown": "Kraków",
        "HomePostcode": "31-147",
        "HomeCountry": _NATIONALITY[at],
        "CourseTitle": "MSc Marine Biology",
        "AcademicLevel": "RQF7",
        "CourseType": "TAUGHT",
        "CourseStartDate": "2027-01-18",
        "CourseEndDate": "2028-01-14",
        "WeeklyStudyHours": "20",
        "StudyMode": "FULL_TIME",
        "StudyAddressLine1": "University Avenue",
        "StudyTown": "Aberdeen",
        "StudyPostcode": "AB24 3FX",
        "StudyNation": "SCT",
        "EnglishMethod": "SELT",
        "EnglishLevel": "B2",
        "SELTProvider": "IELTS",
        "SELTReference": f"26GB{n:08d}",
        "SELTReadingLevel": "B2",
        "SELTWritingLevel": "B2",
        "SELTListeningLevel": "C1",
        "SELTSpeakingLevel": "B2",
        "ATASRequired": "false",
        "CourseFeesForFirstYearOnly": "24500.00",
        "CourseFeesPaidToDate": "5000.00",
        "CourseFeeIncludesAccomodationCosts": "false",
    }
    for name, value in overrides.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    return values


@dataclass(frozen=True)
class Defect:
    """A way to make a record bad, and every reason it must be rejected for: element (or ""
    for the whole record) -> words the reason contains."""

    name: str
    overrides: dict[str, str | None]
    reasons: dict[str, str]
    # Elements added after the others, as (name, text).
    extra: tuple[tuple[str, str], ...] = ()
    tag: str = "Applicant"


_STUDY_ADDRESS_GONE: dict[str, str | None] = {
    "StudyAddressLine1": None,
    "StudyTown": None,
    "StudyPostcode": None,
    "StudyNation": None,
}

# 37 different bad records: the schema's refusals, fields assignment needs, and the checks
# before assignment.
DEFECTS: tuple[Defect, ...] = (
    # Refused by the schema
    Defect(
        "month 13",
        {"CourseStartDate": "2027-13-01"},
        {"CourseStartDate": "must be a real date written YYYY-MM-DD"},
    ),
    Defect(
        "30 February",
        {"DateOfBirth": "2001-02-30"},
        {"DateOfBirth": "must be a real date written YYYY-MM-DD, like 2027-01-18 (it is '2001-02"},
    ),
    Defect(
        "date written the British way",
        {"PassportExpiryDate": "30/04/2032"},
        {"PassportExpiryDate": "(it is '30/04/2032')"},
    ),
    Defect(
        "unknown academic level",
        {"AcademicLevel": "RQF9"},
        {"AcademicLevel": "must be one of SCHOOL, RQF3, RQF4, RQF5, RQF6, RQF7 or RQF8"},
    ),
    Defect(
        "SELT level that does not exist",
        {"SELTSpeakingLevel": "B3"},
        {"SELTSpeakingLevel": "must be one of A1, A2, B1, B2, C1 or C2 (it is 'B3')"},
    ),
    Defect(
        "fees with a comma",
        {"CourseFeesForFirstYearOnly": "24,500"},
        {"CourseFeesForFirstYearOnly": "no commas or pound sign, like 18500 or 18500.50"},
    ),
    Defect(
        "fees with a pound sign",
        {"CourseFeesPaidToDate": "£5000"},
        {"CourseFeesPaidToDate": "(it is '£5000')"},
    ),
    Defect(
        "yes for true",
        {"CourseFeeIncludesAccomodationCosts": "yes"},
        {"CourseFeeIncludesAccomodationCosts": "must be true or false"},
    ),
    Defect(
        "an element the schema does not have",
        {},
        {"ShoeSize": "ShoeSize is not an element of an Applicant record"},
        extra=(("ShoeSize", "42"),),
    ),
    Defect(
        "no ApplicantID",
        {"ApplicantID": None},
        {"ApplicantID": "ApplicantID is missing: every Applicant needs one"},
    ),
    Defect(
        "ApplicantID too long",
        {"ApplicantID": "S" * 41},
        {"ApplicantID": "must be 40 characters or fewer (it has 41)"},
    ),
    Defect(
        "nationality in words",
        {"Nationality": "Polish"},
        {"Nationality": "3-letter country code in capitals (ISO 3166-1 alpha-3), like POL, or"},
    ),
    Defect("sex in words", {"Sex": "Female"}, {"Sex": "must be one of F, M or X (it is 'Female')"}),
    Defect(
        "negative hours",
        {"WeeklyStudyHours": "-5"},
        {"WeeklyStudyHours": "must be a number of hours above 0"},
    ),
    Defect(
        "a worker route",
        {"Route": "SKILLED_WORKER"},
        {"Route": "must be one of STUDENT or CHILD_STUDENT"},
    ),
    Defect(
        "blank family name", {"FamilyName": "   "}, {"FamilyName": "FamilyName must not be empty"}
    ),
    Defect(
        "the course title twice",
        {},
        {"CourseTitle": "CourseTitle is given more than once"},
        extra=(("CourseTitle", "MSc Marine Ecology"),),
    ),
    Defect(
        "the wrong record element",
        {},
        {"": "Expected an Applicant record here, found Student"},
        tag="Student",
    ),
    # Missing what assignment needs
    Defect("no course title", {"CourseTitle": None}, {"CourseTitle": "Enter the course title"}),
    Defect(
        "no study address",
        _STUDY_ADDRESS_GONE,
        {
            "StudyAddressLine1": "Enter the main study address",
            "StudyTown": "Enter the town or city of the main study address",
            "StudyPostcode": "Enter the postcode of the main study address",
            "StudyNation": "Select which part of the UK the main study address is in",
        },
    ),
    Defect(
        "no English assessment",
        {"EnglishMethod": None},
        {"EnglishMethod": "Select how the student's English was assessed"},
    ),
    Defect(
        "a SELT with no reference",
        {"SELTReference": None},
        {"SELTReference": "Enter the SELT reference number"},
    ),
    Defect(
        "no passport number",
        {"PassportNumber": None},
        {"PassportNumber": "Enter the passport number"},
    ),
    Defect(
        "no fees paid",
        {"CourseFeesPaidToDate": None},
        {"CourseFeesPaidToDate": "Enter the course fees paid to date in pounds"},
    ),
    Defect(
        "ATAS with no reference",
        {"ATASRequired": "true"},
        {"ATASReference": "Enter the ATAS certificate reference"},
    ),
    Defect(
        "a placement with no details",
        {"WorkPlacement": "true"},
        {"WorkPlacementDetails": "Describe the work placement"},
    ),
    # The checks before assignment
    Defect(
        "English below B2 on a degree",
        {"EnglishLevel": "B1"},
        {"EnglishLevel": "The English level is B1: a degree-level course needs at least B2"},
    ),
    Defect(
        "SELT writing below B2 on a degree",
        {"SELTWritingLevel": "B1"},
        {"SELTWritingLevel": "The SELT writing level is B1: a degree-level course needs at"},
    ),
    Defect(
        "course start too far ahead",
        {"CourseStartDate": "2027-09-20", "CourseEndDate": "2028-09-15"},
        {"CourseStartDate": "more than 6 months from now, which is too far ahead"},
    ),
    Defect(
        "course started already",
        {"CourseStartDate": "2026-10-05"},
        {"CourseStartDate": "The course start date must be today or later"},
    ),
    Defect(
        "course ends before it starts",
        {"CourseEndDate": "2027-01-10"},
        {"CourseEndDate": "The course end date must be after its start date"},
    ),
    Defect(
        "fees paid more than due",
        {"CourseFeesPaidToDate": "30000"},
        {"CourseFeesPaidToDate": "(£30,000.00) are more than the course fees for the first year"},
    ),
    Defect(
        "accommodation paid but not included",
        {"AccommodationFeesPaidToDate": "1200"},
        {"AccommodationFeesPaidToDate": "You entered accommodation fees paid"},
    ),
    Defect(
        "unknown nationality",
        {"Nationality": "XYZ"},
        {"Nationality": "Nationality is not a country code we know"},
    ),
    Defect(
        "passport expired",
        {"PassportIssueDate": "2016-01-04", "PassportExpiryDate": "2026-01-04"},
        {"PassportExpiryDate": "The passport expired on 4 January 2026"},
    ),
    Defect(
        "born in the future",
        {"DateOfBirth": "2027-03-01"},
        {"DateOfBirth": "The date of birth must be in the past"},
    ),
    Defect(
        "a study address that is not theirs",
        {**_STUDY_ADDRESS_GONE, "StudyAddressID": "SA9999"},
        {"StudyAddressID": "SA9999 is not one of your study addresses in use"},
    ),
)


@dataclass
class Record:
    values: dict[str, str]
    extra: tuple[tuple[str, str], ...] = ()
    tag: str = "Applicant"
    # Extra attributes of the record element, written as they are.
    attributes: dict[str, str] = field(default_factory=dict)


def bad(n: int, defect: Defect) -> Record:
    return Record(applicant(n, **defect.overrides), defect.extra, defect.tag)


def _element(name: str, text: str) -> str:
    return f"<{name}>{escape(text)}</{name}>"


def _record(record: Record | dict[str, str]) -> str:
    if isinstance(record, dict):
        record = Record(record)
    attributes = "".join(f" {k}={quoteattr(v)}" for k, v in record.attributes.items())
    inner = "".join(_element(k, v) for k, v in [*record.values.items(), *record.extra])
    return f"  <{record.tag}{attributes}>{inner}</{record.tag}>\n"


def lines(
    records: Iterable[Record | dict[str, str]],
    *,
    root: str = "BulkUpload",
    file_id_element: str = "BulkUploadFileId",
    file_id: str = FILE_ID,
) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<{root} xmlns="{NAMESPACE}">\n'
    yield f"  {_element(file_id_element, file_id)}\n"
    for record in records:
        yield _record(record)
    yield f"</{root}>\n"


def upload_file(records: Iterable[Record | dict[str, str]], file_id: str = FILE_ID) -> bytes:
    """A Bulk Upload file of these records, in memory."""
    return "".join(lines(records, file_id=file_id)).encode()


def students(count: int, bad_at: dict[int, Defect] | None = None) -> Iterator[Record]:
    """Students 1 to `count`; at each position of `bad_at`, that defect instead."""
    bad_at = bad_at or {}
    for n in range(1, count + 1):
        yield bad(n, bad_at[n]) if n in bad_at else Record(applicant(n))


def write_upload(
    path: Path, count: int, bad_at: dict[int, Defect] | None = None, file_id: str = FILE_ID
) -> Path:
    """A Bulk Upload file of `count` students written to `path` a line at a time."""
    with path.open("w", encoding="utf-8") as out:
        out.writelines(lines(students(count, bad_at), file_id=file_id))
    return path


def spread(defects: tuple[Defect, ...], count: int) -> dict[int, Defect]:
    """The defects spread through `count` records, from the first to near the last."""
    step = count // len(defects)
    return {1 + index * step + index % 7: defect for index, defect in enumerate(defects)}


def update_file(records: Iterable[dict[str, str]], file_id: str = "ABDN-FEES-01") -> bytes:
    return "".join(
        lines(
            (Record(r, tag="FeeUpdate") for r in records),
            root="BulkUpdate",
            file_id_element="BulkUpdateFileId",
            file_id=file_id,
        )
    ).encode()


def read(handle: IO[bytes]) -> bytes:
    handle.seek(0)
    return handle.read()


# Hostile and broken files

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<BulkUpload xmlns="urn:sponsor-management-system:cas-bulk:v1">
  <BulkUploadFileId>LOL-1</BulkUploadFileId>
  <Applicant><ApplicantID>S1</ApplicantID><FamilyName>&lol9;</FamilyName></Applicant>
</BulkUpload>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE BulkUpload [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<BulkUpload xmlns="urn:sponsor-management-system:cas-bulk:v1">
  <BulkUploadFileId>XXE-1</BulkUploadFileId>
  <Applicant><ApplicantID>S1</ApplicantID><FamilyName>&secret;</FamilyName></Applicant>
</BulkUpload>
"""

# A DOCTYPE alone, with nothing in it: refused all the same.
DOCTYPE_ONLY = b"""<?xml version="1.0" encoding="UTF-8"?>
<!doctype BulkUpload>
<BulkUpload xmlns="urn:sponsor-management-system:cas-bulk:v1">
  <BulkUploadFileId>DT-1</BulkUploadFileId>
  <Applicant><ApplicantID>S1</ApplicantID><FamilyName>Kowalczyk</FamilyName></Applicant>
</BulkUpload>
"""


_GERMAN = {
    "FamilyName": "Müller",
    "GivenNames": "Jürgen",
    "PlaceOfBirth": "München",
    "HomeAddressLine1": "Königstraße 1",
    "HomeTown": "Köln",
}


def latin1_declared() -> bytes:
    text = upload_file([applicant(1, **_GERMAN)]).decode()
    return text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")


def latin1_undeclared() -> bytes:
    """Latin-1 bytes in a file that says nothing of its encoding (so UTF-8)."""
    text = upload_file([applicant(1, **_GERMAN)]).decode()
    return text.replace(' encoding="UTF-8"', "").encode("latin-1")


def utf16() -> bytes:
    return upload_file([applicant(1)]).decode().replace("UTF-8", "UTF-16").encode("utf-16")


def report_file(records: Iterable[dict[str, str]], file_id: str = "ABDN-REPORTS-01") -> bytes:
    """A Bulk Report file of StudentActivity records."""
    return "".join(
        lines(
            (Record(r, tag="StudentActivity") for r in records),
            root="BulkReport",
            file_id_element="BulkReportingID",
            file_id=file_id,
        )
    ).encode()


def graduate_file(records: Iterable[dict[str, str]], file_id: str = "ABDN-GRADS-01") -> bytes:
    """A Graduate notification file of Graduate records."""
    return "".join(
        lines(
            (Record(r, tag="Graduate") for r in records),
            root="GraduateNotification",
            file_id_element="BulkReportingID",
            file_id=file_id,
        )
    ).encode()
