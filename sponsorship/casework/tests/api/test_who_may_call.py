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
# A Monday far from any other test's dates, not a bank holiday anywhere.
BANK_HOLIDAY = {"day": "2098-06-02", "nation": "WLS", "change": "ADD", "name": "Royal event"}

# (method, path, JSON body). {request}, {sponsor}, {user}, {message}, {certificate} (assigned),
# {used_certificate}, {override} (a bank holiday override) and {report} (a migrant activity
# report) are real objects.
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
    ("GET", "/api/v1/casework/bank-holidays?nation=WLS&from=2098-01-01&to=2098-12-31", None),
    ("GET", "/api/v1/casework/bank-holiday-overrides", None),
    ("POST", "/api/v1/casework/bank-holiday-overrides", BANK_HOLIDAY),
    ("DELETE", "/api/v1/casework/bank-holiday-overrides/{override}", None),
    ("GET", "/api/v1/casework/activity-reports?late=true", None),
    ("GET", "/api/v1/casework/activity-reports/{report}", None),
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
            .replace("{override}", "{override_id}")
            .replace("{report}", "{report_id}")
            .replace("/queues/allocations", "/queues/{queue}")
            .split("?")[0],
        )
        for method, path, _ in OPERATIONS
    }
    assert listed == documented


@pytest.fixture
def objects(sponsor, level1, level2, caseworker):
    from datetime import date, timedelta

    from django.utils import timezone

    from sponsorship.certificates.tests.factories import assigned_certificate
    from sponsorship.core.models import BankHolidayOverride
    from sponsorship.duties.services import activity_report_submit
    from sponsorship.duties.tests.factories import sponsored_worker

    used = assigned_certificate(level1, passport_number="U7654321")
    used.status = "USED"
    used.save()
    report = activity_report_submit(
        actor=level1,
        worker=sponsored_worker(level1, passport_number="W1234567"),
        kind="BREACH_SUSPECTED",
        event_date="2026-11-13",
        details={"description": "Working for another employer."},
    )
    return {
        "report": report.pk,
        "certificate": assigned_certificate(level1).pk,
        "used_certificate": used.pk,
        "request": LicenceRequestFactory(submitted_by=level1).pk,
        "sponsor": sponsor.pk,
        "user": level2.pk,
        "message": MessageFactory(published_at=timezone.now() + timedelta(days=3)).pk,
        "override": BankHolidayOverride.objects.create(
            day=date(2098, 6, 3), nation="WLS", change="ADD", name="Event", created_by=caseworker
        ).pk,
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
    assert response.status_code in (200, 201, 204), response.content
