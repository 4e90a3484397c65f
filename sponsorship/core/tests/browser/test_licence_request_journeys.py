"""Journeys through the sponsor's request pages in a real browser, each page checked for
accessibility: reporting a change with evidence (and its errors), following it under Your
requests, allocations, action plans and the Premium and Student Sponsor status page."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sponsorship.licences.demo import DEMO_PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_pass, pytest.mark.xdist_group("browser")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def test_level1_reports_a_change_with_evidence_and_follows_it(
    page: Page, demo, tmp_path: Path
) -> None:
    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    page.get_by_role("link", name="Request changes to licence details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a change of circumstances")
    check_accessibility(page)

    renamed = tmp_path / "minutes.pdf"
    renamed.write_bytes(b"MZ\x90\x00" + b"\x00" * 64)
    page.get_by_label("Substantial change of business").check()
    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Describe the change").fill("We now run a domiciliary care service too.")
    page.get_by_label("Evidence (optional)").set_input_files(str(renamed))
    page.get_by_label("Your full name").fill("Zoë Hartley")
    page.get_by_label("Your position in the organisation").fill("Registered Manager")
    page.get_by_role("button", name="Send the change").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The date of the change must be a real date")
    expect(summary).to_contain_text("minutes.pdf does not look like a PDF file.")
    check_accessibility(page)

    good = tmp_path / "board-minutes.pdf"
    good.write_bytes(b"%PDF-1.7\n%%EOF\n")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Evidence (optional)").set_input_files(str(good))
    page.get_by_role("button", name="Send the change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change of circumstances sent")
    check_accessibility(page)

    page.get_by_role("link", name="Your requests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your requests")
    check_accessibility(page)
    page.get_by_role("row").filter(has_text="Substantial change of business").get_by_role(
        "link"
    ).click()
    expect(page.get_by_role("link", name="board-minutes.pdf")).to_be_visible()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Withdraw this request").click()
    check_accessibility(page)
    page.get_by_role("button", name="Withdraw the request").click()
    expect(page.get_by_role("alert")).to_contain_text("You withdrew request")


def test_level1_looks_at_allocations_and_status(page: Page, demo) -> None:
    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    page.get_by_role("link", name="Request or renew allocations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocations")
    check_accessibility(page)
    page.get_by_role("button", name="Request an increase").click()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter how many certificates you need")
    check_accessibility(page)

    page.goto("/home/")
    page.get_by_role("link", name="Premium customer service and Student Sponsor status").click()
    expect(page.get_by_role("button", name="Apply for Student Sponsor status")).to_be_disabled()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Apply for Premium customer service").click()
    check_accessibility(page)
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Premium customer service sent")


def test_a_b_rated_sponsor_answers_its_action_plan(page: Page, demo) -> None:
    sign_in(page, "AKELLY01", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Action plans", exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name="Skilled Worker").click()
    expect(page.get_by_text("£1,579").first).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Decline the action plan").click()
    expect(page.get_by_text("the Home Office may revoke your licence")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Go back").click()
    page.get_by_label("Payment reference").fill("BWL-ACTION-0001")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_role("alert")).to_contain_text("You recorded the payment")
    check_accessibility(page)
