"""The certificate status table, pair by pair: what DOMAIN.md "Certificate of Sponsorship" allows
(draft -> ASSIGNED -> USED | WITHDRAWN | EXPIRED | CANCELLED; a used certificate goes back to
ASSIGNED after an invalid, void or withdrawn application; WITHDRAWN, EXPIRED and CANCELLED are
final), and nothing else."""

from itertools import product

import pytest

from sponsorship.certificates.models import CertificateStatus as S
from sponsorship.certificates.transitions import (
    CERTIFICATE_TRANSITIONS,
    ensure_certificate_can_become,
)
from sponsorship.core.errors import Conflict, InvalidTransition

# Written out from DOMAIN.md, not read from the table under test.
ALLOWED = {
    (S.DRAFT, S.ASSIGNED),
    (S.ASSIGNED, S.USED),
    (S.ASSIGNED, S.WITHDRAWN),
    (S.ASSIGNED, S.EXPIRED),
    (S.ASSIGNED, S.CANCELLED),
    # DOMAIN.md: a CAS superseded by a later one for the same student and course.
    (S.ASSIGNED, S.OBSOLETE),
    (S.USED, S.ASSIGNED),
    (S.USED, S.CANCELLED),
}
EVERY_PAIR = list(product(S.values, S.values))


def test_every_status_has_a_row():
    assert set(CERTIFICATE_TRANSITIONS) == set(S.values)


def test_the_table_allows_exactly_what_the_domain_allows():
    in_table = {(old, new) for old, targets in CERTIFICATE_TRANSITIONS.items() for new in targets}
    assert in_table == ALLOWED


@pytest.mark.parametrize(("current", "new"), sorted(ALLOWED))
def test_an_allowed_change_passes(current, new):
    ensure_certificate_can_become(current, new)  # no exception


@pytest.mark.parametrize(("current", "new"), [pair for pair in EVERY_PAIR if pair not in ALLOWED])
def test_any_other_change_is_refused_in_words(current, new):
    with pytest.raises(InvalidTransition) as refused:
        ensure_certificate_can_become(current, new)
    assert refused.value.message == (
        f"This cannot change from {current.replace('_', ' ').lower()} "
        f"to {new.replace('_', ' ').lower()}."
    )
    # A conflict with the current state: a 409 in the web pages and the API.
    assert isinstance(refused.value, Conflict)
    assert refused.value.http_status == 409
    assert refused.value.code == "invalid_transition"


@pytest.mark.parametrize("final", [S.WITHDRAWN, S.EXPIRED, S.CANCELLED])
def test_withdrawn_expired_and_cancelled_are_final(final):
    assert CERTIFICATE_TRANSITIONS[final] == frozenset()
    for new in S.values:
        with pytest.raises(InvalidTransition):
            ensure_certificate_can_become(final, new)


def test_nothing_goes_back_to_draft():
    for current in S.values:
        with pytest.raises(InvalidTransition):
            ensure_certificate_can_become(current, S.DRAFT)
