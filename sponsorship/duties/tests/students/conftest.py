"""Fixtures for the student tests: a university that sponsors workers and students, and a
student on its register."""

import pytest

from sponsorship.licences.models import Rating, Route, SponsorRoute

from ..factories import sponsored_student


@pytest.fixture(autouse=True)
def _student_route(sponsor, other_sponsor):
    """Both sponsors hold the Student route beside Skilled Worker."""
    for holder in (sponsor, other_sponsor):
        SponsorRoute.objects.create(sponsor=holder, route=Route.STUDENT, rating=Rating.A)


@pytest.fixture
def student(level1):
    """Enrolment due: the course started on Monday 14 September 2026, in Aberdeen."""
    return sponsored_student(level1)
