"""Which status may become which, as data. No database here."""

from sponsorship.core.errors import InvalidTransition

from .models import LicenceStatus, RequestStatus

_FINAL: frozenset[str] = frozenset()

REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.SUBMITTED: frozenset(
        {
            RequestStatus.INFO_REQUESTED,
            RequestStatus.GRANTED,
            RequestStatus.PARTLY_GRANTED,
            RequestStatus.REFUSED,
            RequestStatus.REJECTED,
            RequestStatus.WITHDRAWN,
        }
    ),
    # The sponsor answers (back to SUBMITTED) or withdraws; a caseworker may still decide.
    RequestStatus.INFO_REQUESTED: frozenset(
        {
            RequestStatus.SUBMITTED,
            RequestStatus.GRANTED,
            RequestStatus.PARTLY_GRANTED,
            RequestStatus.REFUSED,
            RequestStatus.REJECTED,
            RequestStatus.WITHDRAWN,
        }
    ),
    RequestStatus.GRANTED: _FINAL,
    RequestStatus.PARTLY_GRANTED: _FINAL,
    RequestStatus.REFUSED: _FINAL,
    RequestStatus.WITHDRAWN: _FINAL,
    RequestStatus.REJECTED: _FINAL,
}

LICENCE_TRANSITIONS: dict[str, frozenset[str]] = {
    LicenceStatus.ACTIVE: frozenset(
        {
            LicenceStatus.SUSPENDED,
            LicenceStatus.DORMANT,
            LicenceStatus.REVOKED,
            LicenceStatus.SURRENDERED,
        }
    ),
    LicenceStatus.SUSPENDED: frozenset(
        {
            LicenceStatus.ACTIVE,
            LicenceStatus.DORMANT,
            LicenceStatus.REVOKED,
            LicenceStatus.SURRENDERED,
        }
    ),
    LicenceStatus.DORMANT: frozenset(
        {
            LicenceStatus.ACTIVE,
            LicenceStatus.SUSPENDED,
            LicenceStatus.REVOKED,
            LicenceStatus.SURRENDERED,
        }
    ),
    LicenceStatus.REVOKED: _FINAL,
    LicenceStatus.EXPIRED: _FINAL,
    LicenceStatus.SURRENDERED: _FINAL,
}


def ensure_can_transition(table: dict[str, frozenset[str]], current: str, new: str) -> None:
    """Raises InvalidTransition, in words, when `current` may not become `new`."""
    if new not in table[current]:
        raise InvalidTransition(
            f"This cannot change from {current.replace('_', ' ').lower()} "
            f"to {new.replace('_', ' ').lower()}."
        )
