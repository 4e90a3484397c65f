"""The licence summary page: the facts of the licence, for its own Level 1 users only."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sponsorship.licences.models import KeyPersonRole, LicenceStatus, Rating, Route, SponsorRoute
from sponsorship.licences.tests.factories import KeyPersonFactory


@pytest.fixture
def licence(sponsor):
    sponsor.licence_number = "T83VF9QR4"
    sponsor.licence_granted_on = date(2021, 3, 4)
    sponsor.save()
    SponsorRoute.objects.create(sponsor=sponsor, route=Route.CREATIVE_WORKER, rating=Rating.B)
    KeyPersonFactory(
        sponsor=sponsor,
        role=KeyPersonRole.AUTHORISING_OFFICER,
        given_names="Margaret",
        family_name="Oduya",
        email="m.oduya@harbourview.example",
    )
    KeyPersonFactory(
        sponsor=sponsor,
        role=KeyPersonRole.KEY_CONTACT,
        given_names="Tomasz",
        family_name="Wiśniewski",
        email="t.wisniewski@lawfirm.example",
        is_legal_representative=True,
    )
    return sponsor


def test_summary_shows_licence_number_status_routes_and_key_people(signed_in, level1, licence):
    response = signed_in(level1).get("/licence/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Harbour View Care Ltd" in page
    assert "T83VF9QR4" in page
    assert "Active" in page
    assert "4 March 2021" in page
    assert "Authorising Officer" in page
    assert "Margaret Oduya" in page
    assert "m.oduya@harbourview.example" in page
    assert "Key Contact" in page
    assert "Tomasz Wiśniewski" in page
    assert "Legal representative" in page


def test_summary_shows_each_route_with_its_rating(signed_in, level1, licence):
    page = signed_in(level1).get("/licence/").content.decode()
    table = page[page.index("Routes and ratings") :]
    skilled = table[table.index("Skilled Worker") :]
    creative = table[table.index("Creative Worker") :]
    assert skilled.index("A-rated") < skilled.index("</tr>")
    assert creative.index("B-rated") < creative.index("</tr>")


def test_summary_shows_a_suspended_status(signed_in, level1, licence):
    licence.status = LicenceStatus.SUSPENDED
    licence.save()
    response = signed_in(level1).get("/licence/")
    assert response.status_code == 200
    assert "Suspended" in response.content.decode()


def test_other_sponsor_sees_their_own_licence_never_this_one(signed_in, other_level1, licence):
    page = signed_in(other_level1).get("/licence/").content.decode()
    assert "Other Sponsor Ltd" in page
    assert other_level1.sponsor.licence_number in page
    assert "T83VF9QR4" not in page
    assert "Margaret Oduya" not in page
    assert "Harbour View Care Ltd" not in page


def test_level2_cannot_see_the_licence_summary(signed_in, level2, licence):
    response = signed_in(level2).get("/licence/")
    assert response.status_code == 403
    assert "T83VF9QR4" not in response.content.decode()


def test_caseworker_does_not_use_the_sponsor_summary(signed_in, caseworker, licence):
    assert signed_in(caseworker).get("/licence/").status_code == 403


def test_summary_query_count_does_not_grow_with_routes_and_people(signed_in, level1, sponsor):
    client = signed_in(level1)
    client.get("/licence/")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/licence/").status_code == 200
        return len(queries)

    few = count()
    for route in (Route.STUDENT, Route.CHARITY_WORKER, Route.SEASONAL_WORKER, Route.SCALE_UP):
        SponsorRoute.objects.create(sponsor=sponsor, route=route)
    KeyPersonFactory(sponsor=sponsor, role=KeyPersonRole.AUTHORISING_OFFICER)
    KeyPersonFactory(sponsor=sponsor, role=KeyPersonRole.KEY_CONTACT)
    assert count() == few
