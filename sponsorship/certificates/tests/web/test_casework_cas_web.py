"""The Home Office's certificate pages with a CAS: finding it by its number (or the student's
passport number) among every sponsor's CoS and CAS, reading its course, study address, English
and fees, marking it used, recording the outcome, cancelling it, printing it. The pages say
"CAS" and "student" where a CoS's say "certificate" and "worker"."""

import pytest
from django.urls import reverse

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates import services
from sponsorship.certificates.models import ApplicationOutcome, Certificate, CertificateStatus
from sponsorship.certificates.tests.factories import (
    assigned_cas,
    assigned_certificate,
    complete_cas,
)
from sponsorship.certificates.tests.test_printing import pdf_text
from sponsorship.licences.models import LicenceStatus, Route
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory
from sponsorship.licences.tests.web.support import field_error, queries_for, text


@pytest.fixture
def sponsor(db):
    return SponsorFactory(name="Harbour View College", routes=[Route.SKILLED_WORKER, Route.STUDENT])


@pytest.fixture
def other_sponsor(db):
    return SponsorFactory(name="Other College", routes=[Route.STUDENT])


@pytest.fixture
def casework(signed_in, caseworker):
    return signed_in(caseworker)


@pytest.fixture
def cas(other_level1):
    return assigned_cas(other_level1, number="E4K7M2P9Q3R8T6")


def url(name: str, certificate: Certificate | None = None) -> str:
    args = [certificate.pk] if certificate is not None else []
    return reverse(f"casework:certificates:{name}", args=args)


def fresh(certificate: Certificate) -> Certificate:
    return Certificate.objects.get(pk=certificate.pk)


def audited(verb: AuditVerb) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb))


# Finding


@pytest.mark.parametrize("query", ["E4K7M2P9Q3R8T6", " e4k7 m2p9 q3r8 t6 "])
def test_find_a_cas_by_its_number_whatever_the_case_and_spaces(casework, cas, level1, query):
    assigned_cas(level1, number="E4K7M2P9Q3R8T7")
    page = text(casework.get(url("find"), {"q": query}))
    assert "1 certificate found for E4K7M2P9Q3R8T6" in page
    assert "E4K7M2P9Q3R8T6 Łukasz Marek Kowalczyk EP1234567 Other College" in page
    assert "E4K7M2P9Q3R8T7" not in page
    assert "E4K7M2P9Q3R8T6 (a CAS)" in page


def test_a_passport_finds_the_cas_and_the_cos_each_marked_with_its_type(casework, cas, level1):
    cos = assigned_certificate(level1, number="C2G8H88871U")
    complete_cas(level1)  # a draft: the sponsor's own work
    response = casework.get(url("find"), {"q": "EP1234567"})
    page = text(response)
    assert "2 certificates found for EP1234567" in page
    rows = response.content.decode()
    assert f'href="{url("detail", cas)}">E4K7M2P9Q3R8T6</a>' in rows
    assert f'href="{url("detail", cos)}">C2G8H88871U</a>' in rows
    assert "Assigned 17 May 2027 CAS" in page
    assert "Assigned 15 February 2027 CoS" in page


def test_the_search_query_count_does_not_grow_with_cas_rows(casework, level1, other_level1):
    for n in range(3):
        assigned_cas(other_level1 if n % 2 else level1)
    few = queries_for(casework, url("find") + "?q=EP1234567")
    for n in range(27):
        assigned_cas(other_level1 if n % 2 else level1)
    assert queries_for(casework, url("find") + "?q=EP1234567") == few


# Reading


def test_the_cas_page_shows_the_student_course_and_every_section(casework, cas, other_level1):
    services.certificate_note_save(
        actor=other_level1, certificate=cas, version=cas.version, note="Starts late.", ip=None
    )
    page = text(casework.get(url("detail", cas)))
    assert "Other College · licence" in page
    assert "CAS E4K7M2P9Q3R8T6" in page
    assert "Student Łukasz Marek Kowalczyk" in page
    assert "Student ID S2026-0042" in page
    assert "Course MSc Marine Biology, starting 18 January 2027" in page
    assert "Use by 17 May 2027" in page
    for words in (
        "Student details",
        "Academic level RQF 7 (master's degree)",
        "Main study address Address line 1 University Avenue",
        "English language How English was assessed Secure English Language Test (SELT)",
        "Academic Technology Approval Scheme (ATAS)",
        "Course fees for the first year £24,500.00",
        "Sponsor note Starts late.",
        "Sponsor note added Assigned",
    ):
        assert words in page, words
    assert "Job title" not in page
    assert "Mark as used" in page
    assert "Cancel CAS" in page
    assert "Print the CAS and its history (PDF)" in page


def test_an_obsolete_cas_links_to_the_one_that_replaced_it(casework, level1, sponsor):
    AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=5, used=0)
    older = assigned_cas(level1, number="E0000000000001")
    newer = complete_cas(level1)
    services.certificate_assign(actor=level1, certificate=newer, version=newer.version, ip=None)
    response = casework.get(url("detail", older))
    page = text(response)
    assert "Status Obsolete" in page
    assert f"Superseded by CAS {newer.number}" in page
    assert f'href="{url("detail", newer)}"' in response.content.decode()
    assert "An obsolete CAS cannot be marked as used or cancelled." in page
    assert "Mark as used" not in page


