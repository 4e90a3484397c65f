"""Journeys through the certificate pages in a real browser, each page checked for
accessibility: a Level 2 user creates a certificate of sponsorship, meets the missing fields on
the check page, completes it, assigns it and prints it; the Level 1 user transfers it; a
caseworker marks it used. A Level 1 user finds a certificate by passport number and adds a
sponsor note that the history then shows; fills a batch from a list of names; applies for a
defined certificate, which a caseworker grants."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from sponsorship.certificates.models import Certificate, CertificateKind, CertificateStatus
from sponsorship.licences.demo import DEMO_PASSWORD

from .conftest import (
    check_accessibility,
    read_unread_messages,
    sign_in,
    submit_password,
)

pytestmark = [pytest.mark.browser, pytest.mark.one_pass, pytest.mark.xdist_group("browser")]

NUMBER = re.compile(r"^C[0-9A-HJ-NP-Z]{10}$")
NEW_PASSWORD = "Harbour#Rota2026"


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def sign_in_first_time(page: Page, user_id: str) -> None:
    """The demo's Level 2 user must replace the password they were sent at first sign-in."""
    mail.outbox.clear()
    page.goto("/sign-in/")
    submit_password(page, user_id, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a new password")
    check_accessibility(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("alert")).to_contain_text("Your password has been changed.")
    read_unread_messages(page)


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def open_section(page: Page, title: str) -> None:
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check_accessibility(page)


def save_section(page: Page, title: str) -> None:
    page.get_by_role("button", name="Save and return to the draft").click()
    expect(page.get_by_role("alert")).to_contain_text(f"{title}: saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft certificate for Amara Okafor")


def task_status(page: Page, title: str) -> Locator:
    return page.locator(".govuk-task-list__item").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )


def summary_value(page: Page, key: str) -> Locator:
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(rf"^{re.escape(key)}$"))
    )
    return row.locator(".govuk-summary-list__value").first


