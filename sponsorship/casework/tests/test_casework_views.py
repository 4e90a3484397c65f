"""The Home Office back office: finding sponsors, their users, unlocking accounts,
and who may reach which pages."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone

from sponsorship.accounts.tests.factories import (
    PASSWORD,
    CaseworkerFactory,
    Level1Factory,
    Level2Factory,
)
from sponsorship.accounts.tests.journeys import (
    location,
    post_password,
    text,
)
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.casework import urls as casework_urls
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.factories import SponsorFactory

# ---------------------------------------------------------------- finding a sponsor


def test_home_lists_every_sponsor(casework, sponsor, other_sponsor):
    response = casework.get("/casework/")
    assert response.status_code == 200
    page = text(response)
    assert "Find a sponsor" in page
    assert "2 sponsors" in page
    assert sponsor.name in page
    assert other_sponsor.licence_number in page
    assert f"/casework/sponsors/{sponsor.pk}/" in page


@pytest.mark.parametrize("query", ["harbour", "HARBOUR VIEW", "  View Care "])
def test_search_by_part_of_the_name(casework, sponsor, other_sponsor, query):
    page = text(casework.get("/casework/", {"q": query}))
    assert "1 sponsor<" in page
    assert sponsor.name in page
    assert other_sponsor.name not in page


@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_search_by_licence_number(casework, sponsor, other_sponsor, case):
    page = text(casework.get("/casework/", {"q": case(other_sponsor.licence_number)}))
    assert "1 sponsor<" in page
    assert other_sponsor.name in page
    assert sponsor.name not in page


def test_search_with_no_match(casework, sponsor):
    page = text(casework.get("/casework/", {"q": "Nothing Like It"}))
    assert "0 sponsors" in page
    assert "No sponsor matches." in page
    assert 'value="Nothing Like It"' in page


def test_sponsor_list_is_paginated(casework, db):
    for n in range(30):
        SponsorFactory(name=f"Acme {n:02d} Ltd")

    first = text(casework.get("/casework/", {"q": "acme"}))
    assert "30 sponsors" in first
    assert "Page 1 of 2" in first
    assert "Acme 00 Ltd" in first
    assert "Acme 24 Ltd" in first
    assert "Acme 25 Ltd" not in first
    assert "q=acme&amp;page=2" in first

    second = text(casework.get("/casework/", {"q": "acme", "page": 2}))
    assert "Page 2 of 2" in second
    assert "Acme 25 Ltd" in second
    assert "Acme 29 Ltd" in second
    assert "Acme 24 Ltd" not in second


@pytest.mark.parametrize(("asked", "shown"), [("99", "Page 2 of 2"), ("many", "Page 1 of 2")])
def test_a_page_number_out_of_range_shows_the_nearest_page(casework, db, asked, shown):
    for n in range(30):
        SponsorFactory(name=f"Acme {n:02d} Ltd")
    response = casework.get("/casework/", {"q": "acme", "page": asked})
    assert response.status_code == 200
    assert shown in text(response)


def test_sponsor_status_is_shown(casework, sponsor):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save(update_fields=["status"])
    assert "Suspended" in text(casework.get("/casework/"))
    assert "Suspended" in text(casework.get(f"/casework/sponsors/{sponsor.pk}/"))


# ---------------------------------------------------------------- a sponsor and its users


def test_sponsor_page_lists_its_users(casework, sponsor, level1, level2, other_level1):
    response = casework.get(f"/casework/sponsors/{sponsor.pk}/")

    assert response.status_code == 200
    page = text(response)
    assert sponsor.name in page
    assert sponsor.licence_number in page
    for user in (level1, level2):
        assert user.full_name in page
        assert user.username in page
    assert "Level 1" in page
    assert "Level 2" in page
    assert other_level1.username not in page
    assert "Locked" not in page
    assert page.count("Can sign in") == 2


def test_unknown_sponsor_is_not_found(casework, db):
    assert casework.get("/casework/sponsors/999999/").status_code == 404


def test_sponsor_page_shows_locked_users(casework, sponsor, level1, level2, lock):
    lock(level1)

    page = text(casework.get(f"/casework/sponsors/{sponsor.pk}/"))

    assert page.count("Locked") == 1
    assert f"/casework/users/{level1.pk}/unlock/" in page
    assert f"/casework/users/{level2.pk}/unlock/" not in page
    assert page.count("Can sign in") == 1


def test_a_lock_older_than_the_lockout_is_not_shown(casework, sponsor, level1, lock):
    attempt = lock(level1)
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - timedelta(minutes=31)
    )
    page = text(casework.get(f"/casework/sponsors/{sponsor.pk}/"))
    assert "Locked" not in page


def test_fewer_failures_than_the_limit_are_not_a_lock(casework, sponsor, level1, lock):
    attempt = lock(level1)
    AccessAttempt.objects.filter(pk=attempt.pk).update(failures_since_start=2)
    assert "Locked" not in text(casework.get(f"/casework/sponsors/{sponsor.pk}/"))


def test_unlocking_a_user(casework, caseworker, sponsor, level1, lock):
    lock(level1)

    response = casework.post(f"/casework/users/{level1.pk}/unlock/", follow=True)

    assert response.redirect_chain == [(f"/casework/sponsors/{sponsor.pk}/", 302)]
    page = text(response)
    assert "Zoë Hartley (LEVELONE1) can sign in again." in page
    assert "Locked" not in page
    assert not AccessAttempt.objects.filter(username=level1.username).exists()
    event = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_UNLOCKED)
    assert event.actor == caseworker
    assert event.sponsor == sponsor
    assert event.target_id == str(level1.pk)


def test_unlocking_a_caseworker_returns_to_the_sponsor_list(casework, lock, db):
    colleague = CaseworkerFactory()
    lock(colleague)
    response = casework.post(f"/casework/users/{colleague.pk}/unlock/")
    assert response["Location"] == "/casework/"
    assert not AccessAttempt.objects.filter(username=colleague.username).exists()


def test_unlocking_needs_a_post(casework, level1, lock):
    lock(level1)
    assert casework.get(f"/casework/users/{level1.pk}/unlock/").status_code == 405
    assert AccessAttempt.objects.filter(username=level1.username).exists()


def test_unlocking_an_unknown_user_is_not_found(casework, db):
    assert casework.post("/casework/users/999999/unlock/").status_code == 404
    assert not AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_UNLOCKED).exists()


def test_user_locked_by_wrong_passwords_shows_as_locked_and_can_be_unlocked(
    casework, django_capture_on_commit_callbacks, sponsor, level1
):
    browser = Client()
    for _ in range(3):
        post_password(browser, django_capture_on_commit_callbacks, level1.username, "Wrong#Pass99")

    page = text(casework.get(f"/casework/sponsors/{sponsor.pk}/"))
    assert "Locked" in page

    casework.post(f"/casework/users/{level1.pk}/unlock/")
    response = post_password(browser, django_capture_on_commit_callbacks, level1.username)
    assert response["Location"] == "/sign-in/passcode/"


def test_sponsor_audit_trail(casework, sponsor):
    response = casework.get(f"/casework/sponsors/{sponsor.pk}/audit-trail/")
    assert response.status_code == 200
    assert sponsor.name in text(response)


# ---------------------------------------------------------------- who may reach what


def _own_pages() -> list[URLPattern]:
    """The casework app's own pages; the certificate pages it includes have their tests."""
    return [p for p in casework_urls.urlpatterns if isinstance(p, URLPattern)]


