"""Who may call each casework operation: caseworkers only. Sponsor users' tokens, Level 1 or
Level 2, are refused every one, with a valid request, before anything changes."""

import json

import pytest

from sponsorship.api.api import api as ninja_api
from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditEvent
from sponsorship.licences.tests.factories import LicenceRequestFactory, MessageFactory

REASONS = {"reasons": "Reasons."}
MESSAGE = {
    "title": "T",
    "body": "B",
    "active_from": "2026-12-01T09:00:00",
    "active_to": "2026-12-31",
}

# (method, path, JSON body). {request}, {sponsor}, {user}, {message}, {certificate} (assigned)
# and {used_certificate} are real objects.
OPERATIONS = [
    ("GET", "/api/v1/casework/queues/allocations", None),
    ("GET", "/api/v1/casework/requests/{request}", None),
    ("POST", "/api/v1/casework/requests/{request}/assign", None),
    ("POST", "/api/v1/casework/requests/{request}/information-requests", {"question": "Why?"}),
    ("POST", "/api/v1/casework/requests/{request}/decision", {"outcome": "GRANTED", "version": 1}),
    ("GET", "/api/v1/casework/sponsors", None),
    ("GET", "/api/v1/casework/sponsors/{sponsor}", None),
    (
        "POST",
        "/api/v1/casework/sponsors/{sponsor}/ratings",
        {"route": "SKILLED_WORKER", "rating": "B", "action_plan_steps": "Steps.", **REASONS},
    ),
    ("POST", "/api/v1/casework/sponsors/{sponsor}/status", {"status": "SUSPENDED", **REASONS}),
    (
        "POST",
        "/api/v1/casework/sponsors/{sponsor}/settled-worker-exception",
        {"exception": "INTERNATIONAL_AGREEMENT", **REASONS},
    ),
    ("POST", "/api/v1/casework/users/{user}/deactivate", REASONS),
    ("POST", "/api/v1/casework/users/{user}/unlock", None),
    ("GET", "/api/v1/casework/messages", None),
    ("POST", "/api/v1/casework/messages", MESSAGE),
    ("PUT", "/api/v1/casework/messages/{message}", MESSAGE),
    ("POST", "/api/v1/casework/messages/{message}/archive", None),
    ("GET", "/api/v1/casework/certificates?passport=EP1234567", None),
    ("GET", "/api/v1/casework/certificates/{certificate}", None),
    ("GET", "/api/v1/casework/certificates/{certificate}/history", None),
    ("POST", "/api/v1/casework/certificates/{certificate}/used", None),
    ("POST", "/api/v1/casework/certificates/{used_certificate}/outcome", {"outcome": "GRANTED"}),
    ("POST", "/api/v1/casework/certificates/{certificate}/cancel", {"reason": "Forged offer."}),
]
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]


def test_every_casework_operation_is_listed_here():
    document = ninja_api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    documented = {
        (method.upper(), path)
        for path, item in document.items()
        if path.startswith("/api/v1/casework/")
        for method in item
    }
    listed = {
        (
            method,
            path.replace("{request}", "{request_id}")
            .replace("{sponsor}", "{sponsor_id}")
            .replace("{user}", "{user_id}")
            .replace("{message}", "{message_id}")
            .replace("{certificate}", "{certificate_id}")
            .replace("{used_certificate}", "{certificate_id}")
            .replace("/queues/allocations", "/queues/{queue}")
            .split("?")[0],
        )
        for method, path, _ in OPERATIONS
    }
    assert listed == documented


@pytest.fixture
def objects(sponsor, level1, level2):
    from datetime import timedelta

    from django.utils import timezone

    from sponsorship.certificates.tests.factories import assigned_certificate

    used = assigned_certificate(level1, passport_number="U7654321")
    used.status = "USED"
    used.save()
    return {
        "certificate": assigned_certificate(level1).pk,
        "used_certificate": used.pk,
        "request": LicenceRequestFactory(submitted_by=level1).pk,
        "sponsor": sponsor.pk,
        "user": level2.pk,
        "message": MessageFactory(published_at=timezone.now() + timedelta(days=3)).pk,
    }


def call(client, method, path, body, objects):
    path = path.format(**objects)
    if method == "GET":
        return client.get(path)
    return client.call(method, path, json.dumps(body or {}))


@pytest.mark.parametrize("who", ["level1", "level2"])
@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS, ids=IDS)
def test_sponsor_users_are_refused(request, api_as, objects, who, method, path, body):
    client = api_as(request.getfixturevalue(who))
    before = AuditEvent.objects.count()
    assert_error(call(client, method, path, body, objects), 403, "not_permitted")
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS, ids=IDS)
def test_caseworkers_are_served(casework_api, objects, method, path, body):
    response = call(casework_api, method, path, body, objects)
    assert response.status_code in (200, 201), response.content
