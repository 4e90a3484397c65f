"""The passcode step of signing in, and managing authenticator apps."""

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sponsorship.core.access import requires, sign_in_step
from sponsorship.core.errors import ApplicationError
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from .. import services
from ..forms import PasscodeForm
from ..selectors import passcode_app_unconfirmed
from ..steps import SignInStep, next_url


def _method(request: HttpRequest, has_app: bool) -> str:
    chosen = request.GET.get("method") or request.POST.get("method")
    if chosen in ("app", "email"):
        return chosen if (chosen == "email" or has_app) else "email"
    return "app" if has_app else "email"


@sign_in_step(SignInStep.PASSCODE)
def passcode(request: SignedInRequest) -> HttpResponse:
    user = request.user
    has_app = bool(services.passcode_devices(user))
    method = _method(request, has_app)
    form = PasscodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        try:
            device = services.passcode_verify(
                user=user,
                method=method,
                passcode=form.cleaned_data["passcode"],
                ip=ip,
            )
        except ApplicationError as error:
            form.add_error("passcode", error.message)
        else:
            otp_login(request, device)
            services.sign_in_completed(user=user, method=method, ip=ip)
            return redirect(next_url(request))
    return render(
        request,
        "accounts/passcode.html",
        {"form": form, "method": method, "has_app": has_app},
        status=400 if form.errors else 200,
    )


@sign_in_step(SignInStep.PASSCODE)
@require_POST
def passcode_resend(request: SignedInRequest) -> HttpResponse:
    try:
        services.passcode_email_send(user=request.user, ip=client_ip(request))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"We have sent a new passcode to {request.user.email}.")
    return redirect(f"{reverse('accounts:passcode')}?method=email")


@requires(Permission.ACCOUNT_PASSCODE_MANAGE)
def security(request: SignedInRequest) -> HttpResponse:
    """The user's account page: details, password and passcode methods."""
    return render(
        request,
        "accounts/security.html",
        {
            "apps": services.passcode_devices(request.user),
            "passcode_required": services.passcode_required(request.user),
        },
    )


@requires(Permission.ACCOUNT_PASSCODE_MANAGE)
def app_add(request: SignedInRequest) -> HttpResponse:
    form = PasscodeForm(request.POST or None)
    device: TOTPDevice | None = None
    if request.method == "POST":
        posted_id = request.POST.get("device_id", "")
        device_id = int(posted_id) if posted_id.isdigit() else 0
        device = passcode_app_unconfirmed(user=request.user, device_id=device_id)
        if form.is_valid():
            try:
                device = services.passcode_app_confirm(
                    user=request.user,
                    device_id=device_id,
                    passcode=form.cleaned_data["passcode"],
                    ip=client_ip(request),
                )
            except ApplicationError as error:
                form.add_error("passcode", error.message)
            else:
                # The code just entered proves the app: this session counts as checked with it.
                otp_login(request, device)
                messages.success(
                    request,
                    "Your authenticator app is set up. You can use it the next time you sign in.",
                )
                return redirect("accounts:security")
    if device is None:
        device = services.passcode_app_start(user=request.user)
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/app_add.html",
        {
            "form": form,
            "device": device,
            "qr_svg": qr.svg_inline(scale=5, title="QR code to scan with your authenticator app"),
            "secret": _readable_secret(device),
        },
        status=400 if form.errors else 200,
    )


def _readable_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@requires(Permission.ACCOUNT_PASSCODE_MANAGE)
@require_POST
def app_remove(request: SignedInRequest, device_id: int) -> HttpResponse:
    services.passcode_app_remove(user=request.user, device_id=device_id, ip=client_ip(request))
    if services.passcode_required(request.user):
        # The session was checked with a second factor; removing the app does not undo that,
        # so carry the check over to the e-mail method that remains.
        otp_login(request, services.passcode_email_device(request.user))
    messages.success(request, "The authenticator app was removed from your account.")
    return redirect("accounts:security")
