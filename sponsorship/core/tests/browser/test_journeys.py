"""Journeys through the real pages in a real browser: signing in and its steps, the lockout,
the idle timeout, a forced password change, and a caseworker finding a sponsor."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from sponsorship.licences.demo import DEMO_PASSWORD

from .conftest import (
    check_accessibility,
    enter_passcode,
    read_unread_messages,
    sign_in,
    submit_password,
)

pytestmark = [pytest.mark.browser, pytest.mark.one_pass, pytest.mark.xdist_group("browser")]

LOCKED = "You cannot sign in at the moment"


def test_level1_reads_new_messages_then_reaches_home_menus(page: Page, demo) -> None:
    read = sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)

    assert read >= 1, "a Level 1 user with unread Home Office messages must read them first"
    expect(page).to_have_url(_at("/home/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Zoë")
    expect(page.get_by_text("Harbour View Care Ltd · licence HVC7Q2M4K")).to_be_visible()
    for section in ("Licence summary, applications and services", "Home Office messages"):
        expect(page.get_by_role("heading", level=2, name=section)).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Workers")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Students")).to_have_count(0)
    expect(page.get_by_role("link", name="Licence summary")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Licence summary").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_accessibility(page)


def test_three_wrong_passwords_lock_the_account(page: Page, demo) -> None:
    page.goto("/sign-in/")
    for _attempt in range(2):
        submit_password(page, "ZHARTLEY1", "Not-the-password-1")
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Enter a correct user ID and password")
        check_accessibility(page)

    submit_password(page, "ZHARTLEY1", "Not-the-password-1")
    assert page.locator("h1").inner_text() == LOCKED
    check_accessibility(page)

    mail.outbox.clear()
    page.goto("/sign-in/")
    submit_password(page, "ZHARTLEY1", DEMO_PASSWORD)
    assert page.locator("h1").inner_text() == LOCKED
    assert not mail.outbox, "a locked account must not be sent a passcode"
    page.goto("/home/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")


def test_idle_session_ends_and_sign_in_returns_to_the_page(page: Page, demo) -> None:
    sign_in(page, "ZHARTLEY1", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Zoë")

    later = timezone.now() + timedelta(minutes=settings.SESSION_IDLE_MINUTES, seconds=30)
    # The live server runs in a thread of this process, so it sees the same moved clock.
    with time_machine.travel(later, tick=True):
        page.goto("/licence/")
        expect(page).to_have_url(_at("/sign-in/"))
        banner = page.get_by_role("region", name="Important")
        expect(banner).to_contain_text(
            f"You were signed out because you did nothing for {settings.SESSION_IDLE_MINUTES} "
            "minutes."
        )
        check_accessibility(page)

        mail.outbox.clear()
        submit_password(page, "ZHARTLEY1", DEMO_PASSWORD)
        enter_passcode(page)
        assert read_unread_messages(page) == 0
        expect(page).to_have_url(_at("/licence/"))
        check_accessibility(page)


def test_first_sign_in_forces_a_strong_new_password(page: Page, demo) -> None:
    page.goto("/sign-in/")
    submit_password(page, "PRAMAN01", DEMO_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Create a new password")
    check_accessibility(page)
    page.get_by_label("New password", exact=True).fill("weak")
    page.get_by_label("Confirm new password").fill("weak")
    page.get_by_role("button", name="Save new password").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_contain_text("Password must be at least 12 characters long")
    expect(page).to_have_title(re.compile(r"^Create a new password \(error\) - "))
    check_accessibility(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("New password", exact=True)).to_be_focused()

    strong = "Harbour#Rota2026"
    page.get_by_label("New password", exact=True).fill(strong)
    page.get_by_label("Confirm new password").fill(strong)
    page.get_by_role("button", name="Save new password").click()

    expect(page.get_by_role("alert")).to_contain_text("Your password has been changed.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Priya")
    expect(page.get_by_role("heading", level=2, name="Workers")).to_be_visible()
    check_accessibility(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    check_accessibility(page)
    page.goto("/sign-in/")
    submit_password(page, "PRAMAN01", strong)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Priya")


def test_caseworker_finds_a_sponsor_and_sees_its_users(page: Page, demo) -> None:
    assert sign_in(page, "CWHADDAD1", DEMO_PASSWORD) == 0
    expect(page).to_have_url(_at("/casework/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a sponsor")
    check_accessibility(page)

    page.get_by_label("Licence number or organisation name").fill("HVC7Q2M4K")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("table")
    expect(results.get_by_role("caption")).to_have_text("1 sponsor")
    check_accessibility(page)
    results.get_by_role("link", name="Harbour View Care Ltd").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour View Care Ltd")
    users = page.get_by_role("table", name="Users")
    for user_id in ("ZHARTLEY1", "LNOWAK01", "PRAMAN01"):
        expect(users.get_by_role("cell", name=user_id, exact=True)).to_be_visible()
    expect(users.get_by_role("row")).to_have_count(4)
    check_accessibility(page)


def test_suspended_licence_home_offers_nothing_the_suspension_blocks(page: Page, demo) -> None:
    sign_in(page, "AKELLY01", DEMO_PASSWORD)
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "Your licence is suspended."
    )
    check_accessibility(page)
    menu = page.locator("main")
    expect(menu.get_by_role("link", name="Message board")).to_be_visible()
    for blocked in (
        "Request or renew allocations",
        "Create and assign a certificate of sponsorship",
        "Search for a certificate of sponsorship",
        "Defined certificates of sponsorship",
    ):
        assert menu.get_by_role("link", name=blocked, exact=True).count() == 0, blocked
        expect(menu).to_contain_text(blocked)
    expect(menu).to_contain_text("Not available while your licence is suspended.")
    # The status page still opens: it says why applying is not possible, with the buttons off.
    menu.get_by_role("link", name="Premium customer service and Student Sponsor status").click()
    expect(page.get_by_role("button", name="Apply for Premium customer service")).to_be_disabled()
    expect(page.locator("main")).to_contain_text(
        "You cannot apply while your licence is suspended."
    )
    check_accessibility(page)


def _at(path: str) -> re.Pattern[str]:
    """The live server's URL for this path, with any query string."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")
