"""Full-page pictures of the home page each kind of demo sponsor sees, a licence summary, a
certificate (its draft task list, the check before assigning, an assigned one) and the casework
pages (a sponsor, a queue, a request, a certificate), the compliance dashboard, the worker
register, a worker and a duty, a university's CAS (a draft's check, an assigned one), its
student register and a student, for docs/screenshots/ (test_bulk_journey.py adds a bulk file's
results). Each is taken after the real sign-in steps."""

import re

import pytest
from playwright.sync_api import Page, expect

from sponsorship.certificates.models import Certificate
from sponsorship.licences.demo import DEMO_PASSWORD

from .conftest import check_accessibility, save_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_pass, pytest.mark.xdist_group("browser")]

SPONSORS = [
    ("harbour-view-care", "ZHARTLEY1", "Harbour View Care Ltd", "Active"),
    ("university-of-glenmoor", "ECAMPBELL1", "University of Glenmoor", "Active"),
    ("lantern-street-touring-theatre", "REVANS01", "Lantern Street Touring Theatre", "Active"),
    ("brightwell-logistics", "AKELLY01", "Brightwell Logistics Ltd", "Suspended"),
]


@pytest.mark.parametrize(
    ("slug", "user_id", "sponsor", "status"), SPONSORS, ids=[row[0] for row in SPONSORS]
)
def test_home_page(page: Page, demo, slug: str, user_id: str, sponsor: str, status: str) -> None:
    sign_in(page, user_id, DEMO_PASSWORD)

    expect(page.locator(".govuk-caption-l")).to_contain_text(sponsor)
    expect(page.locator("main .govuk-tag")).to_have_text(status)
    if status == "Suspended":
        expect(page.get_by_role("region", name="Important")).to_contain_text(
            "Your licence is suspended."
        )
    # The GOV.UK styles must have loaded, or the picture shows unstyled HTML.
    expect(page.locator(".govuk-service-navigation")).to_have_css(
        "background-color", "rgb(244, 248, 251)"
    )
    expect(page.locator("h1")).to_have_css("font-family", "arial, sans-serif")
    check_accessibility(page)
    save_screenshot(page, f"home-{slug}.png")


def test_casework_sponsor_page(page: Page, demo) -> None:
    sign_in(page, "CWHADDAD1", DEMO_PASSWORD)
    page.get_by_label("Licence number or organisation name").fill("University of Glenmoor")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="University of Glenmoor").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("University of Glenmoor")
    expect(page.get_by_role("table", name="Users").get_by_role("row")).to_have_count(5)
    check_accessibility(page)
    save_screenshot(page, "casework-sponsor-university-of-glenmoor.png")


def test_licence_summary(page: Page, demo) -> None:
    sign_in(page, "ECAMPBELL1", DEMO_PASSWORD)
    page.get_by_role("link", name="Licence summary").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("2,400")  # the Student allocation
    check_accessibility(page)
    save_screenshot(page, "licence-summary-university-of-glenmoor.png")


def test_casework_queue_and_request(page: Page, demo) -> None:
    sign_in(page, "CWHADDAD1", DEMO_PASSWORD)
    page.get_by_role("link", name="Allocations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocations")
    check_accessibility(page)
    save_screenshot(page, "casework-queue-allocations.png")
    page.get_by_role("link", name="R", exact=False).filter(has_text="R0").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Allocation increase")
    check_accessibility(page)
    save_screenshot(page, "casework-request-allocation-increase.png")


def test_certificate_draft_and_check(page: Page, demo) -> None:
    # The demo's half-done draft of the Level 2 user; a Level 1 user sees every draft.
    draft = Certificate.objects.get(family_name="Kowalczyk")
    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    page.goto(f"/certificates/{draft.pk}/draft/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Draft certificate for Łukasz Kowalczyk"
    )
    check_accessibility(page)
    save_screenshot(page, "certificate-draft-task-list.png")
    page.get_by_role("button", name="Check and assign").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the passport number")
    check_accessibility(page)
    save_screenshot(page, "certificate-draft-check.png")


