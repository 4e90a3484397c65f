"""The sponsor's reminder settings (Level 1) and each user's choice of immediate or daily
digest e-mails."""

import pytest

from sponsorship.core.errors import StaleEdit
from sponsorship.duties.models import ComplianceSettings, ReminderMode, ReminderPreference
from sponsorship.duties.selectors import compliance_settings_for_user
from sponsorship.duties.services import compliance_settings_save
from sponsorship.licences.tests.web.support import field_error, text

SETTINGS = "/compliance/reminders/"
PREFERENCE = "/account/reminders/"


def settings_form(version: int, lead: str = "5, 2, 1", expiry: str = "90, 60, 30") -> dict:
    return {"version": str(version), "reminder_lead_days": lead, "expiry_alert_days": expiry}


def test_the_settings_show_the_defaults(web):
    response = web.get(SETTINGS)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="reminder_lead_days" type="text" value="5, 2, 1"' in html
    assert 'name="expiry_alert_days" type="text" value="90, 60, 30, 14, 7"' in html
    assert 'name="version" value="0"' in html


def test_saving_the_settings(web, sponsor):
    response = web.post(SETTINGS, settings_form(0, lead="10, 3", expiry="60, 30"))
    assert response.status_code == 302
    saved = ComplianceSettings.objects.get(sponsor=sponsor)
    assert (saved.reminder_lead_days, saved.expiry_alert_days) == ("10,3", "60,30")
    page = text(web.get(SETTINGS))
    assert "Your reminder settings were saved." in page
    assert "Last changed on 16 November 2026 by Zoë Hartley." in page
    html = web.get(SETTINGS).content.decode()
    assert 'name="reminder_lead_days" type="text" value="10, 3"' in html


def test_bad_settings_are_named_and_nothing_is_saved(web, sponsor):
    response = web.post(SETTINGS, settings_form(0, lead="five", expiry=""))
    assert response.status_code == 400
    assert field_error(response, "reminder_lead_days") == (
        "Error: “five” is not a whole number of working days from 1 to 60"
    )
    assert field_error(response, "expiry_alert_days") == (
        "Error: Enter at least one number of days, like 5, 2, 1"
    )
    html = response.content.decode()
    assert 'href="#id_reminder_lead_days"' in html
    assert 'href="#id_expiry_alert_days"' in html
    assert not ComplianceSettings.objects.filter(sponsor=sponsor).exists()


def test_a_stale_settings_form_is_refused(web, level1, sponsor):
    compliance_settings_save(
        actor=level1, reminder_lead_days="3", expiry_alert_days="30", version=None, ip=None
    )
    current = ComplianceSettings.objects.get(sponsor=sponsor).version
    response = web.post(SETTINGS, settings_form(current - 1 or 99))
    assert response.status_code == 409
    assert "Someone changed this since you opened it." in text(response)
    assert ComplianceSettings.objects.get(sponsor=sponsor).reminder_lead_days == "3"


def test_level2_users_cannot_change_the_sponsors_settings(as_user, level2):
    client = as_user(level2)
    assert client.get(SETTINGS).status_code == 403
    assert client.post(SETTINGS, settings_form(0)).status_code == 403


def test_the_first_save_with_the_version_first_read_is_not_stale(level1):
    read = compliance_settings_for_user(user=level1)
    try:
        compliance_settings_save(
            actor=level1,
            reminder_lead_days="5,2,1",
            expiry_alert_days="90",
            version=read.version,
            ip=None,
        )
    except StaleEdit:
        pytest.fail("the first save was refused as stale")


# ---------------------------------------------------------------- each user's choice


def test_each_user_chooses_immediate_or_digest(as_user, level2):
    client = as_user(level2)
    response = client.get(PREFERENCE)
    assert response.status_code == 200
    page = text(response)
    assert "How do you want to get reminders?" in page
    assert 'value="IMMEDIATE" checked' in response.content.decode()
    response = client.post(PREFERENCE, {"mode": "DIGEST"})
    assert response.status_code == 302
    assert ReminderPreference.objects.get(user=level2).mode == ReminderMode.DIGEST
    response = client.get(PREFERENCE)
    assert "Your choice of reminder e-mails was saved." in text(response)
    assert 'value="DIGEST" checked' in response.content.decode()


def test_no_choice_is_named(web, level1):
    response = web.post(PREFERENCE, {})
    assert response.status_code == 400
    assert field_error(response, "mode") == "Error: Select how you want to get reminders"
    assert 'href="#id_mode"' in response.content.decode()
    response = web.post(PREFERENCE, {"mode": "WEEKLY"})
    assert field_error(response, "mode") == "Error: Select how you want to get reminders"
    assert not ReminderPreference.objects.filter(user=level1).exists()
