"""Each sponsor's reminder settings and each user's choice of immediate or digest e-mails."""

from django.db import models
from django.utils import timezone

from sponsorship.core.db import choices_check

DEFAULT_LEAD_DAYS = "5,2,1"
DEFAULT_EXPIRY_ALERT_DAYS = "90,60,30,14,7"
# Calendar days after a course starts by which a student must have enrolled. DOMAIN.md does not
# fix it, and the student sponsor guidance leaves the enrolment period (and the latest date a
# student may arrive) to each institution: it is a sponsor's own setting rather than a dated
# rule, which would impose one period on every sponsor. Two weeks is a common enrolment period
# for courses starting in September and January; a sponsor with a longer one sets it here.
DEFAULT_ENROLMENT_WINDOW_DAYS = 14
MAX_ENROLMENT_WINDOW_DAYS = 120


class ComplianceSettings(models.Model):
    """How early reminders go out. Stored as comma-separated whole numbers, largest first, so the
    sweep can match a lead time with one LIKE (see services.reminders)."""

    sponsor = models.OneToOneField(
        "licences.Sponsor", on_delete=models.CASCADE, related_name="compliance_settings"
    )
    # Working days before a duty falls due.
    reminder_lead_days = models.CharField(max_length=60, default=DEFAULT_LEAD_DAYS)
    # Calendar days before a worker's permission expires.
    expiry_alert_days = models.CharField(max_length=60, default=DEFAULT_EXPIRY_ALERT_DAYS)
    # Calendar days after a course's start date by which a student must enrol; the daily sweep
    # raises "did not enrol" the day after.
    enrolment_window_days = models.PositiveSmallIntegerField(default=DEFAULT_ENROLMENT_WINDOW_DAYS)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "compliance settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    enrolment_window_days__gte=1,
                    enrolment_window_days__lte=MAX_ENROLMENT_WINDOW_DAYS,
                ),
                name="compliance_enrolment_window_range",
            )
        ]

    def __str__(self) -> str:
        return f"Reminder settings of sponsor {self.sponsor_id}"


class ReminderMode(models.TextChoices):
    IMMEDIATE = "IMMEDIATE", "An e-mail for each reminder"
    DIGEST = "DIGEST", "One e-mail a day listing them all"


class ReminderPreference(models.Model):
    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="reminder_preference"
    )
    mode = models.CharField(
        max_length=10, choices=ReminderMode.choices, default=ReminderMode.IMMEDIATE
    )

    class Meta:
        constraints = [choices_check("mode", ReminderMode, "reminder_mode_valid")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.mode}"
