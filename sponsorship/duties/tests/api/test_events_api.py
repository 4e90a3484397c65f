"""HR events through the API: recorded from the register or sent by an HR system's webhook, the
duties they raise, their questions, and sending the same event twice."""

from datetime import date

import pytest

from sponsorship.api.api import api as ninja_api
from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.duties.kinds import HR_EVENT_FIELDS
from sponsorship.duties.models import WORKER_HR_EVENT_KINDS, Duty, HrEvent, Worker
from sponsorship.duties.services import hr_event_record
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.api.support import query_count

from .support import HR_EVENTS, SALARY_CUT, WORKERS, worker_of


def _events(worker) -> str:
    return f"{WORKERS}/{worker.pk}/events"


def _webhook(worker, **fields):
    return {
        "certificate_number": worker.certificate.number,
        "external_id": "hr-20261116-0001",
        **SALARY_CUT,
        **fields,
    }


def _nothing_recorded():
    assert HrEvent.objects.count() == 0
    assert Duty.objects.count() == 0
    assert not AuditEvent.objects.filter(verb=AuditVerb.HR_EVENT_RECORDED).exists()


# Recording from the register


def test_a_salary_cut_is_recorded_with_the_duty_it_raises(api, level1, worker):
    response = api.post_json(_events(worker), SALARY_CUT)

    assert response.status_code == 201, response.content
    body = response.json()
    event = HrEvent.objects.get()
    duty = Duty.objects.get()
    assert body == {
        "event": {
            "id": event.pk,
            "worker_id": worker.pk,
            "kind": "SALARY_CHANGE",
            "kind_name": "Salary changed",
            "occurred_on": "2026-11-16",
            "ends_on": None,
            "absence_type": "",
            "details": {"new_salary": "48000"},
            "external_id": "",
            "source": "API",
            "recorded_by": {"id": level1.pk, "user_id": "LEVELONE1", "name": "Zoë Hartley"},
            "recorded_at": body["event"]["recorded_at"],
        },
        # Day 1 is Tuesday 17 November; the 10th working day is Monday 30 November.
        "duties": [
            {
                "id": duty.pk,
                "kind": "SALARY_REDUCED",
                "kind_name": "Salary reduced",
                "due_on": "2026-11-30",
            }
        ],
    }
    assert Worker.objects.get(pk=worker.pk).annual_salary == 48000


def test_an_event_that_raises_nothing_answers_no_duties(api, worker):
    response = api.post_json(_events(worker), {"kind": "FIRST_DAY", "occurred_on": "2026-11-02"})
    assert response.status_code == 201, response.content
    assert response.json()["duties"] == []
    assert Worker.objects.get(pk=worker.pk).status == "WORKING"


def test_a_long_unauthorised_absence_raises_its_duty(api, level1, worker):
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-11-02")
    response = api.post_json(
        _events(worker),
        {"kind": "ABSENCE", "occurred_on": "2026-10-26", "absence_type": "UNAUTHORISED"},
    )
    assert response.status_code == 201, response.content
    # The 10th working day of absence is Friday 6 November; 10 working days on: Friday 20th.
    assert [(d["kind"], d["due_on"]) for d in response.json()["duties"]] == [
        ("ABSENCE", "2026-11-20")
    ]


def test_only_the_duties_this_event_raised_are_answered(api, level1, worker):
    api.post_json(_events(worker), SALARY_CUT)
    response = api.post_json(
        _events(worker),
        {
            "kind": "JOB_CHANGE",
            "occurred_on": "2026-11-13",
            "details": {"new_job_title": "Ward manager", "significant": "yes"},
        },
    )
    assert [d["kind"] for d in response.json()["duties"]] == ["JOB_CHANGED"]


def test_the_events_list_is_newest_first(api, level1, worker):
    for day in ("2026-11-03", "2026-11-10", "2026-11-05"):
        hr_event_record(
            actor=level1,
            worker=worker,
            kind="CONTACT_CHANGE",
            occurred_on=day,
            details={"phone": day},
        )
    body = api.get(_events(worker)).json()
    assert [e["occurred_on"] for e in body["items"]] == ["2026-11-10", "2026-11-05", "2026-11-03"]
    assert body["page"]["total_items"] == 3


def test_the_events_lists_query_count_does_not_grow_with_its_rows(api, level1, worker):
    def add(n, start):
        for i in range(n):
            hr_event_record(
                actor=level1,
                worker=worker,
                kind="CONTACT_CHANGE",
                occurred_on=date(2026, 10, start + i),
                details={"phone": f"0770090{start + i:04d}"},
            )

    add(3, 1)
    few = query_count(lambda: api.get(_events(worker), {"page_size": 100}))
    add(27, 4)
    many = query_count(lambda: api.get(_events(worker), {"page_size": 100}))
    assert few == many


