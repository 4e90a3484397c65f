"""PAYE references and action plans through the API."""

import pytest
from django.utils import timezone

from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditVerb
from sponsorship.licences.models import ActionPlan, ActionPlanStatus, PayeReference
from sponsorship.licences.tests.factories import ActionPlanFactory, PayeReferenceFactory

from .support import events, query_count, recipients

# PAYE references


def test_paye_references(api, level1, other_level1):
    PayeReferenceFactory(added_by=level1, reference="123/AB45678")
    PayeReferenceFactory(added_by=other_level1, reference="999/ZZ1")
    body = api.get("/api/v1/paye-references").json()
    assert [p["reference"] for p in body["items"]] == ["123/AB45678"]
    assert body["items"][0]["added_by"] == {
        "id": level1.pk,
        "user_id": "LEVELONE1",
        "name": "Zoë Hartley",
    }
    assert body["page"]["total_items"] == 1


def test_paye_list_queries_do_not_grow_with_the_rows(api, level1):
    def call():
        return api.get("/api/v1/paye-references", {"page_size": 100})

    PayeReferenceFactory.create_batch(3, added_by=level1)
    few = query_count(call)
    PayeReferenceFactory.create_batch(27, added_by=level1)
    assert query_count(call) == few


def test_adding_a_paye_reference(api, level1, sponsor):
    response = api.post_json("/api/v1/paye-references", {"reference": " 123/ab 45678 "})
    assert response.status_code == 201, response.content
    assert response.json()["reference"] == "123/AB45678"
    assert PayeReference.objects.get().sponsor == sponsor
    assert [e.actor for e in events(AuditVerb.PAYE_ADDED)] == [level1]


@pytest.mark.parametrize(
    ("reference", "status", "code"),
    [("12/AB", 400, "application_error"), ("", 422, "invalid_request")],
)
def test_a_bad_paye_reference_names_the_field(api, reference, status, code):
    response = api.post_json("/api/v1/paye-references", {"reference": reference})
    assert assert_error(response, status, code)["fields"][0]["field"] == "reference"
    assert not PayeReference.objects.exists()


def test_a_paye_reference_already_listed_is_refused(api, level1):
    PayeReferenceFactory(added_by=level1, reference="123/AB45678")
    response = api.post_json("/api/v1/paye-references", {"reference": "123/AB45678"})
    assert assert_error(response, 400, "duplicate")["fields"][0]["field"] == "reference"


def test_deleting_a_paye_reference(api, level1):
    paye = PayeReferenceFactory(added_by=level1)
    response = api.delete(f"/api/v1/paye-references/{paye.pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert not PayeReference.objects.exists()
    assert events(AuditVerb.PAYE_DELETED)[0].payload == {"reference": paye.reference}


def test_another_sponsors_paye_reference_is_not_found(api, other_level1):
    paye = PayeReferenceFactory(added_by=other_level1)
    assert_error(api.delete(f"/api/v1/paye-references/{paye.pk}"), 404, "not_found")
    assert PayeReference.objects.filter(pk=paye.pk).exists()


# Action plans


@pytest.fixture
def plan(sponsor, caseworker):
    return ActionPlanFactory(sponsor=sponsor, created_by=caseworker)


@pytest.fixture
def other_plan(other_sponsor, caseworker):
    return ActionPlanFactory(sponsor=other_sponsor, created_by=caseworker)


def test_action_plans(api, plan, other_plan):
    body = api.get("/api/v1/action-plans").json()
    assert [p["id"] for p in body["items"]] == [plan.pk]
    item = body["items"][0]
    assert item["route"] == "SKILLED_WORKER"
    assert item["fee_pence"] == 157_900
    assert item["status"] == "AWAITING_PAYMENT"
    assert item["payment_due"] == "2026-11-30"


def test_action_plan_list_queries_do_not_grow_with_the_rows(api, sponsor, caseworker):
    def call():
        return api.get("/api/v1/action-plans", {"page_size": 100})

    ActionPlanFactory.create_batch(3, sponsor=sponsor, created_by=caseworker)
    few = query_count(call)
    ActionPlanFactory.create_batch(27, sponsor=sponsor, created_by=caseworker)
    assert query_count(call) == few


def test_action_plan(api, plan):
    body = api.get(f"/api/v1/action-plans/{plan.pk}").json()
    assert body["steps"] == plan.steps
    assert body["route_name"] == "Skilled Worker"


def test_paying_an_action_plan(api, level1, plan):
    response = api.post_json(
        f"/api/v1/action-plans/{plan.pk}/payment", {"payment_reference": "GOVPAY-1234"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "PAID"
    assert body["payment_reference"] == "GOVPAY-1234"
    assert body["responded_at"] == timezone.now().isoformat().replace("+00:00", "Z")
    plan.refresh_from_db()
    assert (plan.status, plan.responded_by) == (ActionPlanStatus.PAID, level1)
    assert events(AuditVerb.ACTION_PLAN_PAID)[0].payload == {
        "payment_reference": "GOVPAY-1234",
        "late": False,
    }


def test_declining_an_action_plan(api, level1, plan, sponsor):
    from sponsorship.licences.tests.factories import KeyPersonFactory

    ao = KeyPersonFactory(sponsor=sponsor)
    response = api.post_json(
        f"/api/v1/action-plans/{plan.pk}/decline", {"reason": "We are closing the branch."}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "DECLINED"
    assert response.json()["decline_reason"] == "We are closing the branch."
    assert ActionPlan.objects.get(pk=plan.pk).status == ActionPlanStatus.DECLINED
    assert recipients("action_plan_declined") == [ao.email]
    assert [e.actor for e in events(AuditVerb.ACTION_PLAN_DECLINED)] == [level1]


def test_a_plan_already_answered_is_refused(api, plan):
    api.post_json(f"/api/v1/action-plans/{plan.pk}/payment", {"payment_reference": "GOVPAY-1"})
    response = api.post_json(f"/api/v1/action-plans/{plan.pk}/decline", {"reason": "No."})
    assert_error(response, 409, "invalid_transition")


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("payment", {"payment_reference": " "}, "payment_reference"),
        ("payment", {"payment_reference": "x" * 41}, "payment_reference"),
        ("decline", {}, "reason"),
    ],
)
def test_bad_answers_name_the_field(api, plan, action, body, field):
    error = assert_error(api.post_json(f"/api/v1/action-plans/{plan.pk}/{action}", body), 422)
    assert [f["field"] for f in error["fields"]] == [field]


def test_another_sponsors_action_plan_is_not_found(api, other_plan):
    assert_error(api.get(f"/api/v1/action-plans/{other_plan.pk}"), 404, "not_found")
    response = api.post_json(
        f"/api/v1/action-plans/{other_plan.pk}/payment", {"payment_reference": "GOVPAY-1"}
    )
    assert_error(response, 404, "not_found")
    response = api.post_json(f"/api/v1/action-plans/{other_plan.pk}/decline", {"reason": "No"})
    assert_error(response, 404, "not_found")
    other_plan.refresh_from_db()
    assert other_plan.status == ActionPlanStatus.AWAITING_PAYMENT
