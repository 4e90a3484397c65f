"""Action plans: a B rating issues one with the fee and payment deadline of its day; the
sponsor pays (with a reference) or declines (with a reason)."""

from datetime import date

import pytest

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.audit.models import AuditVerb
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotFound
from sponsorship.licences.models import ActionPlan, ActionPlanStatus, Nation, Rating, Route
from sponsorship.licences.services import (
    action_plan_decline,
    action_plan_issue,
    action_plan_pay,
    route_rating_change,
)
from sponsorship.licences.tests.factories import ActionPlanFactory

from .support import at, emails, events, recipients

STEPS = "Bring right to work checks up to date for every sponsored worker."


def b_rate(caseworker, sponsor, steps=STEPS):
    route_rating_change(
        caseworker=caseworker,
        sponsor_id=sponsor.pk,
        route=Route.SKILLED_WORKER,
        rating=Rating.B,
        reasons="Right to work checks missing for three workers.",
        action_plan_steps=steps,
        ip=None,
    )
    return ActionPlan.objects.get(sponsor=sponsor)


@pytest.fixture
def plan(sponsor, caseworker):
    return ActionPlanFactory(sponsor=sponsor, created_by=caseworker)


@pytest.mark.parametrize(
    ("issued", "fee", "due"),
    [
        # Tuesday 8 April 2025: the old fee. 9-11, 14-17, (Good Friday and Easter Monday),
        # 22, 23, 24 April: the 10th working day.
        (date(2025, 4, 8), 147_600, date(2025, 4, 24)),
        # Wednesday 9 April 2025: the new fee from that day.
        (date(2025, 4, 9), 157_900, date(2025, 4, 25)),
        # Monday 16 November 2026: 17-20, 23-27, 30 November.
        (date(2026, 11, 16), 157_900, date(2026, 11, 30)),
        # Thursday 18 December 2025: 19, 22-24, 29-31 December, 2, 5, 6 January.
        (date(2025, 12, 18), 157_900, date(2026, 1, 6)),
    ],
    ids=str,
)
def test_a_b_rating_issues_a_plan_with_the_fee_and_deadline_of_its_day(
    sponsor, caseworker, frozen, issued, fee, due
):
    frozen.move_to(at(issued))
    plan = b_rate(caseworker, sponsor)
    assert plan.fee_pence == fee
    assert plan.payment_due == due
    assert plan.status == ActionPlanStatus.AWAITING_PAYMENT
    assert plan.route == Route.SKILLED_WORKER
    assert plan.steps == STEPS
    assert plan.created_by == caseworker


def test_the_deadline_is_counted_in_the_sponsors_nation(sponsor, caseworker, frozen):
    sponsor.nation = Nation.SCOTLAND
    sponsor.save(update_fields=["nation"])
    frozen.move_to(at(date(2025, 12, 18)))
    assert b_rate(caseworker, sponsor).payment_due == date(2026, 1, 7)  # 2 January too


def test_the_plan_is_e_mailed_to_the_authorising_officer_and_level_1_users(
    sponsor, caseworker, level1, level2, ao
):
    colleague = Level1Factory(sponsor=sponsor)
    plan = b_rate(caseworker, sponsor)
    assert sorted(recipients("action_plan")) == sorted([ao.email, level1.email, colleague.email])
    assert level2.email not in recipients("action_plan")
    body = emails("action_plan")[0].body
    assert "£1,579" in body
    assert "30 November 2026" in body
    assert STEPS in body
    (event,) = events(AuditVerb.ACTION_PLAN_CREATED)
    assert event.actor == caseworker
    assert event.sponsor == sponsor
    assert event.payload == {"fee_pence": 157_900, "payment_due": "2026-11-30"}
    assert plan.fee_pounds == "£1,579"


def test_the_fee_in_pounds_keeps_pence_when_there_are_some(sponsor, caseworker):
    plan = ActionPlanFactory(sponsor=sponsor, created_by=caseworker, fee_pence=147_650)
    assert plan.fee_pounds == "£1,476.50"


def test_issuing_directly_works_the_same(sponsor, caseworker, ao):
    plan = action_plan_issue(
        caseworker=caseworker, sponsor=sponsor, route=Route.SKILLED_WORKER, steps=STEPS
    )
    assert (plan.fee_pence, plan.payment_due) == (157_900, date(2026, 11, 30))
    assert recipients("action_plan") == [ao.email]


# Paying.


