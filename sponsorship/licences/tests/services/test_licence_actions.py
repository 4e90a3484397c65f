"""Caseworkers act on a licence: ratings, status changes through the transition table (with
revocation's steps in the same transaction), the settled-worker exception."""

from datetime import date

import pytest
from django.db import connection

from sponsorship.accounts.models import UserStatus
from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotFound
from sponsorship.licences.models import (
    ActionPlan,
    LicenceStatus,
    Nation,
    Rating,
    Route,
    SettledWorkerException,
    Sponsor,
    SponsorRoute,
)
from sponsorship.licences.services import (
    licence_status_change,
    route_rating_change,
    settled_exception_set,
    user_deactivate,
)
from sponsorship.licences.tests.factories import SponsorFactory
from sponsorship.notifications.models import OutboundEmail

from .support import at, emails, events, recipients

HERE = __name__
STEPS = "Bring right to work checks up to date."


def rate(caseworker, sponsor, rating, route=Route.SKILLED_WORKER, reasons="Audit findings.", **kw):
    return route_rating_change(
        caseworker=caseworker,
        sponsor_id=sponsor.pk,
        route=route,
        rating=rating,
        reasons=reasons,
        ip=kw.pop("ip", None),
        **kw,
    )


def change_status(caseworker, sponsor, status, reasons="Compliance visit findings."):
    return licence_status_change(
        caseworker=caseworker, sponsor_id=sponsor.pk, status=status, reasons=reasons, ip=None
    )


def rating_of(sponsor, route=Route.SKILLED_WORKER) -> str:
    return SponsorRoute.objects.get(sponsor=sponsor, route=route).rating


def fresh(sponsor) -> Sponsor:
    return Sponsor.objects.get(pk=sponsor.pk)


# Ratings.


def test_a_route_is_b_rated_with_an_action_plan(sponsor, caseworker, level1, ao, frozen):
    frozen.shift(3600)
    route = rate(caseworker, sponsor, Rating.B, action_plan_steps=STEPS, ip="192.0.2.3")
    assert route.rating == Rating.B
    assert rating_of(sponsor) == Rating.B
    assert route.rating_changed_at == at(date(2026, 11, 16), hour=11)
    (event,) = events(AuditVerb.RATING_CHANGED)
    assert event.actor == caseworker
    assert event.sponsor == sponsor
    assert event.ip_address == "192.0.2.3"
    assert event.payload == {
        "route": "SKILLED_WORKER",
        "from": "A",
        "to": "B",
        "reasons": "Audit findings.",
    }
    assert sorted(recipients("rating_changed")) == sorted([ao.email, level1.email])
    assert "Audit findings." in emails("rating_changed")[0].body
    plan = ActionPlan.objects.get(sponsor=sponsor)
    assert plan.steps == STEPS


def test_back_to_a_rated_issues_no_plan(sponsor, caseworker):
    rate(caseworker, sponsor, Rating.B, action_plan_steps=STEPS)
    rate(caseworker, sponsor, Rating.A, reasons="Action plan completed.")
    assert rating_of(sponsor) == Rating.A
    assert ActionPlan.objects.filter(sponsor=sponsor).count() == 1


def test_a_b_rating_needs_the_action_plan_written(sponsor, caseworker):
    with pytest.raises(ApplicationError) as refused:
        rate(caseworker, sponsor, Rating.B, action_plan_steps="  ")
    assert refused.value.field == "action_plan_steps"
    assert rating_of(sponsor) == Rating.A


def test_only_uk_expansion_worker_can_be_provisional(sponsor, caseworker):
    with pytest.raises(ApplicationError, match="Only the UK Expansion Worker") as refused:
        rate(caseworker, sponsor, Rating.PROVISIONAL)
    assert refused.value.field == "rating"
    assert rating_of(sponsor) == Rating.A


