"""Batches and Creative Worker groups: certificates prepared together and assigned together."""

from django.db import models
from django.utils import timezone

from sponsorship.core.db import choices_check

from .certificates import CertificateKind


class BatchKind(models.TextChoices):
    # Each certificate is assigned on its own merits: the ready ones go, the others wait.
    BATCH = "BATCH", "Batch"
    # Creative Worker only (a cast, a band, a crew): all assigned together, or none.
    GROUP = "GROUP", "Creative Worker group"


class Batch(models.Model):
    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=5, choices=BatchKind.choices, default=BatchKind.BATCH)
    # A batch holds certificates of one kind: CoS or CAS.
    certificate_kind = models.CharField(
        max_length=3, choices=CertificateKind.choices, default=CertificateKind.COS
    )
    name = models.CharField(max_length=100)
    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "batches"
        indexes = [models.Index(fields=["sponsor", "owner"])]
        constraints = [
            choices_check("kind", BatchKind, "batch_kind_valid"),
            choices_check("certificate_kind", CertificateKind, "batch_certificate_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_group(self) -> bool:
        return self.kind == BatchKind.GROUP
