"""Applying for Premium customer service and Student Sponsor status: who may, and what a grant
records."""

from datetime import date

import pytest

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.audit.models import AuditVerb
from sponsorship.core.errors import ApplicationError, Conflict
from sponsorship.licences.models import (
    LicenceStatus,
    Rating,
    RequestKind,
    RequestStatus,
    Route,
    SponsorRoute,
)
from sponsorship.licences.services import (
    request_decide,
    request_withdraw,
    status_application_denial,
    status_apply,
)
from sponsorship.licences.tests.factories import SponsorFactory

from .support import TODAY, at, events, recipients

PREMIUM = RequestKind.PREMIUM
STUDENT_STATUS = RequestKind.STUDENT_SPONSOR_STATUS


@pytest.fixture
def university(db):
    """Licensed on 10 January 2022 for Student and Skilled Worker: over four years by now."""
    return SponsorFactory(
        name="University of Glenmoor",
        routes=[Route.STUDENT, Route.SKILLED_WORKER],
        licence_granted_on=date(2022, 1, 10),
    )


@pytest.fixture
def registrar(university):
    return Level1Factory(sponsor=university)


def apply(actor, kind):
    return status_apply(actor=actor, kind=kind, ip=None)


@pytest.mark.parametrize("kind", [PREMIUM, STUDENT_STATUS])
def test_an_eligible_sponsor_applies(registrar, kind):
    assert status_application_denial(registrar.sponsor, kind, TODAY) is None
    request = apply(registrar, kind)
    assert request.kind == kind
    assert request.status == RequestStatus.SUBMITTED
    assert request.submitted_by == registrar
    assert recipients("request_submitted") == [registrar.email]
    assert events(AuditVerb.REQUEST_SUBMITTED)[0].payload["kind"] == kind


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (LicenceStatus.SUSPENDED, "You cannot apply while your licence is suspended."),
        (LicenceStatus.DORMANT, "You cannot apply while your licence is dormant."),
        (LicenceStatus.REVOKED, "You cannot apply while your licence is revoked."),
    ],
)
@pytest.mark.parametrize("kind", [PREMIUM, STUDENT_STATUS])
def test_not_while_the_licence_is_not_active(registrar, kind, status, reason):
    sponsor = registrar.sponsor
    sponsor.status = status
    sponsor.save(update_fields=["status"])
    assert status_application_denial(sponsor, kind, TODAY) == reason
    with pytest.raises(Conflict, match=reason) as refused:
        apply(registrar, kind)
    assert refused.value.code == "not_eligible"
    assert not sponsor.requests.exists()


@pytest.mark.parametrize("kind", [PREMIUM, STUDENT_STATUS])
def test_not_while_any_route_is_b_rated(registrar, kind):
    SponsorRoute.objects.filter(sponsor=registrar.sponsor, route=Route.SKILLED_WORKER).update(
        rating=Rating.B
    )
    registrar.sponsor.__dict__.pop("_route_ratings", None)
    reason = "You cannot apply while your licence has a B rating."
    assert status_application_denial(registrar.sponsor, kind, TODAY) == reason
    with pytest.raises(Conflict, match=reason):
        apply(registrar, kind)


@pytest.mark.parametrize(
    ("kind", "field", "name"),
    [
        (PREMIUM, "premium_since", "Premium customer service"),
        (STUDENT_STATUS, "student_sponsor_status_since", "Student Sponsor status"),
    ],
)
def test_not_when_already_held(registrar, kind, field, name):
    sponsor = registrar.sponsor
    setattr(sponsor, field, date(2026, 3, 1))
    sponsor.save(update_fields=[field])
    reason = f"You have had {name} since 1 March 2026."
    assert status_application_denial(sponsor, kind, TODAY) == reason
    with pytest.raises(Conflict, match=reason):
        apply(registrar, kind)


@pytest.mark.parametrize(
    ("kind", "name"),
    [(PREMIUM, "Premium customer service"), (STUDENT_STATUS, "Student Sponsor status")],
)
def test_not_twice_while_the_first_is_outstanding(registrar, kind, name):
    apply(registrar, kind)
    reason = f"You have already applied for {name}. Wait for the decision."
    with pytest.raises(Conflict, match=reason):
        apply(registrar, kind)
    assert registrar.sponsor.requests.count() == 1


def test_holding_an_outstanding_premium_application_does_not_stop_the_other_kind(registrar):
    apply(registrar, PREMIUM)
    apply(registrar, STUDENT_STATUS)


