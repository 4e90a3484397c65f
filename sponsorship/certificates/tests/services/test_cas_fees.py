"""Updating the fees of a live CAS: the only fields a sponsor may change once a CAS is assigned,
never more paid than due, recorded in the CAS's history and the audit trail (DOMAIN.md
"Confirmation of Acceptance for Studies")."""

from decimal import Decimal

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import (
    Certificate,
    CertificateAction,
    CertificateEvent,
    CertificateStatus,
)
from sponsorship.certificates.services import cas_fees_update, certificate_mark_used
from sponsorship.certificates.tests.factories import (
    assigned_cas,
    assigned_certificate,
    complete_cas,
)
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotFound, StaleEdit
from sponsorship.licences.models import Rating, Route
from sponsorship.licences.tests.web.support import rate

IP = "203.0.113.7"
PAID_TOO_MUCH = (
    "The course fees paid to date (£30,000.00) are more than the course fees for the first year "
    "(£24,500.00). Enter the fees paid towards the first year only"
)


@pytest.fixture(autouse=True)
def _students(sponsor):
    rate(sponsor, Route.STUDENT, Rating.A)


def update(actor, certificate, values, version=None):
    return cas_fees_update(
        actor=actor,
        certificate=certificate,
        version=certificate.version if version is None else version,
        values=values,
        ip=IP,
    )


def stored(certificate) -> Certificate:
    return Certificate.objects.select_related("cas").get(pk=certificate.pk)


def fees(certificate) -> tuple:
    cas = stored(certificate).cas
    return (
        cas.course_fees_first_year,
        cas.course_fees_paid,
        cas.accommodation_included,
        cas.accommodation_fees_paid,
    )


ORIGINAL = (Decimal("24500"), Decimal("5000"), False, None)


def test_the_fees_of_an_assigned_cas_are_updated_and_recorded(sponsor, level1):
    certificate = assigned_cas(level1)
    update(
        level1,
        certificate,
        {
            "course_fees_paid": "12000.50",
            "accommodation_included": True,
            "accommodation_fees_paid": Decimal("0"),
        },
    )
    assert fees(certificate) == (Decimal("24500"), Decimal("12000.50"), True, Decimal("0"))
    saved = stored(certificate)
    assert (saved.status, saved.version) == (CertificateStatus.ASSIGNED, 2)
    event = CertificateEvent.objects.get(certificate=certificate)
    assert (event.action, event.status, event.actor) == (
        CertificateAction.FEES_UPDATED,
        CertificateStatus.ASSIGNED,
        level1,
    )
    assert event.text == (
        "course fees paid: 5000.00 to 12000.50, accommodation included: False to True, "
        "accommodation fees paid: None to 0.00"
    )
    (audit,) = AuditEvent.objects.filter(verb=AuditVerb.CAS_FEES_UPDATED)
    assert (audit.actor, audit.sponsor, audit.ip_address) == (level1, sponsor, IP)
    assert audit.payload["fields"] == [
        "accommodation_fees_paid",
        "accommodation_included",
        "course_fees_paid",
    ]


def test_the_fees_of_a_used_cas_can_be_updated(level1, caseworker):
    certificate = assigned_cas(level1)
    certificate_mark_used(actor=caseworker, certificate=certificate, ip=None)
    update(level1, stored(certificate), {"course_fees_paid": "24500"})
    assert fees(certificate)[1] == Decimal("24500")


def test_a_level_2_user_updates_the_fees_of_their_own_cas(level2):
    certificate = assigned_cas(level2)
    update(level2, certificate, {"course_fees_first_year": "26000"})
    assert fees(certificate)[0] == Decimal("26000")


def test_more_paid_than_due_is_refused_and_the_instance_can_be_used_again(level1):
    certificate = assigned_cas(level1)
    with pytest.raises(ApplicationError) as caught:
        update(level1, certificate, {"course_fees_paid": "30000"})
    assert caught.value.errors == [("course_fees_paid", PAID_TOO_MUCH)]
    assert fees(certificate) == ORIGINAL
    assert stored(certificate).version == 1
    assert not CertificateEvent.objects.exists()
    # The refused values were not left on the instance: a corrected update from it goes through.
    assert certificate.cas.course_fees_paid == Decimal("5000")
    update(level1, certificate, {"course_fees_paid": "24500"})
    assert fees(certificate)[1] == Decimal("24500")


