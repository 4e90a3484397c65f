"""Changing the Authorising Officer or Key Contact: at once for a fully active, A-rated
licence whose new key person shares the head office postcode, otherwise by a caseworker."""

from datetime import date, timedelta

import pytest

from sponsorship.audit.models import AuditVerb
from sponsorship.core.errors import ApplicationError
from sponsorship.licences.models import (
    KeyPerson,
    KeyPersonRole,
    LicenceStatus,
    OrganisationChange,
    Rating,
    RequestKind,
    RequestStatus,
    Route,
    SponsorRoute,
    normalise_postcode,
)
from sponsorship.licences.services import (
    fulfils_at_once,
    key_person_change,
    report_due_date,
    request_decide,
)
from sponsorship.licences.tests.factories import SponsorFactory

from .support import TODAY, at, events, key_person_details, recipients

AO = KeyPersonRole.AUTHORISING_OFFICER
KC = KeyPersonRole.KEY_CONTACT


def change(actor, *, role=AO, change_date=TODAY, **details):
    return key_person_change(
        actor=actor,
        role=role,
        details=key_person_details(**details),
        change_date=change_date,
        replace=True,
        ip=None,
    )


def the(role, sponsor) -> KeyPerson:
    return KeyPerson.objects.get(sponsor=sponsor, role=role)


@pytest.mark.parametrize("postcode", ["SW1A 1AA", "sw1a 1aa", "SW1A1AA", " sw1a  1AA "])
def test_fulfilled_at_once_when_active_a_rated_and_the_postcode_matches(level1, ao, postcode):
    request = change(level1, postcode=postcode)

    assert request.kind == RequestKind.KEY_PERSON
    assert request.status == RequestStatus.GRANTED
    assert request.fulfilled_at_once
    assert request.decided_at is not None
    person = the(AO, level1.sponsor)
    assert person.pk == ao.pk  # the same role's row, replaced
    assert (person.given_names, person.family_name) == ("Tomasz", "Wiśniewski")
    assert person.email == "tomasz.wisniewski@harbourview.example"
    assert normalise_postcode(person.postcode) == "SW1A1AA"
    # One e-mail, the decision: no acknowledgment as well.
    assert recipients("request_decided") == [level1.email]
    assert recipients("request_submitted") == []
    assert len(events(AuditVerb.REQUEST_SUBMITTED)) == 1
    (event,) = events(AuditVerb.KEY_PERSON_CHANGED)
    assert event.actor is None
    assert event.actor_label == "fulfilled at once"
    assert event.payload == {"request": request.reference, "role": AO}


def test_a_key_contact_is_created_when_there_was_none(level1):
    change(level1, role=KC)
    assert the(KC, level1.sponsor).family_name == "Wiśniewski"


def make_b_rated(sponsor):
    SponsorRoute.objects.create(sponsor=sponsor, route=Route.CREATIVE_WORKER, rating=Rating.B)


def make_provisional(sponsor):
    SponsorRoute.objects.create(
        sponsor=sponsor, route=Route.GBM_UK_EXPANSION, rating=Rating.PROVISIONAL
    )


def make_suspended(sponsor):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save(update_fields=["status"])


def make_dormant(sponsor):
    sponsor.status = LicenceStatus.DORMANT
    sponsor.save(update_fields=["status"])


@pytest.mark.parametrize(
    ("arrange", "postcode"),
    [
        (make_suspended, "SW1A 1AA"),
        (make_dormant, "SW1A 1AA"),
        (make_b_rated, "SW1A 1AA"),
        (make_provisional, "SW1A 1AA"),
        (None, "EH1 1YZ"),  # another postcode
        (None, "SW1A 1AB"),
        (None, ""),
    ],
)
def test_otherwise_a_caseworker_decides(level1, ao, arrange, postcode):
    if arrange:
        arrange(level1.sponsor)
        level1.sponsor.refresh_from_db()
        level1.sponsor.__dict__.pop("_route_ratings", None)
    request = change(level1, postcode=postcode)

    assert request.status == RequestStatus.SUBMITTED
    assert not request.fulfilled_at_once
    assert request.decided_at is None
    assert the(AO, level1.sponsor).family_name == "Okafor"  # unchanged
    assert not events(AuditVerb.KEY_PERSON_CHANGED)
    assert recipients("request_decided") == []
    assert recipients("request_submitted") == [level1.email]
    assert request.details["replace"] is True
    assert request.details["postcode"] == postcode