def casework_urls_for(user) -> list[str]:
    """Every casework page, pointed at the user's own sponsor and at the user (requests,
    messages, queues and licence actions need not exist: access is refused before any lookup)."""
    ids = {
        "sponsor_id": user.sponsor_id,
        "user_id": user.pk,
        "request_id": 1,
        "message_id": 1,
        "queue": "users",
        "action": "suspend",
    }
    urls = []
    for pattern in _own_pages():
        kwargs = {name: ids[name] for name in pattern.pattern.converters}
        urls.append(reverse(f"casework:{pattern.name}", kwargs=kwargs))
    return urls


def test_every_casework_page_is_covered(level1):
    assert len(casework_urls_for(level1)) == len(_own_pages()) >= 4


@pytest.mark.parametrize("actor", ["level1", "level2"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_sponsor_users_cannot_use_casework(request, signed_in, lock, actor, method):
    user = request.getfixturevalue(actor)
    client = signed_in(user)
    lock(user)

    for url in casework_urls_for(user):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
        assert "You do not have access to this part of the service." in text(response)

    assert AccessAttempt.objects.filter(username=user.username).exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_UNLOCKED).exists()


def test_casework_needs_signing_in(client, level1):
    for url in casework_urls_for(level1):
        response = client.get(url)
        assert response.status_code == 302, url
        assert location(response) == ("/sign-in/", {"next": [url]})


@pytest.mark.parametrize(
    "path", ["/home/", "/licence/", "/messages/", "/audit-trail/", "/licence/users/"]
)
def test_caseworkers_cannot_use_sponsor_pages(casework, path):
    response = casework.get(path)
    assert response.status_code == 403
    assert "You do not have access to this part of the service." in text(response)


def test_caseworker_home_is_casework(casework):
    assert casework.get("/")["Location"] == "/casework/"


def test_superuser_can_use_admin(signed_in, db):
    client = signed_in(CaseworkerFactory(is_superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "technical administration" in text(response)


@pytest.mark.parametrize(
    ("actor", "home"), [("caseworker", "/casework/"), ("level1", "/home/"), ("level2", "/home/")]
)
def test_admin_is_for_superusers_only(request, signed_in, actor, home):
    client = signed_in(request.getfixturevalue(actor))

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == home
    assert "technical administration" not in text(response)
    assert client.get("/admin/accounts/user/").status_code == 302


def test_admin_for_signed_out_visitors_goes_to_sign_in(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/sign-in/")
    assert "Sign in to the" in text(response)


# ---------------------------------------------------------------- query counts


def queries_for(client, url: str) -> int:
    client.get(url)  # the session settles on the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_sponsor_list_queries_do_not_grow_with_sponsors(casework, db):
    for _ in range(3):
        SponsorFactory()
    few = queries_for(casework, "/casework/")
    for _ in range(27):
        SponsorFactory()
    many = queries_for(casework, "/casework/")

    assert many == few
    # The ceiling includes saving the session, which every signed-in request does to keep
    # the idle timer exact.
    assert many <= 12


def test_sponsor_page_queries_do_not_grow_with_users(casework, sponsor, lock):
    url = f"/casework/sponsors/{sponsor.pk}/"
    users = [Level2Factory(sponsor=sponsor) for _ in range(3)]
    lock(users[0])
    few = queries_for(casework, url)
    users += [Level1Factory(sponsor=sponsor) for _ in range(27)]
    lock(users[-1])
    many = queries_for(casework, url)

    assert many == few
    # The ceiling includes saving the session, which every signed-in request does to keep
    # the idle timer exact, and one query each for the allocations, the latest requests and
    # the action plans the page also lists.
    assert many <= 14


def test_sponsor_page_lists_thirty_users(casework, sponsor):
    users = [Level2Factory(sponsor=sponsor) for _ in range(30)]
    page = text(casework.get(f"/casework/sponsors/{sponsor.pk}/"))
    assert all(user.username in page for user in users)


def test_password_is_never_shown(casework, sponsor, level1):
    page = text(casework.get(f"/casework/sponsors/{sponsor.pk}/"))
    assert PASSWORD not in page
    assert level1.password not in page