def test_lowering_the_fees_due_below_those_paid_is_refused(level1):
    certificate = assigned_cas(level1)
    with pytest.raises(ApplicationError) as caught:
        update(level1, certificate, {"course_fees_first_year": "4999.99"})
    assert [field for field, _ in caught.value.errors] == ["course_fees_paid"]
    assert fees(certificate) == ORIGINAL


def test_accommodation_fees_paid_need_accommodation_included(level1):
    certificate = assigned_cas(level1)
    with pytest.raises(ApplicationError) as caught:
        update(level1, certificate, {"accommodation_fees_paid": "800"})
    assert [field for field, _ in caught.value.errors] == ["accommodation_fees_paid"]
    assert fees(certificate) == ORIGINAL


@pytest.mark.parametrize("amount", ["-1", "12.345", "lots"])
def test_a_malformed_amount_is_refused_by_its_field(level1, amount):
    certificate = assigned_cas(level1)
    with pytest.raises(ApplicationError) as caught:
        update(level1, certificate, {"course_fees_paid": amount})
    assert caught.value.errors == [
        (
            "course_fees_paid",
            "Enter the course fees paid to date in pounds, like 18500 or 18500.50, with no commas "
            "or pound sign (0 if none)",
        )
    ]
    assert fees(certificate) == ORIGINAL


def test_nothing_paid_is_an_answer(level1):
    certificate = assigned_cas(level1)
    update(level1, certificate, {"course_fees_paid": 0})
    assert fees(certificate)[1] == Decimal("0")


@pytest.mark.parametrize("name", ["course_fees_first_year", "course_fees_paid"])
def test_a_fee_assignment_needed_is_not_cleared_on_a_live_cas(level1, name):
    certificate = assigned_cas(level1)
    with pytest.raises(ApplicationError) as caught:
        update(level1, certificate, {name: None})
    assert [field for field, _ in caught.value.errors] == [name]
    assert fees(certificate) == ORIGINAL


def test_only_the_fees_change_on_a_live_cas(level1):
    certificate = assigned_cas(level1)
    with pytest.raises(ApplicationError) as caught:
        update(level1, certificate, {"course_title": "MSc Ecology", "course_fees_paid": "1"})
    assert caught.value.message == ("Only the fees can be changed on a live CAS, not: course_title")
    assert caught.value.field == "course_title"
    saved = stored(certificate)
    assert (saved.cas.course_title, saved.cas.course_fees_paid) == (
        "MSc Marine Biology",
        Decimal("5000"),
    )


def test_a_stale_update_is_refused(level1):
    certificate = assigned_cas(level1)
    with pytest.raises(StaleEdit):
        update(level1, certificate, {"course_fees_paid": "6000"}, version=3)
    assert fees(certificate) == ORIGINAL


def test_the_fees_of_a_draft_are_changed_as_a_draft(level1):
    certificate = complete_cas(level1)
    with pytest.raises(InvalidTransition) as caught:
        update(level1, certificate, {"course_fees_paid": "6000"})
    assert caught.value.message == (
        "This CAS is still a draft: change its fees in its Fees section, or assign it first."
    )


@pytest.mark.parametrize(
    "status",
    [
        CertificateStatus.WITHDRAWN,
        CertificateStatus.EXPIRED,
        CertificateStatus.CANCELLED,
        CertificateStatus.OBSOLETE,
    ],
)
def test_the_fees_of_a_closed_cas_are_final(level1, status):
    certificate = assigned_cas(level1)
    Certificate.objects.filter(pk=certificate.pk).update(status=status)
    with pytest.raises(InvalidTransition):
        update(level1, stored(certificate), {"course_fees_paid": "6000"})
    assert fees(certificate) == ORIGINAL


def test_a_cos_has_no_fees_to_update(level1):
    certificate = assigned_certificate(level1)
    with pytest.raises(NotFound):
        update(level1, certificate, {"course_fees_paid": "6000"})


def test_the_same_fees_again_record_nothing(level1):
    certificate = assigned_cas(level1)
    update(level1, certificate, {"course_fees_paid": "5000"})
    assert not CertificateEvent.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.CAS_FEES_UPDATED).exists()
