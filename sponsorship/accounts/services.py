"""Every write about signing in, passcodes and passwords, each with its audit event."""

import secrets
import string

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core import ratelimit
from sponsorship.core.errors import ApplicationError, NotFound, RateLimited
from sponsorship.notifications.services import email_queue

from .models import User, UserStatus
from .password_policy import SPECIAL_CHARACTERS
from .selectors import passcode_app_unconfirmed

EMAIL_DEVICE_NAME = "E-mail"
APP_DEVICE_NAME = "Authenticator app"


def passcode_required(user: User) -> bool:
    """Required for the levels in OTP_REQUIRED_LEVELS, and for anyone who set up an app."""
    if user.level in settings.OTP_REQUIRED_LEVELS:
        return True
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def sign_in_failed(
    *, typed_user_id: str, ip: str | None, locked_now: bool = False, reason: str = ""
) -> None:
    """Record a refused sign-in (a wrong user ID or password unless `reason` says otherwise),
    and the lock it caused if it was the third."""
    user = User.objects.filter(username=typed_user_id).select_related("sponsor").first()
    with transaction.atomic():
        audit_record(
            AuditVerb.SIGN_IN_FAILED,
            actor=user,
            actor_label=typed_user_id[:100],
            ip_address=ip,
            payload={"reason": reason} if reason else None,
        )
        if locked_now:
            audit_record(
                AuditVerb.ACCOUNT_LOCKED,
                actor=user,
                actor_label=typed_user_id[:100],
                ip_address=ip,
                payload={"minutes": settings.ACCOUNT_LOCKOUT_MINUTES},
            )


def sign_in_refused(*, user: User, ip: str | None, while_signed_in: bool = False) -> None:
    """Record that the user's licence status stopped them signing in (or ended their session)."""
    status = user.sponsor.status if user.sponsor is not None else "none"
    reason = f"licence {status} while signed in" if while_signed_in else f"licence {status}"
    audit_record(AuditVerb.SIGN_IN_REFUSED, actor=user, ip_address=ip, payload={"reason": reason})


def sign_in_completed(*, user: User, method: str, ip: str | None) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        audit_record(
            AuditVerb.SIGN_IN, actor=user, ip_address=ip, payload={"second_factor": method}
        )


def sign_out(*, user: User, ip: str | None, idle: bool = False) -> None:
    audit_record(
        AuditVerb.SESSION_EXPIRED if idle else AuditVerb.SIGN_OUT, actor=user, ip_address=ip
    )


def passcode_email_device(user: User) -> EmailDevice:
    """The user's e-mail passcode method, at the address on record."""
    device, _ = EmailDevice.objects.update_or_create(
        user=user, name=EMAIL_DEVICE_NAME, defaults={"confirmed": True, "email": user.email}
    )
    return device


def passcode_email_send(*, user: User, ip: str | None) -> None:
    """E-mail a fresh passcode to the address on record; raises RateLimited after
    PASSCODE_SEND_LIMIT sends in a window."""
    sent, reset_in = ratelimit.hit(
        "passcode-send", str(user.pk), window=settings.PASSCODE_SEND_WINDOW_SECONDS
    )
    if sent > settings.PASSCODE_SEND_LIMIT:
        minutes = max(1, round(reset_in / 60))
        raise RateLimited(
            f"We have sent you {settings.PASSCODE_SEND_LIMIT} passcodes already. "
            f"Use the newest one, or wait {minutes} minutes before asking for another.",
            retry_after=reset_in,
        )
    with transaction.atomic():
        device = passcode_email_device(user)
        device.generate_token(valid_secs=settings.OTP_EMAIL_TOKEN_VALIDITY)
        email_queue(
            to=user.email,
            template="passcode",
            context={
                "user": user,
                "passcode": device.token,
                "minutes": settings.OTP_EMAIL_TOKEN_VALIDITY // 60,
            },
            sponsor=user.sponsor,
        )
        audit_record(AuditVerb.PASSCODE_SENT, actor=user, ip_address=ip, payload={"to": user.email})


