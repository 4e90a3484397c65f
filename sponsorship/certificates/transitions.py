"""Which certificate status may become which, as data (DOMAIN.md "Certificate of
Sponsorship"). No database here."""

from sponsorship.licences.transitions import ensure_can_transition

from .models import CertificateStatus as S

CERTIFICATE_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.ASSIGNED}),
    # OBSOLETE: a CAS superseded by a later one for the same student and course.
    S.ASSIGNED: frozenset({S.USED, S.WITHDRAWN, S.EXPIRED, S.CANCELLED, S.OBSOLETE}),
    # Back to ASSIGNED when the application was rejected as invalid, void or withdrawn: the
    # certificate can be relied on again. After a grant or refusal it stays USED for good.
    S.USED: frozenset({S.ASSIGNED, S.CANCELLED}),
    S.WITHDRAWN: frozenset(),
    S.EXPIRED: frozenset(),
    S.CANCELLED: frozenset(),
    S.OBSOLETE: frozenset(),
}


def ensure_certificate_can_become(current: str, new: str) -> None:
    """Raises InvalidTransition when a certificate in `current` may not become `new`."""
    ensure_can_transition(CERTIFICATE_TRANSITIONS, current, new)