def test_level2_creates_and_assigns_level1_transfers_caseworker_marks_used(
    page: Page, demo
) -> None:
    today = timezone.localdate()
    start = today + timedelta(days=30)

    # ---- The Level 2 user starts a draft: the first page asks for three things.
    sign_in_first_time(page, "PRAMAN01")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Priya")
    page.get_by_role("link", name="Create and assign a certificate of sponsorship").click()
    expect(page).to_have_url(re.compile(r"/certificates/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a certificate of sponsorship")
    check_accessibility(page)
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select what the certificate is for")
    expect(summary).to_contain_text("Enter the worker's family name")
    check_accessibility(page)

    page.get_by_label("Skilled Worker", exact=True).check()
    page.get_by_label("Change of employment to your organisation").check()
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_role("button", name="Save and continue").click()

    expect(page).to_have_url(re.compile(r"/certificates/\d+/draft/$"))
    certificate_id = int(re.findall(r"/certificates/(\d+)/draft/", page.url)[0])
    expect(page.get_by_role("alert")).to_contain_text("Draft saved for Okafor.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft certificate for Okafor")
    expect(page.locator("main")).to_contain_text("You have completed 0 of 7 sections")
    expect(task_status(page, "Personal information")).to_contain_text("Incomplete")
    expect(task_status(page, "Main work address in the UK")).to_contain_text("Not yet started")
    check_accessibility(page)

    # ---- Most sections, leaving out the sex, the work address, the salary and its period.
    open_section(page, "Personal information")
    page.get_by_label("Given names").fill("Amara")
    page.get_by_label("Nationality").select_option("NGA")
    page.get_by_label("Place of birth").fill("Enugu")
    page.get_by_label("Country of birth").select_option("NGA")
    fill_date(page, "Date of birth", date(1991, 4, 17))
    page.get_by_label("Country of residence").select_option("GBR")
    save_section(page, "Personal information")
    expect(task_status(page, "Personal information")).to_contain_text("Incomplete")
    check_accessibility(page)

    open_section(page, "Passport or travel document")
    page.get_by_label("Passport or travel document number").fill("A09876543")
    fill_date(page, "Passport issue date", today - relativedelta(years=2))
    fill_date(page, "Passport expiry date", today + relativedelta(years=8))
    page.get_by_label("Passport place of issue").fill("Abuja")
    save_section(page, "Passport or travel document")
    expect(task_status(page, "Passport or travel document")).to_contain_text("Completed")

    open_section(page, "Home address")
    page.get_by_label("Address line 1", exact=True).fill("Flat 4, 22 North Hill")
    page.get_by_label("Town or city").fill("Plymouth")
    page.get_by_label("Postcode or zip code").fill("PL4 8EX")
    page.get_by_label("Country", exact=True).select_option("GBR")
    save_section(page, "Home address")

    open_section(page, "Dates and hours of work")
    fill_date(page, "Start date", start)
    fill_date(page, "End date", start + relativedelta(years=3) - timedelta(days=1))
    page.get_by_label("Weekly working hours").fill("37.5")
    save_section(page, "Dates and hours of work")

    open_section(page, "Job and salary")
    page.get_by_label("Job title").fill("Deputy care home manager")
    page.get_by_label("SOC 2020 occupation code").fill("1232")
    page.get_by_label("Job description").fill(
        "Runs the home's day-to-day care with the registered manager: rotas, care plans, "
        "training and inspections."
    )
    page.get_by_label("D: job on the Immigration Salary List").check()
    page.get_by_label("I confirm the job is in an occupation the Skilled Worker route").check()
    page.get_by_label("I confirm the job is on the Immigration Salary List").check()
    page.get_by_label("I certify maintenance").check()
    page.get_by_label("Liable", exact=True).check()
    save_section(page, "Job and salary")
    expect(task_status(page, "Job and salary")).to_contain_text("Incomplete")

    open_section(page, "PAYE reference")
    page.get_by_label("PAYE reference", exact=True).select_option("475/HV12345")
    save_section(page, "PAYE reference")
    expect(task_status(page, "PAYE reference")).to_contain_text("Completed")

    # ---- The check page names every missing field and offers no way to assign.
    page.get_by_role("button", name="Check and assign").click()
    expect(page).to_have_url(re.compile(rf"/certificates/{certificate_id}/check/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before assigning")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("Before you can assign this certificate")
    for missing in (
        "Select the worker's sex: female, male or unspecified",
        "Enter the main work address in the UK, or pick one of your work addresses",
        "Enter the postcode of the main work address",
        "Select which part of the UK the main work address is in",
        "Enter the gross salary in pounds, like 35000 or 35000.99",
        "Select what the salary is for: each year, month, week or hour",
    ):
        expect(summary.get_by_role("link", name=missing)).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Check your answers"))
    expect(page.get_by_role("button", name="Assign certificate")).to_have_count(0)
    # Skilled Worker: 12 this year, 7 used before the demo's four assignments, 1 remaining.
    expect(summary_value(page, "Remaining now")).to_have_text("1 of 12")
    expect(page.locator("main")).to_contain_text("The salary is checked once the occupation code")
    check_accessibility(page)

    # Each error links to its question, where the problem is shown on the field.
    summary.get_by_role("link", name="Select the worker's sex").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personal information")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the worker's sex")
    expect(page.get_by_role("group", name="Sex")).to_contain_text("Error: Select the worker's sex")
    check_accessibility(page)
    page.get_by_label("Female").check()
    save_section(page, "Personal information")
    expect(task_status(page, "Personal information")).to_contain_text("Completed")

    open_section(page, "Main work address in the UK")
    addresses = page.get_by_label("Choose one of your work addresses")
    wa0001 = addresses.locator("option", has_text="WA0001").get_attribute("value")
    assert wa0001
    addresses.select_option(wa0001)
    save_section(page, "Main work address in the UK")
    expect(task_status(page, "Main work address in the UK")).to_contain_text("Completed")

    open_section(page, "Job and salary")
    page.get_by_label("Gross salary").fill("41,000")
    page.get_by_label("Year", exact=True).check()
    page.get_by_role("button", name="Save and return to the draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the gross salary in pounds, like 35000 or 35000.99, with no commas"
    )
    check_accessibility(page)
    page.get_by_label("Gross salary").fill("41000")
    save_section(page, "Job and salary")
    for section in ("Personal information", "Job and salary", "Main work address in the UK"):
        expect(task_status(page, section)).to_contain_text("Completed")
    check_accessibility(page)

    # ---- Now the check passes: the salary, the charges and the allocation, then assign.
    page.get_by_role("button", name="Check and assign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before assigning")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Meets the salary requirement")
    expect(summary_value(page, "Salary offered")).to_have_text("£41,000.00 for each year")
    expect(summary_value(page, "Remaining now")).to_have_text("1 of 12")
    check_accessibility(page)
    page.get_by_role("button", name="Assign certificate").click()

    expect(page).to_have_url(re.compile(rf"/certificates/{certificate_id}/$"))
    certificate = Certificate.objects.get(pk=certificate_id)
    number = certificate.number
    assert number and NUMBER.match(number), number
    assert certificate.use_by is not None
    expect(page.get_by_role("alert")).to_contain_text(
        f"Certificate {number} is assigned. Give the number to Amara Okafor"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Certificate {number}")
    expect(summary_value(page, "Status")).to_have_text("Assigned")
    expect(summary_value(page, "Use by")).to_contain_text(
        f"{certificate.use_by.day} {certificate.use_by:%B %Y}"
    )
    expect(summary_value(page, "Owner")).to_have_text("Priya Raman (PRAMAN01)")
    # A Level 2 user cannot give the certificate away.
    expect(page.get_by_role("link", name="Transfer to another user")).to_have_count(0)
    check_accessibility(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Print this certificate").click()
    download = download_info.value
    assert download.suggested_filename == f"{number}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    sign_out(page)

    # ---- The Level 1 user finds it by its number and transfers it to themselves.
    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    page.get_by_role("link", name="Search for a certificate of sponsorship").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a certificate")
    check_accessibility(page)
    page.get_by_label("Certificate number or passport number").fill(number.lower())
    page.get_by_role("button", name="Search").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Certificate {number}")
    expect(summary_value(page, "Owner")).to_have_text("Priya Raman (PRAMAN01)")
    check_accessibility(page)
    page.get_by_role("link", name="Transfer to another user").click()
    expect(page).to_have_url(re.compile(rf"/certificates/{certificate_id}/transfer/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Transfer to another user")
    expect(page.get_by_label(re.compile(r"Priya Raman"))).to_have_count(0)
    check_accessibility(page)
    page.get_by_role("button", name="Transfer the certificate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select who should own this certificate"
    )
    check_accessibility(page)
    page.get_by_label(re.compile(r"^Zoë Hartley \(ZHARTLEY1")).check()
    page.get_by_role("button", name="Transfer the certificate").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Certificate {number} now belongs to Zoë Hartley."
    )
    expect(summary_value(page, "Owner")).to_have_text("Zoë Hartley (ZHARTLEY1)")
    check_accessibility(page)
    sign_out(page)

    # ---- A caseworker finds it among every sponsor's certificates and marks it used.
    sign_in(page, "CWHADDAD1", DEMO_PASSWORD)
    page.get_by_role("link", name="Find a certificate by its number").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a certificate")
    check_accessibility(page)
    page.get_by_label("Certificate number or passport number").fill(number)
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("table")
    expect(results.locator("caption")).to_have_text(f"1 certificate found for {number}")
    expect(results).to_contain_text("Harbour View Care Ltd")
    check_accessibility(page)
    results.get_by_role("link", name=number).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Certificate {number}")
    expect(summary_value(page, "Status")).to_have_text("Assigned")
    expect(summary_value(page, "Worker")).to_have_text("Amara Okafor")
    expect(page.get_by_role("table")).to_contain_text("Ownership transferred")
    check_accessibility(page)
    page.get_by_role("button", name="Mark as used").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Mark certificate {number} as used")
    check_accessibility(page)
    page.get_by_role("button", name="Mark as used").click()

    expect(page.get_by_role("alert")).to_contain_text(f"Certificate {number} is marked as used.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Certificate {number}")
    expect(summary_value(page, "Status")).to_have_text("Used")
    expect(summary_value(page, "Application outcome")).to_have_text("Not yet recorded")
    expect(page.get_by_role("button", name="Mark as used")).to_have_count(0)
    expect(page.get_by_role("table")).to_contain_text("Used in an application")
    check_accessibility(page)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.USED


def test_level1_finds_a_certificate_by_passport_and_adds_a_note(page: Page, demo) -> None:
    # Abena Mensah's certificate, assigned by the demo and still unused.
    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Search for a certificate of sponsorship").click()
    check_accessibility(page)
    page.get_by_label("Certificate number or passport number").fill("g301 2785")
    page.get_by_role("button", name="Search").first.click()

    number = Certificate.objects.get(passport_number="G3012785").number
    assert number
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Certificate {number}")
    expect(summary_value(page, "Worker")).to_have_text("Abena Mensah")
    expect(summary_value(page, "Status")).to_have_text("Assigned")
    expect(summary_value(page, "Sponsor note")).to_have_text("No note")
    check_accessibility(page)

    page.get_by_role("link", name="Add a note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a note")
    check_accessibility(page)
    note = "Start date moved back two weeks: the worker's notice period is longer."
    page.get_by_label("Sponsor note").fill(note)
    page.get_by_role("button", name="Save the note").click()

    expect(page.get_by_role("alert")).to_contain_text(
        f"The note on certificate {number} was added."
    )
    expect(summary_value(page, "Sponsor note")).to_have_text(note)
    expect(page.get_by_role("link", name="Amend the note")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="See the status and activity history").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Status and activity history of certificate {number}"
    )
    noted = page.get_by_role("row").filter(has_text="Sponsor note added")
    expect(noted).to_contain_text("Zoë Hartley (ZHARTLEY1)")
    expect(noted).to_contain_text(note)
    check_accessibility(page)


def test_a_batch_is_filled_from_a_list_of_names_and_assigned(page: Page, demo) -> None:
    """Level 1: start a batch, add drafts for two workers based on an assigned certificate,
    assign: both are refused with what each lacks, each page accessible."""
    source = Certificate.objects.filter(
        kind=CertificateKind.COS, status=CertificateStatus.ASSIGNED
    ).first()
    assert source is not None and source.number
    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    page.get_by_role("link", name="Batches and Creative Worker groups").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Batches and groups")
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Start a batch or group").click()
    check_accessibility(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for it")
    check_accessibility(page)
    page.get_by_label("Name").fill("Spring intake")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring intake")
    check_accessibility(page)
    page.get_by_label("Family names of the workers").fill("Adeyemi\nBrennan")
    page.get_by_label("Base them on a certificate (optional)").fill(source.number.lower())
    page.get_by_role("button", name="Add the drafts").click()
    expect(page.get_by_role("alert")).to_contain_text("2 drafts added.")
    table = page.get_by_role("table", name="Certificates")
    expect(table).to_contain_text("Adeyemi")
    expect(table).to_contain_text("Brennan")
    check_accessibility(page)
    page.get_by_role("button", name="Assign the ready certificates").click()
    expect(page.get_by_text("0 assigned, 2 not assigned.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Select the worker's nationality")
    check_accessibility(page)


def test_a_defined_certificate_is_applied_for_and_granted(page: Page, demo) -> None:
    """Level 1 applies for a defined certificate; the caseworker grants it in its queue; the
    sponsor starts a certificate under the grant. Each page accessible."""
    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Defined certificates of sponsorship").click()
    check_accessibility(page)
    page.get_by_role("button", name="Apply for a defined certificate").click()
    page.get_by_role("button", name="Send the application").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the job title")
    check_accessibility(page)
    page.get_by_label("Job title").fill("Deputy care home manager")
    page.get_by_label("SOC 2020 occupation code").fill("1232")
    page.get_by_label("Gross annual salary in pounds").fill("42000")
    page.get_by_label("Weekly working hours").fill("37.5")
    fill_date(page, "When does the job start?", timezone.localdate() + timedelta(days=40))
    page.get_by_label("How many workers do you need for this job?").fill("2")
    page.get_by_label("Why do you need to recruit from abroad for this job?").fill(
        "Advertised for eight weeks with no suitable applicant."
    )
    page.get_by_role("button", name="Send the application").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^DCS\d{8}$"))
    check_accessibility(page)
    reference = heading.inner_text()
    sign_out(page)

    sign_in(page, "CWHADDAD1", DEMO_PASSWORD)
    page.goto("/casework/")
    with page.expect_navigation():
        page.get_by_role("link", name="Defined certificates").first.click()
    check_accessibility(page)
    page.get_by_role("link", name=reference).click()
    expect(page.locator("main")).to_contain_text("Deputy care home manager")
    check_accessibility(page)
    page.get_by_role("button", name="Assign to me").click()
    page.get_by_label("Grant", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()
    check_accessibility(page)
    sign_out(page)

    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    page.goto("/defined-certificates/")
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("0 of 2 assigned")
    with page.expect_navigation():
        row.get_by_role("link", name=reference).click()
    check_accessibility(page)
    page.get_by_label("The worker's family name, as in their passport").fill("Mensah")
    page.get_by_role("button", name="Start the certificate").click()
    expect(page.get_by_role("alert")).to_contain_text("A draft certificate for Mensah")
    check_accessibility(page)