def passcode_devices(user: User) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id"))


def passcode_verify(
    *, user: User, method: str, passcode: str, ip: str | None
) -> EmailDevice | TOTPDevice:
    """Check a passcode from the chosen method; raises ApplicationError when it is wrong."""
    token = "".join(passcode.split())
    devices: list[EmailDevice | TOTPDevice]
    if method == "app":
        devices = list(passcode_devices(user))
    else:
        devices = list(EmailDevice.objects.filter(user=user, name=EMAIL_DEVICE_NAME))
    for device in devices:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            raise ApplicationError(
                "Too many wrong passcodes. Wait a minute, then try again.", field="passcode"
            )
        if token.isdigit() and device.verify_token(token):
            return device
    audit_record(AuditVerb.PASSCODE_FAILED, actor=user, ip_address=ip, payload={"method": method})
    raise ApplicationError(
        "The passcode is not correct or has expired. Check it, or ask for a new one.",
        field="passcode",
    )


def passcode_app_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator-app device; confirmed once the user enters a code from it."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def passcode_app_confirm(
    *, user: User, device_id: int, passcode: str, ip: str | None
) -> TOTPDevice:
    device = passcode_app_unconfirmed(user=user, device_id=device_id)
    if device is None:
        raise NotFound("That set-up has expired. Start adding the app again.")
    token = "".join(passcode.split())
    if not (token.isdigit() and device.verify_token(token)):
        raise ApplicationError(
            "The code does not match. Enter the 6-digit code your app shows now.", field="passcode"
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            AuditVerb.PASSCODE_APP_ADDED, actor=user, ip_address=ip, target=Target.of(device)
        )
    return device


def passcode_app_remove(*, user: User, device_id: int, ip: str | None) -> None:
    device = TOTPDevice.objects.filter(user=user, pk=device_id, confirmed=True).first()
    if device is None:
        raise NotFound("That authenticator app is not set up on your account.")
    with transaction.atomic():
        audit_record(
            AuditVerb.PASSCODE_APP_REMOVED, actor=user, ip_address=ip, target=Target.of(device)
        )
        device.delete()


def password_change(*, user: User, new_password: str, ip: str | None) -> None:
    """Set a new password that meets the policy; raises ValidationError naming each rule broken."""
    if user.check_password(new_password):
        raise ValidationError("Your new password must be different from your current password")
    validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        audit_record(AuditVerb.PASSWORD_CHANGED, actor=user, ip_address=ip)
        email_queue(
            to=user.email, template="password_changed", context={"user": user}, sponsor=user.sponsor
        )


def temporary_password(user: User) -> str:
    alphabet = string.ascii_letters + string.digits + SPECIAL_CHARACTERS
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(16))
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate


def password_reset_request(*, typed_user_id: str, email: str, ip: str | None) -> None:
    """E-mail a temporary password when the user ID and e-mail match an active user.
    Says nothing either way: the caller shows the same reply whatever happens."""
    user = (
        User.objects.filter(username=typed_user_id, status=UserStatus.ACTIVE)
        .select_related("sponsor")
        .first()
    )
    if user is None or user.email.casefold() != email.strip().casefold():
        return
    if not user.licence_allows_sign_in:
        return
    temporary = temporary_password(user)
    with transaction.atomic():
        user.set_password(temporary)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit_record(AuditVerb.PASSWORD_RESET, actor=user, ip_address=ip)
        email_queue(
            to=user.email,
            template="temporary_password",
            context={"user": user, "temporary_password": temporary},
            sponsor=user.sponsor,
        )


def account_unlock(*, caseworker: User, user: User, ip: str | None) -> None:
    """Lift a lockout on `user` (a caseworker's action)."""
    from axes.utils import reset

    with transaction.atomic():
        reset(username=user.username)
        audit_record(
            AuditVerb.ACCOUNT_UNLOCKED,
            actor=caseworker,
            sponsor=user.sponsor,
            target=Target.of(user),
            ip_address=ip,
        )
