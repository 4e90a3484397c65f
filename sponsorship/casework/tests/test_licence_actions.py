"""The sponsor page and the licence actions taken from it: ratings (with the action plan of a
B rating), status changes (only the moves the transition table allows), the settled-worker
exception and deactivating a user for the Home Office. Each is checked before it is done."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client

from sponsorship.accounts.models import UserStatus
from sponsorship.accounts.tests.journeys import WRONG_CREDENTIALS, post_password, text
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import (
    ActionPlan,
    LicenceStatus,
    Rating,
    RequestKind,
    SettledWorkerException,
    SponsorRoute,
)
from sponsorship.licences.tests.factories import (
    ActionPlanFactory,
    AllocationFactory,
    LicenceRequestFactory,
)

LONDON = ZoneInfo("Europe/London")


def confirmed(client, url, data):
    """Post the form (which shows the check page), then confirm it."""
    check = client.post(url, data)
    assert check.status_code == 200, text(check)[:2000]
    assert "Check before you confirm" in text(check)
    return client.post(url, {**data, "confirmed": "yes"})


# ---------------------------------------------------------------- the sponsor page


def test_sponsor_page_shows_the_licence(casework, caseworker, sponsor, level1, level2):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.status_reason = "Right to work checks missing."
    sponsor.save()
    AllocationFactory(sponsor=sponsor, limit=20, used=7)
    request = LicenceRequestFactory(submitted_by=level1)
    ActionPlanFactory(sponsor=sponsor, created_by=caseworker)

    page = text(casework.get(f"/casework/sponsors/{sponsor.pk}/"))

    assert "Reasons: Right to work checks missing." in page
    assert "Licence details" in page
    assert "1 High Street" in page
    assert "Skilled Worker" in page
    assert "A-rated" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">13</td>' in page
    assert request.reference in page
    assert "£1,579" in page
    assert "Awaiting payment" in page
    assert f"/casework/sponsors/{sponsor.pk}/audit-trail/" in page
    assert f"/casework/users/{level1.pk}/deactivate/" in page
    assert f"/casework/users/{level2.pk}/deactivate/" in page
    # Suspended: reinstate, make dormant, revoke, record a surrender; not suspend again.
    for offered in ("reinstate", "make-dormant", "revoke", "record-surrender"):
        assert f"/casework/sponsors/{sponsor.pk}/status/{offered}/" in page
    assert f"/casework/sponsors/{sponsor.pk}/status/suspend/" not in page


def test_sponsor_page_shows_the_latest_twenty_requests_and_links_to_all(casework, sponsor, level1):
    requests = [LicenceRequestFactory(submitted_by=level1) for _ in range(21)]
    page = text(casework.get(f"/casework/sponsors/{sponsor.pk}/"))
    assert "the latest 20" in page
    assert requests[0].reference not in page
    assert requests[-1].reference in page
    assert f"/casework/sponsors/{sponsor.pk}/requests/" in page

    everything = text(casework.get(f"/casework/sponsors/{sponsor.pk}/requests/"))
    assert "21 requests" in everything
    assert requests[0].reference in everything


def test_inactive_users_offer_no_deactivation(casework, sponsor, level1, level2):
    level2.status = UserStatus.DEACTIVATED_BY_SPONSOR
    level2.save(update_fields=["status"])
    page = text(casework.get(f"/casework/sponsors/{sponsor.pk}/"))
    assert f"/casework/users/{level2.pk}/deactivate/" not in page
    assert f"/casework/users/{level1.pk}/deactivate/" in page


# ---------------------------------------------------------------- ratings


def test_rating_to_b_creates_an_action_plan_with_the_fee_and_deadline(
    signed_in, caseworker, sponsor, level1, time_machine, django_capture_on_commit_callbacks
):
    # Friday 19 December 2025: 10 working days in England skip Christmas, Boxing Day and
    # New Year's Day.
    time_machine.move_to(datetime(2025, 12, 19, 11, 0, tzinfo=LONDON), tick=False)
    client = signed_in(caseworker)
    url = f"/casework/sponsors/{sponsor.pk}/rating/"
    assert "Change a route's rating" in text(client.get(f"/casework/sponsors/{sponsor.pk}/"))
    form = text(client.get(url, {"route": "SKILLED_WORKER"}))
    assert "Skilled Worker (A-rated)" in form

    data = {
        "route": "SKILLED_WORKER",
        "rating": "B",
        "reasons": "Right to work checks missing for three workers.",
        "action_plan_steps": "Complete right to work checks for every worker by 31 January.",
    }
    check = text(client.post(url, data))
    assert "Check before you confirm" in check
    assert "B-rated" in check
    assert SponsorRoute.objects.get(sponsor=sponsor).rating == Rating.A

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "confirmed": "yes"})

    assert response.status_code == 302
    assert SponsorRoute.objects.get(sponsor=sponsor).rating == Rating.B
    plan = ActionPlan.objects.get(sponsor=sponsor)
    assert plan.fee_pence == 157_900
    assert plan.payment_due.isoformat() == "2026-01-07"
    assert plan.steps == data["action_plan_steps"]
    page = text(client.get(response["Location"]))
    assert "Skilled Worker is now B-rated." in page
    assert "the sponsor must pay £1,579 by 7 January 2026" in page
    assert any("7 January 2026" in m.body and "£1,579" in m.body for m in mail.outbox)


def test_rating_b_needs_the_action_plan(casework, sponsor):
    response = confirmed(
        casework,
        f"/casework/sponsors/{sponsor.pk}/rating/",
        {"route": "SKILLED_WORKER", "rating": "B", "reasons": "Breaches."},
    )
    assert response.status_code == 400
    page = text(response)
    assert 'id="id_action_plan_steps-error"' in page
    assert "Write the action plan" in page
    assert SponsorRoute.objects.get(sponsor=sponsor).rating == Rating.A
    assert not ActionPlan.objects.exists()


def test_changing_your_answers_goes_back_to_the_form(casework, sponsor):
    url = f"/casework/sponsors/{sponsor.pk}/rating/"
    data = {"route": "SKILLED_WORKER", "rating": "B", "reasons": "x", "action_plan_steps": "y"}
    response = casework.post(url, {**data, "change": "yes"})
    page = text(response)
    assert "Check before you confirm" not in page
    assert 'value="B" checked' in page
    assert SponsorRoute.objects.get(sponsor=sponsor).rating == Rating.A


def test_reasons_are_required(casework, sponsor):
    response = casework.post(
        f"/casework/sponsors/{sponsor.pk}/status/suspend/", {"reasons": "", "confirmed": "yes"}
    )
    assert "Give the reasons" in text(response)
    sponsor.refresh_from_db()
    assert sponsor.status == LicenceStatus.ACTIVE


# ---------------------------------------------------------------- licence status


def test_suspend_shows_the_banner_to_the_sponsors_users(signed_in, caseworker, sponsor, level1):
    client = signed_in(caseworker)
    page = text(client.get(f"/casework/sponsors/{sponsor.pk}/status/suspend/"))
    assert "Suspend the licence" in page
    assert "given a date by which to respond" in page

    response = confirmed(
        client,
        f"/casework/sponsors/{sponsor.pk}/status/suspend/",
        {"reasons": "Right to work checks were not done."},
    )

    assert response.status_code == 302
    sponsor.refresh_from_db()
    assert sponsor.status == LicenceStatus.SUSPENDED
    assert sponsor.status_response_due is not None
    assert sponsor.status_reason == "Right to work checks were not done."
    page = text(client.get(response["Location"]))
    due = f"{sponsor.status_response_due:%-d %B %Y}"
    assert f"The licence is now suspended. The sponsor must respond by {due}." in page

    client.logout()
    home = text(signed_in(level1).get("/home/"))
    assert "Your licence is suspended." in home


def test_revoking_warns_that_it_is_final(casework, sponsor):
    page = text(casework.get(f"/casework/sponsors/{sponsor.pk}/status/revoke/"))
    assert "Revocation is final" in page
    assert "live certificates will be cancelled" in page
    check = text(
        casework.post(f"/casework/sponsors/{sponsor.pk}/status/revoke/", {"reasons": "Fraud."})
    )
    assert "Revocation is final" in check
    assert "govuk-button--warning" in check


def test_an_illegal_transition_is_not_offered_and_is_refused(casework, sponsor):
    sponsor.status = LicenceStatus.REVOKED
    sponsor.save(update_fields=["status"])

    page = text(casework.get(f"/casework/sponsors/{sponsor.pk}/"))
    assert "/status/" not in page
    assert "its status can no longer change" in page
    assert "cannot be done" in text(
        casework.get(f"/casework/sponsors/{sponsor.pk}/status/reinstate/")
    )

    response = casework.post(
        f"/casework/sponsors/{sponsor.pk}/status/reinstate/",
        {"reasons": "Appeal allowed.", "confirmed": "yes"},
    )

    assert response.status_code == 409
    assert "This cannot change from revoked to active." in text(response)
    sponsor.refresh_from_db()
    assert sponsor.status == LicenceStatus.REVOKED
    assert not AuditEvent.objects.filter(verb=AuditVerb.LICENCE_STATUS_CHANGED).exists()


def test_unknown_actions_and_sponsors_are_not_found(casework, sponsor):
    assert casework.get(f"/casework/sponsors/{sponsor.pk}/status/nonsense/").status_code == 404
    for url in ("rating/", "status/suspend/", "settled-exception/", "requests/"):
        assert casework.get(f"/casework/sponsors/999999/{url}").status_code == 404
    assert casework.get("/casework/users/999999/deactivate/").status_code == 404


def test_settled_worker_exception(casework, caseworker, sponsor):
    response = confirmed(
        casework,
        f"/casework/sponsors/{sponsor.pk}/settled-exception/",
        {
            "exception": SettledWorkerException.INTERNATIONAL_AGREEMENT,
            "reasons": "A diplomatic mission.",
        },
    )
    assert response.status_code == 302
    sponsor.refresh_from_db()
    assert sponsor.settled_worker_exception == SettledWorkerException.INTERNATIONAL_AGREEMENT
    event = AuditEvent.objects.get(verb=AuditVerb.SETTLED_EXCEPTION_CHANGED)
    assert event.actor == caseworker


# ---------------------------------------------------------------- deactivating a user


def test_deactivate_a_user_for_the_home_office(
    casework, sponsor, level1, level2, django_capture_on_commit_callbacks
):
    url = f"/casework/users/{level2.pk}/deactivate/"
    page = text(casework.get(url))
    assert "Deactivate Priya Raman (LEVELTWO1)" in page
    assert "Deactivation is final" in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirmed(casework, url, {"reasons": "Left the organisation in March."})

    assert response.status_code == 302
    assert response["Location"] == f"/casework/sponsors/{sponsor.pk}/"
    level2.refresh_from_db()
    assert level2.status == UserStatus.DEACTIVATED_BY_HOME_OFFICE
    assert any("Left the organisation in March." in m.body for m in mail.outbox)
    page = text(casework.get(response["Location"]))
    assert "Deactivated by Home Office" in page
    assert "Priya Raman (LEVELTWO1) has been deactivated" in page

    browser = Client()
    refused = post_password(browser, django_capture_on_commit_callbacks, level2.username)
    assert refused.status_code == 400
    assert WRONG_CREDENTIALS in text(refused)
    assert "_auth_user_id" not in browser.session


def test_an_inactive_user_cannot_be_deactivated_again(casework, level2):
    level2.status = UserStatus.DEACTIVATED_BY_SPONSOR
    level2.save(update_fields=["status"])
    response = casework.post(
        f"/casework/users/{level2.pk}/deactivate/", {"reasons": "x", "confirmed": "yes"}
    )
    assert response.status_code == 400
    assert "already deactivated by sponsor" in text(response)


@pytest.mark.parametrize("kind", [RequestKind.PREMIUM])
def test_sponsor_requests_page_is_paginated(casework, sponsor, level1, kind):
    for _ in range(30):
        LicenceRequestFactory(submitted_by=level1, kind=kind, route="", number_requested=None)
    page = text(casework.get(f"/casework/sponsors/{sponsor.pk}/requests/"))
    assert "Page 1 of 2" in page
