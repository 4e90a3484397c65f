"""What every bulk service checks first: which permission each kind of file needs."""

from typing import TYPE_CHECKING

from sponsorship.core.errors import Conflict, NotPermitted
from sponsorship.core.permissions import Permission, denial

from ..models import BulkKind

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

# Files that create or change CAS stop while a licence is suspended; files that report go on.
PERMISSIONS: dict[str, Permission] = {
    BulkKind.UPLOAD: Permission.BULK_TRANSFER,
    BulkKind.UPDATE: Permission.BULK_TRANSFER,
    BulkKind.REPORT: Permission.BULK_REPORT,
    BulkKind.GRADUATE: Permission.BULK_REPORT,
}


def ensure_may(actor: "User", permission: Permission) -> None:
    """Conflict (409, with the gate's code) when the licence's state refuses, NotPermitted
    otherwise."""
    refused = denial(actor, permission)
    if refused is not None and refused.code:
        raise Conflict(refused.reason, code=refused.code)
    if refused is not None:
        raise NotPermitted(refused.reason)


def ensure_kind_allowed(actor: "User", kind: str) -> None:
    ensure_may(actor, PERMISSIONS[kind])
