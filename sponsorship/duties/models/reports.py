"""Migrant and student activity reports: what the sponsor told the Home Office, final once
submitted."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sponsorship.core.db import choices_check
from sponsorship.licences.models import Nation

from ..kinds import EventKind
from .events import EventSource


class ActivityReport(models.Model):
    """A submitted report about a worker or a student on a used certificate (CoS or CAS). Never
    edited: a correction is a new report that points at the one it corrects."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("duties.Worker", on_delete=models.PROTECT, related_name="reports")
    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="activity_reports"
    )
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    event_date = models.DateField()
    clock_starts_on = models.DateField()
    # Empty for a suspected breach: reported as soon as reasonably practicable, not by a date.
    due_on = models.DateField(null=True, blank=True)
    nation = models.CharField(max_length=3, choices=Nation.choices)
    details = models.JSONField(default=dict)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    submitted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    late = models.BooleanField(default=False)
    source = models.CharField(max_length=3, choices=EventSource.choices, default=EventSource.WEB)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["sponsor", "-submitted_at"]),
            models.Index(fields=["worker", "-submitted_at"]),
            models.Index(fields=["-submitted_at"], name="report_newest_first"),
            models.Index(fields=["late", "-submitted_at"], name="report_late_newest_first"),
        ]
        constraints = [
            choices_check("kind", EventKind, "report_kind_valid"),
            choices_check("nation", Nation, "report_nation_valid"),
            choices_check("source", EventSource, "report_source_valid"),
            models.CheckConstraint(
                condition=~Q(kind=EventKind.ORGANISATION_CHANGE), name="report_about_a_worker"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return f"MA{self.pk:08d}"