def test_certificate_page(page: Page, demo) -> None:
    # Abena Mensah's certificate, assigned by the demo: found by her passport number.
    number = Certificate.objects.get(passport_number="G3012785").number
    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    page.get_by_role("link", name="Search for a certificate of sponsorship").click()
    page.get_by_label("Certificate number or passport number").fill("G3012785")
    page.get_by_role("button", name="Search").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Certificate {number}")
    expect(page.locator("main")).to_contain_text("Abena Mensah")
    check_accessibility(page)
    save_screenshot(page, "certificate-assigned.png")


def test_casework_certificate_page(page: Page, demo) -> None:
    number = Certificate.objects.get(passport_number="G3012785").number
    assert number
    sign_in(page, "CWHADDAD1", DEMO_PASSWORD)
    page.get_by_role("link", name="Find a certificate by its number").click()
    page.get_by_label("Certificate number or passport number").fill("G3012785")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("table").get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Certificate {number}")
    expect(page.get_by_role("button", name="Mark as used")).to_be_visible()
    check_accessibility(page)
    save_screenshot(page, "casework-certificate-assigned.png")


def test_compliance_pages(page: Page, demo) -> None:
    """Harbour View Care's dashboard (a report due for the demo's absent worker), its register,
    the worker's page and the duty."""
    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    page.get_by_role("link", name="Compliance dashboard").click()
    expect(page.get_by_test_id("score")).to_be_visible()
    expect(page.locator("main")).to_contain_text("How the score is worked out")
    check_accessibility(page)
    save_screenshot(page, "compliance-dashboard.png")
    page.goto("/workers/register/")
    expect(page.locator("main")).to_contain_text("Okonkwo")
    check_accessibility(page)
    save_screenshot(page, "worker-register.png")
    page.get_by_role("link", name=re.compile("Okonkwo")).first.click()
    expect(page.locator("main")).to_contain_text("Absent without permission since")
    check_accessibility(page)
    save_screenshot(page, "worker-page.png")
    page.goto("/workers/duties/")
    page.get_by_role("row").filter(has_text="Okonkwo").get_by_role("link").first.click()
    expect(page.get_by_role("button", name="Report it now")).to_be_visible()
    check_accessibility(page)
    save_screenshot(page, "duty-page.png")


def test_cas_pages(page: Page, demo) -> None:
    """The University of Glenmoor's CAS: the Level 2 user's draft, whose English is too low for
    a master's course, and an assigned CAS found by the student ID."""
    draft = Certificate.objects.get(family_name="Haddad")
    sign_in(page, "ECAMPBELL1", DEMO_PASSWORD)
    page.goto(f"/cas/{draft.pk}/check/")
    expect(page.locator(".govuk-error-summary")).to_contain_text("B1")
    check_accessibility(page)
    save_screenshot(page, "cas-draft-check.png")
    page.goto("/home/")
    page.get_by_role("link", name="Search for a CAS").click()
    page.get_by_label("CAS number, passport number or student ID").fill("G2026-1002")
    page.get_by_role("button", name="Search").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CAS ")
    expect(page.locator("main")).to_contain_text("Chinedu Okafor")
    check_accessibility(page)
    save_screenshot(page, "cas-assigned.png")


def test_student_pages(page: Page, demo) -> None:
    """Glenmoor's student register (the student whose CAS was used) and that student's page."""
    sign_in(page, "ECAMPBELL1", DEMO_PASSWORD)
    page.get_by_role("link", name="Sponsored students").click()
    expect(page.locator("main")).to_contain_text("Liu")
    check_accessibility(page)
    save_screenshot(page, "student-register.png")
    page.get_by_role("link", name=re.compile("Liu")).first.click()
    expect(page.locator("main")).to_contain_text("Contact details")
    check_accessibility(page)
    save_screenshot(page, "student-page.png")
