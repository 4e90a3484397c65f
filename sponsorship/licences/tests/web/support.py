"""Helpers shared by the web tests of the licence pages."""

import re
from html import unescape

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sponsorship.licences.models import Rating, Route, Sponsor, SponsorRoute


def text(response) -> str:
    """The page as a reader sees the words: tags removed, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(unescape(body).split())


def field_error(response, field: str) -> str:
    """The error message shown on one field, or "" when it has none."""
    found = re.search(
        rf'<p id="id_{field}-error" class="govuk-error-message">(.*?)</p>',
        response.content.decode(),
        re.S,
    )
    if not found:
        return ""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def queries_for(client: Client, url: str) -> int:
    client.get(url)  # the session settles on the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def make_provisional(sponsor: Sponsor) -> None:
    """DOMAIN.md: a provisional rating exists only on the UK Expansion Worker route."""
    SponsorRoute.objects.create(
        sponsor=sponsor, route=Route.GBM_UK_EXPANSION, rating=Rating.PROVISIONAL
    )


def rate(sponsor: Sponsor, route: str, rating: str) -> None:
    SponsorRoute.objects.update_or_create(sponsor=sponsor, route=route, defaults={"rating": rating})