def test_uk_expansion_worker_can_be_provisional(caseworker, db):
    sponsor = SponsorFactory(routes=[Route.GBM_UK_EXPANSION])
    rate(caseworker, sponsor, Rating.PROVISIONAL, route=Route.GBM_UK_EXPANSION)
    assert rating_of(sponsor, Route.GBM_UK_EXPANSION) == Rating.PROVISIONAL


def test_the_same_rating_is_refused(sponsor, caseworker):
    with pytest.raises(ApplicationError, match="already A-rated") as refused:
        rate(caseworker, sponsor, Rating.A)
    assert refused.value.field == "rating"
    assert not events(AuditVerb.RATING_CHANGED)


@pytest.mark.parametrize("reasons", ["", "   "])
def test_a_rating_change_needs_reasons(sponsor, caseworker, reasons):
    with pytest.raises(ApplicationError) as refused:
        rate(caseworker, sponsor, Rating.B, reasons=reasons, action_plan_steps=STEPS)
    assert refused.value.field == "reasons"
    assert rating_of(sponsor) == Rating.A


def test_an_unknown_rating_is_refused(sponsor, caseworker):
    with pytest.raises(ApplicationError) as refused:
        rate(caseworker, sponsor, "C")
    assert refused.value.field == "rating"


def test_a_route_the_licence_does_not_hold_is_refused(sponsor, caseworker):
    with pytest.raises(ApplicationError) as refused:
        rate(caseworker, sponsor, Rating.B, route=Route.STUDENT, action_plan_steps=STEPS)
    assert refused.value.field == "route"
    assert not ActionPlan.objects.exists()


def test_an_unknown_sponsor_is_not_found(caseworker, db):
    with pytest.raises(NotFound):
        route_rating_change(
            caseworker=caseworker,
            sponsor_id=123_456,
            route=Route.SKILLED_WORKER,
            rating=Rating.B,
            reasons="R",
            action_plan_steps=STEPS,
            ip=None,
        )
    with pytest.raises(NotFound):
        licence_status_change(
            caseworker=caseworker, sponsor_id=123_456, status="SUSPENDED", reasons="R", ip=None
        )


# Status changes.


@pytest.mark.parametrize(
    ("nation", "due"),
    [
        # 17-20, 23-27 November, 30 November (the 10th), 1-4, 7-11 and 14 December.
        (Nation.ENGLAND, date(2026, 12, 14)),
        # St Andrew's Day, 30 November, is a bank holiday in Scotland.
        (Nation.SCOTLAND, date(2026, 12, 15)),
    ],
)
def test_suspending_gives_20_working_days_to_respond(sponsor, caseworker, nation, due):
    sponsor.nation = nation
    sponsor.save(update_fields=["nation"])
    result = change_status(caseworker, sponsor, LicenceStatus.SUSPENDED, "  Missing records.  ")
    assert result.status == LicenceStatus.SUSPENDED
    sponsor = fresh(sponsor)
    assert sponsor.status == LicenceStatus.SUSPENDED
    assert sponsor.status_response_due == due
    assert sponsor.status_reason == "Missing records."
    assert sponsor.status_changed_at == at(date(2026, 11, 16))


def test_reinstating_clears_the_response_date(sponsor, caseworker, frozen):
    change_status(caseworker, sponsor, LicenceStatus.SUSPENDED)
    frozen.move_to(at(date(2026, 12, 1)))
    change_status(caseworker, sponsor, LicenceStatus.ACTIVE, "Representations accepted.")
    sponsor = fresh(sponsor)
    assert sponsor.status == LicenceStatus.ACTIVE
    assert sponsor.status_response_due is None
    assert sponsor.status_reason == "Representations accepted."
    assert sponsor.status_changed_at == at(date(2026, 12, 1))


def test_dormant_has_no_response_date(sponsor, caseworker):
    change_status(caseworker, sponsor, LicenceStatus.SUSPENDED)
    change_status(caseworker, sponsor, LicenceStatus.DORMANT)
    assert fresh(sponsor).status_response_due is None


