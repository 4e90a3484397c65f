"""The status and activity history of each certificate, shown and printed with it."""

from django.db import models
from django.utils import timezone

from sponsorship.core.db import choices_check

from .certificates import Certificate, CertificateStatus


class CertificateAction(models.TextChoices):
    CREATED = "CREATED", "Created"
    EDITED = "EDITED", "Details changed"
    ASSIGNED = "ASSIGNED", "Assigned"
    NOTE_ADDED = "NOTE_ADDED", "Sponsor note added"
    NOTE_AMENDED = "NOTE_AMENDED", "Sponsor note amended"
    WITHDRAWN = "WITHDRAWN", "Withdrawn by the sponsor"
    EXPIRED = "EXPIRED", "Expired unused"
    USED = "USED", "Used in an application"
    OUTCOME = "OUTCOME", "Application outcome recorded"
    CANCELLED = "CANCELLED", "Cancelled by the Home Office"
    TRANSFERRED = "TRANSFERRED", "Ownership transferred"
    FEES_UPDATED = "FEES_UPDATED", "Fees updated"
    SUPERSEDED = "SUPERSEDED", "Made obsolete by a later CAS"


class CertificateEvent(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=CertificateAction.choices)
    # The status after the event, so the history reads as a status history too.
    status = models.CharField(max_length=12, choices=CertificateStatus.choices)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["certificate", "at"])]
        constraints = [
            choices_check("action", CertificateAction, "certificate_event_action_valid"),
            choices_check("status", CertificateStatus, "certificate_event_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"
