"""Certificate numbers: a CoS number is 11 characters starting with C, a CAS number 14 starting
with E; random capitals and digits without I or O; unguessable and unique (DOMAIN.md
"Certificate of Sponsorship")."""

from itertools import chain, repeat

import pytest

from sponsorship.certificates.models import Certificate, CertificateKind, CertificateStatus
from sponsorship.certificates.numbering import ALPHABET, new_certificate_number
from sponsorship.certificates.services import certificate_assign
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.core.errors import Conflict
from sponsorship.licences.models import Allocation
from sponsorship.licences.tests.factories import AllocationFactory

ASSIGNMENT = "sponsorship.certificates.services.assignment.new_certificate_number"


def test_the_alphabet_is_capitals_and_digits_without_i_or_o():
    assert set(ALPHABET) == set("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    assert len(ALPHABET) == len(set(ALPHABET)) == 34


@pytest.mark.parametrize(("kind", "prefix", "length"), [("COS", "C", 11), ("CAS", "E", 14)])
def test_numbers_have_the_prefix_and_length_of_their_kind(kind, prefix, length):
    for _ in range(200):
        number = new_certificate_number(CertificateKind(kind))
        assert len(number) == length
        assert number[0] == prefix
        assert set(number[1:]) <= set(ALPHABET)


def test_numbers_are_random_in_every_position():
    numbers = [new_certificate_number(CertificateKind.COS) for _ in range(2000)]
    assert len(set(numbers)) == 2000
    # Each of the 10 random positions uses the whole alphabet: nothing is sequential or fixed.
    # (The chance that any character is missing from any position by luck is below 1 in 10^20.)
    for position in range(1, 11):
        assert {n[position] for n in numbers} == set(ALPHABET)


def _numbers(*drawn):
    """Stand-in for the random draw: these numbers in turn, then the last one for ever."""
    sequence = chain(drawn, repeat(drawn[-1]))
    return lambda kind: next(sequence)


def test_a_number_already_given_is_drawn_again(monkeypatch, level1, allocation):
    assigned_certificate(level1, number="C2G8H88871U")
    draft = complete_draft(level1, passport_number="XY9876543")
    monkeypatch.setattr(ASSIGNMENT, _numbers("C2G8H88871U", "C7K3M9P2Q4R"))

    certificate_assign(actor=level1, certificate=draft, version=1, ip=None)

    saved = Certificate.objects.get(pk=draft.pk)
    assert (saved.status, saved.number) == (CertificateStatus.ASSIGNED, "C7K3M9P2Q4R")
    assert Allocation.objects.get(pk=allocation.pk).used == 1


def test_when_no_fresh_number_can_be_drawn_nothing_changes(monkeypatch, level1, allocation):
    assigned_certificate(level1, number="C2G8H88871U")
    draft = complete_draft(level1, passport_number="XY9876543")
    monkeypatch.setattr(ASSIGNMENT, _numbers("C2G8H88871U"))

    with pytest.raises(Conflict) as refused:
        certificate_assign(actor=level1, certificate=draft, version=1, ip=None)

    assert refused.value.message == "A certificate number could not be given. Try again."
    saved = Certificate.objects.get(pk=draft.pk)
    assert (saved.status, saved.number, saved.version) == (CertificateStatus.DRAFT, None, 1)
    assert Allocation.objects.get(pk=allocation.pk).used == 0


def test_assigned_numbers_are_unique_across_sponsors(level1, other_level1, allocation):
    AllocationFactory(sponsor=other_level1.sponsor, limit=5)
    for user in (level1, other_level1) * 5:
        draft = complete_draft(user)
        certificate_assign(actor=user, certificate=draft, version=1, ip=None)

    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 10
