"""Batches of CAS: drafts made together for a list of students (optionally based on a CAS: its
course, study address, ATAS and fees, never the student), linked and unlinked, assigned one by
one until the allocation runs out, and handed over together. They never mix with batches of
certificates of sponsorship."""

from decimal import Decimal

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import (
    Batch,
    BatchKind,
    Certificate,
    CertificateKind,
    CertificateStatus,
)
from sponsorship.certificates.selectors import batch_get_for_user, batch_list_for_user
from sponsorship.certificates.services import (
    batch_add_drafts,
    batch_assign,
    batch_create,
    batch_link,
    batch_transfer,
    batch_unlink,
)
from sponsorship.certificates.tests.factories import (
    StudyAddressFactory,
    assigned_cas,
    assigned_certificate,
    complete_cas,
    complete_draft,
)
from sponsorship.core.errors import ApplicationError, NotFound, StaleEdit
from sponsorship.licences.models import Allocation, Rating, Route
from sponsorship.licences.tests.factories import AllocationFactory
from sponsorship.licences.tests.web.support import rate

pytestmark = pytest.mark.django_db

ALLOCATION_MESSAGE = (
    "You have insufficient remaining allocation for Student. Request an increase to your "
    "allocation."
)


@pytest.fixture(autouse=True)
def students(sponsor):
    rate(sponsor, Route.STUDENT, Rating.A)
    return sponsor


def cas_batch(user, name="MSc Marine Biology, January 2027"):
    return batch_create(
        actor=user,
        kind=BatchKind.BATCH,
        name=name,
        certificate_kind=CertificateKind.CAS,
        ip="192.0.2.7",
    )


def add(user, batch, names, *, route=Route.STUDENT, based_on=None):
    return batch_add_drafts(
        actor=user,
        batch=batch,
        family_names=names,
        route=route,
        category="",
        based_on=based_on,
        ip=None,
    )


def test_a_batch_of_cas_is_made_and_audited(level1):
    batch = cas_batch(level1)
    assert (batch.certificate_kind, batch.kind, batch.owner) == (
        CertificateKind.CAS,
        BatchKind.BATCH,
        level1,
    )
    event = AuditEvent.objects.get(verb=AuditVerb.BATCH_CREATED)
    assert event.payload["certificate_kind"] == CertificateKind.CAS
    assert event.ip_address == "192.0.2.7"


def test_cas_are_never_prepared_in_a_group(level1, sponsor):
    rate(sponsor, Route.CREATIVE_WORKER, Rating.A)
    with pytest.raises(ApplicationError) as refused:
        batch_create(
            actor=level1,
            kind=BatchKind.GROUP,
            name="Cast",
            certificate_kind=CertificateKind.CAS,
            ip=None,
        )
    assert refused.value.field == "kind"
    assert "CAS are prepared in batches" in refused.value.message
    assert not Batch.objects.exists()


def test_drafts_are_made_for_a_list_of_students(level1):
    batch = cas_batch(level1)
    made = add(level1, batch, "Okafor\n\n  Nguyễn  \nSilva")
    assert [c.family_name for c in made] == ["Okafor", "Nguyễn", "Silva"]
    for draft in made:
        draft.refresh_from_db()
        assert (draft.kind, draft.route, draft.status, draft.batch) == (
            CertificateKind.CAS,
            Route.STUDENT,
            CertificateStatus.DRAFT,
            batch,
        )
        assert draft.cas.course_title == ""
    assert AuditEvent.objects.get(verb=AuditVerb.BATCH_CHANGED).payload["added"] == [
        c.pk for c in made
    ]