# Bad input names the field, and nothing is recorded


@pytest.mark.parametrize(
    ("sent", "fields"),
    [
        ({**SALARY_CUT, "details": {}}, {"details.new_salary"}),
        (
            {**SALARY_CUT, "details": {"new_salary": "£48,000", "bonus": "yes"}},
            {"details.new_salary", "details.bonus"},
        ),
        (
            {"kind": "JOB_CHANGE", "occurred_on": "2026-11-13", "details": {}},
            {"details.new_job_title", "details.significant"},
        ),
        (
            {
                "kind": "LOCATION_CHANGE",
                "occurred_on": "2026-11-13",
                "details": {"location_kind": "MOON", "new_address": "1 Quay Street, Cardiff"},
            },
            {"details.location_kind"},
        ),
        ({"kind": "FIRST_DAY", "occurred_on": "2026-11-17"}, {"occurred_on"}),
        ({"kind": "FIRST_DAY", "occurred_on": "2026-11-02", "ends_on": "2026-11-03"}, {"ends_on"}),
        ({"kind": "ABSENCE", "occurred_on": "2026-11-02"}, {"absence_type"}),
        (
            {"kind": "ABSENCE", "occurred_on": "2026-11-02", "absence_type": "UNPAID_LEAVE"},
            {"ends_on"},
        ),
        # Before the reporting rules began, and after any date the service plans for.
        ({**SALARY_CUT, "occurred_on": "2010-05-04"}, {"occurred_on"}),
        (
            {"kind": "LEAVING", "occurred_on": "9999-12-31", "details": {"reason": "RESIGNED"}},
            {"occurred_on"},
        ),
    ],
)
def test_a_rule_broken_is_refused_with_400_naming_the_field(api, worker, sent, fields):
    error = assert_error(api.post_json(_events(worker), sent), 400)
    assert {field["field"] for field in error["fields"]} == fields
    _nothing_recorded()


@pytest.mark.parametrize(
    ("sent", "fields"),
    [
        ({**SALARY_CUT, "kind": "PROMOTION"}, {"kind"}),
        ({**SALARY_CUT, "occurred_on": "16/11/2026"}, {"occurred_on"}),
        ({**SALARY_CUT, "details": {"new_salary": {"amount": 48000}}}, {"details.new_salary"}),
        ({**SALARY_CUT, "details": {"new_salary": "48000\x00"}}, {"details.new_salary"}),
        ({**SALARY_CUT, "details": ["new_salary"]}, {"details"}),
        ({**SALARY_CUT, "colour": "blue"}, {"colour"}),
        ({**SALARY_CUT, "external_id": " "}, {"external_id"}),
        ({**SALARY_CUT, "external_id": "x" * 101}, {"external_id"}),
        ({"occurred_on": "2026-11-16"}, {"kind"}),
    ],
)
def test_a_malformed_event_is_refused_with_422_naming_the_field(api, worker, sent, fields):
    error = assert_error(api.post_json(_events(worker), sent), 422, "invalid_request")
    assert {field["field"] for field in error["fields"]} == fields
    _nothing_recorded()


