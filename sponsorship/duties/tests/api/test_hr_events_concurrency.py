"""The same HR event posted several times at the same moment, as an HR system retrying on a
timeout might: it is recorded once, and every copy gets a documented answer. PostgreSQL only:
SQLite serialises every write transaction."""

import pytest
from django.db import connection

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core.tests.concurrency import race
from sponsorship.duties.models import Duty, HrEvent
from sponsorship.licences.tests.api.support import Api, token_for

from .support import HR_EVENTS, SALARY_CUT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real concurrent writers: SQLite serialises every write transaction",
    ),
]


def test_the_same_event_posted_at_once_is_recorded_once(level1, worker):
    secret = token_for(level1)
    sent = {
        "certificate_number": worker.certificate.number,
        "external_id": "hr-race-1",
        **SALARY_CUT,
    }

    def post(n: int) -> int:
        response = Api(secret).post_json(HR_EVENTS, sent)
        assert response.status_code in (200, 201), response.content
        return response.status_code

    outcomes = race(post, 6)

    assert sorted(outcomes) == [200, 200, 200, 200, 200, 201]
    assert HrEvent.objects.count() == 1
    assert Duty.objects.count() == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.HR_EVENT_RECORDED).count() == 1


def test_different_events_under_one_id_at_once_keep_the_first(level1, worker):
    secret = token_for(level1)

    def post(n: int) -> object:
        sent = {
            "certificate_number": worker.certificate.number,
            "external_id": "hr-race-2",
            **SALARY_CUT,
            "details": {"new_salary": str(48000 - n)},
        }
        response = Api(secret).post_json(HR_EVENTS, sent)
        body = response.json()
        return response.status_code, body.get("error", {}).get("code")

    outcomes = race(post, 4)

    assert sorted(outcomes, key=str) == [
        (201, None),
        (409, "external_id_reused"),
        (409, "external_id_reused"),
        (409, "external_id_reused"),
    ]
    assert HrEvent.objects.count() == 1
