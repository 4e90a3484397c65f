"""Reads for the Home Office: any sponsor's certificate, found by its number or the worker's
passport number, exactly."""

from django.db.models import QuerySet

from sponsorship.core.errors import ApplicationError

from .models import Certificate, CertificateStatus
from .search import normalise_reference


def certificate_find_for_caseworker(
    *, number: str | None = None, passport: str | None = None
) -> QuerySet[Certificate]:
    """Every sponsor's certificates with exactly this number and/or passport number (case and
    spaces ignored), latest assigned first. Drafts are the sponsor's own work and are never
    found. Raises ApplicationError when neither is given."""
    number, passport = normalise_reference(number), normalise_reference(passport)
    if not number and not passport:
        raise ApplicationError(
            "Enter a certificate number or a passport number to search for", field="number"
        )
    rows = Certificate.objects.exclude(status=CertificateStatus.DRAFT)
    if number:
        rows = rows.filter(number=number)
    if passport:
        rows = rows.filter(passport_number=passport)
    return rows.select_related("sponsor", "owner").order_by("-assigned_at", "-pk")