def test_a_status_change_is_audited_and_e_mailed(sponsor, caseworker, level1, level2, ao):
    change_status(caseworker, sponsor, LicenceStatus.SUSPENDED, "Missing records.")
    (event,) = events(AuditVerb.LICENCE_STATUS_CHANGED)
    assert event.actor == caseworker
    assert event.sponsor == sponsor
    assert event.payload == {"from": "ACTIVE", "to": "SUSPENDED", "reasons": "Missing records."}
    assert sorted(recipients("licence_status_changed")) == sorted([ao.email, level1.email])
    body = emails("licence_status_changed")[0].body
    assert "14 December 2026" in body
    assert "Missing records." in body


@pytest.mark.parametrize(
    ("start", "new"),
    [
        (LicenceStatus.REVOKED, LicenceStatus.ACTIVE),
        (LicenceStatus.SURRENDERED, LicenceStatus.ACTIVE),
        (LicenceStatus.EXPIRED, LicenceStatus.ACTIVE),
        (LicenceStatus.ACTIVE, LicenceStatus.ACTIVE),
        (LicenceStatus.ACTIVE, LicenceStatus.EXPIRED),
        (LicenceStatus.SUSPENDED, LicenceStatus.SUSPENDED),
    ],
)
def test_a_change_the_table_forbids_is_refused(caseworker, db, start, new):
    sponsor = SponsorFactory(status=start)
    with pytest.raises(InvalidTransition):
        change_status(caseworker, sponsor, new)
    assert fresh(sponsor).status == start
    assert not events(AuditVerb.LICENCE_STATUS_CHANGED)
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize("reasons", ["", "  "])
def test_a_status_change_needs_reasons(sponsor, caseworker, reasons):
    with pytest.raises(ApplicationError) as refused:
        change_status(caseworker, sponsor, LicenceStatus.SUSPENDED, reasons)
    assert refused.value.field == "reasons"
    assert fresh(sponsor).status == LicenceStatus.ACTIVE


def test_an_unknown_status_is_refused(sponsor, caseworker):
    with pytest.raises(ApplicationError) as refused:
        change_status(caseworker, sponsor, "PAUSED")
    assert refused.value.field == "status"


# Revocation runs the other apps' steps inside its transaction.

CALLS: list[dict[str, object]] = []


def record_revocation(*, sponsor, actor):
    """A revocation step: records what it saw when called."""
    CALLS.append(
        {
            "sponsor": sponsor.pk,
            "actor": actor.pk,
            "status_in_database": Sponsor.objects.get(pk=sponsor.pk).status,
            "in_transaction": connection.in_atomic_block,
        }
    )
    return 3  # e.g. three certificates cancelled


def fail_revocation(*, sponsor, actor):
    raise RuntimeError("the certificates could not be cancelled")


@pytest.fixture
def calls():
    CALLS.clear()
    yield CALLS
    CALLS.clear()


def test_revoking_runs_each_step_inside_the_transaction(sponsor, caseworker, settings, calls, ao):
    settings.LICENCE_REVOCATION_STEPS = [f"{HERE}.record_revocation"]
    change_status(caseworker, sponsor, LicenceStatus.REVOKED, "Illegal working found.")

    assert calls == [
        {
            "sponsor": sponsor.pk,
            "actor": caseworker.pk,
            "status_in_database": LicenceStatus.REVOKED,  # the change is already written...
            "in_transaction": True,  # ...in the transaction the step shares
        }
    ]
    assert fresh(sponsor).status == LicenceStatus.REVOKED
    (event,) = events(AuditVerb.LICENCE_STATUS_CHANGED)
    assert event.payload["record_revocation"] == 3
    assert recipients("licence_status_changed") == [ao.email]


