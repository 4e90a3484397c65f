"""Changing the Authorising Officer or Key Contact in the web service: made at once when the
licence qualifies, otherwise sent to the Home Office with its reporting deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import (
    KeyPerson,
    KeyPersonRole,
    LicenceRequest,
    LicenceStatus,
    Rating,
    RequestKind,
    RequestStatus,
    Route,
)
from sponsorship.licences.tests.factories import KeyPersonFactory

from .support import field_error, rate, text

AO_URL = "/licence/key-personnel/authorising-officer/change/"
KC_URL = "/licence/key-personnel/key-contact/change/"


def new_person(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "action": "replace",
        "change_date": timezone.localdate().isoformat(),
        "given_names": "Fatima",
        "family_name": "Rahman",
        "job_title": "Managing Director",
        "email": "fatima.rahman@harbourview.example",
        "phone": "020 7946 0001",
        "address_line_1": "1 High Street",
        "town": "London",
        "postcode": "sw1a1aa",  # the head office's (SW1A 1AA), written differently
    }
    data.update(changes)
    # The date goes in as the form's three boxes: "2026-11-03" is day 3, month 11, year 2026.
    year, month, day = [*str(data.pop("change_date")).split("-"), "", ""][:3]
    data.update(change_date_day=day, change_date_month=month, change_date_year=year)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def ao(sponsor):
    return KeyPersonFactory(
        sponsor=sponsor,
        role=KeyPersonRole.AUTHORISING_OFFICER,
        given_names="Margaret",
        family_name="Oduya",
        email="m.oduya@harbourview.example",
        phone="020 7946 0099",
    )


@pytest.fixture
def kc(sponsor):
    return KeyPersonFactory(
        sponsor=sponsor,
        role=KeyPersonRole.KEY_CONTACT,
        given_names="Tomasz",
        family_name="Wiśniewski",
        email="t.wisniewski@lawfirm.example",
        is_legal_representative=True,
    )


@pytest.fixture
def web(signed_in, level1, ao, kc):
    return signed_in(level1)


# ---------------------------------------------------------------- who may use the pages


def test_the_key_personnel_page_shows_both_roles_with_a_change_link(web):
    response = web.get("/licence/key-personnel/")
    assert response.status_code == 200
    page = text(response)
    assert "Authorising Officer" in page
    assert "Margaret Oduya" in page
    assert "m.oduya@harbourview.example" in page
    assert "Key Contact" in page
    assert "Tomasz Wiśniewski" in page
    html = response.content.decode()
    assert f'href="{AO_URL}"' in html
    assert f'href="{KC_URL}"' in html


def test_a_role_nobody_holds_is_offered_to_add(signed_in, level1, ao):
    page = signed_in(level1).get("/licence/key-personnel/")
    assert "Your licence has no Key Contact on record." in text(page)
    form = signed_in(level1).get(KC_URL)
    assert form.status_code == 200
    assert 'name="action" value="replace"' in form.content.decode()
    assert 'name="given_names"' in form.content.decode()


def test_level2_is_refused_the_key_personnel_pages(signed_in, level2, ao):
    client = signed_in(level2)
    for url in ("/licence/key-personnel/", AO_URL, f"{AO_URL}?action=amend"):
        assert client.get(url).status_code == 403, url
    assert client.post(AO_URL, new_person()).status_code == 403
    assert not LicenceRequest.objects.exists()


def test_a_dormant_licence_cannot_change_key_personnel(signed_in, level1, sponsor, ao):
    sponsor.status = LicenceStatus.DORMANT
    sponsor.save()
    client = signed_in(level1)
    assert client.get("/licence/key-personnel/").status_code == 409
    assert client.post(AO_URL, new_person()).status_code == 409
    assert not LicenceRequest.objects.exists()


def test_an_unknown_role_is_not_found(web):
    assert web.get("/licence/key-personnel/chairman/change/").status_code == 404
    assert web.post("/licence/key-personnel/chairman/change/", new_person()).status_code == 404


def test_another_sponsors_key_people_are_never_shown(web, other_sponsor):
    KeyPersonFactory(sponsor=other_sponsor, given_names="Someone", family_name="Elsewhere")
    assert "Elsewhere" not in text(web.get("/licence/key-personnel/"))


# ---------------------------------------------------------------- the form


def test_the_change_page_first_asks_replace_or_amend(web):
    response = web.get(AO_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "What do you want to do?" in page
    assert "Replace them with a new person" in page
    assert "Amend this person&#x27;s details" in page
    assert 'name="given_names"' not in page


def test_amending_prefills_the_current_details(web):
    page = web.get(f"{AO_URL}?action=amend").content.decode()
    assert 'value="Margaret"' in page
    assert 'value="Oduya"' in page
    assert 'value="m.oduya@harbourview.example"' in page
    assert 'value="amend" checked' in page


def test_replacing_starts_empty(web):
    page = web.get(f"{AO_URL}?action=replace").content.decode()
    assert 'name="given_names"' in page
    assert 'value="Margaret"' not in page
    assert 'value="replace" checked' in page


def test_a_choice_that_is_not_offered_asks_again(web):
    response = web.get(f"{AO_URL}?action=delete")
    assert response.status_code == 400
    assert "Choose whether to replace this person or amend their details" in text(response)


# ---------------------------------------------------------------- submitting


def test_a_change_is_made_at_once_for_an_active_a_rated_licence_at_the_head_office(
    web, sponsor, ao
):
    response = web.post(AO_URL, new_person(), follow=True)
    assert response.status_code == 200
    request = LicenceRequest.objects.get(kind=RequestKind.KEY_PERSON)
    assert request.fulfilled_at_once
    assert request.status == RequestStatus.GRANTED
    page = text(response)
    assert "Authorising Officer changed" in page
    assert "The change is made" in page
    assert "sent to the Home Office" not in page
    ao.refresh_from_db()
    assert ao.full_name == "Fatima Rahman"
    assert ao.postcode == "SW1A 1AA"
    assert "Fatima Rahman" in text(web.get("/licence/key-personnel/"))


def test_a_postcode_other_than_the_head_offices_goes_to_the_home_office(web, ao):
    response = web.post(AO_URL, new_person(postcode="M1 1AE"), follow=True)
    assert response.status_code == 200
    request = LicenceRequest.objects.get(kind=RequestKind.KEY_PERSON)
    assert not request.fulfilled_at_once
    assert request.status == RequestStatus.SUBMITTED
    page = text(response)
    assert "Change sent to the Home Office" in page
    assert f"Your reference {request.reference}" in page
    assert f"must be reported by {request.report_due:%-d %B %Y}" in page
    assert "you reported it in time" in page
    ao.refresh_from_db()
    assert ao.full_name == "Margaret Oduya"  # until a caseworker grants it


def test_a_b_rated_licence_sends_the_change_to_the_home_office(web, sponsor, ao):
    rate(sponsor, Route.SKILLED_WORKER, Rating.B)
    response = web.post(AO_URL, new_person(), follow=True)
    assert "Change sent to the Home Office" in text(response)
    assert not LicenceRequest.objects.get().fulfilled_at_once
    ao.refresh_from_db()
    assert ao.full_name == "Margaret Oduya"


def test_a_change_reported_late_is_warned_about(web):
    long_ago = timezone.localdate() - timedelta(days=120)
    response = web.post(
        AO_URL, new_person(change_date=long_ago.isoformat(), postcode="M1 1AE"), follow=True
    )
    request = LicenceRequest.objects.get()
    assert request.reported_late
    page = text(response)
    assert "You reported this change late." in page
    assert f"It had to be reported by {request.report_due:%-d %B %Y}." in page


def test_amending_the_key_contact_keeps_them_a_legal_representative(web, kc):
    response = web.post(
        KC_URL,
        new_person(
            action="amend",
            given_names="Tomasz",
            family_name="Wiśniewski",
            email="t.wisniewski@newfirm.example",
            is_legal_representative="on",
        ),
        follow=True,
    )
    assert response.status_code == 200
    request = LicenceRequest.objects.get()
    assert request.key_person_role == KeyPersonRole.KEY_CONTACT
    assert request.details["replace"] is False
    kc.refresh_from_db()
    assert kc.email == "t.wisniewski@newfirm.example"
    assert kc.is_legal_representative


def test_the_authorising_officer_cannot_be_a_legal_representative(web, ao):
    response = web.post(AO_URL, new_person(is_legal_representative="on"))
    assert response.status_code == 400
    assert "The Authorising Officer cannot be a legal representative." in field_error(
        response, "is_legal_representative"
    )
    assert not LicenceRequest.objects.exists()
    ao.refresh_from_db()
    assert not ao.is_legal_representative


def test_a_change_in_the_future_is_refused_on_the_date(web):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = web.post(AO_URL, new_person(change_date=tomorrow.isoformat()))
    assert response.status_code == 400
    assert "today or in the past" in field_error(response, "change_date_day")
    assert not LicenceRequest.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("action", None, "Choose whether to replace this person or amend their details"),
        ("change_date", "", "Enter the date of the change"),
        ("change_date", "2026-02-30", "The date of the change must be a real date"),
        ("given_names", "", "Enter the person's given names"),
        ("email", "nobody", "Enter an e-mail address in the correct format"),
        ("postcode", "", "Enter the postcode"),
        ("postcode", "LONDON", "Enter a real UK postcode"),
    ],
)
def test_key_person_field_errors(web, field, value, message):
    response = web.post(AO_URL, new_person(**{field: value}))
    assert response.status_code == 400
    assert "There is a problem" in text(response)
    error_id = "change_date_day" if field == "change_date" else field
    assert message in field_error(response, error_id)
    assert not LicenceRequest.objects.exists()


def test_the_change_is_audited(web, level1):
    web.post(AO_URL, new_person(postcode="M1 1AE"))
    event = AuditEvent.objects.get(verb=AuditVerb.REQUEST_SUBMITTED)
    assert event.actor == level1


def test_the_change_never_touches_another_sponsors_key_people(web, other_sponsor):
    theirs = KeyPersonFactory(sponsor=other_sponsor, given_names="Kept", family_name="Same")
    web.post(AO_URL, new_person())
    theirs.refresh_from_db()
    assert theirs.full_name == "Kept Same"
    assert KeyPerson.objects.filter(sponsor=other_sponsor).count() == 1


def test_the_telephone_number_is_optional(web, ao):
    response = web.post(AO_URL, new_person(phone=None), follow=True)
    assert response.status_code == 200
    ao.refresh_from_db()
    assert ao.full_name == "Fatima Rahman"
    assert ao.phone == ""
