"""A CAS printed: its status block (no charges; an obsolete one names the CAS that replaced it),
the student, course, study address, English, ATAS and fees sections, names in any alphabet as
written, user text never read as markup; downloaded from the sponsor's CAS page (a Level 2
user's own only, refused while the licence is suspended), always audited."""

import pytest
from django.urls import reverse

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import CertificateStatus
from sponsorship.certificates.printing import FONT, FONT_BOLD, certificate_pdf
from sponsorship.certificates.sections import CAS_SECTIONS
from sponsorship.certificates.services import certificate_assign
from sponsorship.certificates.tests.factories import (
    assigned_cas,
    assigned_certificate,
    complete_cas,
)
from sponsorship.certificates.tests.test_printing import _fonts, pdf_pages, pdf_text
from sponsorship.licences.models import LicenceStatus, Route
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory


@pytest.fixture
def sponsor(db):
    return SponsorFactory(name="Harbour View College", routes=[Route.SKILLED_WORKER, Route.STUDENT])


@pytest.fixture
def other_sponsor(db):
    return SponsorFactory(name="Other College", routes=[Route.STUDENT])


def _url(certificate) -> str:
    return reverse("certificates:cas_print", args=[certificate.pk])


def _printed():
    return AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_PRINTED)


# ---------------------------------------------------------------- what the PDF holds


def test_the_status_block_of_a_cas_has_no_charges(level1):
    cas = assigned_cas(level1, number="E4K7M2P9Q3R8T6")
    page = pdf_pages(certificate_pdf(cas, invariant=True))[0]
    assert page.startswith("Sponsor Management System Confirmation of Acceptance for Studies")
    for words in (
        "CAS number E4K7M2P9Q3R8T6",
        "Status Assigned",
        "Sponsor Harbour View College",
        "Route Student",
        "Assigned on 16 November 2026",
        "Use by 17 May 2027",
    ):
        assert words in page, words
    assert "Certificate fee" not in page
    assert "Immigration Skills Charge" not in page


def test_every_cas_section_prints_as_labels_and_values(level1):
    cas = assigned_cas(level1, atas_required=True, atas_reference="ATAS-2026-001")
    text = pdf_text(certificate_pdf(cas, invariant=True))
    for section in CAS_SECTIONS:
        assert section.title in text, section.title
    for words in (
        "Student ID S2026-0042",
        "Course title MSc Marine Biology",
        "Academic level RQF 7 (master's degree)",
        "Course start date 18 January 2027",
        "Hours of study a week 20",
        "Full or part time Full time",
        "Main study address Address line 1 University Avenue",
        "Town or city Aberdeen",
        "Part of the UK Scotland",
        "How English was assessed Secure English Language Test (SELT)",
        "SELT provider IELTS",
        "SELT speaking level B2",
        "ATAS certificate required Yes",
        "ATAS certificate reference ATAS-2026-001",
        "Course fees for the first year £24,500.00",
        "Course fees paid to date £5,000.00",
        "Course fees include accommodation No",
    ):
        assert words in text, words
    # Nothing of a CoS.
    assert "Job title" not in text


def test_a_vietnamese_name_and_course_print_as_written_in_dejavu(level1):
    cas = assigned_cas(
        level1,
        family_name="Nguyễn",
        given_names="Văn An",
        course_title="Thạc sĩ Sinh học Biển: Ocean Ecology",
        study_town="Đà Nẵng campus, Aberdeen",
    )
    pdf = certificate_pdf(cas, invariant=True)
    text = pdf_text(pdf)
    assert "Family name Nguyễn" in text
    assert "Given names Văn An" in text
    assert "Course title Thạc sĩ Sinh học Biển: Ocean Ecology" in text
    assert "Town or city Đà Nẵng campus, Aberdeen" in text
    assert {f.split("+")[-1] for f in _fonts(pdf)} == {FONT, FONT_BOLD}
    assert b"Helvetica" not in pdf


def test_student_and_course_text_is_printed_literally_never_as_markup(level1):
    hostile = '<font size="40">big</font> & <img src="/etc/passwd"/>'
    cas = assigned_cas(level1, course_title=hostile, student_id="<b>1</b>&")
    cas.sponsor_note = "<para>broken & </i>"
    cas.save()
    text = pdf_text(certificate_pdf(cas, invariant=True))
    assert f"Course title {hostile}" in text
    assert "Student ID <b>1</b>&" in text
    assert "<para>broken & </i>" in text


def test_an_obsolete_cas_names_the_one_that_replaced_it(level1, sponsor):
    AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=5, used=0)
    older = assigned_cas(level1, number="E0000000000001")
    newer = complete_cas(level1)
    certificate_assign(actor=level1, certificate=newer, version=newer.version, ip=None)
    older.refresh_from_db()
    assert older.status == CertificateStatus.OBSOLETE
    text = pdf_text(certificate_pdf(older, invariant=True))
    assert "Status Obsolete" in text
    assert f"Superseded by CAS {newer.number}" in text
    assert "Made obsolete by a later CAS Obsolete" in text


def test_a_draft_cas_is_marked_as_not_assigned(level1):
    draft = complete_cas(level1)
    text = pdf_text(certificate_pdf(draft, invariant=True))
    assert "CAS number DRAFT \N{EN DASH} not assigned" in text
    assert "Charged on assignment" not in text


# ---------------------------------------------------------------- the download


def test_the_owner_downloads_the_pdf_and_it_is_audited(signed_in, level1):
    cas = assigned_cas(level1, number="E4K7M2P9Q3R8T6", family_name="Nguyễn")
    response = signed_in(level1).get(_url(cas))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="E4K7M2P9Q3R8T6.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    assert "CAS number E4K7M2P9Q3R8T6" in text
    assert "Family name Nguyễn" in text
    event = _printed().get()
    assert (event.actor_id, event.sponsor_id, event.target_id) == (
        level1.pk,
        level1.sponsor_id,
        str(cas.pk),
    )


def test_a_level_2_user_prints_their_own_not_anothers(signed_in, client, level1, level2):
    mine = assigned_cas(level2)
    not_mine = assigned_cas(level1)
    web = signed_in(level2)
    assert web.get(_url(mine)).status_code == 200
    assert web.get(_url(not_mine)).status_code == 404
    assert _printed().count() == 1


def test_another_sponsors_cas_is_404(signed_in, level1, other_level1):
    theirs = assigned_cas(other_level1)
    response = signed_in(level1).get(_url(theirs))
    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert not _printed().exists()


def test_a_cos_is_404_on_the_cas_print_address(signed_in, level1):
    cos = assigned_certificate(level1)
    assert signed_in(level1).get(_url(cos)).status_code == 404
    assert not _printed().exists()


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.DORMANT])
def test_refused_while_the_licence_is_suspended_or_dormant(signed_in, level1, sponsor, status):
    cas = assigned_cas(level1)
    client = signed_in(level1)
    sponsor.status = status
    sponsor.save()
    response = client.get(_url(cas))
    assert response.status_code == 409
    assert f"Not available while your licence is {status.label.lower()}." in (
        response.content.decode()
    )
    assert not _printed().exists()


def test_caseworkers_use_their_own_print_page(signed_in, level1, caseworker):
    assert signed_in(caseworker).get(_url(assigned_cas(level1))).status_code == 403
