"""Sponsored students through the API: the register, events recorded one by one or sent by a
student records system's webhook (the same id twice is recorded once; another event under the
same id is refused), reports and graduate notifications, and who reaches which student.

The clock is frozen at Monday 16 November 2026 (duties/tests/conftest.py). The student studies
in Aberdeen: Scotland's St Andrew's Day, Monday 30 November 2026, moves deadlines a day.
"""

from datetime import date

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.certificates.tests.factories import assigned_cas
from sponsorship.duties.models import ActivityReport, Duty, DutyStatus, HrEvent
from sponsorship.duties.services import student_event_record
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.api.support import Api, query_count, token_for

from ..factories import sponsored_student, sponsored_worker

pytestmark = pytest.mark.django_db

STUDENTS = "/api/v1/students"
STUDENT_EVENTS = "/api/v1/student-events"
STUDENT_REPORTS = "/api/v1/student-reports"


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def api_as(db):
    def _api_as(user) -> Api:
        return Api(token_for(user))

    return _api_as


@pytest.fixture
def api(api_as, level1):
    return api_as(level1)


def enrol(user, student):
    student_event_record(actor=user, student=student, kind="ENROLLED", occurred_on="2026-09-14")


def webhook(student, **fields):
    return {
        "cas_number": student.certificate.number.lower(),
        "external_id": "srs-20261116-0001",
        "kind": "STOPPED_ENGAGING",
        "occurred_on": "2026-11-16",
        "details": {"description": "No lectures since 19 October"},
        **fields,
    }


ENGAGEMENT = {
    "kind": "STOPPED_ENGAGING",
    "event_date": "2026-11-16",
    "details": {
        "missed": "No lectures or tutorials since 19 October.",
        "contact_attempts": "E-mailed on 2 and 5 November; no answer.",
        "sponsorship_continues": True,
    },
}


# ---------------------------------------------------------------- the register


def test_the_register_lists_students_with_their_course(api, level1, student):
    sponsored_worker(level1)
    response = api.get(STUDENTS)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["page"]["total_items"] == 1
    (item,) = body["items"]
    assert item["id"] == student.pk
    assert item["cas_number"] == student.certificate.number
    assert item["student_id"] == "S2026-0042"
    assert item["course_title"] == "MSc Marine Biology"
    assert (item["course_start_date"], item["course_end_date"]) == ("2026-09-14", "2027-09-10")
    assert (item["nation"], item["status"], item["enrolled_on"]) == ("SCT", "NOT_ENROLLED", None)
    detail = api.get(f"{STUDENTS}/{student.pk}").json()
    assert detail["contact_history"] == [] and detail["open_duties"] == 0


def test_the_register_filters(api, level1, student):
    other = sponsored_student(
        level1,
        family_name="Nakamura",
        student_id="ABD-77",
        course_title="BSc Geology",
        course_start_date=date(2027, 1, 18),
    )
    enrol(level1, student)

    def names(**query):
        return [i["family_name"] for i in api.get(STUDENTS, query).json()["items"]]

    assert names(status="STUDYING") == ["Kowalczyk"]
    assert names(status="sponsored") == ["Kowalczyk", "Nakamura"]
    assert names(search="abd-77") == ["Nakamura"]
    assert names(search=other.certificate.number.lower()) == ["Nakamura"]
    assert names(course="geology") == ["Nakamura"]
    assert names(course_starts_from="2027-01-01") == ["Nakamura"]
    assert names(course_starts_to="2026-12-31") == ["Kowalczyk"]
    assert_error(api.get(STUDENTS, {"status": "WORKING"}), 422)


def test_the_register_costs_the_same_for_3_students_or_30(api, level1):
    for _ in range(3):
        sponsored_student(level1)
    three = query_count(lambda: api.get(STUDENTS))
    for _ in range(27):
        sponsored_student(level1)
    assert query_count(lambda: api.get(STUDENTS, {"page_size": 50})) == three


