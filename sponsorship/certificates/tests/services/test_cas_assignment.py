"""Assigning a CAS: a 14-character number, one unit of the Student allocation, no fee, a use-by
date six months on, its history and audit trail; and the earlier CAS for the same student and
course made OBSOLETE (DOMAIN.md "Confirmation of Acceptance for Studies")."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import (
    Certificate,
    CertificateAction,
    CertificateEvent,
    CertificateStatus,
)
from sponsorship.certificates.numbering import ALPHABET
from sponsorship.certificates.services import (
    certificate_assign,
    certificate_note_save,
    certificate_withdraw,
)
from sponsorship.certificates.tests.factories import assigned_cas, complete_cas
from sponsorship.core.errors import (
    AllocationExhausted,
    Conflict,
    InvalidTransition,
    NotReady,
    StaleEdit,
)
from sponsorship.licences.models import Allocation, LicenceStatus, Rating, Route
from sponsorship.licences.tests.factories import AllocationFactory
from sponsorship.licences.tests.web.support import rate

LONDON = ZoneInfo("Europe/London")
IP = "198.51.100.20"
NO_ALLOCATION = (
    "You have insufficient remaining allocation for Student. Request an increase to your "
    "allocation."
)


@pytest.fixture(autouse=True)
def _students(sponsor, other_sponsor):
    for licence in (sponsor, other_sponsor):
        rate(licence, Route.STUDENT, Rating.A)


@pytest.fixture
def allocation(sponsor):
    return AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=5, used=0)


def assign(certificate, actor=None, version=None):
    return certificate_assign(
        actor=actor or certificate.owner,
        certificate=certificate,
        version=certificate.version if version is None else version,
        ip=IP,
    )


def stored(certificate) -> Certificate:
    return Certificate.objects.select_related("cas").get(pk=certificate.pk)


def used(allocation) -> int:
    return Allocation.objects.values_list("used", flat=True).get(pk=allocation.pk)


def assert_unchanged(certificate, allocation=None):
    saved = stored(certificate)
    assert (saved.status, saved.number, saved.version, saved.use_by) == (
        CertificateStatus.DRAFT,
        None,
        1,
        None,
    )
    assert not CertificateEvent.objects.filter(certificate=certificate).exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_ASSIGNED).exists()
    if allocation is not None:
        assert used(allocation) == 0


def test_assigning_a_complete_cas(sponsor, level1, allocation):
    certificate = complete_cas(level1)

    assign(certificate)

    saved = stored(certificate)
    assert saved.status == CertificateStatus.ASSIGNED
    assert len(saved.number) == 14
    assert saved.number[0] == "E"
    assert set(saved.number[1:]) <= set(ALPHABET)
    assert saved.assigned_at == datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)
    assert saved.assigned_by == level1
    # Assigned on Monday 16 November 2026: use by 16 May 2027.
    assert saved.use_by == date(2027, 5, 16)
    assert saved.allocation == allocation
    assert (saved.fee_pence, saved.skills_charge_pence) == (0, 0)
    assert saved.version == 2
    assert used(allocation) == 1

    event = CertificateEvent.objects.get(certificate=certificate, action=CertificateAction.ASSIGNED)
    assert (event.status, event.actor, event.text) == (
        CertificateStatus.ASSIGNED,
        level1,
        "Use by 16 May 2027.",
    )
    (audit,) = AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_ASSIGNED)
    assert (audit.sponsor, audit.actor, audit.ip_address) == (sponsor, level1, IP)
    assert {
        key: audit.payload[key]
        for key in ("status", "number", "fee_pence", "skills_charge_pence", "allocation_remaining")
    } == {
        "status": "ASSIGNED",
        "number": saved.number,
        "fee_pence": 0,
        "skills_charge_pence": 0,
        "allocation_remaining": 4,
    }
    assert "superseded" not in audit.payload


def test_numbers_are_different_each_time(level1, allocation):
    numbers = set()
    for n in range(5):
        certificate = complete_cas(level1, passport_number=f"PA{n:07d}", student_id=f"S{n}")
        numbers.add(assign(certificate).number)
    assert len(numbers) == 5
    assert used(allocation) == 5


def test_a_level_2_user_assigns_their_own_cas(level2, allocation):
    certificate = complete_cas(level2)
    assign(certificate)
    assert stored(certificate).assigned_by == level2


def test_an_incomplete_cas_is_refused_naming_every_field(level1, allocation):
    certificate = complete_cas(
        level1, course_title="", english_level="B1", course_fees_paid=None, sex=""
    )
    with pytest.raises(NotReady) as caught:
        assign(certificate)
    assert [field for field, _ in caught.value.errors] == [
        "sex",
        "course_title",
        "course_fees_paid",
        "english_level",
    ]
    assert caught.value.message == (
        "This CAS cannot be assigned yet. Select the student's sex: female, male or unspecified."
    )
    assert_unchanged(certificate, allocation)


def test_an_exhausted_allocation_is_refused_and_nothing_is_taken(level1, allocation):
    Allocation.objects.filter(pk=allocation.pk).update(used=5)
    certificate = complete_cas(level1)
    with pytest.raises(AllocationExhausted) as caught:
        assign(certificate)
    assert caught.value.message == NO_ALLOCATION
    assert_unchanged(certificate)
    assert used(allocation) == 5


def test_no_student_allocation_at_all_is_refused(level1):
    AllocationFactory(sponsor=level1.sponsor, route=Route.SKILLED_WORKER, limit=5)
    certificate = complete_cas(level1)
    with pytest.raises(AllocationExhausted):
        assign(certificate)
    assert_unchanged(certificate)


@pytest.mark.parametrize(
    ("status", "code"),
    [(LicenceStatus.SUSPENDED, "licence_suspended"), (LicenceStatus.DORMANT, "licence_dormant")],
)
def test_a_suspended_or_dormant_licence_assigns_nothing(sponsor, level1, allocation, status, code):
    certificate = complete_cas(level1)
    sponsor.status = status
    sponsor.save()
    certificate.sponsor.status = status
    with pytest.raises(Conflict) as caught:
        assign(certificate)
    assert caught.value.code == code
    assert_unchanged(certificate, allocation)


def test_a_stale_cas_is_refused(level1, allocation):
    certificate = complete_cas(level1)
    with pytest.raises(StaleEdit):
        assign(certificate, version=2)
    assert_unchanged(certificate, allocation)


def test_an_assigned_cas_is_not_assigned_again(level1, allocation):
    certificate = assigned_cas(level1)
    with pytest.raises(InvalidTransition):
        assign(certificate)
    assert used(allocation) == 0


# Supersession: the earlier CAS for the same student and course becomes OBSOLETE.


def test_the_earlier_cas_for_the_same_student_and_course_becomes_obsolete(
    sponsor, level1, level2, allocation
):
    earlier = assigned_cas(level2, number="E0000000000001")
    later = complete_cas(level1, passport_number="NEW123456")

    assign(later)

    new_number = stored(later).number
    older = stored(earlier)
    assert older.status == CertificateStatus.OBSOLETE
    assert older.cas.superseded_by_id == later.pk
    assert older.closed_reason == f"Superseded by CAS {new_number}."
    assert older.closed_at == datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)
    assert older.version == 2
    event = CertificateEvent.objects.get(certificate=earlier)
    assert (event.action, event.status, event.actor, event.text) == (
        CertificateAction.SUPERSEDED,
        CertificateStatus.OBSOLETE,
        level1,
        f"Superseded by CAS {new_number}.",
    )
    (superseded,) = AuditEvent.objects.filter(verb=AuditVerb.CAS_SUPERSEDED)
    assert (superseded.sponsor, superseded.actor, superseded.ip_address) == (sponsor, level1, IP)
    assert superseded.payload["superseded_by"] == new_number
    (assigned,) = AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_ASSIGNED)
    assert assigned.payload["superseded"] == ["E0000000000001"]
    # An obsolete CAS is closed: no note, no withdrawal.
    with pytest.raises(InvalidTransition):
        certificate_withdraw(actor=level1, certificate=older, version=2, reason="No.", ip=None)
    with pytest.raises(InvalidTransition):
        certificate_note_save(actor=level1, certificate=older, version=2, note="Hi.", ip=None)


def test_the_same_passport_without_a_student_id_is_the_same_student(level1, allocation):
    earlier = assigned_cas(level1, number="E0000000000001", student_id="")
    assign(complete_cas(level1, student_id="", course_title="msc marine biology"))
    assert stored(earlier).status == CertificateStatus.OBSOLETE


@pytest.mark.parametrize(
    "difference",
    [
        {"course_title": "MSc Marine Ecology"},
        {"course_start_date": date(2027, 1, 25)},
        {"student_id": "S2026-9999", "passport_number": "NEW123456"},
    ],
    ids=["another course", "another start", "another student"],
)
def test_another_course_or_student_is_left_alone(level1, allocation, difference):
    earlier = assigned_cas(level1, number="E0000000000001")
    assign(complete_cas(level1, **difference))
    assert stored(earlier).status == CertificateStatus.ASSIGNED
    assert not AuditEvent.objects.filter(verb=AuditVerb.CAS_SUPERSEDED).exists()


@pytest.mark.parametrize(
    "status",
    [CertificateStatus.USED, CertificateStatus.WITHDRAWN, CertificateStatus.EXPIRED],
)
def test_a_cas_no_longer_assigned_is_not_made_obsolete(level1, allocation, status):
    earlier = assigned_cas(level1, number="E0000000000001")
    Certificate.objects.filter(pk=earlier.pk).update(status=status)
    assign(complete_cas(level1))
    assert stored(earlier).status == status
    assert stored(earlier).cas.superseded_by_id is None


def test_a_draft_or_another_sponsors_cas_is_not_made_obsolete(level1, other_level1, allocation):
    draft = complete_cas(level1)
    theirs = assigned_cas(other_level1, number="E0000000000009")
    assign(complete_cas(level1))
    assert stored(draft).status == CertificateStatus.DRAFT
    assert stored(theirs).status == CertificateStatus.ASSIGNED


def test_a_refused_assignment_makes_nothing_obsolete(level1, allocation):
    earlier = assigned_cas(level1, number="E0000000000001")
    Allocation.objects.filter(pk=allocation.pk).update(used=5)
    with pytest.raises(AllocationExhausted):
        assign(complete_cas(level1))
    assert stored(earlier).status == CertificateStatus.ASSIGNED
