"""A Level 1 user keeps a worker's records, is told what is wrong with a bad upload, records a
document as not needed, produces an evidence pack and reads the mock audit; every page passes
the accessibility checks."""

import pytest
from playwright.sync_api import Page, expect

from sponsorship.accounts.tests.factories import PASSWORD
from sponsorship.records.tests.support import EXE, PDF, sponsored

from .conftest import check_accessibility, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_pass, pytest.mark.xdist_group("browser")]


def test_records_evidence_pack_and_mock_audit(page: Page, level1, tmp_path) -> None:
    worker = sponsored(level1)
    sign_in(page, level1.username, PASSWORD)

    page.goto(f"/workers/register/{worker.pk}/records/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Records to keep")
    expect(page.locator(".govuk-task-list__status .govuk-tag--red")).to_have_count(9)
    check_accessibility(page)

    page.get_by_role("link", name="Right to work check").click()
    renamed = tmp_path / "passport.pdf"
    renamed.write_bytes(EXE)
    page.get_by_label("Upload a document").set_input_files(str(renamed))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("passport.pdf does not look like a PDF file")
    check_accessibility(page)

    good = tmp_path / "right-to-work.pdf"
    good.write_bytes(PDF)
    page.get_by_label("Upload a document").set_input_files(str(good))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("right-to-work.pdf is uploaded as version 1")
    expect(page.get_by_role("table")).to_contain_text("right-to-work.pdf")
    check_accessibility(page)

    page.get_by_role("link", name="Back to the records of").click()
    page.get_by_role("link", name="DBS check").click()
    page.get_by_role("button", name="Record that it is not needed").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why this document is not needed for this worker"
    )
    check_accessibility(page)
    page.get_by_label("Why is this document not needed for this worker?").fill(
        "An office role with no work with children or adults at risk."
    )
    page.get_by_role("button", name="Record that it is not needed").click()
    expect(page.locator(".govuk-task-list")).to_contain_text("Not needed")

    page.get_by_role("button", name="Produce an evidence pack for this worker").click()
    expect(page.get_by_role("heading", name="Your evidence pack is ready")).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as downloaded:
        page.get_by_role("button", name="Download the evidence pack").click()
    assert downloaded.value.suggested_filename.endswith(".zip")

    page.goto("/compliance/evidence-packs/")
    check_accessibility(page)
    page.goto("/compliance/mock-audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mock audit")
    expect(page.locator("main")).to_contain_text("The licence has no Authorising Officer")
    check_accessibility(page)
    page.goto("/compliance/records-to-delete/")
    check_accessibility(page)
