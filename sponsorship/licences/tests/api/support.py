"""Speaking to the licence management and casework APIs in tests: a token client with every
method and multipart uploads, tokens for caseworkers, and what was e-mailed and audited."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from sponsorship.api.services import api_token_create
from sponsorship.api.tests.api_client import ApiClient
from sponsorship.audit.models import AuditEvent
from sponsorship.notifications.models import OutboundEmail

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 16)  # a Monday: the frozen day of these tests
NOW = datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


class Api(ApiClient):
    """ApiClient with PATCH, PUT and multipart/form-data."""

    def patch_json(self, path, data):
        return self.client.patch(
            path, data, content_type="application/json", headers=self._headers()
        )

    def put_json(self, path, data):
        return self.client.put(path, data, content_type="application/json", headers=self._headers())

    def post_form(self, path, data):
        """multipart/form-data: files as SimpleUploadedFile, several under one name as a list."""
        return self.client.post(path, data, headers=self._headers())

    def call(self, method: str, path: str, data=None):
        if method == "GET":
            return self.get(path, data)
        if method == "DELETE":
            return self.delete(path)
        return self.client.generic(
            method,
            path,
            "{}" if data is None else data,
            "application/json",
            headers=self._headers(),
        )


def token_for(user) -> str:
    """A Level 1 or Level 2 user's token, made as the token page makes it."""
    _, secret = api_token_create(user=user, name="HR system", expires_on=None, ip=None)
    return secret


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def emails(template: str) -> list[OutboundEmail]:
    """Outbox rows of one template (sent once the transaction commits), oldest first."""
    return list(OutboundEmail.objects.filter(template=template).order_by("pk"))


def recipients(template: str) -> list[str]:
    return [email.to for email in emails(template)]


def events(verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb).order_by("pk"))


def query_count(call) -> int:
    """Queries one call makes, after a first call has done its one-off work (such as recording
    when the token was last used)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200, response.content[:500]
    return len(queries)
