"""Who may call each licence management operation: Level 1 users only. Level 2 users and
caseworkers are refused every one, with a valid request, before anything changes."""

import json

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.licences.models import LicenceRequest, PayeReference
from sponsorship.licences.tests.factories import (
    ActionPlanFactory,
    LicenceRequestFactory,
    PayeReferenceFactory,
)

from .support import pdf

USER = {"given_names": "Aisha", "family_name": "Bello", "email": "aisha@harbourview.example"}
KEY_PERSON = {**USER, "change_date": "2026-11-13", "replace": True}
CHANGE = {
    "change_type": "NAME",
    "change_date": "2026-11-02",
    "description": "New trading name.",
    "declaration_name": "Zoë Hartley",
    "declaration_position": "HR Director",
}

# (method, path, JSON body or None, multipart form or None). {user}, {request}, {paye} and
# {plan} are the Level 1 user's sponsor's own objects.
OPERATIONS = [
    ("GET", "/api/v1/users", None, None),
    ("GET", "/api/v1/users/{user}", None, None),
    ("POST", "/api/v1/users/level-1-requests", USER, None),
    ("POST", "/api/v1/users/level-2", USER, None),
    ("PATCH", "/api/v1/users/{user}", {"version": 1, "phone": "1"}, None),
    ("POST", "/api/v1/users/{user}/deactivate", None, None),
    ("GET", "/api/v1/key-people", None, None),
    ("POST", "/api/v1/key-people/key-contact/changes", KEY_PERSON, None),
    ("POST", "/api/v1/change-requests", None, CHANGE),
    ("GET", "/api/v1/requests", None, None),
    ("GET", "/api/v1/requests/{request}", None, None),
    ("POST", "/api/v1/requests/{request}/withdraw", None, None),
    ("POST", "/api/v1/requests/{request}/answer", None, {"body": "Attached."}),
    ("GET", "/api/v1/paye-references", None, None),
    ("POST", "/api/v1/paye-references", {"reference": "123/AB45678"}, None),
    ("DELETE", "/api/v1/paye-references/{paye}", None, None),
    ("GET", "/api/v1/allocations", None, None),
    (
        "POST",
        "/api/v1/allocations/increase-requests",
        {"route": "SKILLED_WORKER", "number": 5, "justification": "Roles."},
        None,
    ),
    (
        "POST",
        "/api/v1/allocations/renewal-requests",
        {"route": "SKILLED_WORKER", "number": 5},
        None,
    ),
    ("GET", "/api/v1/action-plans", None, None),
    ("GET", "/api/v1/action-plans/{plan}", None, None),
    ("POST", "/api/v1/action-plans/{plan}/payment", {"payment_reference": "GOVPAY-1"}, None),
    ("POST", "/api/v1/action-plans/{plan}/decline", {"reason": "No."}, None),
    ("GET", "/api/v1/sponsor-status", None, None),
    ("POST", "/api/v1/sponsor-status/premium/applications", None, None),
    ("GET", "/api/v1/licence", None, None),
]
IDS = [f"{method} {path}" for method, path, _, _ in OPERATIONS]


@pytest.fixture
def objects(sponsor, level1, level2, caseworker):
    return {
        "user": level2.pk,
        "request": LicenceRequestFactory(submitted_by=level1).pk,
        "paye": PayeReferenceFactory(added_by=level1).pk,
        "plan": ActionPlanFactory(sponsor=sponsor, created_by=caseworker).pk,
    }


def call(client, method, path, body, form, objects):
    path = path.format(**objects)
    if form is not None:
        return client.post_form(path, {**form, "evidence": [pdf()]})
    if method in ("GET", "DELETE"):
        return client.call(method, path)
    return client.call(method, path, json.dumps(body or {}))


def _nothing_changed(objects):
    assert list(LicenceRequest.objects.values_list("pk", flat=True)) == [objects["request"]]
    assert LicenceRequest.objects.get().status == "SUBMITTED"
    assert list(PayeReference.objects.values_list("pk", flat=True)) == [objects["paye"]]


@pytest.mark.parametrize(("method", "path", "body", "form"), OPERATIONS, ids=IDS)
def test_level_2_users_are_refused(api_as, level2, objects, method, path, body, form):
    response = call(api_as(level2), method, path, body, form, objects)
    assert_error(response, 403, "not_permitted")
    _nothing_changed(objects)


@pytest.mark.parametrize(("method", "path", "body", "form"), OPERATIONS, ids=IDS)
def test_caseworkers_are_refused(api_as, caseworker, objects, method, path, body, form):
    response = call(api_as(caseworker), method, path, body, form, objects)
    assert_error(response, 403, "not_permitted")
    _nothing_changed(objects)


@pytest.mark.parametrize(("method", "path", "body", "form"), OPERATIONS, ids=IDS)
def test_level_1_users_are_served(api, objects, method, path, body, form):
    """The same requests reach the services for a Level 1 user (a few break a rule there, such
    as answering when nothing was asked), so the refusals above are about who asks."""
    response = call(api, method, path, body, form, objects)
    assert response.status_code not in (401, 403, 404, 422), response.content
