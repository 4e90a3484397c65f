"""Reads about users."""

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sponsorship.core.errors import NotFound

from .models import User, UserLevel, UserStatus


def locked_user_ids(usernames: list[str]) -> set[str]:
    """Which of these user IDs are locked out now (one query, however many users)."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )


def passcode_app_unconfirmed(*, user: User, device_id: int) -> TOTPDevice | None:
    """The authenticator app this user is part-way through adding, if it is theirs."""
    return TOTPDevice.objects.filter(user=user, pk=device_id, confirmed=False).first()


def user_list_for_sponsor(*, sponsor_id: int) -> QuerySet[User]:
    return User.objects.filter(sponsor_id=sponsor_id).order_by(
        "level", "family_name", "given_names"
    )


def user_get_for_caseworker(*, user_id: int) -> User:
    user = User.objects.select_related("sponsor").filter(pk=user_id).first()
    if user is None:
        raise NotFound("There is no such user.")
    return user


def user_get_for_level_1(*, user: User, user_id: int) -> User:
    """A user of the asking user's own licence; any other is not found."""
    found = None
    if user.sponsor_id is not None:
        found = User.objects.filter(pk=user_id, sponsor_id=user.sponsor_id).first()
    if found is None:
        raise NotFound("There is no such user.")
    return found


def level_1_active_count(*, sponsor_id: int) -> int:
    return User.objects.filter(
        sponsor_id=sponsor_id, level=UserLevel.LEVEL_1, status=UserStatus.ACTIVE
    ).count()
