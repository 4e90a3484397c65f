"""A university's Level 1 user sends a Bulk Upload file in a real browser: a hostile file is
refused with a clear message, a good one is received, its progress is shown as the background
job works through it (records done, rejected, still to do), then the rejected records and the
results download; every page passes the accessibility checks."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from sponsorship.accounts.tests.factories import PASSWORD, Level1Factory
from sponsorship.bulk.models import BulkFile, BulkStatus
from sponsorship.bulk.services import bulk_file_process
from sponsorship.bulk.services import process as process_module
from sponsorship.bulk.services import receive as receive_module
from sponsorship.bulk.tests.files import BILLION_LAUGHS, DEFECTS, applicant, bad, upload_file
from sponsorship.bulk.xmlfiles import schema
from sponsorship.licences.models import Route
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory

from .conftest import check_accessibility, save_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_pass, pytest.mark.xdist_group("browser")]


def students(count: int) -> bytes:
    """`count` students ready to assign today, the 7th and 20th bad."""
    start = timezone.localdate() + timedelta(days=60)
    dates = {
        "CourseStartDate": start.isoformat(),
        "CourseEndDate": (start + timedelta(days=360)).isoformat(),
    }
    records = []
    for n in range(1, count + 1):
        record = applicant(n, **dates)
        if n == 7:
            record = bad(n, DEFECTS[18]).values | dates  # no course title
        if n == 20:
            record = applicant(n, **dates, EnglishLevel="B1")
        records.append(record)
    return upload_file(records)


def run_job(job: tuple[int, str]) -> None:
    """What the queue does with a job: the file's id and the token of the job."""
    bulk_file_id, token = job
    bulk_file_process(bulk_file_id=bulk_file_id, token=token)


def test_send_a_file_watch_its_progress_and_download_the_results(
    page: Page, transactional_db, settings, monkeypatch, tmp_path: Path
) -> None:
    sponsor = SponsorFactory(name="University of the North Sea", routes=[Route.STUDENT])
    AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=100, used=0)
    Level1Factory(sponsor=sponsor, username="BULKLEVEL1")
    settings.MEDIA_ROOT = tmp_path / "uploads"
    # Jobs run when the test says, 25 records each, so the page can be seen part-way.
    settings.BULK_JOB_SECONDS = 0
    queued: list[tuple[int, str]] = []
    monkeypatch.setattr(receive_module, "enqueue", lambda *job: queued.append(job))
    monkeypatch.setattr(process_module, "enqueue", lambda *job: queued.append(job))

    sign_in(page, "BULKLEVEL1", PASSWORD)
    page.goto("/bulk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bulk data transfer")
    expect(page.locator("main")).to_contain_text("You have not sent any bulk files yet.")
    check_accessibility(page)

    page.get_by_role("button", name="Send a bulk file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send a bulk file")
    check_accessibility(page)
    hostile = tmp_path / "lol.xml"
    hostile.write_bytes(BILLION_LAUGHS)
    page.get_by_label("Upload a bulk file").set_input_files(str(hostile))
    page.get_by_role("button", name="Send the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "lol.xml contains a DOCTYPE or ENTITY declaration"
    )
    check_accessibility(page)

    good = tmp_path / "students.xml"
    good.write_bytes(students(60))
    page.get_by_label("Upload a bulk file").set_input_files(str(good))
    page.get_by_role("button", name="Send the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ABDN-2026-11-16-01")
    expect(page.get_by_role("status")).to_have_text("Waiting to start: 60 records to process.")
    check_accessibility(page)
    bulk_file = BulkFile.objects.get()

    # The first job does 25 records and hands over: the page shows it without reloading.
    run_job(queued.pop(0))
    expect(page.get_by_role("status")).to_have_text(
        "25 of 60 records processed: 23 created, 0 already done before, 2 rejected, 35 still to do."
    )
    check_accessibility(page)

    while queued:
        run_job(queued.pop(0))
    assert BulkFile.objects.get(pk=bulk_file.pk).status == BulkStatus.DONE
    # Finished: the page reloads itself with the results.
    expect(page.get_by_role("table")).to_contain_text("Rejected records: 2", timeout=15_000)
    created = page.locator(".govuk-summary-list__row", has_text="CAS created and assigned")
    expect(created).to_contain_text("58")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Enter the course title")
    expect(table).to_contain_text(
        "The English level is B1: a degree-level course needs at least B2"
    )
    check_accessibility(page)
    save_screenshot(page, "bulk-file-results.png")

    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Download the results as XML").click()
    document = etree.parse(downloaded.value.path()).getroot()
    assert schema().validate(document)
    assert len(document.findall(f"{{{document.nsmap[None]}}}RecordResult")) == 60
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Download the results as CSV").click()
    assert Path(downloaded.value.path()).read_text(encoding="utf-8-sig").count("\n") == 61

    page.get_by_role("link", name="Back to bulk data transfer").click()
    expect(page.get_by_role("table")).to_contain_text("ABDN-2026-11-16-01")
    expect(page.get_by_role("table")).to_contain_text("Processed, with rejections")
    check_accessibility(page)
    page.get_by_role("link", name="Export your CAS numbers and statuses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Export your CAS numbers and statuses"
    )
    check_accessibility(page)
