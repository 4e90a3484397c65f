"""Headless Chromium driving the live server: one browser per session, one page per test,
an accessibility check for every page a journey visits, and the sign-in steps as actions."""

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures and
# tests between browser steps are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_STANDARDS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
PASSCODE = re.compile(r"\b(\d{6})\b")
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
# Every run checks the pages and saves the pictures under var/; `make screenshots` sets
# SCREENSHOTS_DIR=docs/screenshots to refresh the committed copies.
SCREENSHOTS = Path(settings.BASE_DIR) / os.environ.get("SCREENSHOTS_DIR", "var/screenshots")
# Markup already found clean in this session: the same markup with the same styles gives the
# same axe result, so the sign-in pages every journey passes through are checked once.
_clean_markup: set[str] = set()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Run `make chromium` to install it."
        )
    # Playwright runs an event loop in this thread, and Django keys connections by context:
    # a connection opened on one side of the loop's start or end is orphaned on the other,
    # still open when the test database is dropped. Close them at both edges.
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def page(browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, with relative URLs on the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def save_screenshot(page: Page, name: str) -> Path:
    """A full-page picture of what the page shows now, for docs/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000, f"{path} looks empty"
    return path


def check_accessibility(page: Page) -> None:
    """Fail with every serious or critical WCAG 2.2 AA violation axe-core finds on this page.

    A click on a link returns before the next page has replaced the current one; reading or
    scripting the page in between fails (no document to add axe to). Such a failure means the
    navigation was still under way: wait for the new page to load, then check that one."""
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            _run_axe(page)
            return
        except PlaywrightError:
            if attempt == 2:
                raise


def _run_axe(page: Page) -> None:
    markup = CSRF_TOKEN.sub("", page.content())
    digest = hashlib.sha256(markup.encode()).hexdigest()
    if digest in _clean_markup:
        return
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: tags})", AXE_STANDARDS
    )
    violations = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    if violations:
        lines = [f"Accessibility violations on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"    {node['target']}" for node in violation["nodes"])
        pytest.fail("\n".join(lines))
    _clean_markup.add(digest)


def last_passcode() -> str:
    assert mail.outbox, "no passcode e-mail was sent"
    found = PASSCODE.search(str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    return found.group(1)


def submit_password(page: Page, user_id: str, password: str) -> None:
    """Fill in and send the sign-in page, which the browser must already show."""
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    check_accessibility(page)
    page.get_by_label("User ID").fill(user_id)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def enter_passcode(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your passcode")
    check_accessibility(page)
    page.get_by_label("Passcode").fill(last_passcode())
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def read_unread_messages(page: Page) -> int:
    """Confirm each new Home Office message the service shows; returns how many there were."""
    read = 0
    while page.url.endswith("/messages/new/"):
        expect(page.get_by_text("New message from the Home Office")).to_be_visible()
        check_accessibility(page)
        with page.expect_navigation():
            page.get_by_role("button", name="I have read this message").click()
        read += 1
    return read


def sign_in(page: Page, user_id: str, password: str, path: str = "/sign-in/") -> int:
    """Password, then the e-mailed passcode, then the unread messages; returns messages read."""
    mail.outbox.clear()
    page.goto(path)
    submit_password(page, user_id, password)
    enter_passcode(page)
    return read_unread_messages(page)


@pytest.fixture
def demo(transactional_db) -> None:
    """The demo sponsors, users and Home Office messages that `make run` offers."""
    from sponsorship.licences.demo import load_demo_data

    load_demo_data()
