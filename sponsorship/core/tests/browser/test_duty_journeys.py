"""The duty clock in a real browser, each page checked for accessibility: a Level 1 user records
11 working days of unauthorised absence for a worker, sees the duty with its due date, gets the
reminder e-mail (a file, as the embedded mode writes it), sends the report, and sees the duty
met and the compliance score go up."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sponsorship.accounts.tests.factories import PASSWORD
from sponsorship.core.sweep import daily_sweep
from sponsorship.core.workingdays import (
    add_working_days,
    is_working_day,
    nth_working_day_from,
    working_days_before,
)
from sponsorship.duties.fields import long_date
from sponsorship.duties.services import hr_event_record
from sponsorship.duties.tests.factories import sponsored_worker
from sponsorship.notifications.services import email_deliver_pending

from .conftest import check_accessibility, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_pass, pytest.mark.xdist_group("browser")]

ENGLAND = "ENG"


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def score(page: Page) -> int:
    page.goto("/compliance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance dashboard")
    check_accessibility(page)
    return int(page.get_by_test_id("score").inner_text())


def test_eleven_days_absent_raise_a_duty_a_reminder_and_a_report_meets_it(
    page: Page, level1, settings, tmp_path: Path
) -> None:
    # The service's own working-day arithmetic is tested against hand-counted tables; here the
    # dates follow today's, whatever day the journey runs.
    today = timezone.localdate()
    last_day = today if is_working_day(today, ENGLAND) else working_days_before(today, 1, ENGLAND)
    first_day = working_days_before(last_day, 10, ENGLAND)  # 11 working days, both counted
    due = add_working_days(nth_working_day_from(first_day, 10, ENGLAND), 10, ENGLAND)
    started = first_day - timedelta(days=120)
    worker = sponsored_worker(
        level1, start_date=started, family_name="Okonkwo", given_names="Chidi"
    )
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on=started)

    sign_in(page, level1.username, PASSWORD)
    before = score(page)

    page.goto("/home/")
    page.get_by_role("link", name="Sponsored workers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sponsored workers")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("Okonkwo")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chidi Okonkwo")
    check_accessibility(page)

    page.get_by_role("button", name="Record an event").click()
    page.get_by_label("Absence", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record: Absence")
    check_accessibility(page)
    # A mistake first: the last day before the first.
    fill_date(page, "First day of absence", first_day)
    page.get_by_label("Unauthorised absence").check()
    fill_date(page, "Last day of absence", first_day - timedelta(days=1))
    page.get_by_role("button", name="Record the event").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The last day of the absence must be on or after the first"
    )
    check_accessibility(page)
    fill_date(page, "Last day of absence", last_day)
    page.get_by_role("button", name="Record the event").click()
    expect(page.get_by_role("alert")).to_contain_text(f"You must report this by {long_date(due)}")
    check_accessibility(page)

    page.goto("/home/")
    page.get_by_role("link", name="Reporting duties").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reporting duties")
    duty_row = page.get_by_role("row").filter(has_text="Okonkwo")
    expect(duty_row).to_contain_text(long_date(due))
    check_accessibility(page)
    assert score(page) == before - 2  # a report waiting to be made

    # The daily sweep 5 working days before the due date: the reminder, as a file.
    mail_folder = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(mail_folder)
    daily_sweep(working_days_before(due, 5, ENGLAND))
    email_deliver_pending()
    files = list(mail_folder.glob("*.log"))
    assert len(files) == 1, "one reminder, to the only Level 1 user, who owns the certificate"
    reminder = files[0].read_text()
    assert f"To: {level1.email}" in reminder
    assert "Due soon: Unauthorised absence" in reminder
    assert f"Chidi Okonkwo ({worker.certificate.number})" in reminder
    assert f"due by {long_date(due)}" in reminder

    page.goto("/workers/duties/")
    page.get_by_role("row").filter(has_text="Okonkwo").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Unauthorised absence")
    check_accessibility(page)
    page.get_by_role("button", name="Report it now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report: Unauthorised absence of more than 10 working days"
    )
    check_accessibility(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("How have you tried to contact")
    check_accessibility(page)
    page.get_by_label("How have you tried to contact them?").fill(
        "Phoned daily from the second day; letter to his home address on the fifth day."
    )
    page.get_by_role("group", name="Will you continue to sponsor them?").get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your report"
    )
    expect(page.locator("main")).to_contain_text(long_date(due))
    check_accessibility(page)
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report sent")
    check_accessibility(page)

    page.goto("/workers/duties/?bucket=done")
    done = page.get_by_role("row").filter(has_text="Okonkwo")
    expect(done).to_contain_text("Reported")
    check_accessibility(page)
    assert score(page) == before