def test_again_once_withdrawn_or_refused(registrar, caseworker):
    first = apply(registrar, PREMIUM)
    request_withdraw(actor=registrar, request_id=first.pk, ip=None)
    second = apply(registrar, PREMIUM)
    request_decide(
        caseworker=caseworker,
        request_id=second.pk,
        outcome=RequestStatus.REFUSED,
        reasons="Capacity is full this quarter.",
        ip=None,
    )
    apply(registrar, PREMIUM)


def test_student_sponsor_status_needs_the_student_route(level1):
    reason = "Student Sponsor status is for sponsors of the Student route."
    assert status_application_denial(level1.sponsor, STUDENT_STATUS, TODAY) == reason
    with pytest.raises(Conflict, match=reason):
        apply(level1, STUDENT_STATUS)
    assert status_application_denial(level1.sponsor, PREMIUM, TODAY) is None


def test_child_student_alone_counts_as_a_student_route(db):
    school = SponsorFactory(routes=[Route.CHILD_STUDENT], licence_granted_on=date(2020, 9, 1))
    assert status_application_denial(school, STUDENT_STATUS, TODAY) is None


@pytest.mark.parametrize(
    ("granted_on", "eligible"),
    [
        (date(2022, 11, 16), True),  # four years to the day
        (date(2022, 11, 17), False),  # one day short
        (date(2023, 1, 10), False),
        (date(2026, 1, 1), False),
        (date(2015, 6, 1), True),
    ],
)
def test_student_sponsor_status_needs_four_years_of_licence(
    university, registrar, granted_on, eligible
):
    university.licence_granted_on = granted_on
    university.save(update_fields=["licence_granted_on"])
    denial = status_application_denial(university, STUDENT_STATUS, TODAY)
    if eligible:
        assert denial is None
    else:
        assert denial is not None
        assert denial.startswith("You can apply once your licence has been held for 4 years")
        with pytest.raises(Conflict):
            apply(registrar, STUDENT_STATUS)
    assert status_application_denial(university, PREMIUM, TODAY) is None  # no such condition


def test_the_eligibility_date_is_given(university):
    university.licence_granted_on = date(2023, 1, 10)
    assert status_application_denial(university, STUDENT_STATUS, TODAY) == (
        "You can apply once your licence has been held for 4 years, from 10 January 2027."
    )


def test_the_years_are_a_setting(university, registrar, settings):
    settings.STUDENT_SPONSOR_STATUS_MIN_YEARS = 2
    university.licence_granted_on = date(2024, 11, 16)
    university.save(update_fields=["licence_granted_on"])
    assert status_application_denial(university, STUDENT_STATUS, TODAY) is None
    university.licence_granted_on = date(2025, 1, 1)
    assert "held for 2 years, from 1 January 2027" in status_application_denial(
        university, STUDENT_STATUS, TODAY
    )


def test_the_reasons_are_checked_in_order(registrar):
    """A suspended, B-rated licence is told about the suspension first."""
    sponsor = registrar.sponsor
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.premium_since = date(2026, 1, 1)
    sponsor.save(update_fields=["status", "premium_since"])
    SponsorRoute.objects.filter(sponsor=sponsor).update(rating=Rating.B)
    assert "suspended" in status_application_denial(sponsor, PREMIUM, TODAY)


@pytest.mark.parametrize("kind", ["", "ALLOCATION_INCREASE", "LEVEL_1_USER", "premium"])
def test_only_the_two_statuses_can_be_applied_for(registrar, kind):
    with pytest.raises(ApplicationError) as refused:
        apply(registrar, kind)
    assert refused.value.field == "kind"


@pytest.mark.parametrize(
    ("kind", "field", "other"),
    [
        (PREMIUM, "premium_since", "student_sponsor_status_since"),
        (STUDENT_STATUS, "student_sponsor_status_since", "premium_since"),
    ],
)
def test_a_grant_records_the_day_the_status_began(
    registrar, caseworker, frozen, kind, field, other
):
    request = apply(registrar, kind)
    frozen.move_to(at(date(2026, 11, 20)))
    request_decide(
        caseworker=caseworker, request_id=request.pk, outcome="GRANTED", reasons="", ip=None
    )
    sponsor = registrar.sponsor
    sponsor.refresh_from_db()
    assert getattr(sponsor, field) == date(2026, 11, 20)
    assert getattr(sponsor, other) is None
    assert status_application_denial(sponsor, kind, TODAY).startswith("You have had")


def test_a_refusal_records_nothing(registrar, caseworker):
    request = apply(registrar, PREMIUM)
    request_decide(
        caseworker=caseworker, request_id=request.pk, outcome="REFUSED", reasons="No.", ip=None
    )
    registrar.sponsor.refresh_from_db()
    assert registrar.sponsor.premium_since is None
