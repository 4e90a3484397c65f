"""Premium customer service and Student Sponsor status: held or not, and an Apply button that is
disabled, with the reason, whenever the licence may not apply; applying after a confirmation."""

import re
from datetime import date

import pytest

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.licences.models import (
    LicenceRequest,
    LicenceStatus,
    Rating,
    RequestKind,
    RequestStatus,
    Route,
    SponsorRoute,
)
from sponsorship.licences.tests.factories import SponsorFactory

from .support import text

URL = "/licence/sponsor-status/"
PREMIUM = "Premium customer service"
STUDENT = "Student Sponsor status"


def button(response, label: str) -> str:
    """The Apply control for one status: a link when enabled, a disabled button otherwise."""
    found = re.search(
        rf"<(a|button) [^>]*>Apply for {label}</(a|button)>", response.content.decode()
    )
    assert found, f"no Apply control for {label}"
    return found.group(0)


def reason(response, label: str) -> str:
    """The words shown under a disabled Apply button."""
    control = button(response, label)
    described = re.search(r'aria-describedby="([^"]+)"', control)
    assert described, "a disabled button names its reason"
    found = re.search(
        rf'<p class="govuk-hint" id="{described.group(1)}">(.*?)</p>', response.content.decode()
    )
    assert found
    return found.group(1)


def is_disabled(control: str) -> bool:
    return control.startswith("<button") and 'disabled aria-disabled="true"' in control


@pytest.fixture
def university(db):
    """Student and Skilled Worker routes, A-rated, licence held since 2015."""
    return SponsorFactory(
        name="University of Glenmoor",
        routes=[Route.STUDENT, Route.SKILLED_WORKER],
        licence_granted_on=date(2015, 9, 1),
    )


@pytest.fixture
def registrar(university):
    return Level1Factory(sponsor=university, username="REGISTRAR1")


def test_an_eligible_licence_can_apply_for_both(signed_in, registrar):
    response = signed_in(registrar).get(URL)
    assert response.status_code == 200
    words = text(response)
    assert f"{PREMIUM} A dedicated account manager" in words
    assert "Your licence Not held" in words
    for label, slug in ((PREMIUM, "premium"), (STUDENT, "student-sponsor-status")):
        control = button(response, label)
        assert not is_disabled(control)
        assert f'href="/licence/sponsor-status/apply/{slug}/"' in control


def test_student_sponsor_status_needs_the_student_route(signed_in, level1):
    response = signed_in(level1).get(URL)
    assert not is_disabled(button(response, PREMIUM))
    assert is_disabled(button(response, STUDENT))
    assert reason(response, STUDENT) == (
        "Student Sponsor status is for sponsors of the Student route."
    )


def test_student_sponsor_status_needs_years_of_holding_the_licence(signed_in, registrar):
    registrar.sponsor.licence_granted_on = date(2024, 2, 1)
    registrar.sponsor.save()
    response = signed_in(registrar).get(URL)
    assert reason(response, STUDENT) == (
        "You can apply once your licence has been held for 4 years, from 1 February 2028."
    )


def test_a_b_rating_disables_both_with_the_reason(signed_in, registrar):
    SponsorRoute.objects.filter(sponsor=registrar.sponsor, route=Route.SKILLED_WORKER).update(
        rating=Rating.B
    )
    client = signed_in(registrar)
    response = client.get(URL)
    assert response.status_code == 200
    for label in (PREMIUM, STUDENT):
        assert is_disabled(button(response, label))
        assert reason(response, label) == "You cannot apply while your licence has a B rating."
    refused = client.post("/licence/sponsor-status/apply/premium/")
    assert refused.status_code == 409
    assert "Not available while your licence has a B rating." in text(refused)
    assert not LicenceRequest.objects.exists()


def test_a_suspended_licence_sees_the_page_with_both_disabled(signed_in, registrar):
    registrar.sponsor.status = LicenceStatus.SUSPENDED
    registrar.sponsor.save()
    client = signed_in(registrar)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Your licence is suspended." in text(response)
    for label in (PREMIUM, STUDENT):
        assert is_disabled(button(response, label))
        assert reason(response, label) == "You cannot apply while your licence is suspended."
    for method in (client.get, client.post):
        refused = method("/licence/sponsor-status/apply/student-sponsor-status/")
        assert refused.status_code == 409
        assert "Not available while your licence is suspended." in text(refused)
    assert not LicenceRequest.objects.exists()


def test_a_status_already_held_says_since_when(signed_in, registrar):
    registrar.sponsor.premium_since = date(2024, 3, 1)
    registrar.sponsor.save()
    client = signed_in(registrar)
    response = client.get(URL)
    assert "Your licence Held since 1 March 2024" in text(response)
    assert reason(response, PREMIUM) == f"You have had {PREMIUM} since 1 March 2024."
    assert not is_disabled(button(response, STUDENT))
    refused = client.post("/licence/sponsor-status/apply/premium/")
    assert refused.status_code == 409
    assert f"You have had {PREMIUM} since 1 March 2024." in text(refused)


def test_applying_confirms_then_shows_the_reference(signed_in, registrar):
    client = signed_in(registrar)
    confirm = client.get("/licence/sponsor-status/apply/premium/")
    assert confirm.status_code == 200
    assert f"Apply for {PREMIUM}" in text(confirm)
    assert not LicenceRequest.objects.exists()  # looking changes nothing

    response = client.post("/licence/sponsor-status/apply/premium/")
    request = LicenceRequest.objects.get()
    assert request.kind == RequestKind.PREMIUM
    assert request.status == RequestStatus.SUBMITTED
    assert request.submitted_by == registrar
    assert response["Location"] == f"/licence/requests/{request.pk}/sent/"
    sent = text(client.get(response["Location"]))
    assert f"{PREMIUM} sent Your reference {request.reference}" in sent

    again = client.get(URL)
    assert f"Your application {request.reference}" in text(again)
    assert (
        reason(again, PREMIUM) == f"You have already applied for {PREMIUM}. Wait for the decision."
    )
    assert client.post("/licence/sponsor-status/apply/premium/").status_code == 409
    assert LicenceRequest.objects.count() == 1


def test_an_unknown_status_is_not_found(signed_in, registrar):
    assert signed_in(registrar).get("/licence/sponsor-status/apply/gold/").status_code == 404


def test_level2_cannot_see_or_apply(signed_in, university):
    from sponsorship.accounts.tests.factories import Level2Factory

    client = signed_in(Level2Factory(sponsor=university))
    assert client.get(URL).status_code == 403
    assert client.get("/licence/sponsor-status/apply/premium/").status_code == 403
    assert client.post("/licence/sponsor-status/apply/premium/").status_code == 403
    assert not LicenceRequest.objects.exists()


def test_a_dormant_licence_has_no_status_page(signed_in, registrar):
    registrar.sponsor.status = LicenceStatus.DORMANT
    registrar.sponsor.save()
    assert signed_in(registrar).get(URL).status_code == 409
