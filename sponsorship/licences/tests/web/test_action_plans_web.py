"""Action plans on the web: the list and a plan's page (steps, fee, deadline, status); recording
the payment, or declining after a warning; once only."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import ActionPlanStatus, LicenceStatus, Route
from sponsorship.licences.services import action_plan_issue
from sponsorship.licences.tests.factories import ActionPlanFactory

from .support import field_error, queries_for, text

LONDON = ZoneInfo("Europe/London")
URL = "/licence/action-plans/"


@pytest.fixture
def plan(sponsor, caseworker):
    return ActionPlanFactory(sponsor=sponsor, created_by=caseworker, payment_due=date(2099, 1, 15))


def test_the_list_shows_each_plan_with_its_fee_deadline_and_status(signed_in, level1, plan):
    response = signed_in(level1).get(URL)
    assert response.status_code == 200
    words = text(response)
    assert "Skilled Worker" in words
    assert "£1,579" in words
    assert "15 Jan 2099" in words
    assert "Awaiting payment" in words
    assert f'href="{URL}{plan.pk}/"' in response.content.decode()


def test_the_list_queries_do_not_grow_with_plans(signed_in, level1, sponsor, caseworker):
    client = signed_in(level1)
    for _ in range(3):
        ActionPlanFactory(sponsor=sponsor, created_by=caseworker)
    few = queries_for(client, URL)
    for _ in range(27):
        ActionPlanFactory(sponsor=sponsor, created_by=caseworker)
    assert queries_for(client, URL) == few


def test_the_plan_page_shows_steps_fee_deadline_and_both_answers(signed_in, level1, plan):
    response = signed_in(level1).get(f"{URL}{plan.pk}/")
    assert response.status_code == 200
    words = text(response)
    assert "Status Awaiting payment" in words
    assert "Fee £1,579" in words
    assert "Pay by 15 January 2099 10 working days from the day the plan was issued." in words
    assert "Bring right to work checks up to date for every sponsored worker." in words
    page = response.content.decode()
    assert f'action="{URL}{plan.pk}/pay/"' in page
    assert f'href="{URL}{plan.pk}/decline/"' in page


def test_the_deadline_is_ten_working_days_past_a_bank_holiday(signed_in, level1, caseworker):
    """Issued Wednesday 20 May 2026 in England: 21 and 22 May are days 1 and 2, Monday 25 May is
    the Spring bank holiday, 26 May to 4 June are days 3 to 10."""
    with time_machine.travel(datetime(2026, 5, 20, 10, 0, tzinfo=LONDON), tick=False):
        plan = action_plan_issue(
            caseworker=caseworker,
            sponsor=level1.sponsor,
            route=Route.SKILLED_WORKER,
            steps="Audit every right to work check.",
        )
        words = text(signed_in(level1).get(f"{URL}{plan.pk}/"))
    assert plan.payment_due == date(2026, 6, 4)
    assert "Pay by 4 June 2026" in words
    assert "The payment deadline" not in words


def test_an_overdue_plan_warns(signed_in, level1, plan):
    plan.payment_due = date(2026, 1, 2)
    plan.save()
    words = text(signed_in(level1).get(f"{URL}{plan.pk}/"))
    assert "The payment deadline of 2 January 2026 has passed." in words


def test_recording_the_payment_works_once(signed_in, level1, plan):
    client = signed_in(level1)
    response = client.post(f"{URL}{plan.pk}/pay/", {"payment_reference": "PAY-88120"}, follow=True)
    assert "You recorded the payment of the action plan fee." in text(response)
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.PAID
    assert plan.payment_reference == "PAY-88120"
    assert plan.responded_by == level1
    words = text(response)
    assert "Status Paid" in words
    assert "Payment reference PAY-88120" in words
    assert "Record the payment" not in words
    assert AuditEvent.objects.filter(verb=AuditVerb.ACTION_PLAN_PAID).count() == 1

    again = client.post(f"{URL}{plan.pk}/pay/", {"payment_reference": "PAY-2"})
    assert again.status_code == 409
    assert "This action plan is already paid." in text(again)
    assert client.get(f"{URL}{plan.pk}/decline/").status_code == 409
    plan.refresh_from_db()
    assert plan.payment_reference == "PAY-88120"


def test_a_payment_needs_its_reference(signed_in, level1, plan):
    client = signed_in(level1)
    response = client.post(f"{URL}{plan.pk}/pay/", {"payment_reference": " "})
    assert response.status_code == 400
    assert field_error(response, "payment_reference") == (
        "Error: Enter the payment reference from your receipt"
    )
    long = client.post(f"{URL}{plan.pk}/pay/", {"payment_reference": "X" * 41})
    assert field_error(long, "payment_reference") == (
        "Error: Payment reference must be 40 characters or fewer"
    )
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.AWAITING_PAYMENT


def test_paying_is_only_by_post(signed_in, level1, plan):
    assert signed_in(level1).get(f"{URL}{plan.pk}/pay/").status_code == 405


def test_declining_warns_then_needs_a_reason_then_works_once(signed_in, level1, plan):
    client = signed_in(level1)
    confirm = client.get(f"{URL}{plan.pk}/decline/")
    assert confirm.status_code == 200
    assert "If you decline the action plan, the Home Office may revoke your licence." in text(
        confirm
    )
    empty = client.post(f"{URL}{plan.pk}/decline/", {"reason": ""})
    assert empty.status_code == 400
    assert field_error(empty, "reason") == "Error: Tell us why you are declining the action plan"
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.AWAITING_PAYMENT

    done = client.post(
        f"{URL}{plan.pk}/decline/", {"reason": "We are closing the care home."}, follow=True
    )
    assert "You declined the action plan." in text(done)
    assert "Why you declined We are closing the care home." in text(done)
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.DECLINED
    assert AuditEvent.objects.filter(verb=AuditVerb.ACTION_PLAN_DECLINED).count() == 1

    again = client.post(f"{URL}{plan.pk}/decline/", {"reason": "Again"})
    assert again.status_code == 409
    assert "This action plan is already declined." in text(again)
    assert client.post(f"{URL}{plan.pk}/pay/", {"payment_reference": "P1"}).status_code == 409


def test_another_sponsors_plan_is_not_found(signed_in, level1, other_sponsor, caseworker):
    theirs = ActionPlanFactory(sponsor=other_sponsor, created_by=caseworker)
    client = signed_in(level1)
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.get(f"{URL}{theirs.pk}/decline/").status_code == 404
    assert client.post(f"{URL}{theirs.pk}/pay/", {"payment_reference": "P1"}).status_code == 404
    assert client.post(f"{URL}{theirs.pk}/decline/", {"reason": "No"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ActionPlanStatus.AWAITING_PAYMENT


def test_another_sponsors_plans_are_not_listed(signed_in, level1, other_sponsor, caseworker):
    ActionPlanFactory(sponsor=other_sponsor, created_by=caseworker, route=Route.SEASONAL_WORKER)
    words = text(signed_in(level1).get(URL))
    assert "Seasonal Worker" not in words
    assert "You have no action plans." in words


@pytest.mark.parametrize("page", ["", "{id}/", "{id}/decline/"])
def test_level2_cannot_see_action_plans(signed_in, level2, plan, page):
    client = signed_in(level2)
    assert client.get(URL + page.format(id=plan.pk)).status_code == 403
    assert client.post(f"{URL}{plan.pk}/pay/", {"payment_reference": "P1"}).status_code == 403
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.AWAITING_PAYMENT


def test_a_suspended_licence_can_still_answer_its_action_plan(signed_in, level1, plan):
    level1.sponsor.status = LicenceStatus.SUSPENDED
    level1.sponsor.save()
    response = signed_in(level1).post(f"{URL}{plan.pk}/pay/", {"payment_reference": "P1"})
    assert response.status_code == 302
