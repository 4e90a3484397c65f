"""Journeys across the sponsor and the Home Office: a Level 1 user is requested and approved,
an allocation increase is partly granted and shows on the licence summary, and a suspended
sponsor is told why it cannot request allocations."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from sponsorship.licences.demo import DEMO_PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_pass, pytest.mark.xdist_group("browser")]


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def decide(page: Page, reference: str, queue: str, outcome: str, **fields: str) -> None:
    """As the caseworker: open the queue, find the request, record the decision."""
    page.goto("/casework/")
    with page.expect_navigation():
        page.get_by_role("link", name=queue).first.click()
    check_accessibility(page)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    check_accessibility(page)
    page.get_by_role("button", name="Assign to me").click()
    page.get_by_label(outcome, exact=True).check()
    for label, value in fields.items():
        page.get_by_label(label.replace("_", " ")).fill(value)
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()
    check_accessibility(page)


def reference_on(page: Page) -> str:
    found = re.search(r"R\d{8}", page.locator("main").inner_text())
    assert found, "no request reference on the page"
    return found.group(0)


def test_a_level1_user_is_requested_then_approved_by_a_caseworker(page: Page, demo) -> None:
    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Manage Level 1 and Level 2 users").click()
    check_accessibility(page)
    page.get_by_role("button", name="Request a new Level 1 user").click()
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the user's given names")
    check_accessibility(page)
    page.get_by_label("Given names").fill("Nia")
    page.get_by_label("Family name").fill("Adeyemi")
    page.get_by_label("Personal work e-mail address").fill("nia.adeyemi@harbourview.example")
    page.get_by_label("Job title").fill("Deputy Manager")
    page.get_by_label("Work telephone number").fill("01752 000111")
    page.get_by_label("Work address: building and street").fill("14 Citadel Road")
    page.get_by_label("Work address: town or city").fill("Plymouth")
    page.get_by_label("Work address: postcode").fill("PL1 3DE")
    page.get_by_label("This user is a settled worker").check()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Request sent")
    check_accessibility(page)
    reference = reference_on(page)
    sign_out(page)

    sign_in(page, "CWHADDAD1", DEMO_PASSWORD)
    mail.outbox.clear()
    decide(page, reference, "Level 1 users", "Grant")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request granted")
    to_new_user = [m for m in mail.outbox if m.to == ["nia.adeyemi@harbourview.example"]]
    assert len(to_new_user) == 1 and "Temporary password" in to_new_user[0].body
    sign_out(page)

    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    page.get_by_role("link", name="Manage Level 1 and Level 2 users").click()
    row = page.get_by_role("row").filter(has_text="Nia Adeyemi")
    expect(row).to_contain_text("Active")


def test_an_allocation_increase_is_partly_granted_and_the_summary_shows_it(
    page: Page, demo
) -> None:
    # Harbour View Care: 12 Skilled Worker certificates this year, 11 used (7 before the
    # service, 3 demo certificates and the demo's worker who started in the spring), 1 left.
    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    page.get_by_role("link", name="Request or renew allocations").click()
    page.get_by_role("button", name="Request an increase").click()
    page.get_by_label("How many more certificates do you need?").fill("10")
    page.get_by_label("Why do you need them?").fill(
        "Ten senior carers for the new home opening in February."
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("sent")
    reference = reference_on(page)
    sign_out(page)

    sign_in(page, "CWHADDAD1", DEMO_PASSWORD)
    decide(
        page,
        reference,
        "Allocations",
        "Partly grant",
        **{"Number of certificates granted": "4", "Reasons": "Four roles are evidenced."},
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("partly granted", re.I))
    sign_out(page)

    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    page.get_by_role("link", name="Licence summary").click()
    allocations = page.get_by_role("table", name=re.compile("Allocations"))
    row = allocations.get_by_role("row").filter(has_text="Skilled Worker")
    # 12 + 4 = 16 allocated, 11 used, 5 remaining.
    expect(row).to_contain_text(re.compile(r"\b16\D+\b11\D+\b5\b"))
    check_accessibility(page)
    page.goto("/home/")
    page.get_by_role("link", name="Your requests").click()
    page.get_by_role("link", name=re.compile(r"^Decided")).click()
    decided = page.get_by_role("row").filter(has_text=reference)
    expect(decided).to_contain_text("Partly granted")
    check_accessibility(page)


def test_a_suspended_sponsor_sees_why_and_cannot_request_allocations(page: Page, demo) -> None:
    sign_in(page, "AKELLY01", DEMO_PASSWORD)
    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text("Your licence is suspended.")
    expect(banner).to_contain_text("Right to work checks were missing")
    check_accessibility(page)
    menu = page.locator("main")
    expect(menu.get_by_role("link", name="Request or renew allocations", exact=True)).to_have_count(
        0
    )
    expect(menu).to_contain_text("Not available while your licence is suspended.")

    response = page.goto("/licence/allocations/increase/")
    assert response is not None and response.status == 409
    expect(page.locator("main")).to_contain_text("Not available while your licence is suspended.")
    check_accessibility(page)
