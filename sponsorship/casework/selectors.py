"""Caseworkers see every sponsor."""

from django.db.models import Q, QuerySet

from sponsorship.core.errors import NotFound
from sponsorship.licences.models import Sponsor, normalise_postcode


def sponsor_search(*, query: str) -> QuerySet[Sponsor]:
    """By licence number or postcode (exact, the fast paths) or by part of the name."""
    sponsors = Sponsor.objects.all()
    query = query.strip()
    if query:
        sponsors = sponsors.filter(
            Q(licence_number=query.upper())
            | Q(postcode_normalised=normalise_postcode(query))
            | Q(name__icontains=query)
        )
    return sponsors.order_by("name", "pk")


def sponsor_get_for_caseworker(*, sponsor_id: int) -> Sponsor:
    sponsor = Sponsor.objects.prefetch_related("routes", "key_people").filter(pk=sponsor_id).first()
    if sponsor is None:
        raise NotFound("There is no such sponsor.")
    return sponsor
