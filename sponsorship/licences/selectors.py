"""Reads about sponsors, licences and the message board, scoped to the asking user."""

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from sponsorship.core.errors import NotFound

from .models import Message, MessageRead, Sponsor

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def sponsor_get_for_user(*, user: "User") -> Sponsor:
    """The user's own sponsor, with its routes and key people loaded."""
    sponsor_id = getattr(user, "sponsor_id", None)
    if sponsor_id is None:
        raise NotFound("You are not a user of a sponsor.")
    return Sponsor.objects.prefetch_related("routes", "key_people").get(pk=sponsor_id)


def sponsor_of(user: "User") -> Sponsor:
    """The user's sponsor; caseworkers have none, and sponsor-only reads find nothing for them."""
    if user.sponsor is None:
        raise NotFound("This is for sponsor users only.")
    return user.sponsor


def _messages_for_sponsor(sponsor: Sponsor) -> QuerySet[Message]:
    """Messages addressed to every sponsor, or to a route this sponsor holds."""
    return Message.objects.filter(
        Q(for_all_routes=True) | Q(routes__route__in=sponsor.route_codes)
    ).distinct()


def _board_for(user: "User") -> QuerySet[Message]:
    """Every message the user's sponsor may see, each annotated with `is_read` for this user."""
    return _messages_for_sponsor(sponsor_of(user)).annotate(
        is_read=Exists(MessageRead.objects.filter(message=OuterRef("pk"), user=user))
    )


def message_list_for_user(*, user: "User", archived: bool) -> QuerySet[Message]:
    """The active or the archived board, newest first."""
    return (
        _board_for(user).filter(archived_at__isnull=not archived).order_by("-published_at", "-id")
    )


def message_unread_for_user(*, user: "User") -> QuerySet[Message]:
    """Active messages this user has not yet marked as read, oldest first."""
    return (
        _messages_for_sponsor(sponsor_of(user))
        .filter(archived_at__isnull=True)
        .exclude(Exists(MessageRead.objects.filter(message=OuterRef("pk"), user=user)))
        .order_by("published_at", "id")
    )


def message_has_unread(*, user: "User") -> bool:
    return message_unread_for_user(user=user).exists()


def message_get_for_user(*, user: "User", message_id: int) -> Message:
    """A message the user's sponsor may see; any other is not found."""
    message = _board_for(user).filter(pk=message_id).first()
    if message is None:
        raise NotFound("There is no such message.")
    return message


def message_due_for_archive(*, today: date) -> QuerySet[Message]:
    return Message.objects.filter(archived_at__isnull=True, archive_on__lte=today)
