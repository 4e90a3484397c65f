"""The steps between a correct password and the service: passcode, forced password change,
unread Home Office messages. One ordered list, used by the middleware and by each step."""

from enum import IntEnum

from django.urls import reverse

from sponsorship.core.http import safe_next
from sponsorship.core.types import SignedInRequest

from .services import passcode_required

AFTER_SIGN_IN = "after_sign_in"


class SignInStep(IntEnum):
    PASSCODE = 1
    PASSWORD = 2
    MESSAGES = 3


STEP_URLS = {
    SignInStep.PASSCODE: "accounts:passcode",
    SignInStep.PASSWORD: "accounts:password_change",
    SignInStep.MESSAGES: "licences:unread_messages",
}


def pending_step(request: SignedInRequest) -> SignInStep | None:
    """The first step this signed-in user has still to complete."""
    from sponsorship.licences.selectors import message_has_unread

    user = request.user
    # OTPMiddleware adds is_verified(); a user signed in during this request does not have it yet.
    verified = getattr(user, "is_verified", lambda: False)()
    if passcode_required(user) and not verified:
        return SignInStep.PASSCODE
    if user.must_change_password:
        return SignInStep.PASSWORD
    if user.is_level_1 and message_has_unread(user=user):
        return SignInStep.MESSAGES
    return None


def home_url_for(user: object) -> str:
    return reverse("casework:home" if getattr(user, "is_caseworker", False) else "core:home")


def next_url(request: SignedInRequest) -> str:
    """Where to go after finishing a step: the next step, else where the user was going."""
    step = pending_step(request)
    if step is not None:
        return reverse(STEP_URLS[step])
    wanted = request.session.pop(AFTER_SIGN_IN, None)
    return safe_next(request, wanted, home_url_for(request.user))
