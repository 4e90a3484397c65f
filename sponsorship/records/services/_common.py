"""What every record-keeping service checks first."""

from typing import TYPE_CHECKING

from sponsorship.accounts.models import UserLevel
from sponsorship.core.errors import NotFound, NotPermitted
from sponsorship.core.permissions import Permission, denial
from sponsorship.duties.models import Worker

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def ensure_reaches(actor: "User", worker: Worker) -> None:
    """The views and API find the worker through the scoped selectors; this repeats the rule,
    so no other caller can reach another sponsor's, or another Level 2 user's, worker."""
    if worker.sponsor_id != actor.sponsor_id:
        raise NotFound("There is no such worker on your register.")
    if actor.level == UserLevel.LEVEL_2 and worker.certificate.owner_id != actor.pk:
        raise NotFound("There is no such worker on your register.")


def ensure_may(actor: "User", permission: Permission) -> None:
    refused = denial(actor, permission)
    if refused is not None:
        raise NotPermitted(refused.reason)
