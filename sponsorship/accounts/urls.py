from django.urls import path

from .views import passcode, password, sign_in

app_name = "accounts"

urlpatterns = [
    path("sign-in/", sign_in.sign_in, name="sign_in"),
    path("sign-in/passcode/", passcode.passcode, name="passcode"),
    path("sign-in/passcode/resend/", passcode.passcode_resend, name="passcode_resend"),
    path("sign-out/", sign_in.sign_out, name="sign_out"),
    path("signed-out/", sign_in.signed_out, name="signed_out"),
    path("forgotten-password/", password.forgotten_password, name="forgotten_password"),
    path(
        "forgotten-password/sent/", password.forgotten_password_sent, name="forgotten_password_sent"
    ),
    path("account/", passcode.security, name="security"),
    path("account/password/", password.password_change, name="password_change"),
    path("account/authenticator-app/add/", passcode.app_add, name="app_add"),
    path(
        "account/authenticator-app/<int:device_id>/remove/", passcode.app_remove, name="app_remove"
    ),
]