def test_a_failing_step_rolls_the_revocation_back(sponsor, caseworker, settings, calls, level1):
    settings.LICENCE_REVOCATION_STEPS = [f"{HERE}.record_revocation", f"{HERE}.fail_revocation"]
    with pytest.raises(RuntimeError, match="could not be cancelled"):
        change_status(caseworker, sponsor, LicenceStatus.REVOKED, "Illegal working found.")

    assert len(calls) == 1  # the first step ran...
    sponsor = fresh(sponsor)
    assert sponsor.status == LicenceStatus.ACTIVE  # ...and everything was rolled back
    assert sponsor.status_reason == ""
    assert not AuditEvent.objects.filter(verb=AuditVerb.LICENCE_STATUS_CHANGED).exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.SURRENDERED])
def test_other_changes_do_not_run_the_revocation_steps(
    sponsor, caseworker, settings, calls, status
):
    settings.LICENCE_REVOCATION_STEPS = [f"{HERE}.fail_revocation"]
    change_status(caseworker, sponsor, status)
    assert fresh(sponsor).status == status


def test_revoked_is_final(sponsor, caseworker):
    change_status(caseworker, sponsor, LicenceStatus.REVOKED)
    for status in (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED, LicenceStatus.SURRENDERED):
        with pytest.raises(InvalidTransition):
            change_status(caseworker, sponsor, status)


# The settled-worker exception.


def test_recording_a_settled_worker_exception(sponsor, caseworker, level1):
    unsettled = Level1Factory(sponsor=sponsor, is_settled_worker=False)
    result = settled_exception_set(
        caseworker=caseworker,
        sponsor_id=sponsor.pk,
        exception=SettledWorkerException.INTERNATIONAL_AGREEMENT,
        reasons="Embassy licensed under International Agreement.",
        ip=None,
    )
    assert result.settled_worker_exception == SettledWorkerException.INTERNATIONAL_AGREEMENT
    assert fresh(sponsor).settled_worker_exception == "INTERNATIONAL_AGREEMENT"
    (event,) = events(AuditVerb.SETTLED_EXCEPTION_CHANGED)
    assert event.actor == caseworker
    assert event.sponsor == sponsor
    assert event.payload["from"] == ""
    assert event.payload["to"] == "INTERNATIONAL_AGREEMENT"

    # With it, the only settled Level 1 user may be deactivated.
    user_deactivate(actor=unsettled, user_id=level1.pk, ip=None)
    level1.refresh_from_db()
    assert level1.status == UserStatus.DEACTIVATED_BY_SPONSOR


def test_removing_the_exception(sponsor, caseworker):
    for exception in (SettledWorkerException.OVERSEAS_BUSINESS_OR_ENTREPRENEUR, ""):
        settled_exception_set(
            caseworker=caseworker,
            sponsor_id=sponsor.pk,
            exception=exception,
            reasons="Changed.",
            ip=None,
        )
    assert fresh(sponsor).settled_worker_exception == SettledWorkerException.NONE
    assert [e.payload["to"] for e in events(AuditVerb.SETTLED_EXCEPTION_CHANGED)] == [
        "OVERSEAS_BUSINESS_OR_ENTREPRENEUR",
        "",
    ]


def test_the_exception_needs_reasons_and_a_known_value(sponsor, caseworker):
    with pytest.raises(ApplicationError) as refused:
        settled_exception_set(
            caseworker=caseworker,
            sponsor_id=sponsor.pk,
            exception=SettledWorkerException.INTERNATIONAL_AGREEMENT,
            reasons=" ",
            ip=None,
        )
    assert refused.value.field == "reasons"
    with pytest.raises(ApplicationError) as refused:
        settled_exception_set(
            caseworker=caseworker, sponsor_id=sponsor.pk, exception="DIPLOMAT", reasons="R", ip=None
        )
    assert refused.value.field == "exception"
    assert fresh(sponsor).settled_worker_exception == ""