def test_adding_drafts_needs_names_and_a_student_route(level1):
    batch = cas_batch(level1)
    with pytest.raises(ApplicationError) as refused:
        add(level1, batch, " \n ")
    assert refused.value.field == "family_names"
    assert refused.value.message == "Enter the family name of each student, one on each line"
    for route in ("", Route.SKILLED_WORKER):
        with pytest.raises(ApplicationError) as refused:
            add(level1, batch, "Okafor", route=route)
        assert refused.value.field == "route"
        assert refused.value.message == (
            "Select Student or Child Student, or give a CAS to base them on"
        )
    with pytest.raises(ApplicationError) as refused:
        add(level1, batch, "Okafor", route=Route.CHILD_STUDENT)
    assert "does not include the Child Student route" in refused.value.message
    with pytest.raises(ApplicationError, match="Add up to 100 students at a time"):
        add(level1, batch, "\n".join(f"S{n}" for n in range(101)))
    assert not Certificate.objects.exists()


def test_drafts_based_on_a_cas_copy_its_course_never_the_student(level1, sponsor):
    campus = StudyAddressFactory(sponsor=sponsor, created_by=level1)
    source = assigned_cas(
        level1,
        atas_required=True,
        atas_reference="ATAS-77",
        accommodation_included=True,
        accommodation_fees_paid=Decimal("3000"),
        partner_institution="Marine Station",
    )
    source.cas.study_address = campus
    source.cas.save()
    batch = cas_batch(level1)
    made = add(level1, batch, "Okafor\nSilva", route="", based_on=source)
    for draft in made:
        draft = Certificate.objects.select_related("cas").get(pk=draft.pk)
        cas = draft.cas
        assert draft.based_on == source
        assert draft.batch == batch
        assert draft.route == source.route
        # The course, where it is studied, ATAS and fees.
        assert (cas.course_title, cas.academic_level, cas.course_start_date) == (
            "MSc Marine Biology",
            source.cas.academic_level,
            source.cas.course_start_date,
        )
        assert (cas.weekly_study_hours, cas.study_mode, cas.partner_institution) == (
            Decimal("20"),
            source.cas.study_mode,
            "Marine Station",
        )
        assert (cas.study_address_line_1, cas.study_postcode, cas.study_address_id) == (
            "University Avenue",
            "AB24 3FX",
            campus.pk,
        )
        assert (cas.atas_required, cas.atas_reference) == (True, "ATAS-77")
        assert (cas.course_fees_first_year, cas.course_fees_paid) == (
            Decimal("24500"),
            Decimal("5000"),
        )
        assert (cas.accommodation_included, cas.accommodation_fees_paid) == (
            True,
            Decimal("3000"),
        )
        # Nothing about the student: not their passport, their ID, their names or English.
        assert (draft.given_names, draft.passport_number, draft.date_of_birth) == ("", "", None)
        assert (cas.student_id, cas.english_method, cas.selt_reference) == ("", "", "")
    assert [c.family_name for c in made] == ["Okafor", "Silva"]


def test_a_batch_of_cas_holds_cas_only_and_a_batch_of_cos_certificates_only(level1):
    batch = cas_batch(level1)
    worker = complete_draft(level1)
    with pytest.raises(ApplicationError) as refused:
        batch_link(actor=level1, batch=batch, certificate=worker, ip=None)
    assert refused.value.message == "This batch holds CAS only: choose a CAS"
    with pytest.raises(ApplicationError, match="This batch holds CAS only"):
        add(level1, batch, "Okafor", based_on=assigned_certificate(level1))
    cos_batch = batch_create(actor=level1, kind=BatchKind.BATCH, name="Workers", ip=None)
    with pytest.raises(ApplicationError) as refused:
        batch_link(actor=level1, batch=cos_batch, certificate=complete_cas(level1), ip=None)
    assert refused.value.message == (
        "This batch holds certificates of sponsorship only: choose a certificate"
    )
    with pytest.raises(ApplicationError):
        batch_add_drafts(
            actor=level1,
            batch=cos_batch,
            family_names="Silva",
            route="",
            category="",
            based_on=assigned_cas(level1),
            ip=None,
        )
    assert not Certificate.objects.filter(batch__isnull=False).exists()


