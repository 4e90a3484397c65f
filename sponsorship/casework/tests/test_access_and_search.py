"""Who may reach the caseworkers' pages, pointed at real objects, and finding a sponsor by name,
licence number or postcode."""

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from sponsorship.accounts.tests.journeys import text
from sponsorship.casework import urls as casework_urls
from sponsorship.licences.models import LicenceStatus, RequestStatus
from sponsorship.licences.tests.factories import (
    LicenceRequestFactory,
    MessageFactory,
    SponsorFactory,
)


@pytest.fixture
def real_urls(level1, level2):
    """Every casework URL, pointed at objects that exist: the sponsor users' own sponsor, its
    users, one of its requests and a message (archived, so the sponsor users are not first
    asked to read it)."""
    request = LicenceRequestFactory(submitted_by=level1)
    message = MessageFactory(archived_at=timezone.now())
    ids = {
        "sponsor_id": level1.sponsor_id,
        "user_id": level2.pk,
        "request_id": request.pk,
        "message_id": message.pk,
        "queue": "allocations",
        "action": "suspend",
    }
    return [
        reverse(f"casework:{p.name}", kwargs={name: ids[name] for name in p.pattern.converters})
        # The certificate pages the casework URLs include have tests of their own.
        for p in casework_urls.urlpatterns
        if isinstance(p, URLPattern)
    ], request


@pytest.mark.parametrize("actor", ["level1", "level2"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_sponsor_users_get_403_on_every_casework_page(
    request, signed_in, real_urls, sponsor, actor, method
):
    urls, licence_request = real_urls
    client = signed_in(request.getfixturevalue(actor))
    for url in urls:
        response = getattr(client, method)(
            url, {"reasons": "x", "confirmed": "yes", "outcome": "GRANTED", "version": 1}
        )
        assert response.status_code == 403, url
    sponsor.refresh_from_db()
    assert sponsor.status == LicenceStatus.ACTIVE
    licence_request.refresh_from_db()
    assert licence_request.status == RequestStatus.SUBMITTED
    assert licence_request.assigned_to is None


def test_every_casework_page_opens_for_a_caseworker(casework, real_urls):
    urls, _ = real_urls
    for url in urls:
        if url.endswith(("/assign/", "/ask/", "/decide/", "/unlock/")):
            assert casework.get(url).status_code == 405, url
        elif url.endswith("/decided/"):
            assert casework.get(url).status_code == 302, url
        else:
            assert casework.get(url).status_code == 200, url


def test_search_hint_names_every_way_to_search(casework):
    page = text(casework.get("/casework/"))
    assert "Licence number or organisation name" in page
    assert "Or the postcode of the head office, like SW1A 1AA." in page
    assert 'aria-describedby="q-hint"' in page


@pytest.mark.parametrize("query", ["Quayside", "Q1234567X", "q1234567x", "HU1 2AB", "hu12ab"])
def test_search_by_name_licence_number_or_postcode(casework, db, query):
    found = SponsorFactory(
        name="Quayside Shipping Ltd", licence_number="Q1234567X", postcode="HU1 2AB"
    )
    other = SponsorFactory(name="Inland Haulage Ltd", postcode="LS1 4AP")
    page = text(casework.get("/casework/", {"q": query}))
    assert "1 sponsor<" in page
    assert found.name in page
    assert other.name not in page
