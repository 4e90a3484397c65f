"""What the CAS API tests share: a sponsor of students, a client per user, a complete CAS as a
student records system sends it, and the calls every access test makes."""

import json
from typing import Any

from sponsorship.certificates.models import Certificate
from sponsorship.licences.models import Rating, Route
from sponsorship.licences.tests.api.support import Api, token_for
from sponsorship.licences.tests.factories import AllocationFactory
from sponsorship.licences.tests.web.support import rate

URL = "/api/v1/cas"
ALLOCATION_MESSAGE = (
    "You have insufficient remaining allocation for Student. Request an increase to your "
    "allocation."
)

# Everything assignment needs, besides the family name, as a student records system sends it:
# a master's student in Aberdeen starting in January, within 6 months of the frozen date
# (Monday 16 November 2026).
COMPLETE: dict[str, Any] = {
    "given_names": "Thi Thu",
    "nationality": "VNM",
    "place_of_birth": "Hà Nội",
    "country_of_birth": "VNM",
    "date_of_birth": "2001-06-02",
    "sex": "F",
    "country_of_residence": "VNM",
    "student_id": "S2026-0042",
    "passport_number": "c 1234 5678",
    "passport_issue_date": "2023-02-01",
    "passport_expiry_date": "2033-01-31",
    "passport_place_of_issue": "Hà Nội",
    "home_address_line_1": "12 Phố Huế",
    "home_town": "Hà Nội",
    "home_country": "VNM",
    "course_title": "MSc Marine Biology",
    "academic_level": "RQF7",
    "course_type": "TAUGHT",
    "course_start_date": "2027-01-18",
    "course_end_date": "2028-01-14",
    "weekly_study_hours": 20,
    "study_mode": "FULL_TIME",
    "study_address_line_1": "University Avenue",
    "study_town": "Aberdeen",
    "study_postcode": "ab24 3fx",
    "study_nation": "SCT",
    "english_method": "SELT",
    "english_level": "B2",
    "selt_provider": "IELTS",
    "selt_reference": "26GB012345ABCD",
    "selt_reading_level": "B2",
    "selt_writing_level": "B2",
    "selt_listening_level": "C1",
    "selt_speaking_level": "B2",
    "course_fees_first_year": "24500",
    "course_fees_paid": "5000.50",
}


def teach_students(*sponsors: Any, routes: tuple[str, ...] = (Route.STUDENT,)) -> None:
    """Add the student routes, A-rated, to each sponsor's licence."""
    for sponsor in sponsors:
        for route in routes:
            rate(sponsor, route, Rating.A)
        sponsor.__dict__.pop("_route_ratings", None)


def student_allocation(sponsor: Any, limit: int = 5, used: int = 0) -> Any:
    return AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=limit, used=used)


def client_for(user: Any) -> Api:
    return Api(token_for(user))


def call(api: Api, method: str, path: str, body: Any) -> Any:
    return api.call(method, path, None if body is None else json.dumps(body))


def create(api: Api, **fields: Any) -> dict[str, Any]:
    body = {"route": "STUDENT", "family_name": "Nguyễn", **fields}
    response = api.post_json(URL, body)
    assert response.status_code == 201, response.content[:800]
    return response.json()


def stored(certificate_id: int) -> Certificate:
    return Certificate.objects.select_related("cas").get(pk=certificate_id)