def test_selectors_keep_the_kinds_apart(level1):
    batch = cas_batch(level1)
    cos_batch = batch_create(actor=level1, kind=BatchKind.BATCH, name="Workers", ip=None)
    assert list(batch_list_for_user(user=level1, kind=CertificateKind.CAS)) == [batch]
    assert list(batch_list_for_user(user=level1)) == [cos_batch]
    with pytest.raises(NotFound):
        batch_get_for_user(user=level1, batch_id=batch.pk)
    with pytest.raises(NotFound):
        batch_get_for_user(user=level1, batch_id=cos_batch.pk, kind=CertificateKind.CAS)


def test_an_allocation_of_one_assigns_one_and_says_why_not_for_the_others(level1, sponsor):
    allocation = AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=1)
    batch = cas_batch(level1)
    first = complete_cas(level1, student_id="S-1", passport_number="P1")
    unready = complete_cas(level1, student_id="S-2", passport_number="P2", course_title="")
    second = complete_cas(level1, student_id="S-3", passport_number="P3")
    for draft in (first, unready, second):
        batch_link(actor=level1, batch=batch, certificate=draft, ip=None)
    batch.refresh_from_db()

    outcome = batch_assign(actor=level1, batch=batch, version=batch.version, ip=None)

    assert [c.pk for c in outcome.assigned] == [first.pk]
    assert len(outcome.assigned[0].number) == 14
    refused = {c.pk: reasons for c, reasons in outcome.refused}
    assert refused[unready.pk] == ["Enter the course title"]
    assert refused[second.pk] == [ALLOCATION_MESSAGE]
    assert Certificate.objects.get(pk=second.pk).status == CertificateStatus.DRAFT
    assert Allocation.objects.get(pk=allocation.pk).used == 1
    event = AuditEvent.objects.get(verb=AuditVerb.BATCH_ASSIGNED)
    assert event.payload["assigned"] == [outcome.assigned[0].number]


def test_once_the_allocation_is_out_each_draft_still_says_what_it_lacks(level1, sponsor):
    AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=1)
    batch = cas_batch(level1)
    ready = complete_cas(level1, student_id="S-1", passport_number="P1")
    unready = complete_cas(level1, student_id="S-2", passport_number="P2", study_mode="")
    for draft in (ready, unready):
        batch_link(actor=level1, batch=batch, certificate=draft, ip=None)
    batch.refresh_from_db()
    outcome = batch_assign(actor=level1, batch=batch, version=batch.version, ip=None)
    assert [c.pk for c in outcome.assigned] == [ready.pk]
    assert outcome.refused[0][1] == ["Select whether the course is full time or part time"]


def test_a_stale_batch_is_not_assigned(level1, sponsor):
    AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=5)
    batch = cas_batch(level1)
    batch_link(actor=level1, batch=batch, certificate=complete_cas(level1), ip=None)
    with pytest.raises(StaleEdit):
        batch_assign(actor=level1, batch=batch, version=batch.version + 5, ip=None)
    assert not Certificate.objects.exclude(status=CertificateStatus.DRAFT).exists()


def test_drafts_are_taken_out_and_stay_drafts(level1):
    batch = cas_batch(level1)
    draft = complete_cas(level1)
    batch_link(actor=level1, batch=batch, certificate=draft, ip=None)
    batch_unlink(actor=level1, batch=batch, certificate=draft, ip=None)
    draft.refresh_from_db()
    assert (draft.batch, draft.status) == (None, CertificateStatus.DRAFT)
    assigned = assigned_cas(level1)
    with pytest.raises(ApplicationError, match=r"CAS E[0-9]+ is already assigned"):
        batch_link(actor=level1, batch=batch, certificate=assigned, ip=None)


def test_handing_over_a_batch_of_cas_hands_over_its_cas(level1, level2):
    batch = cas_batch(level1)
    drafts = add(level1, batch, "Okafor\nSilva")
    batch_transfer(actor=level1, batch=batch, version=batch.version, to_user_id=level2.pk, ip=None)
    assert {c.owner_id for c in Certificate.objects.filter(batch=batch)} == {level2.pk}
    assert drafts[0].events.last().action == "TRANSFERRED"
    assert AuditEvent.objects.filter(verb=AuditVerb.BATCH_TRANSFERRED).count() == 1
