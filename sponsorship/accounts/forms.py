"""Input shapes for signing in and managing passwords and passcodes."""

from django import forms


class SignInForm(forms.Form):
    user_id = forms.CharField(
        label="User ID",
        max_length=100,
        strip=False,
        error_messages={"required": "Enter your user ID"},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Password",
        max_length=256,
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasscodeForm(forms.Form):
    passcode = forms.CharField(
        label="Passcode",
        max_length=12,
        help_text="The 6-digit code, for example 123456.",
        error_messages={"required": "Enter the 6-digit passcode"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordChangeForm(forms.Form):
    new_password = forms.CharField(
        label="New password",
        strip=False,
        max_length=300,
        help_text=(
            "12 to 256 characters, with a capital letter, a lower-case letter, a number and one of "
            "@#$!%^&*+=_ . No spaces, and not your name or user ID."
        ),
        error_messages={"required": "Enter a new password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm_password = forms.CharField(
        label="Confirm new password",
        strip=False,
        max_length=300,
        error_messages={"required": "Enter the new password again to confirm it"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        new, confirm = data.get("new_password"), data.get("confirm_password")
        if new and confirm and new != confirm:
            self.add_error(
                "confirm_password", "The two passwords do not match. Enter the same password twice"
            )
        return data


class CurrentPasswordForm(forms.Form):
    current_password = forms.CharField(
        label="Current password",
        strip=False,
        max_length=300,
        error_messages={"required": "Enter your current password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ForgottenPasswordForm(forms.Form):
    user_id = forms.CharField(
        label="User ID", max_length=100, error_messages={"required": "Enter your user ID"}
    )
    email = forms.EmailField(
        label="E-mail address",
        help_text="The work e-mail address we have on record for you.",
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
    )
