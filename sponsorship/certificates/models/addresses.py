"""Pre-stored work addresses a certificate's main work address can be copied from."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sponsorship.core.db import choices_check
from sponsorship.licences.models import Nation


class AddressPurpose(models.TextChoices):
    WORK = "WORK", "Work address"
    STUDY = "STUDY", "Study address"


class WorkAddress(models.Model):
    """A place the sponsor's workers work, or (purpose STUDY) where its students study. Editing
    or retiring one never changes a certificate: certificates keep their own copy."""

    sponsor = models.ForeignKey(
        "licences.Sponsor", on_delete=models.PROTECT, related_name="work_addresses"
    )
    purpose = models.CharField(
        max_length=5, choices=AddressPurpose.choices, default=AddressPurpose.WORK
    )
    # Shown to users and accepted by the API: WA (SA for a study address) followed by digits,
    # unique per sponsor.
    identifier = models.CharField(max_length=12)
    name = models.CharField(max_length=100, blank=True, help_text="Like 'Leeds office'.")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10)
    nation = models.CharField(max_length=3, choices=Nation.choices)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["identifier"]
        constraints = [
            choices_check("nation", Nation, "work_address_nation_valid"),
            choices_check("purpose", AddressPurpose, "work_address_purpose_valid"),
            models.UniqueConstraint(
                fields=["sponsor", "identifier"], name="work_address_identifier_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["sponsor", "purpose", "identifier"],
                condition=Q(retired_at__isnull=True),
                name="work_address_in_use",
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier}: {self.one_line}"

    @property
    def one_line(self) -> str:
        return ", ".join(
            part for part in (self.line_1, self.line_2, self.town, self.postcode) if part
        )
