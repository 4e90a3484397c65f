"""Signing in through the real pages, step by step, and reading what each step leaves behind:
the page, the e-mails sent and the audit trail."""

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core import mail
from django.http import HttpResponse
from django.test import Client

from sponsorship.audit.models import AuditEvent

from .factories import PASSWORD

WRONG_CREDENTIALS = "Enter a correct user ID and password"
LOCKED = "You cannot sign in at the moment"
PASSCODE_WRONG = "The passcode is not correct or has expired"

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
_PASSCODE = re.compile(r"\b(\d{6})\b")


def text(response: HttpResponse) -> str:
    return response.content.decode()


def without_csrf(response: HttpResponse) -> str:
    """The page with its (per-response) CSRF token blanked out, for comparing two pages."""
    return _CSRF_INPUT.sub('name="csrfmiddlewaretoken" value=""', text(response))


def location(response: HttpResponse) -> tuple[str, dict[str, list[str]]]:
    """A redirect's path and query."""
    parts = urlsplit(response["Location"])
    return parts.path, parse_qs(parts.query)


def passcode_in_last_email() -> str:
    match = _PASSCODE.search(str(mail.outbox[-1].body))
    assert match is not None, mail.outbox[-1].body
    return match.group(1)


def verbs(**filters) -> list[str]:
    """Audit verbs recorded, oldest first."""
    return list(
        AuditEvent.objects.filter(**filters)
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )


def post_password(
    client: Client,
    capture,
    user_id: str,
    password: str = PASSWORD,
    *,
    next_path: str | None = None,
    ip: str = "127.0.0.1",
    url: str = "/sign-in/",
) -> Any:
    """The first page of signing in. `capture` is django_capture_on_commit_callbacks."""
    data = {"user_id": user_id, "password": password}
    if next_path is not None:
        data["next"] = next_path
    with capture(execute=True):
        return client.post(url, data, REMOTE_ADDR=ip)


def post_passcode(client: Client, capture, passcode: str, method: str = "email") -> Any:
    with capture(execute=True):
        return client.post("/sign-in/passcode/", {"passcode": passcode, "method": method})