def test_worker_endpoints_never_show_a_student(api, level1, student):
    sponsored_worker(level1)
    assert student.certificate.number not in api.get("/api/v1/workers").content.decode()
    assert_error(api.get(f"/api/v1/workers/{student.pk}"), 404, "not_found")
    breach = {
        "kind": "BREACH_SUSPECTED",
        "event_date": "2026-11-13",
        "details": {"description": "Working full time elsewhere."},
    }
    assert_error(api.post_json(f"/api/v1/workers/{student.pk}/reports", breach), 404, "not_found")
    hr = {
        "certificate_number": student.certificate.number,
        "external_id": "x",
        "kind": "FIRST_DAY",
        "occurred_on": "2026-11-16",
    }
    assert_error(api.post_json("/api/v1/hr-events", hr), 404, "not_found")


# ---------------------------------------------------------------- events


def test_an_event_is_recorded_with_the_duty_it_raises(api, level1, student):
    enrol(level1, student)
    response = api.post_json(
        f"{STUDENTS}/{student.pk}/events",
        {"kind": "STUDIES_PAUSED", "occurred_on": "2026-11-16", "details": {"how": "DEFERRED"}},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["event"]["kind"] == "STUDIES_PAUSED"
    assert body["duties"] == [
        {
            "id": Duty.objects.get().pk,
            "kind": "STUDIES_PAUSED",
            "kind_name": "Student suspended, interrupted or deferred their studies",
            "due_on": "2026-12-01",
        }
    ]
    assert api.get(STUDENTS + f"/{student.pk}").json()["status"] == "STUDIES_PAUSED"
    events = api.get(f"{STUDENTS}/{student.pk}/events").json()
    assert [e["kind"] for e in events["items"]] == ["STUDIES_PAUSED", "ENROLLED"]


def test_a_worker_s_event_kind_is_refused(api, student):
    response = api.post_json(
        f"{STUDENTS}/{student.pk}/events", {"kind": "FIRST_DAY", "occurred_on": "2026-11-16"}
    )
    assert_error(response, 422)
    assert not HrEvent.objects.exists()


def test_the_webhook_records_the_same_event_once(api, level1, student):
    enrol(level1, student)
    first = api.post_json(STUDENT_EVENTS, webhook(student))
    assert first.status_code == 201, first.content
    again = api.post_json(STUDENT_EVENTS, webhook(student))
    assert again.status_code == 200
    assert again.json()["event"]["id"] == first.json()["event"]["id"]
    assert again.json()["duties"] == first.json()["duties"]
    assert HrEvent.objects.filter(kind="STOPPED_ENGAGING").count() == 1
    assert Duty.objects.count() == 1


def test_the_webhook_refuses_another_event_under_the_same_id(api, level1, student):
    enrol(level1, student)
    api.post_json(STUDENT_EVENTS, webhook(student))
    error = assert_error(
        api.post_json(STUDENT_EVENTS, webhook(student, occurred_on="2026-11-13")),
        409,
        "external_id_reused",
    )
    assert error["fields"][0]["field"] == "external_id"
    assert HrEvent.objects.filter(kind="STOPPED_ENGAGING").count() == 1


def test_the_webhook_names_an_unknown_cas_number(api, student):
    error = assert_error(
        api.post_json(STUDENT_EVENTS, webhook(student, cas_number="E0000000000000")),
        404,
        "not_found",
    )
    assert error["fields"][0]["field"] == "cas_number"


def test_the_webhook_needs_an_external_id(api, student):
    body = webhook(student)
    del body["external_id"]
    assert_error(api.post_json(STUDENT_EVENTS, body), 422)


def test_bad_details_are_named_and_nothing_is_recorded(api, level1, student):
    enrol(level1, student)
    error = assert_error(
        api.post_json(STUDENT_EVENTS, webhook(student, kind="STUDIES_STOPPED", details={})),
        400,
    )
    assert error["fields"] == [
        {
            "field": "details.how",
            "message": "Enter an answer to “How did their studies stop?”",
        }
    ]
    assert not HrEvent.objects.filter(kind="STUDIES_STOPPED").exists()


# ---------------------------------------------------------------- reports


def test_a_report_meets_its_duty_and_records_its_deadline(api, level1, student):
    enrol(level1, student)
    api.post_json(STUDENT_EVENTS, webhook(student))
    response = api.post_json(f"{STUDENTS}/{student.pk}/reports", ENGAGEMENT)
    assert response.status_code == 201, response.content
    body = response.json()
    report = ActivityReport.objects.get()
    assert body["reference"] == report.reference
    assert body["student_id"] == student.pk
    assert body["cas_number"] == student.certificate.number
    assert (body["due_on"], body["late"], body["nation"]) == ("2026-12-01", False, "SCT")
    assert body["source"] == "API"
    assert Duty.objects.get().status == DutyStatus.DONE
    assert api.get(f"{STUDENT_REPORTS}/{report.pk}").json()["id"] == report.pk
    assert [r["id"] for r in api.get(STUDENT_REPORTS).json()["items"]] == [report.pk]
    # Worker report endpoints never show a student's.
    assert_error(api.get(f"/api/v1/reports/{report.pk}"), 404, "not_found")
    assert api.get("/api/v1/reports").json()["items"] == []


def test_a_late_report_is_flagged(api, student):
    response = api.post_json(
        f"{STUDENTS}/{student.pk}/reports", {**ENGAGEMENT, "event_date": "2026-10-30"}
    )
    assert (response.json()["due_on"], response.json()["late"]) == ("2026-11-13", True)


def test_a_graduate_notification_and_then_only_corrections(api, student):
    sent = api.post_json(
        f"{STUDENTS}/{student.pk}/reports",
        {
            "kind": "GRADUATED",
            "event_date": "2026-11-13",
            "details": {"qualification": "MSc Marine Biology"},
        },
    )
    assert sent.status_code == 201, sent.content
    assert sent.json()["due_on"] is None and sent.json()["late"] is False
    assert api.get(f"{STUDENTS}/{student.pk}").json()["status"] == "ENDED"
    assert_error(
        api.post_json(f"{STUDENTS}/{student.pk}/reports", ENGAGEMENT), 409, "sponsorship_stopped"
    )
    fixed = api.post_json(
        f"{STUDENTS}/{student.pk}/reports",
        {
            "kind": "GRADUATED",
            "event_date": "2026-11-12",
            "details": {"qualification": "MSc Marine Biology (Distinction)"},
            "corrects_id": sent.json()["id"],
        },
    )
    assert fixed.status_code == 201
    assert fixed.json()["corrects"]["id"] == sent.json()["id"]


def test_a_correction_must_name_a_report_of_yours(api, other_level1, api_as, student):
    theirs = sponsored_student(other_level1)
    other = api_as(other_level1).post_json(f"{STUDENTS}/{theirs.pk}/reports", ENGAGEMENT)
    error = assert_error(
        api.post_json(
            f"{STUDENTS}/{student.pk}/reports",
            {**ENGAGEMENT, "corrects_id": other.json()["id"]},
        ),
        400,
    )
    assert error["fields"][0]["field"] == "corrects_id"


def test_bad_answers_are_named_by_field(api, student):
    error = assert_error(
        api.post_json(
            f"{STUDENTS}/{student.pk}/reports",
            {"kind": "STUDIES_PAUSED", "event_date": "2026-11-16", "details": {"how": "NAP"}},
        ),
        400,
    )
    fields = {f["field"] for f in error["fields"]}
    assert fields == {"details.how", "details.reason", "details.sponsorship_continues"}
    assert not ActivityReport.objects.exists()


def test_a_worker_s_kind_is_not_a_student_report(api, student):
    assert_error(
        api.post_json(
            f"{STUDENTS}/{student.pk}/reports",
            {"kind": "SALARY_REDUCED", "event_date": "2026-11-16", "details": {}},
        ),
        422,
    )


def test_a_cas_not_used_has_no_student(api, level1):
    cas = assigned_cas(level1)
    assert api.get(STUDENTS).json()["items"] == []
    assert_error(api.post_json(STUDENT_EVENTS, webhook_for_number(cas.number)), 404, "not_found")


def webhook_for_number(number):
    return {
        "cas_number": number,
        "external_id": "srs-1",
        "kind": "ENROLLED",
        "occurred_on": "2026-11-16",
    }


# ---------------------------------------------------------------- who reaches what


def test_another_sponsor_s_student_is_not_found(api_as, other_level1, level1, student):
    report = api_as(level1).post_json(f"{STUDENTS}/{student.pk}/reports", ENGAGEMENT).json()
    other = api_as(other_level1)
    assert other.get(STUDENTS).json()["items"] == []
    for path in (
        f"{STUDENTS}/{student.pk}",
        f"{STUDENTS}/{student.pk}/events",
        f"{STUDENT_REPORTS}/{report['id']}",
    ):
        assert_error(other.get(path), 404, "not_found")
    assert_error(other.get(STUDENT_REPORTS, {"student_id": student.pk}), 404, "not_found")
    assert_error(other.get("/api/v1/duties", {"student_id": student.pk}), 404, "not_found")
    assert_error(other.post_json(f"{STUDENTS}/{student.pk}/reports", ENGAGEMENT), 404, "not_found")
    assert_error(
        other.post_json(
            f"{STUDENTS}/{student.pk}/events", {"kind": "ENROLLED", "occurred_on": "2026-11-16"}
        ),
        404,
        "not_found",
    )
    assert_error(other.post_json(STUDENT_EVENTS, webhook(student)), 404, "not_found")
    assert ActivityReport.objects.count() == 1


def test_level2_reaches_only_the_students_whose_cas_they_own(api_as, level1, level2, student):
    mine = sponsored_student(level2, family_name="Okafor")
    client = api_as(level2)
    assert [i["family_name"] for i in client.get(STUDENTS).json()["items"]] == ["Okafor"]
    assert client.get(f"{STUDENTS}/{mine.pk}").status_code == 200
    assert_error(client.get(f"{STUDENTS}/{student.pk}"), 404, "not_found")
    assert_error(client.post_json(STUDENT_EVENTS, webhook(student)), 404, "not_found")
    assert_error(client.post_json(f"{STUDENTS}/{student.pk}/reports", ENGAGEMENT), 404, "not_found")
    assert client.post_json(f"{STUDENTS}/{mine.pk}/reports", ENGAGEMENT).status_code == 201


def test_a_suspended_licence_still_records_and_reports(api, sponsor, level1, student):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert api.get(STUDENTS).status_code == 200
    enrolled = api.post_json(
        f"{STUDENTS}/{student.pk}/events", {"kind": "ENROLLED", "occurred_on": "2026-09-14"}
    )
    assert enrolled.status_code == 201
    assert api.post_json(f"{STUDENTS}/{student.pk}/reports", ENGAGEMENT).status_code == 201


def test_the_duties_of_one_student(api, level1, student):
    enrol(level1, student)
    api.post_json(STUDENT_EVENTS, webhook(student))
    body = api.get("/api/v1/duties", {"student_id": student.pk}).json()
    (duty,) = body["items"]
    assert duty["worker"]["kind"] == "STUDENT"
    assert duty["worker"]["certificate_number"] == student.certificate.number
    assert_error(
        api.get("/api/v1/duties", {"student_id": student.pk, "worker_id": student.pk}), 400
    )
    assert_error(api.get("/api/v1/duties", {"worker_id": student.pk}), 404, "not_found")


def test_the_enrolment_period_is_a_reminder_setting(api, level1):
    current = api.get("/api/v1/compliance/reminder-settings").json()
    assert current["enrolment_window_days"] == 14
    response = api.put_json(
        "/api/v1/compliance/reminder-settings",
        {
            "version": current["version"],
            "reminder_lead_days": [5, 2, 1],
            "expiry_alert_days": [90, 30],
            "enrolment_window_days": 21,
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["enrolment_window_days"] == 21
    assert_error(
        api.put_json(
            "/api/v1/compliance/reminder-settings",
            {
                "version": response.json()["version"],
                "reminder_lead_days": [5],
                "expiry_alert_days": [90],
                "enrolment_window_days": 0,
            },
        ),
        422,
    )