def test_a_licence_without_routes_is_not_fully_a_rated(db):
    sponsor = SponsorFactory(routes=[])
    assert not fulfils_at_once(sponsor, key_person_details())


def test_a_caseworker_grants_the_change_later(level1, ao, caseworker):
    request = change(level1, postcode="EH1 1YZ", town="Edinburgh")
    request_decide(
        caseworker=caseworker, request_id=request.pk, outcome="GRANTED", reasons="", ip=None
    )
    person = the(AO, level1.sponsor)
    assert (person.family_name, person.town, person.postcode) == (
        "Wiśniewski",
        "Edinburgh",
        "EH1 1YZ",
    )
    (event,) = events(AuditVerb.KEY_PERSON_CHANGED)
    assert event.actor == caseworker


def test_a_refused_change_leaves_the_key_person(level1, ao, caseworker):
    request = change(level1, postcode="EH1 1YZ")
    request_decide(
        caseworker=caseworker,
        request_id=request.pk,
        outcome="REFUSED",
        reasons="The new Authorising Officer is not UK based.",
        ip=None,
    )
    assert the(AO, level1.sponsor).family_name == "Okafor"


def test_the_authorising_officer_cannot_be_a_legal_representative(level1, ao):
    with pytest.raises(ApplicationError) as refused:
        change(level1, role=AO, is_legal_representative=True)
    assert refused.value.field == "is_legal_representative"
    assert the(AO, level1.sponsor).family_name == "Okafor"
    assert not level1.sponsor.requests.exists()


def test_the_key_contact_may_be_a_legal_representative(level1):
    change(level1, role=KC, is_legal_representative=True)
    assert the(KC, level1.sponsor).is_legal_representative


def test_a_change_in_the_future_is_refused(level1, ao):
    with pytest.raises(ApplicationError) as refused:
        change(level1, change_date=TODAY + timedelta(days=1))
    assert refused.value.field == "change_date"
    assert not level1.sponsor.requests.exists()


def test_an_unknown_role_is_refused(level1):
    with pytest.raises(ApplicationError) as refused:
        change(level1, role="CHAIR")
    assert refused.value.field == "role"


def test_the_report_is_due_20_working_days_after_the_change(level1, ao):
    request = change(level1, change_date=date(2026, 10, 1))
    # 2 October, 5-9, 12-16, 19-23 October, then 26, 27, 28 and 29 October: the 20th.
    assert request.report_due == date(2026, 10, 29)
    assert request.reported_late  # reported on 16 November
    assert request.change_type == OrganisationChange.KEY_PERSONNEL
    assert request.change_date == date(2026, 10, 1)


def test_a_change_reported_on_its_last_day_is_not_late(level1, ao, frozen):
    frozen.move_to(at(date(2026, 10, 29), hour=16))
    request = change(level1, change_date=date(2026, 10, 1))
    assert request.report_due == date(2026, 10, 29)
    assert not request.reported_late


def test_a_change_reported_today_is_not_late(level1, ao):
    request = change(level1)
    assert request.report_due == date(2026, 12, 14)
    assert not request.reported_late


def test_the_key_personnel_deadline_is_a_setting(level1, ao, settings):
    settings.KEY_PERSONNEL_CHANGE_WORKING_DAYS = 10
    request = change(level1, change_date=date(2026, 11, 2))
    # 3-6, 9-13 November, then 16 November: the 10th working day.
    assert request.report_due == date(2026, 11, 16)
    assert not request.reported_late
    # Other organisation changes keep the 20 working days of the rule table.
    name_change_due = report_due_date(level1.sponsor, OrganisationChange.NAME, date(2026, 11, 2))
    assert name_change_due == date(2026, 11, 30)


def test_with_ten_days_a_change_is_late_sooner(level1, ao, settings):
    settings.KEY_PERSONNEL_CHANGE_WORKING_DAYS = 10
    request = change(level1, change_date=date(2026, 10, 30))
    assert request.report_due == date(2026, 11, 13)
    assert request.reported_late
