"""Every (from, to) pair of the request and licence transition tables, against a table written
out by hand from DOMAIN.md, not derived from the code's."""

from itertools import product

import pytest

from sponsorship.core.errors import InvalidTransition
from sponsorship.licences.models import LicenceStatus, RequestStatus
from sponsorship.licences.transitions import (
    LICENCE_TRANSITIONS,
    REQUEST_TRANSITIONS,
    ensure_can_transition,
)

SUBMITTED = "SUBMITTED"
INFO_REQUESTED = "INFO_REQUESTED"
GRANTED = "GRANTED"
PARTLY_GRANTED = "PARTLY_GRANTED"
REFUSED = "REFUSED"
WITHDRAWN = "WITHDRAWN"
REJECTED = "REJECTED"

# A request is decided (granted, partly granted, refused, or for a defined certificate
# application rejected as not valid) or withdrawn while open; the Home
# Office asks for information on a submitted request, and the sponsor's answer sends it back.
# Decided and withdrawn requests are final.
REQUEST_ALLOWED = {
    (SUBMITTED, INFO_REQUESTED),
    (SUBMITTED, GRANTED),
    (SUBMITTED, PARTLY_GRANTED),
    (SUBMITTED, REFUSED),
    (SUBMITTED, WITHDRAWN),
    (SUBMITTED, REJECTED),
    (INFO_REQUESTED, SUBMITTED),
    (INFO_REQUESTED, GRANTED),
    (INFO_REQUESTED, PARTLY_GRANTED),
    (INFO_REQUESTED, REFUSED),
    (INFO_REQUESTED, WITHDRAWN),
    (INFO_REQUESTED, REJECTED),
}
REQUEST_STATUSES = (
    SUBMITTED,
    INFO_REQUESTED,
    GRANTED,
    PARTLY_GRANTED,
    REFUSED,
    WITHDRAWN,
    REJECTED,
)

ACTIVE = "ACTIVE"
SUSPENDED = "SUSPENDED"
DORMANT = "DORMANT"
REVOKED = "REVOKED"
EXPIRED = "EXPIRED"
SURRENDERED = "SURRENDERED"

# Caseworkers suspend, make dormant, reinstate, revoke or record a surrender of a live licence.
# Revoked, expired and surrendered licences are final. Nothing becomes EXPIRED by hand
# (licences expiring from 6 April 2024 were extended by 10 years).
LICENCE_ALLOWED = {
    (ACTIVE, SUSPENDED),
    (ACTIVE, DORMANT),
    (ACTIVE, REVOKED),
    (ACTIVE, SURRENDERED),
    (SUSPENDED, ACTIVE),
    (SUSPENDED, DORMANT),
    (SUSPENDED, REVOKED),
    (SUSPENDED, SURRENDERED),
    (DORMANT, ACTIVE),
    (DORMANT, SUSPENDED),
    (DORMANT, REVOKED),
    (DORMANT, SURRENDERED),
}
LICENCE_STATUSES = (ACTIVE, SUSPENDED, DORMANT, REVOKED, EXPIRED, SURRENDERED)


def test_the_hand_written_statuses_are_all_the_statuses():
    assert set(REQUEST_STATUSES) == set(RequestStatus.values)
    assert set(LICENCE_STATUSES) == set(LicenceStatus.values)


def test_every_status_has_a_row():
    assert set(REQUEST_TRANSITIONS) == set(RequestStatus.values)
    assert set(LICENCE_TRANSITIONS) == set(LicenceStatus.values)


@pytest.mark.parametrize(
    ("current", "new"), list(product(REQUEST_STATUSES, repeat=2)), ids="{0[0]}->{0[1]}".format
)
def test_request_transition(current, new):
    if (current, new) in REQUEST_ALLOWED:
        ensure_can_transition(REQUEST_TRANSITIONS, current, new)
    else:
        with pytest.raises(InvalidTransition):
            ensure_can_transition(REQUEST_TRANSITIONS, current, new)


@pytest.mark.parametrize(
    ("current", "new"), list(product(LICENCE_STATUSES, repeat=2)), ids="{0[0]}->{0[1]}".format
)
def test_licence_transition(current, new):
    if (current, new) in LICENCE_ALLOWED:
        ensure_can_transition(LICENCE_TRANSITIONS, current, new)
    else:
        with pytest.raises(InvalidTransition):
            ensure_can_transition(LICENCE_TRANSITIONS, current, new)


def test_the_refusal_is_in_words():
    with pytest.raises(InvalidTransition) as refused:
        ensure_can_transition(REQUEST_TRANSITIONS, INFO_REQUESTED, INFO_REQUESTED)
    assert refused.value.message == "This cannot change from info requested to info requested."
    assert refused.value.code == "invalid_transition"
    assert refused.value.http_status == 409
    with pytest.raises(InvalidTransition, match="from revoked to active"):
        ensure_can_transition(LICENCE_TRANSITIONS, REVOKED, ACTIVE)