def test_answers_may_be_json_numbers_and_booleans(api, worker):
    response = api.post_json(
        _events(worker),
        {
            "kind": "JOB_CHANGE",
            "occurred_on": "2026-11-13",
            "details": {"new_job_title": "Ward manager", "significant": False},
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["duties"] == []
    response = api.post_json(_events(worker), {**SALARY_CUT, "details": {"new_salary": 47999.5}})
    assert response.status_code == 201, response.content
    assert response.json()["event"]["details"] == {"new_salary": "47999.5"}


# The webhook


def test_the_webhook_records_an_event_by_certificate_number(api, worker):
    number = worker.certificate.number
    sent = _webhook(worker, certificate_number=" ".join(number.lower()))
    response = api.post_json(HR_EVENTS, sent)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["event"]["worker_id"] == worker.pk
    assert body["event"]["external_id"] == "hr-20261116-0001"
    assert [d["kind"] for d in body["duties"]] == ["SALARY_REDUCED"]


def test_the_same_event_sent_twice_is_recorded_once(api, worker):
    first = api.post_json(HR_EVENTS, _webhook(worker))
    again = api.post_json(HR_EVENTS, _webhook(worker))

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["event"] == first.json()["event"]
    # The retry hears what the first send raised, so a lost answer loses nothing.
    assert again.json()["duties"] == first.json()["duties"]
    assert [d["kind"] for d in again.json()["duties"]] == ["SALARY_REDUCED"]
    assert HrEvent.objects.count() == 1
    assert Duty.objects.count() == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.HR_EVENT_RECORDED).count() == 1


def test_a_repeat_through_the_register_is_recorded_once_too(api, worker):
    sent = {**SALARY_CUT, "external_id": "payroll-77"}
    first = api.post_json(_events(worker), sent)
    again = api.post_json(HR_EVENTS, _webhook(worker, external_id="payroll-77"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["event"]["id"] == first.json()["event"]["id"]


@pytest.mark.parametrize(
    "change",
    [
        {"occurred_on": "2026-11-13"},
        {"details": {"new_salary": "47000"}},
        {"kind": "FIRST_DAY", "details": {}},
    ],
)
def test_a_different_event_under_a_used_id_is_refused(api, worker, change):
    assert api.post_json(HR_EVENTS, _webhook(worker)).status_code == 201
    error = assert_error(api.post_json(HR_EVENTS, _webhook(worker, **change)), 409)
    assert error["code"] == "external_id_reused"
    assert [field["field"] for field in error["fields"]] == ["external_id"]
    assert HrEvent.objects.count() == 1


def test_an_id_used_for_one_worker_is_refused_for_another(api, level1, worker):
    other = worker_of(level1, "Nowak")
    assert api.post_json(HR_EVENTS, _webhook(worker)).status_code == 201
    assert_error(api.post_json(HR_EVENTS, _webhook(other)), 409, "external_id_reused")
    assert HrEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("leave_out", "fields"),
    [("external_id", {"external_id"}), ("certificate_number", {"certificate_number"})],
)
def test_the_webhook_needs_a_worker_and_an_id(api, worker, leave_out, fields):
    sent = _webhook(worker)
    del sent[leave_out]
    error = assert_error(api.post_json(HR_EVENTS, sent), 422)
    assert {field["field"] for field in error["fields"]} == fields
    _nothing_recorded()


def test_the_webhook_names_the_field_of_a_broken_rule(api, worker):
    error = assert_error(api.post_json(HR_EVENTS, _webhook(worker, details={})), 400)
    assert [field["field"] for field in error["fields"]] == ["details.new_salary"]
    _nothing_recorded()


def test_a_number_not_on_the_register_is_not_found(api, other_level1, worker):
    theirs = worker_of(other_level1)
    for number in (theirs.certificate.number, "C0000000000"):
        error = assert_error(
            api.post_json(HR_EVENTS, _webhook(worker, certificate_number=number)), 404
        )
        assert [field["field"] for field in error["fields"]] == ["certificate_number"]
    _nothing_recorded()


def test_a_level_2_user_sends_events_for_their_own_workers_only(api_as, level1, level2):
    mine = worker_of(level2, "Adeyemi")
    not_mine = worker_of(level1, "Nowak")
    client = api_as(level2)
    assert_error(client.post_json(HR_EVENTS, _webhook(not_mine)), 404, "not_found")
    assert client.post_json(HR_EVENTS, _webhook(mine)).status_code == 201


def test_caseworkers_cannot_send_events(casework_api, worker):
    assert_error(casework_api.post_json(HR_EVENTS, _webhook(worker)), 403, "not_permitted")
    _nothing_recorded()


def test_a_suspended_licence_still_records_events(api, sponsor, worker):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert api.post_json(HR_EVENTS, _webhook(worker)).status_code == 201


# The document


def _operation(path, method="post"):
    operation = ninja_api.get_openapi_schema(path_prefix="/api/v1/")["paths"][path][method]
    # As served: JSON names each status with a string.
    return {**operation, "responses": {str(k): v for k, v in operation["responses"].items()}}


@pytest.mark.parametrize("path", ["/api/v1/hr-events", "/api/v1/workers/{worker_id}/events"])
def test_both_answers_and_every_question_are_documented(path):
    operation = _operation(path)
    for status in ("200", "201"):
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/HrEventRecordedOut"}
    assert {"400", "404", "409", "422"} <= set(operation["responses"])
    for kind, fields in HR_EVENT_FIELDS.items():
        if kind not in WORKER_HR_EVENT_KINDS:
            # A student's events are documented under /student-events.
            assert f"- `{kind}`" not in operation["description"]
            continue
        assert f"`{kind}`" in operation["description"]
        for field in fields:
            assert (
                f"`{field.name}` ({'required' if field.required else 'optional'};"
                in (operation["description"])
            )


def test_the_webhook_documents_how_retries_work():
    description = _operation("/api/v1/hr-events")["description"]
    assert "**Retries.**" in description
    assert "external_id_reused" in description


# A bug of the service, kept in view until it is fixed


def test_unpaid_leave_in_the_first_year_of_the_rules_is_recorded(api, worker):
    response = api.post_json(
        _events(worker),
        {
            "kind": "ABSENCE",
            "occurred_on": "2015-05-01",
            "ends_on": "2015-07-01",
            "absence_type": "UNPAID_LEAVE",
        },
    )
    assert response.status_code == 201, response.content