# Acting


def test_mark_used_then_the_outcome_then_cancel(casework, cas, caseworker):
    confirm = casework.get(url("mark_used", cas))
    assert "Mark CAS E4K7M2P9Q3R8T6 as used" in text(confirm)
    assert "an application relying on this CAS has been lodged" in text(confirm)
    page = text(casework.post(url("mark_used", cas), follow=True))
    assert "CAS E4K7M2P9Q3R8T6 is marked as used." in page
    assert "Status Used" in page
    assert fresh(cas).status == CertificateStatus.USED

    page = text(
        casework.post(
            url("outcome", cas), {"outcome": ApplicationOutcome.REJECTED_INVALID}, follow=True
        )
    )
    assert "It is assigned again and the student can rely on it in another application." in page
    assert "the CAS can be relied on again" in page
    assert fresh(cas).status == CertificateStatus.ASSIGNED

    form = casework.get(url("cancel", cas))
    assert "Why are you cancelling this CAS?" in text(form)
    check = text(casework.post(url("cancel", cas), {"reason": "Forged transcript."}))
    assert "Check before you cancel CAS E4K7M2P9Q3R8T6" in check
    assert "Student Łukasz Marek Kowalczyk" in check
    page = text(
        casework.post(
            url("cancel", cas), {"reason": "Forged transcript.", "confirmed": "yes"}, follow=True
        )
    )
    assert "CAS E4K7M2P9Q3R8T6 is cancelled." in page
    assert "Reason cancelled Forged transcript." in page
    assert fresh(cas).status == CertificateStatus.CANCELLED
    assert [e.actor_id for e in audited(AuditVerb.CERTIFICATE_CANCELLED)] == [caseworker.pk]


def test_a_granted_cas_is_used_for_good(casework, cas, caseworker):
    services.certificate_mark_used(actor=caseworker, certificate=cas, ip=None)
    page = text(
        casework.post(url("outcome", cas), {"outcome": ApplicationOutcome.GRANTED}, follow=True)
    )
    assert "Application outcome Granted: the CAS can never be used again" in page
    again = casework.post(url("outcome", cas), {"outcome": ApplicationOutcome.VOID})
    assert again.status_code == 409
    assert (
        "The outcome of the application CAS E4K7M2P9Q3R8T6 was used in is already recorded: "
        "granted." in text(again)
    )


def test_cancel_needs_a_reason(casework, cas):
    response = casework.post(url("cancel", cas), {"reason": " "})
    assert response.status_code == 400
    assert field_error(response, "reason") == (
        "Error: Enter the reason for cancelling the certificate"
    )
    assert fresh(cas).status == CertificateStatus.ASSIGNED


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (
            "mark_used",
            "CAS E4K7M2P9Q3R8T6 is obsolete: only an assigned CAS can be marked as used.",
        ),
        (
            "outcome",
            "CAS E4K7M2P9Q3R8T6 is obsolete: an outcome can be recorded only for a used CAS",
        ),
        (
            "cancel",
            "CAS E4K7M2P9Q3R8T6 is obsolete: only an assigned or used CAS can be cancelled.",
        ),
    ],
)
def test_an_obsolete_cas_cannot_be_acted_on(casework, cas, page, message):
    cas.status = CertificateStatus.OBSOLETE
    cas.save()
    response = casework.post(url(page, cas), {"reason": "x", "confirmed": "yes", "outcome": "VOID"})
    assert response.status_code == 409
    shown = text(response)
    assert message in shown
    assert "Go back to CAS E4K7M2P9Q3R8T6" in shown
    assert fresh(cas).status == CertificateStatus.OBSOLETE


def test_the_home_office_acts_whatever_the_licence_status(casework, cas, other_sponsor):
    other_sponsor.status = LicenceStatus.SUSPENDED
    other_sponsor.save()
    casework.post(url("mark_used", cas))
    assert fresh(cas).status == CertificateStatus.USED


@pytest.mark.parametrize("page", ["detail", "mark_used", "outcome", "cancel", "print"])
def test_a_cas_draft_is_not_found_by_the_home_office(casework, level1, page):
    assert casework.get(url(page, complete_cas(level1))).status_code == 404


@pytest.mark.parametrize("actor", ["level1", "level2"])
def test_sponsor_users_are_refused_the_casework_cas_pages(request, signed_in, actor):
    user = request.getfixturevalue(actor)
    mine = assigned_cas(user)
    client = signed_in(user)
    for name in ("detail", "mark_used", "outcome", "cancel", "print"):
        assert client.post(url(name, mine), {"reason": "x", "confirmed": "yes"}).status_code == (
            403
        )
    assert client.get(url("find"), {"q": mine.number}).status_code == 403
    assert fresh(mine).status == CertificateStatus.ASSIGNED


# Printing


def test_a_caseworker_prints_a_cas_audited(casework, cas, caseworker, other_level1):
    response = casework.get(url("print", cas))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="E4K7M2P9Q3R8T6.pdf"'
    printed = pdf_text(response.content)
    assert "Confirmation of Acceptance for Studies" in printed
    assert "Course title MSc Marine Biology" in printed
    assert "Sponsor Other College" in printed
    event = audited(AuditVerb.CERTIFICATE_PRINTED)[0]
    assert (event.actor_id, event.sponsor_id) == (caseworker.pk, other_level1.sponsor_id)
