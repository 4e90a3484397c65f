"""The sponsor's PAYE references: added in HMRC's format, once each, deleted on the record."""

import pytest

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.audit.models import AuditVerb
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.licences.models import PayeReference
from sponsorship.licences.services import paye_add, paye_delete
from sponsorship.licences.tests.factories import PayeReferenceFactory

from .support import TODAY, at, events


def add(actor, reference):
    return paye_add(actor=actor, reference=reference, ip="192.0.2.44")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("123/AB45678", "123/AB45678"),
        ("123/ab45678", "123/AB45678"),
        (" 123 / ab 456 78 ", "123/AB45678"),
        ("120/1", "120/1"),
        ("475/ABCDEFGHIJ", "475/ABCDEFGHIJ"),  # ten after the slash
        ("\t961/z9\n", "961/Z9"),
    ],
)
def test_a_reference_is_normalised(level1, typed, stored):
    paye = add(level1, typed)
    paye.refresh_from_db()
    assert paye.reference == stored
    assert paye.sponsor == level1.sponsor
    assert paye.added_by == level1
    assert paye.added_at == at(TODAY)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "12/AB45678",  # two digits
        "1234/AB45678",  # four digits
        "ABC/12345",
        "123AB45678",  # no slash
        "123-AB45678",
        "123/",
        "123/ABCDEFGHIJK",  # eleven after the slash
        "123/AB-456",
        "123//AB456",
        "123/AB45678/9",
        pytest.param(
            "\uff11\uff12\uff13/AB45678",
        ),
        pytest.param(
            "\u0664\u0667\u0665/AB45678",
        ),
    ],
)
def test_a_badly_formed_reference_is_refused(level1, typed):
    with pytest.raises(ApplicationError, match="format 123/AB45678") as refused:
        add(level1, typed)
    assert refused.value.field == "reference"
    assert not PayeReference.objects.exists()


def test_adding_is_audited(level1):
    paye = add(level1, "123/ab45678")
    (event,) = events(AuditVerb.PAYE_ADDED)
    assert event.actor == level1
    assert event.sponsor == level1.sponsor
    assert event.target_id == str(paye.pk)
    assert event.target_label == "123/AB45678"
    assert event.ip_address == "192.0.2.44"


def test_a_reference_already_on_the_list_is_refused(level1):
    add(level1, "123/AB45678")
    with pytest.raises(ApplicationError, match="123/AB45678 is already on your list") as refused:
        add(Level1Factory(sponsor=level1.sponsor), " 123/ab 45678")
    assert refused.value.field == "reference"
    assert refused.value.code == "duplicate"
    assert PayeReference.objects.count() == 1
    assert len(events(AuditVerb.PAYE_ADDED)) == 1


def test_another_sponsor_may_list_the_same_reference(level1, other_level1):
    add(level1, "123/AB45678")
    add(other_level1, "123/AB45678")
    assert PayeReference.objects.count() == 2


def test_a_reference_can_be_added_again_after_deletion(level1):
    paye = add(level1, "123/AB45678")
    paye_delete(actor=level1, paye_id=paye.pk, ip=None)
    add(level1, "123/AB45678")


def test_deleting_is_audited(level1):
    paye = PayeReferenceFactory(added_by=level1, reference="987/XY12")
    paye_delete(actor=level1, paye_id=paye.pk, ip="192.0.2.45")
    assert not PayeReference.objects.filter(pk=paye.pk).exists()
    (event,) = events(AuditVerb.PAYE_DELETED)
    assert event.actor == level1
    assert event.sponsor == level1.sponsor
    assert event.target_id == str(paye.pk)
    assert event.payload == {"reference": "987/XY12"}
    assert event.ip_address == "192.0.2.45"


def test_another_sponsors_reference_is_not_found(level1, other_level1):
    theirs = PayeReferenceFactory(added_by=other_level1)
    with pytest.raises(NotFound):
        paye_delete(actor=level1, paye_id=theirs.pk, ip=None)
    assert PayeReference.objects.filter(pk=theirs.pk).exists()
    assert not events(AuditVerb.PAYE_DELETED)


def test_an_unknown_or_deleted_reference_is_not_found(level1):
    paye = PayeReferenceFactory(added_by=level1)
    paye_delete(actor=level1, paye_id=paye.pk, ip=None)
    with pytest.raises(NotFound):
        paye_delete(actor=level1, paye_id=paye.pk, ip=None)
    with pytest.raises(NotFound):
        paye_delete(actor=level1, paye_id=31_337, ip=None)


def test_caseworkers_have_no_paye_list(caseworker):
    with pytest.raises(NotFound):
        add(caseworker, "123/AB45678")
