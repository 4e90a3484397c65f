"""Batches: certificates prepared together and assigned together."""

from django.db import models
from django.utils import timezone


class Batch(models.Model):
    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["sponsor", "owner"])]

    def __str__(self) -> str:
        return self.name
