"""Finding any sponsor's certificate for the Home Office, by the fast paths: the certificate
number or the worker's passport number, exactly."""

from django.db.models import Q, QuerySet

from .models import Certificate, CertificateStatus


def normalised(query: str) -> str:
    """As numbers are stored: upper case, no spaces."""
    return "".join(query.split()).upper()


def certificate_find_for_caseworker(*, query: str) -> QuerySet[Certificate]:
    """Every sponsor's certificates whose number or passport number is exactly `query` once
    normalised, latest assigned first. Drafts are the sponsor's own work and are never found."""
    key = normalised(query)
    if not key:
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(Q(number=key) | Q(passport_number=key))
        .exclude(status=CertificateStatus.DRAFT)
        .select_related("sponsor")
        .order_by("-assigned_at", "-pk")
    )
