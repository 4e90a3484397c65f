"""The outbox: every message is a row first, so nothing is lost when a mail server is down."""

from django.db import models
from django.utils import timezone

from sponsorship.core.db import choices_check


class OutboxStatus(models.TextChoices):
    PENDING = "PENDING", "Waiting to send"
    SENDING = "SENDING", "Being sent"
    SENT = "SENT", "Sent"
    FAILED = "FAILED", "Gave up"


class OutboundEmail(models.Model):
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    template = models.CharField(max_length=60)
    sponsor = models.ForeignKey(
        "licences.Sponsor", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [choices_check("status", OutboxStatus, "outbound_email_status_valid")]

    def __str__(self) -> str:
        return f"{self.template} to {self.to} ({self.status})"
