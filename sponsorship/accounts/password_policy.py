"""The password policy of DOMAIN.md: one validator per rule, so each broken rule
has its own message."""

import re
from typing import Any

from django.core.exceptions import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 256
SPECIAL_CHARACTERS = "@#$!%^&*+=_"


class LengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < MIN_LENGTH:
            raise ValidationError(
                f"Password must be at least {MIN_LENGTH} characters long", code="password_too_short"
            )
        if len(password) > MAX_LENGTH:
            raise ValidationError(
                f"Password must be {MAX_LENGTH} characters or fewer", code="password_too_long"
            )

    def get_help_text(self) -> str:
        return f"{MIN_LENGTH} to {MAX_LENGTH} characters."


class CharacterClassValidator:
    RULES = (
        (r"[A-Z]", "Password must include a capital letter (A to Z)", "password_no_upper"),
        (r"[a-z]", "Password must include a lower-case letter (a to z)", "password_no_lower"),
        (r"[0-9]", "Password must include a number (0 to 9)", "password_no_digit"),
        (
            "[" + re.escape(SPECIAL_CHARACTERS) + "]",
            f"Password must include one of these characters: {SPECIAL_CHARACTERS}",
            "password_no_special",
        ),
    )

    def validate(self, password: str, user: Any = None) -> None:
        errors = [
            ValidationError(message, code=code)
            for pattern, message, code in self.RULES
            if not re.search(pattern, password)
        ]
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return (
            "At least one capital letter, one lower-case letter, one number "
            f"and one of {SPECIAL_CHARACTERS}."
        )


class NoWhitespaceValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if any(ch.isspace() for ch in password):
            raise ValidationError("Password must not contain spaces", code="password_has_space")

    def get_help_text(self) -> str:
        return "No spaces."


class NotPersonalValidator:
    """The password must not contain the user's ID or any of their names (case ignored)."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        lowered = password.casefold()
        if user.username and user.username.casefold() in lowered:
            raise ValidationError(
                "Password must not contain your user ID", code="password_has_user_id"
            )
        names = f"{user.given_names} {user.family_name}".split()
        # Very short name parts ("Li", "O") would forbid ordinary words; three letters is the floor.
        if any(len(name) >= 3 and name.casefold() in lowered for name in names):
            raise ValidationError("Password must not contain your name", code="password_has_name")

    def get_help_text(self) -> str:
        return "Not your name or user ID."
