"""Reads for the Home Office: any sponsor's certificate, found exactly by its number or the
worker's passport number (case and spaces ignored), latest assigned first. Drafts are the
sponsor's own work and are never found."""

from django.db.models import Q, QuerySet

from sponsorship.core.errors import ApplicationError

from .models import Certificate, CertificateStatus, normalise_reference


def certificate_find_for_caseworker(
    *, number: str | None = None, passport: str | None = None, text: str | None = None
) -> QuerySet[Certificate]:
    """By `number` and/or `passport`, or by `text` (the single search box), which may be
    either. Raises ApplicationError when nothing is given."""
    field = "number" if text is None else "q"
    number, passport, text = (normalise_reference(v) for v in (number, passport, text))
    if not (number or passport or text):
        raise ApplicationError(
            "Enter a certificate number or a passport number to search for", field=field
        )
    rows = Certificate.objects.exclude(status=CertificateStatus.DRAFT)
    if text:
        rows = rows.filter(Q(number=text) | Q(passport_number=text))
    if number:
        rows = rows.filter(number=number)
    if passport:
        rows = rows.filter(passport_number=passport)
    return rows.select_related("sponsor", "owner").order_by("-assigned_at", "-pk")
