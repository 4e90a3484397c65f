"""Helpers shared by the licence service tests: what was e-mailed, what was audited, inputs."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from sponsorship.audit.models import AuditEvent
from sponsorship.core.uploads import CheckedUpload, check_upload
from sponsorship.licences.services import KeyPersonDetails, UserDetails
from sponsorship.notifications.models import OutboundEmail

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 16)  # a Monday; the `frozen` fixture's day
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32


def at(day: date, hour: int = 10) -> datetime:
    """That day, at that hour in London."""
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def emails(template: str) -> list[OutboundEmail]:
    """Outbox rows of one template, oldest first (they are sent when the transaction commits,
    so the rows are what a test inside one transaction can see)."""
    return list(OutboundEmail.objects.filter(template=template).order_by("pk"))


def recipients(template: str) -> list[str]:
    return [email.to for email in emails(template)]


def events(verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb).order_by("pk"))


def upload(name: str = "evidence.pdf", content: bytes = PDF) -> CheckedUpload:
    return check_upload(BytesIO(content), name)


def user_details(**overrides: object) -> UserDetails:
    values: dict[str, object] = {
        "given_names": "Aisha",
        "family_name": "Bello",
        "email": "aisha.bello@harbourview.example",
        "job_title": "HR officer",
        "phone": "020 7946 0000",
        "work_address_line_1": "1 High Street",
        "work_town": "London",
        "work_postcode": "SW1A 1AA",
        "is_settled_worker": True,
    }
    values.update(overrides)
    return UserDetails(**values)  # type: ignore[arg-type]


def details_of(user, **overrides: object) -> UserDetails:
    """The user's present details, with some changed."""
    values = {field: getattr(user, field) for field in UserDetails.__dataclass_fields__}
    values.update(overrides)
    return UserDetails(**values)


def key_person_details(**overrides: object) -> KeyPersonDetails:
    values: dict[str, object] = {
        "given_names": "Tomasz",
        "family_name": "Wiśniewski",
        "job_title": "Managing Director",
        "email": "tomasz.wisniewski@harbourview.example",
        "phone": "020 7946 0001",
        "address_line_1": "1 High Street",
        "town": "London",
        "postcode": "SW1A 1AA",  # the sponsor factory's head office postcode
        "is_legal_representative": False,
    }
    values.update(overrides)
    return KeyPersonDetails(**values)  # type: ignore[arg-type]