def test_paying_records_the_reference(plan, level1):
    paid = action_plan_pay(
        actor=level1, plan_id=plan.pk, payment_reference="  GOVPAY-8812-XY  ", ip="192.0.2.5"
    )
    plan.refresh_from_db()
    assert paid.pk == plan.pk
    assert plan.status == ActionPlanStatus.PAID
    assert plan.payment_reference == "GOVPAY-8812-XY"
    assert plan.responded_by == level1
    assert plan.responded_at is not None
    (event,) = events(AuditVerb.ACTION_PLAN_PAID)
    assert event.actor == level1
    assert event.payload == {"payment_reference": "GOVPAY-8812-XY", "late": False}


def test_paying_after_the_deadline_is_recorded_as_late(sponsor, caseworker, level1, frozen):
    plan = b_rate(caseworker, sponsor)  # due 30 November 2026
    frozen.move_to(at(date(2026, 12, 1)))
    action_plan_pay(actor=level1, plan_id=plan.pk, payment_reference="LATE-1", ip=None)
    assert events(AuditVerb.ACTION_PLAN_PAID)[0].payload["late"] is True


@pytest.mark.parametrize("reference", ["", "   "])
def test_paying_needs_a_reference(plan, level1, reference):
    with pytest.raises(ApplicationError) as refused:
        action_plan_pay(actor=level1, plan_id=plan.pk, payment_reference=reference, ip=None)
    assert refused.value.field == "payment_reference"
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.AWAITING_PAYMENT


def test_a_long_reference_is_cut_to_the_column(plan, level1):
    action_plan_pay(actor=level1, plan_id=plan.pk, payment_reference="R" * 60, ip=None)
    plan.refresh_from_db()
    assert plan.payment_reference == "R" * 40


def test_a_plan_is_paid_once(plan, level1):
    action_plan_pay(actor=level1, plan_id=plan.pk, payment_reference="ONE", ip=None)
    with pytest.raises(InvalidTransition, match="already paid"):
        action_plan_pay(actor=level1, plan_id=plan.pk, payment_reference="TWO", ip=None)
    plan.refresh_from_db()
    assert plan.payment_reference == "ONE"


# Declining.


def test_declining_needs_a_reason_and_tells_the_authorising_officer(plan, level1, ao):
    action_plan_decline(
        actor=level1, plan_id=plan.pk, reason="  We cannot afford the fee.  ", ip=None
    )
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.DECLINED
    assert plan.decline_reason == "We cannot afford the fee."
    assert plan.responded_by == level1
    (email,) = emails("action_plan_declined")
    assert email.to == ao.email
    assert "We cannot afford the fee." in email.body
    (event,) = events(AuditVerb.ACTION_PLAN_DECLINED)
    assert event.actor == level1


@pytest.mark.parametrize("reason", ["", " \n "])
def test_declining_without_a_reason_is_refused(plan, level1, reason):
    with pytest.raises(ApplicationError) as refused:
        action_plan_decline(actor=level1, plan_id=plan.pk, reason=reason, ip=None)
    assert refused.value.field == "reason"
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.AWAITING_PAYMENT
    assert not emails("action_plan_declined")


def test_a_paid_plan_cannot_be_declined(plan, level1, ao):
    action_plan_pay(actor=level1, plan_id=plan.pk, payment_reference="PAID-1", ip=None)
    with pytest.raises(InvalidTransition, match="already paid"):
        action_plan_decline(actor=level1, plan_id=plan.pk, reason="Changed our mind.", ip=None)
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.PAID
    assert not emails("action_plan_declined")


def test_a_declined_plan_cannot_be_paid(plan, level1):
    action_plan_decline(actor=level1, plan_id=plan.pk, reason="No.", ip=None)
    with pytest.raises(InvalidTransition, match="already declined"):
        action_plan_pay(actor=level1, plan_id=plan.pk, payment_reference="X", ip=None)


def test_another_sponsors_plan_is_not_found(plan, other_level1):
    with pytest.raises(NotFound):
        action_plan_pay(actor=other_level1, plan_id=plan.pk, payment_reference="X", ip=None)
    with pytest.raises(NotFound):
        action_plan_decline(actor=other_level1, plan_id=plan.pk, reason="X", ip=None)
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.AWAITING_PAYMENT


def test_an_unknown_plan_is_not_found(level1):
    with pytest.raises(NotFound):
        action_plan_pay(actor=level1, plan_id=999_999, payment_reference="X", ip=None)


def test_paying_tells_the_authorising_officer_and_the_caseworker_who_issued_it(
    plan, level1, caseworker, ao
):
    action_plan_pay(actor=level1, plan_id=plan.pk, payment_reference="GOVPAY-1", ip=None)
    assert sorted(recipients("action_plan_paid")) == sorted([ao.email, caseworker.email])
    (email,) = emails("action_plan_paid")[:1]
    assert "Payment reference: GOVPAY-1" in email.body
