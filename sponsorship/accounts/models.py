"""Users of the service: sponsor users (Level 1 and 2) and Home Office caseworkers."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sponsorship.core.db import choices_check
from sponsorship.core.permissions import Role


class UserLevel(models.TextChoices):
    LEVEL_1 = "LEVEL_1", "Level 1"
    LEVEL_2 = "LEVEL_2", "Level 2"
    CASEWORKER = "CASEWORKER", "Caseworker"


class UserStatus(models.TextChoices):
    REQUESTED = "REQUESTED", "Requested"
    ACTIVE = "ACTIVE", "Active"
    REFUSED = "REFUSED", "Refused"
    DEACTIVATED_BY_SPONSOR = "DEACTIVATED_BY_SPONSOR", "Deactivated by sponsor"
    DEACTIVATED_BY_HOME_OFFICE = "DEACTIVATED_BY_HOME_OFFICE", "Deactivated by Home Office"


user_id_validator = RegexValidator(
    r"^[A-Za-z0-9]{6,20}$", "A user ID is 6 to 20 letters and digits, with no spaces."
)


class UserManager(BaseUserManager["User"]):
    def create_user(
        self, username: str, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        user = self.model(username=username, email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, username: str, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.update(level=UserLevel.CASEWORKER, is_superuser=True, must_change_password=False)
        return self.create_user(username, email, password, **extra)


class User(AbstractBaseUser):
    """A person who signs in. User IDs and passwords are case sensitive."""

    username = models.CharField(
        "user ID", max_length=20, unique=True, validators=[user_id_validator]
    )
    given_names = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField("work e-mail address")
    phone = models.CharField(max_length=30, blank=True)
    job_title = models.CharField(max_length=100, blank=True)
    # DOMAIN.md "Actors": users give their work address, never a home one.
    work_address_line_1 = models.CharField(max_length=200, blank=True)
    work_town = models.CharField(max_length=100, blank=True)
    work_postcode = models.CharField(max_length=10, blank=True)
    level = models.CharField(max_length=12, choices=UserLevel.choices)
    status = models.CharField(max_length=28, choices=UserStatus.choices, default=UserStatus.ACTIVE)
    sponsor = models.ForeignKey(
        "licences.Sponsor", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    is_settled_worker = models.BooleanField(
        default=False, help_text="British or Irish citizen, or has settled status in the UK."
    )
    must_change_password = models.BooleanField(default=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    is_superuser = models.BooleanField(
        default=False, help_text="May use the technical admin site. Never a sponsor user."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped by every change made through the service, so a stale form is refused.
    version = models.PositiveIntegerField(default=1)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["family_name", "given_names"]
        indexes = [models.Index(fields=["sponsor", "level", "status"])]
        constraints = [
            choices_check("level", UserLevel, "user_level_valid"),
            choices_check("status", UserStatus, "user_status_valid"),
            # Sponsor users belong to exactly one sponsor; caseworkers to none.
            models.CheckConstraint(
                condition=(Q(level="CASEWORKER", sponsor__isnull=True))
                | (Q(level__in=["LEVEL_1", "LEVEL_2"], sponsor__isnull=False)),
                name="user_sponsor_matches_level",
            ),
            models.CheckConstraint(
                condition=Q(is_superuser=False) | Q(level="CASEWORKER"),
                name="user_superuser_not_sponsor_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.status == UserStatus.ACTIVE

    @property
    def licence_allows_sign_in(self) -> bool:
        """Users of revoked, expired or surrendered licences may not sign in; caseworkers have
        no licence."""
        return self.sponsor is None or self.sponsor.sign_in_allowed

    @property
    def is_staff(self) -> bool:
        """Django admin is for superusers only."""
        return self.is_superuser

    @property
    def role(self) -> Role:
        return Role(self.level)

    @property
    def is_caseworker(self) -> bool:
        return self.level == UserLevel.CASEWORKER

    @property
    def is_level_1(self) -> bool:
        return self.level == UserLevel.LEVEL_1

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_active and self.is_superuser

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and self.is_superuser
