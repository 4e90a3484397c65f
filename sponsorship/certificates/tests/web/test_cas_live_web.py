"""One CAS after assignment, in the browser: what its page shows (an obsolete one names the CAS
that replaced it), updating its fees, withdrawing it, adding and amending its note, its history,
transferring it to another user, and who may reach each page. A CAS never shows on the CoS
pages, nor a CoS on the CAS pages."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sponsorship.accounts.tests.factories import Level1Factory, Level2Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import ApplicationOutcome, Certificate, CertificateStatus
from sponsorship.certificates.services import (
    cas_fees_update,
    certificate_assign,
    certificate_mark_used,
    certificate_note_save,
    certificates_expire,
)
from sponsorship.certificates.tests.factories import (
    assigned_cas,
    assigned_certificate,
    complete_cas,
)
from sponsorship.licences.models import LicenceStatus, Route
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory
from sponsorship.licences.tests.web.support import field_error, text


@pytest.fixture
def sponsor(db):
    """A college that sponsors students and workers, so both kinds of certificate exist."""
    return SponsorFactory(name="Harbour View College", routes=[Route.SKILLED_WORKER, Route.STUDENT])


@pytest.fixture
def other_sponsor(db):
    return SponsorFactory(name="Other College", routes=[Route.STUDENT])


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


@pytest.fixture
def as_user(client, signed_in):
    def _as(user):
        client.logout()
        return signed_in(user)

    return _as


@pytest.fixture
def cas(level1):
    return assigned_cas(level1, number="E4K7M2P9Q3R8T6")


def url(certificate, page: str = "") -> str:
    return f"/cas/{certificate.pk}/" + (f"{page}/" if page else "")


def fresh(certificate) -> Certificate:
    return Certificate.objects.select_related("cas").get(pk=certificate.pk)


def fees(version: int, **changes: str) -> dict[str, object]:
    """The fees form as the CAS factory fills it, with `changes`."""
    return {
        "version": version,
        "course_fees_first_year": "24500.00",
        "course_fees_paid": "5000.00",
        "accommodation_fees_paid": "",
        **changes,
    }


PAGES = ("", "fees", "withdraw", "note", "history", "transfer")


# ---------------------------------------------------------------- the CAS's page


def test_the_page_shows_the_cas_its_use_by_date_and_every_section(web, cas):
    response = web.get(url(cas))
    assert response.status_code == 200
    page = text(response)
    assert "CAS E4K7M2P9Q3R8T6" in page
    assert "Confirmation of Acceptance for Studies: Student" in page
    assert "Student Łukasz Marek Kowalczyk Student ID S2026-0042" in page
    assert "Course MSc Marine Biology Starts 18 January 2027" in page
    assert "Use by 17 May 2027" in page
    assert "The student must apply by then, or the CAS expires." in page
    assert "Owner Zoë Hartley (LEVELONE1)" in page
    # No charges for a CAS.
    assert "Certificate fee" not in page
    # Every section of a CAS, in words, with nothing to change.
    for words in (
        "Student details",
        "Course Course title MSc Marine Biology",
        "Academic level RQF 7 (master's degree)",
        "Main study address Address line 1 University Avenue",
        "Part of the UK Scotland",
        "English language How English was assessed Secure English Language Test (SELT)",
        "SELT listening level C1",
        "Academic Technology Approval Scheme (ATAS) ATAS certificate required No",
        "Fees Course fees for the first year £24,500.00 Course fees paid to date £5,000.00",
    ):
        assert words in page
    assert ">Change<" not in response.content.decode()
    for action in (
        "Update the fees",
        "Withdraw this CAS",
        "Add a note",
        "Transfer to another user",
        "See the status and activity history",
        "Print this CAS (PDF)",
    ):
        assert action in page


def test_an_obsolete_cas_links_to_the_one_that_replaced_it(web, level1, sponsor):
    AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=5, used=0)
    older = assigned_cas(level1, number="E0000000000001")
    newer = complete_cas(level1)
    certificate_assign(actor=level1, certificate=newer, version=newer.version, ip=None)
    assert fresh(older).status == CertificateStatus.OBSOLETE
    response = web.get(url(older))
    page = text(response)
    assert "Obsolete" in page
    assert f"This CAS is obsolete: it was superseded by CAS {newer.number}" in page
    assert "assigned later for the same student and course. The student must use that one." in page
    assert f'href="{url(newer)}">CAS {newer.number}</a>' in response.content.decode()
    assert f"Why it is obsolete Superseded by CAS {newer.number}." in page
    assert "govuk-tag--purple" in response.content.decode()
    assert "Withdraw this CAS" not in page
    assert "Update the fees" not in page


def test_a_level2_user_sees_the_replacing_cas_number_without_a_link_when_not_theirs(
    as_user, level1, level2, sponsor
):
    AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=5, used=0)
    older = assigned_cas(level2, number="E0000000000001")
    newer = complete_cas(level1)
    certificate_assign(actor=level1, certificate=newer, version=newer.version, ip=None)
    response = as_user(level2).get(url(older))
    assert f"superseded by CAS {newer.number}" in text(response)
    assert url(newer) not in response.content.decode()


def test_an_expired_cas_says_when_it_expired_and_offers_nothing_to_change(web, cas):
    certificates_expire(cas.use_by + timedelta(days=1))
    page = text(web.get(url(cas)))
    assert "Expired" in page
    assert f"Expired on {timezone.localdate():%-d %B %Y}" in page
    for action in ("Withdraw this CAS", "Add a note", "Update the fees"):
        assert action not in page


def test_a_used_cas_shows_the_outcome_and_may_still_have_its_fees_updated(web, cas):
    cas.status = CertificateStatus.USED
    cas.used_at = timezone.now()
    cas.application_outcome = ApplicationOutcome.GRANTED
    cas.save()
    page = text(web.get(url(cas)))
    assert "Used in an application on 16 November 2026" in page
    assert "Application outcome Granted" in page
    assert "Withdraw this CAS" not in page
    assert "Update the fees" in page
    assert "Add a note" in page


def test_a_draft_says_it_has_no_number_yet(web, level1):
    draft = complete_cas(level1)
    page = text(web.get(url(draft)))
    assert "Draft CAS" in page
    assert "This CAS has not been assigned yet, so it has no number. Continue this draft" in page
    assert "Update the fees" not in page
    assert "Withdraw this CAS" not in page


def test_level2_sees_no_transfer_action(as_user, level2):
    mine = assigned_cas(level2)
    page = text(as_user(level2).get(url(mine)))
    assert "Withdraw this CAS" in page
    assert "Transfer to another user" not in page


# ---------------------------------------------------------------- fees


def test_updating_the_fees(web, cas, level1):
    response = web.get(url(cas, "fees"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="24500.00"' in body
    assert 'value="5000.00"' in body
    response = web.post(
        url(cas, "fees"),
        fees(
            cas.version,
            course_fees_paid="£12,250.50",
            accommodation_included="on",
            accommodation_fees_paid="3000",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == url(cas)
    saved = fresh(cas).cas
    assert saved.course_fees_paid == Decimal("12250.50")
    assert saved.accommodation_included is True
    assert saved.accommodation_fees_paid == Decimal("3000")
    page = text(web.get(url(cas)))
    assert "The fees on CAS E4K7M2P9Q3R8T6 were updated." in page
    assert "Course fees paid to date £12,250.50" in page
    assert "Course fees include accommodation Yes" in page
    history = text(web.get(url(cas, "history")))
    assert "Fees updated Assigned Zoë Hartley (LEVELONE1)" in history
    assert "course fees paid: 5000.00 to 12250.50" in history
    event = AuditEvent.objects.get(verb=AuditVerb.CAS_FEES_UPDATED)
    assert event.actor == level1
    assert event.payload["fields"] == [
        "accommodation_fees_paid",
        "accommodation_included",
        "course_fees_paid",
    ]


def test_fees_paid_above_the_fees_due_are_refused_on_the_field(web, cas):
    response = web.post(
        url(cas, "fees"), fees(cas.version, course_fees_paid="30000", course_fees_first_year="")
    )
    assert response.status_code == 400
    assert field_error(response, "course_fees_first_year") == (
        "Error: Enter the course fees for the first year in pounds, like 18500 (0 if none)"
    )
    response = web.post(url(cas, "fees"), fees(cas.version, course_fees_paid="30000"))
    assert response.status_code == 400
    assert field_error(response, "course_fees_paid") == (
        "Error: The course fees paid to date (£30,000.00) are more than the course fees for "
        "the first year (£24,500.00). Enter the fees paid towards the first year only"
    )
    assert 'href="#id_course_fees_paid"' in response.content.decode()
    saved = fresh(cas)
    assert saved.cas.course_fees_paid == Decimal("5000.00")
    assert saved.version == cas.version
    assert not AuditEvent.objects.filter(verb=AuditVerb.CAS_FEES_UPDATED).exists()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (
            "course_fees_first_year",
            "lots",
            "Enter the course fees for the first year in pounds, like 18500 or 18500.50 "
            "(0 if none)",
        ),
        (
            "course_fees_paid",
            "-5",
            "Enter the course fees paid to date in pounds, like 18500 or 18500.50 (0 if none)",
        ),
        (
            "accommodation_fees_paid",
            "1.234",
            "Enter the accommodation fees paid to date in pounds, like 18500 or 18500.50 "
            "(0 if none)",
        ),
    ],
)
def test_an_amount_that_is_not_pounds_and_pence_is_explained(web, cas, field, typed, message):
    response = web.post(
        url(cas, "fees"), fees(cas.version, accommodation_included="on", **{field: typed})
    )
    assert response.status_code == 400
    assert field_error(response, field) == f"Error: {message}"
    assert fresh(cas).cas.course_fees_first_year == Decimal("24500.00")


def test_accommodation_fees_without_accommodation_are_refused_on_the_field(web, cas):
    response = web.post(url(cas, "fees"), fees(cas.version, accommodation_fees_paid="100"))
    assert response.status_code == 400
    assert "Tick 'course fees include accommodation'" in field_error(
        response, "accommodation_fees_paid"
    )
    assert fresh(cas).cas.accommodation_fees_paid is None


def test_no_fees_paid_yet_is_an_answer(web, cas):
    response = web.post(url(cas, "fees"), fees(cas.version, course_fees_paid="0"))
    assert response.status_code == 302
    assert fresh(cas).cas.course_fees_paid == Decimal("0")


def test_saving_the_same_fees_changes_nothing(web, cas):
    response = web.post(url(cas, "fees"), fees(cas.version))
    assert response.status_code == 302
    assert "Nothing was changed on CAS E4K7M2P9Q3R8T6." in text(web.get(url(cas)))
    assert fresh(cas).version == cas.version
    assert not AuditEvent.objects.filter(verb=AuditVerb.CAS_FEES_UPDATED).exists()


def test_stale_fees_are_refused_with_a_clear_message(web, cas, level1):
    form_version = cas.version
    # Meanwhile, in another tab, someone records a payment.
    cas_fees_update(
        actor=level1,
        certificate=fresh(cas),
        version=form_version,
        values={"course_fees_paid": Decimal("6000")},
        ip=None,
    )
    response = web.post(url(cas, "fees"), fees(form_version, course_fees_paid="7000"))
    assert response.status_code == 409
    assert "Someone changed this since you opened it" in text(response)
    assert fresh(cas).cas.course_fees_paid == Decimal("6000")


def test_a_draft_has_its_fees_changed_on_the_draft_not_here(web, level1):
    draft = complete_cas(level1)
    response = web.get(url(draft, "fees"))
    assert response.status_code == 409
    assert "This CAS is a draft, not assigned yet" in text(response)
    response = web.post(url(draft, "fees"), fees(draft.version, course_fees_paid="1"))
    assert response.status_code == 409
    assert fresh(draft).cas.course_fees_paid == Decimal("5000.00")


@pytest.mark.parametrize("status", ["WITHDRAWN", "EXPIRED", "CANCELLED", "OBSOLETE"])
def test_a_closed_cas_keeps_its_fees(web, cas, status):
    cas.status = status
    cas.save()
    assert web.get(url(cas, "fees")).status_code == 409
    response = web.post(url(cas, "fees"), fees(cas.version, course_fees_paid="1"))
    assert response.status_code == 409
    assert (
        f"This CAS is {status.lower()}: fees can be updated here only on an assigned or used CAS."
        in text(response)
    )
    assert fresh(cas).cas.course_fees_paid == Decimal("5000.00")


# ---------------------------------------------------------------- withdraw


def test_withdrawing_needs_a_reason(web, cas):
    response = web.post(url(cas, "withdraw"), {"version": cas.version, "reason": "  "})
    assert response.status_code == 400
    assert field_error(response, "reason") == (
        "Error: Enter the reason you are withdrawing this CAS"
    )
    assert fresh(cas).status == CertificateStatus.ASSIGNED


def test_withdrawing_with_a_reason(web, cas, level1):
    page = text(web.get(url(cas, "withdraw")))
    assert "Withdraw CAS E4K7M2P9Q3R8T6" in page
    assert "Why are you withdrawing this CAS?" in page
    response = web.post(
        url(cas, "withdraw"), {"version": cas.version, "reason": "The student did not enrol."}
    )
    assert response.status_code == 302
    assert response["Location"] == url(cas)
    saved = fresh(cas)
    assert saved.status == CertificateStatus.WITHDRAWN
    page = text(web.get(url(cas)))
    assert "CAS E4K7M2P9Q3R8T6 was withdrawn." in page
    assert "Withdrawn on 16 November 2026" in page
    assert "Why it was withdrawn The student did not enrol." in page
    history = text(web.get(url(cas, "history")))
    assert (
        "Withdrawn by the sponsor Withdrawn Zoë Hartley (LEVELONE1) The student did not enrol."
        in history
    )
    assert (
        AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_WITHDRAWN, actor=level1).count() == 1
    )


@pytest.mark.parametrize("status", ["USED", "WITHDRAWN", "EXPIRED", "CANCELLED", "OBSOLETE"])
def test_only_an_assigned_cas_can_be_withdrawn(web, cas, status):
    cas.status = status
    cas.save()
    assert web.get(url(cas, "withdraw")).status_code == 409
    response = web.post(url(cas, "withdraw"), {"version": cas.version, "reason": "x"})
    assert response.status_code == 409
    assert "only an assigned CAS can be withdrawn" in text(response)
    assert fresh(cas).status == status


def test_a_stale_withdrawal_is_refused(web, cas, level1):
    version = cas.version
    certificate_note_save(actor=level1, certificate=fresh(cas), version=version, note="x", ip=None)
    response = web.post(url(cas, "withdraw"), {"version": version, "reason": "Not coming"})
    assert response.status_code == 409
    assert "Someone changed this since you opened it" in text(response)
    assert fresh(cas).status == CertificateStatus.ASSIGNED


# ---------------------------------------------------------------- notes


def test_adding_then_amending_the_note_keeps_both_in_the_history(web, cas):
    assert "Add a note" in text(web.get(url(cas, "note")))
    response = web.post(url(cas, "note"), {"version": cas.version, "note": "Starts late."})
    assert response.status_code == 302
    assert "The note on CAS E4K7M2P9Q3R8T6 was added." in text(web.get(url(cas)))
    saved = fresh(cas)
    assert "Amend the note" in text(web.get(url(cas, "note")))
    response = web.post(url(cas, "note"), {"version": saved.version, "note": "Starts 1 Feb."})
    assert response.status_code == 302
    page = text(web.get(url(cas)))
    assert "The note on CAS E4K7M2P9Q3R8T6 was amended." in page
    assert "Sponsor note Starts 1 Feb." in page
    history = text(web.get(url(cas, "history")))
    assert "Sponsor note added Assigned Zoë Hartley (LEVELONE1) Starts late." in history
    assert "Sponsor note amended Assigned Zoë Hartley (LEVELONE1) Starts 1 Feb." in history


def test_an_empty_note_is_refused(web, cas):
    response = web.post(url(cas, "note"), {"version": cas.version, "note": " "})
    assert response.status_code == 400
    assert field_error(response, "note") == "Error: Enter the note"


@pytest.mark.parametrize("status", ["WITHDRAWN", "EXPIRED", "OBSOLETE", "DRAFT"])
def test_notes_only_on_a_live_cas(web, cas, status):
    cas.status = status
    cas.save()
    assert web.get(url(cas, "note")).status_code == 409
    response = web.post(url(cas, "note"), {"version": cas.version, "note": "x"})
    assert response.status_code == 409
    assert "Notes can be added only to an assigned or used CAS" in text(response)
    assert fresh(cas).sponsor_note == ""


# ---------------------------------------------------------------- history


def test_the_history_lists_every_event_oldest_first(web, cas, level1, frozen):
    certificate_note_save(
        actor=level1, certificate=fresh(cas), version=cas.version, note="One", ip=None
    )
    frozen.shift(timedelta(minutes=5))
    saved = fresh(cas)
    cas_fees_update(
        actor=level1,
        certificate=saved,
        version=saved.version,
        values={"course_fees_paid": Decimal("6000")},
        ip=None,
    )
    response = web.get(url(cas, "history"))
    assert response.status_code == 200
    page = text(response)
    assert "Status and activity history of CAS E4K7M2P9Q3R8T6" in page
    assert "16 Nov 2026, 10:00 Sponsor note added" in page
    assert "16 Nov 2026, 10:05 Fees updated" in page
    assert page.index("Sponsor note added") < page.index("Fees updated")


# ---------------------------------------------------------------- transfer


def test_level1_transfers_to_a_level2_user_who_then_sees_it(web, as_user, cas, level2):
    page = text(web.get(url(cas, "transfer")))
    assert "Who should own this CAS?" in page
    assert "Priya Raman (LEVELTWO1, Level 2)" in page
    assert "Zoë Hartley (LEVELONE1, Level 1)" not in page
    response = web.post(url(cas, "transfer"), {"version": cas.version, "to_user": level2.pk})
    assert response.status_code == 302
    assert fresh(cas).owner == level2
    assert "CAS E4K7M2P9Q3R8T6 now belongs to Priya Raman." in text(web.get(url(cas)))
    assert "From Zoë Hartley (LEVELONE1) to Priya Raman (LEVELTWO1)." in text(
        web.get(url(cas, "history"))
    )
    theirs = as_user(level2)
    assert theirs.get(url(cas)).status_code == 200


def test_a_transfer_needs_an_active_user_of_the_organisation(web, cas, sponsor, other_level1):
    response = web.post(url(cas, "transfer"), {"version": cas.version})
    assert response.status_code == 400
    assert "Select who should own this CAS" in text(response)
    gone = Level2Factory(sponsor=sponsor, status="DEACTIVATED_BY_SPONSOR")
    for user in (gone, other_level1):
        response = web.post(url(cas, "transfer"), {"version": cas.version, "to_user": user.pk})
        assert response.status_code == 400
        assert "Select an active user of your organisation" in text(response)
    assert fresh(cas).owner == cas.owner


def test_level2_cannot_transfer(as_user, level2, sponsor):
    mine = assigned_cas(level2)
    other = Level1Factory(sponsor=sponsor)
    client = as_user(level2)
    assert client.get(url(mine, "transfer")).status_code == 403
    response = client.post(url(mine, "transfer"), {"version": mine.version, "to_user": other.pk})
    assert response.status_code == 403
    assert fresh(mine).owner == level2


# ---------------------------------------------------------------- who may reach the pages


def _posted_everything(certificate, to_user) -> dict[str, object]:
    return {
        **fees(certificate.version, course_fees_paid="1"),
        "reason": "x",
        "note": "x",
        "to_user": to_user.pk,
    }


def _untouched(certificate, owner) -> None:
    saved = fresh(certificate)
    assert (saved.status, saved.sponsor_note, saved.owner, saved.cas.course_fees_paid) == (
        CertificateStatus.ASSIGNED,
        "",
        owner,
        Decimal("5000.00"),
    )


@pytest.mark.parametrize("page", PAGES)
def test_another_sponsors_cas_is_not_found(web, other_level1, page):
    theirs = assigned_cas(other_level1)
    assert web.get(url(theirs, page)).status_code == 404
    response = web.post(url(theirs, page), _posted_everything(theirs, other_level1))
    assert response.status_code in (404, 405)
    _untouched(theirs, other_level1)
    assert web.get(f"/cas/{theirs.pk}/print.pdf").status_code == 404


@pytest.mark.parametrize("page", ["", "fees", "withdraw", "note", "history"])
def test_level2_cannot_reach_a_cas_they_do_not_own(as_user, cas, level1, level2, page):
    client = as_user(level2)
    assert client.get(url(cas, page)).status_code == 404
    response = client.post(url(cas, page), _posted_everything(cas, level2))
    assert response.status_code in (404, 405)
    _untouched(cas, level1)


def test_level2_acts_on_their_own_cas(as_user, level2):
    mine = assigned_cas(level2)
    client = as_user(level2)
    response = client.post(url(mine, "fees"), fees(mine.version, course_fees_paid="6000"))
    assert response.status_code == 302
    saved = fresh(mine)
    response = client.post(url(mine, "note"), {"version": saved.version, "note": "Mine."})
    assert response.status_code == 302
    saved = fresh(mine)
    response = client.post(url(mine, "withdraw"), {"version": saved.version, "reason": "Left."})
    assert response.status_code == 302
    saved = fresh(mine)
    assert (saved.status, saved.sponsor_note, saved.cas.course_fees_paid) == (
        CertificateStatus.WITHDRAWN,
        "Mine.",
        Decimal("6000"),
    )


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.DORMANT])
@pytest.mark.parametrize("page", PAGES)
def test_a_suspended_or_dormant_licence_is_refused_everywhere(
    signed_in, level1, sponsor, cas, level2, page, status
):
    sponsor.status = status
    sponsor.save()
    client = signed_in(level1)
    response = client.get(url(cas, page))
    assert response.status_code == 409
    assert f"Not available while your licence is {status.label.lower()}." in text(response)
    assert client.post(url(cas, page), _posted_everything(cas, level2)).status_code == 409
    _untouched(cas, level1)


def test_a_sponsor_without_the_student_route_has_no_cas_pages(signed_in, db):
    workers_only = SponsorFactory(routes=[Route.SKILLED_WORKER])
    user = Level1Factory(sponsor=workers_only)
    theirs = assigned_cas(user)
    client = signed_in(user)
    assert client.get("/cas/").status_code == 403
    assert client.get(url(theirs)).status_code == 403


def test_a_caseworker_is_refused(signed_in, caseworker, cas):
    client = signed_in(caseworker)
    for page in PAGES:
        assert client.get(url(cas, page)).status_code == 403


# ---------------------------------------------------------------- CoS and CAS stay apart


def test_a_cos_is_not_found_on_the_cas_pages_nor_a_cas_on_the_cos_pages(web, level1, cas):
    cos = assigned_certificate(level1, number="C2G8H88871U")
    for page in PAGES:
        assert web.get(url(cos, page)).status_code == 404
        assert web.get(f"/certificates/{cas.pk}/" + (f"{page}/" if page else "")).status_code == (
            404
        )
    assert web.get(f"/cas/{cos.pk}/print.pdf").status_code == 404
    assert web.get(f"/certificates/{cas.pk}/print.pdf").status_code == 404
    response = web.post(url(cos, "withdraw"), {"version": cos.version, "reason": "x"})
    assert response.status_code == 404
    assert fresh(cos).status == CertificateStatus.ASSIGNED


# ---------------------------------------------------------------- the daily sweep


def test_an_unused_cas_expires_after_its_six_month_use_by(web, level1, sponsor, frozen):
    AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=5, used=0)
    draft = complete_cas(level1)
    cas = certificate_assign(actor=level1, certificate=draft, version=draft.version, ip=None)
    assert fresh(cas).use_by == date(2027, 5, 16)
    # Still usable on its use-by date.
    assert certificates_expire(date(2027, 5, 16)) == 0
    assert fresh(cas).status == CertificateStatus.ASSIGNED
    assert certificates_expire(date(2027, 5, 17)) == 1
    assert fresh(cas).status == CertificateStatus.EXPIRED
    # Twice is once.
    assert certificates_expire(date(2027, 5, 17)) == 0
    page = text(web.get(url(cas)))
    assert "Use by 16 May 2027" in page
    assert "Expired" in page
    history = text(web.get(url(cas, "history")))
    assert "Expired unused Expired The service Not used by its use-by date." in history
    event = AuditEvent.objects.get(verb=AuditVerb.CERTIFICATES_EXPIRED)
    assert event.payload == {"numbers": [cas.number]}


def test_a_used_cas_never_expires(level1, caseworker):
    cas = assigned_cas(level1)
    certificate_mark_used(actor=caseworker, certificate=cas, ip=None)
    assert certificates_expire(cas.use_by + timedelta(days=1)) == 0
    assert fresh(cas).status == CertificateStatus.USED
