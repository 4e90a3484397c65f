"""Which permission an action on one of the sponsor's own requests needs (core.permissions
holds the vocabulary and the licence-state gates)."""

from sponsorship.core.permissions import Permission

from .models import ALLOCATION_KINDS, LicenceRequest


def request_action_permission(licence_request: LicenceRequest) -> Permission:
    """Withdrawing or answering an allocation request is part of requesting allocations, which
    a suspended or dormant licence may not do; any other request needs only the licence menu."""
    if licence_request.kind in ALLOCATION_KINDS:
        return Permission.ALLOCATIONS_REQUEST
    return Permission.LICENCE_SERVICES_VIEW
