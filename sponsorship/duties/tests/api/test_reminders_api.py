"""Reminder settings (how early reminders go out; Level 1 users change them) and each user's
choice of immediate e-mails or a daily digest, through the API."""

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.duties.models import ComplianceSettings, ReminderPreference
from sponsorship.duties.services import compliance_settings_save

from .support import PREFERENCE, SETTINGS

CHANGE = {"reminder_lead_days": [10, 3, 1], "expiry_alert_days": [120, 30]}


@pytest.fixture
def saved(level1):
    """Settings saved once already."""
    return compliance_settings_save(
        actor=level1,
        reminder_lead_days="5,2,1",
        expiry_alert_days="90,60,30,14,7",
        version=None,
        ip=None,
    )


def test_the_defaults_apply_until_changed(api):
    response = api.get(SETTINGS)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "reminder_lead_days": [5, 2, 1],
        "expiry_alert_days": [90, 60, 30, 14, 7],
        "enrolment_window_days": 14,
        "updated_by": None,
        "updated_at": None,
        "version": 0,
    }


def test_a_level_1_user_changes_them(api, level1, saved):
    response = api.put_json(SETTINGS, {"version": saved.version, **CHANGE})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["reminder_lead_days"], body["expiry_alert_days"]) == ([10, 3, 1], [120, 30])
    assert body["version"] == saved.version + 1
    assert body["updated_by"] == {"id": level1.pk, "user_id": "LEVELONE1", "name": "Zoë Hartley"}
    assert api.get(SETTINGS).json() == body


def test_the_lists_are_kept_largest_first_without_repeats(api, saved):
    response = api.put_json(
        SETTINGS,
        {"version": saved.version, "reminder_lead_days": [1, 3, 3], "expiry_alert_days": [7, 90]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["reminder_lead_days"], body["expiry_alert_days"]) == ([3, 1], [90, 7])


def test_the_first_change_is_made_with_the_version_read(api):
    version = api.get(SETTINGS).json()["version"]
    response = api.put_json(SETTINGS, {"version": version, **CHANGE})
    assert response.status_code == 200, response.content


def test_a_stale_version_is_refused_and_nothing_changes(api, saved):
    assert_error(
        api.put_json(SETTINGS, {"version": saved.version + 1, **CHANGE}), 409, "stale_edit"
    )
    assert ComplianceSettings.objects.get().reminder_lead_days == "5,2,1"


@pytest.mark.parametrize(
    ("sent", "fields"),
    [
        ({"reminder_lead_days": [0]}, {"reminder_lead_days.0"}),
        ({"reminder_lead_days": [5, 61]}, {"reminder_lead_days.1"}),
        ({"reminder_lead_days": []}, {"reminder_lead_days"}),
        ({"expiry_alert_days": [366]}, {"expiry_alert_days.0"}),
        ({"expiry_alert_days": list(range(1, 12))}, {"expiry_alert_days"}),
        ({"expiry_alert_days": "90,60"}, {"expiry_alert_days"}),
        ({"version": -1}, {"version"}),
    ],
)
def test_bad_settings_are_refused_by_name(api, saved, sent, fields):
    error = assert_error(api.put_json(SETTINGS, {"version": saved.version, **CHANGE, **sent}), 422)
    assert {field["field"] for field in error["fields"]} == fields
    assert ComplianceSettings.objects.get().version == saved.version


def test_level_2_users_read_them_but_cannot_change_them(api_as, level2, saved):
    client = api_as(level2)
    assert client.get(SETTINGS).status_code == 200
    assert_error(
        client.put_json(SETTINGS, {"version": saved.version, **CHANGE}), 403, "not_permitted"
    )
    assert ComplianceSettings.objects.get().version == saved.version


def test_another_sponsors_settings_are_their_own(api, other_level1, saved):
    compliance_settings_save(
        actor=other_level1,
        reminder_lead_days="20",
        expiry_alert_days="30",
        version=None,
        ip=None,
    )
    assert api.get(SETTINGS).json()["reminder_lead_days"] == [5, 2, 1]
    assert api.put_json(SETTINGS, {"version": saved.version, **CHANGE}).status_code == 200
    other = ComplianceSettings.objects.get(sponsor=other_level1.sponsor)
    assert other.reminder_lead_days == "20"


def test_caseworkers_have_no_reminder_settings(casework_api):
    assert_error(casework_api.get(SETTINGS), 403, "not_permitted")
    assert_error(casework_api.get(PREFERENCE), 403, "not_permitted")


# Each user's choice


@pytest.mark.parametrize("who", ["level1", "level2"])
def test_each_user_chooses_immediate_e_mails_or_a_daily_digest(request, api_as, who):
    user = request.getfixturevalue(who)
    client = api_as(user)
    assert client.get(PREFERENCE).json() == {
        "mode": "IMMEDIATE",
        "mode_name": "An e-mail for each reminder",
    }
    response = client.put_json(PREFERENCE, {"mode": "DIGEST"})
    assert response.status_code == 200, response.content
    assert response.json() == {"mode": "DIGEST", "mode_name": "One e-mail a day listing them all"}
    assert client.get(PREFERENCE).json()["mode"] == "DIGEST"
    assert ReminderPreference.objects.get().user == user
    assert AuditEvent.objects.filter(verb=AuditVerb.COMPLIANCE_SETTINGS_CHANGED).count() == 1


def test_one_users_choice_is_not_anothers(api_as, level1, level2):
    api_as(level1).put_json(PREFERENCE, {"mode": "DIGEST"})
    assert api_as(level2).get(PREFERENCE).json()["mode"] == "IMMEDIATE"


@pytest.mark.parametrize("sent", [{"mode": "WEEKLY"}, {}, {"mode": "DIGEST", "extra": 1}])
def test_a_bad_choice_is_refused_by_name(api, sent):
    error = assert_error(api.put_json(PREFERENCE, sent), 422, "invalid_request")
    assert error["fields"]
    assert {f["field"] for f in error["fields"]} <= {"mode", "extra"}
    assert not ReminderPreference.objects.exists()
