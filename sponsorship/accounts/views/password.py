"""Changing a password, and the forgotten-password route."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sponsorship.core import ratelimit
from sponsorship.core.access import public, sign_in_step
from sponsorship.core.http import client_ip
from sponsorship.core.types import SignedInRequest

from .. import services
from ..forms import CurrentPasswordForm, ForgottenPasswordForm, PasswordChangeForm
from ..steps import SignInStep, next_url


@sign_in_step(SignInStep.PASSWORD)
def password_change(request: SignedInRequest) -> HttpResponse:
    user = request.user
    forced = user.must_change_password
    # A forced change follows a fresh password check; a voluntary one asks for the current password.
    current_form = None if forced else CurrentPasswordForm(request.POST or None, prefix="current")
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST":
        current_ok = current_form is None or current_form.is_valid()
        typed_current = (
            current_form.cleaned_data["current_password"] if current_ok and current_form else None
        )
        if typed_current is not None and not user.check_password(typed_current):
            current_form.add_error("current_password", "Your current password is not correct")  # type: ignore[union-attr]
            current_ok = False
        if form.is_valid() and current_ok:
            try:
                services.password_change(
                    user=user,
                    new_password=form.cleaned_data["new_password"],
                    ip=client_ip(request),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("new_password", message)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, "Your password has been changed.")
                return redirect(next_url(request))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "current_form": current_form, "forced": forced},
        status=400 if (form.errors or (current_form is not None and current_form.errors)) else 200,
    )


@public
def forgotten_password(request: HttpRequest) -> HttpResponse:
    form = ForgottenPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        count, _ = ratelimit.hit(
            "password-reset-ip", ip or "-", window=settings.SIGN_IN_IP_WINDOW_SECONDS
        )
        # Beyond the limit nothing is sent, and the reply is the same, so it reveals nothing.
        if count <= settings.SIGN_IN_IP_LIMIT:
            services.password_reset_request(
                typed_user_id=form.cleaned_data["user_id"], email=form.cleaned_data["email"], ip=ip
            )
        return redirect("accounts:forgotten_password_sent")
    return render(
        request,
        "accounts/forgotten_password.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@public
def forgotten_password_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/forgotten_password_sent.html")
