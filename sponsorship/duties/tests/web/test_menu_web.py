"""The home page's Workers and Compliance menus lead to the register, reports, duties, the
compliance dashboard and the reminder settings, each for whoever may use it."""

from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.web.support import text

ENTRIES = {
    "Sponsored workers": "/workers/register/",
    "Report migrant activity": "/workers/reports/",
    "Reporting duties": "/workers/duties/",
    "Compliance dashboard": "/compliance/",
    "Reminder settings": "/compliance/reminders/",
}


def test_level1_has_every_entry(web):
    html = web.get("/home/").content.decode()
    for label, url in ENTRIES.items():
        assert f'href="{url}">{label}</a>' in html


def test_level2_has_every_entry_but_the_reminder_settings(as_user, level2):
    html = as_user(level2).get("/home/").content.decode()
    for label, url in ENTRIES.items():
        if label == "Reminder settings":
            assert label not in html
        else:
            assert f'href="{url}">{label}</a>' in html


def test_reporting_stays_linked_while_the_licence_is_suspended(web, sponsor):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    html = web.get("/home/").content.decode()
    for label, url in ENTRIES.items():
        assert f'href="{url}">{label}</a>' in html
    assert "Not available while your licence is suspended." in text(web.get("/home/"))
