"""HR events: what happened to a worker (or a student), recorded in the service or posted by an
HR system (or a student records system)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sponsorship.core.db import choices_check


class HrEventKind(models.TextChoices):
    FIRST_DAY = "FIRST_DAY", "First day at work"
    ABSENCE = "ABSENCE", "Absence"
    RETURN = "RETURN", "Returned to work"
    SALARY_CHANGE = "SALARY_CHANGE", "Salary changed"
    JOB_CHANGE = "JOB_CHANGE", "Job changed"
    LOCATION_CHANGE = "LOCATION_CHANGE", "Work location changed"
    CONTACT_CHANGE = "CONTACT_CHANGE", "Contact details changed"
    LEAVING = "LEAVING", "Left or is leaving"
    # A student's (DOMAIN.md "Confirmation of Acceptance for Studies").
    ENROLLED = "ENROLLED", "Enrolled"
    STOPPED_ENGAGING = "STOPPED_ENGAGING", "Stopped engaging with their studies"
    STUDIES_STOPPED = "STUDIES_STOPPED", "Withdrew, was withdrawn or was excluded"
    STUDIES_PAUSED = "STUDIES_PAUSED", "Suspended, interrupted or deferred their studies"
    RESUMED = "RESUMED", "Resumed their studies"
    COMPLETED = "COMPLETED", "Completed the course"
    SPONSORSHIP_ENDED = "SPONSORSHIP_ENDED", "Sponsorship ended for another reason"


# What can be recorded about whom: the worker forms never offer a student's events, nor the
# reverse. Contact details are kept for both.
STUDENT_HR_EVENT_KINDS = [
    HrEventKind.ENROLLED,
    HrEventKind.STOPPED_ENGAGING,
    HrEventKind.STUDIES_STOPPED,
    HrEventKind.STUDIES_PAUSED,
    HrEventKind.RESUMED,
    HrEventKind.COMPLETED,
    HrEventKind.SPONSORSHIP_ENDED,
    HrEventKind.CONTACT_CHANGE,
]
WORKER_HR_EVENT_KINDS = [
    kind
    for kind in HrEventKind
    if kind not in STUDENT_HR_EVENT_KINDS or kind == HrEventKind.CONTACT_CHANGE
]


class AbsenceType(models.TextChoices):
    UNAUTHORISED = "UNAUTHORISED", "Unauthorised absence"
    UNPAID_LEAVE = "UNPAID_LEAVE", "Unpaid or reduced-pay leave"


class EventSource(models.TextChoices):
    WEB = "WEB", "Recorded in the service"
    API = "API", "Sent by an HR system"
    BULK = "BLK", "Sent in a bulk file"


class HrEvent(models.Model):
    """One recorded event. Kept as recorded (never edited), so the register's history and the
    duties it raised can always be traced back to it."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("duties.Worker", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=HrEventKind.choices)
    occurred_on = models.DateField()
    # The last day of an absence, when known.
    ends_on = models.DateField(null=True, blank=True)
    absence_type = models.CharField(max_length=12, choices=AbsenceType.choices, blank=True)
    # The kind's own values (new salary, new job title, new address...), as checked on the way in.
    details = models.JSONField(default=dict, blank=True)
    # The sending system's own id: sending the same event twice records it once.
    external_id = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=3, choices=EventSource.choices, default=EventSource.WEB)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["worker", "-occurred_on"])]
        constraints = [
            choices_check("kind", HrEventKind, "hr_event_kind_valid"),
            choices_check("absence_type", AbsenceType, "hr_event_absence_valid", allow_blank=True),
            choices_check("source", EventSource, "hr_event_source_valid"),
            models.UniqueConstraint(
                fields=["sponsor", "external_id"],
                condition=~Q(external_id=""),
                name="hr_event_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("occurred_on")),
                name="hr_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"


class Absence(models.Model):
    """A spell of consecutive absence, merged from absence events: an HR system may send one
    event per day, and what the rules count is the unbroken run."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("duties.Worker", on_delete=models.CASCADE, related_name="absences")
    absence_type = models.CharField(max_length=12, choices=AbsenceType.choices)
    first_day = models.DateField()
    # Empty while the worker is still away.
    last_day = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-first_day", "-pk"]
        indexes = [
            models.Index(fields=["worker", "first_day"]),
            # The sweep's pass over absences still running.
            models.Index(
                fields=["first_day"],
                condition=Q(last_day__isnull=True, absence_type="UNAUTHORISED"),
                name="absence_ongoing",
            ),
        ]
        constraints = [
            choices_check("absence_type", AbsenceType, "absence_type_valid"),
            models.CheckConstraint(
                condition=Q(last_day__isnull=True) | Q(last_day__gte=models.F("first_day")),
                name="absence_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_absence_type_display()} from {self.first_day}"
