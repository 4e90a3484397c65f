"""Duties (what must be reported, by when) and the reminders sent about them."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sponsorship.core.db import choices_check
from sponsorship.licences.models import Nation

from ..kinds import EventKind


class DutyStatus(models.TextChoices):
    OPEN = "OPEN", "To do"
    DONE = "DONE", "Reported"
    # No longer needed: the worker started in time after all, say.
    CANCELLED = "CANCELLED", "No longer needed"


class Duty(models.Model):
    """Something the sponsor must report, with its clock. Raised by recorded events and by the
    daily sweep; closed by the matching report."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    # Empty for an organisation change.
    worker = models.ForeignKey(
        "duties.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="duties"
    )
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    # What happened and on which date; the clock start and due date follow from the kind's rule.
    event_date = models.DateField()
    clock_starts_on = models.DateField()
    due_on = models.DateField()
    nation = models.CharField(max_length=3, choices=Nation.choices)
    summary = models.CharField(max_length=300, blank=True)
    # The recorded event that made it reportable; empty when time alone did (the sweep).
    event = models.ForeignKey(
        "duties.HrEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="duties"
    )
    status = models.CharField(max_length=10, choices=DutyStatus.choices, default=DutyStatus.OPEN)
    # One duty per thing to report, whoever raises it first: "<kind>:<worker>:<event date>".
    key = models.CharField(max_length=120)
    raised_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_note = models.CharField(max_length=300, blank=True)
    report = models.ForeignKey(
        "duties.ActivityReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duties_met",
    )
    # An organisation change is reported by a change of circumstances request.
    licence_request = models.ForeignKey(
        "licences.LicenceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name_plural = "duties"
        indexes = [
            models.Index(fields=["sponsor", "status", "due_on"]),
            models.Index(fields=["worker", "status"]),
            # The reminder passes: open duties by due date.
            models.Index(fields=["due_on"], condition=Q(status="OPEN"), name="duty_open_due"),
        ]
        constraints = [
            choices_check("kind", EventKind, "duty_kind_valid"),
            choices_check("status", DutyStatus, "duty_status_valid"),
            choices_check("nation", Nation, "duty_nation_valid"),
            models.UniqueConstraint(fields=["sponsor", "key"], name="duty_key_unique"),
            models.CheckConstraint(
                condition=Q(status="OPEN", closed_at__isnull=True)
                | Q(status__in=["DONE", "CANCELLED"], closed_at__isnull=False),
                name="duty_closed_when_not_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.status == DutyStatus.OPEN


def duty_key(kind: str, worker_id: int | None, event_date: object, subject: str = "") -> str:
    """The one key a duty is known by, however it is raised (service or sweep)."""
    return f"{kind}:{worker_id or subject}:{event_date}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "DUE_SOON", "Due soon"
    OVERDUE = "OVERDUE", "Overdue"
    PERMISSION_EXPIRY = "PERMISSION_EXPIRY", "Permission expiring"


class Reminder(models.Model):
    """One reminder about one duty (or one worker's permission) on one day. Raised set-based by
    the sweep; the unique keys make it idempotent: running it twice finds every reminder already
    there and e-mails nothing twice. Who receives it is worked out when it is sent: the duty's
    owner and the Level 1 users, and the Authorising Officer when `escalated`."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    duty = models.ForeignKey(
        Duty, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    worker = models.ForeignKey(
        "duties.Worker", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    escalated = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "pk"]
        indexes = [
            models.Index(
                fields=["day"], condition=Q(emailed_at__isnull=True), name="reminder_unsent"
            )
        ]
        constraints = [
            choices_check("kind", ReminderKind, "reminder_kind_valid"),
            models.UniqueConstraint(
                fields=["duty", "day"],
                condition=Q(duty__isnull=False),
                name="reminder_duty_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["worker", "kind", "day"],
                condition=Q(duty__isnull=True),
                name="reminder_worker_once_a_day",
            ),
            models.CheckConstraint(
                condition=Q(duty__isnull=False) | Q(worker__isnull=False),
                name="reminder_about_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.day}"
