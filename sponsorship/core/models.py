"""Core tables: the caseworkers' corrections to the bank holiday calendar."""

from django.db import models
from django.utils import timezone

from .db import choices_check
from .workingdays import NATION_NAMES


class BankHolidayNation(models.TextChoices):
    """The parts of the UK with their own bank holidays (the codes of `core.workingdays`)."""

    ENGLAND = "ENG", NATION_NAMES["ENG"]
    WALES = "WLS", NATION_NAMES["WLS"]
    SCOTLAND = "SCT", NATION_NAMES["SCT"]
    NORTHERN_IRELAND = "NIR", NATION_NAMES["NIR"]


class OverrideChange(models.TextChoices):
    ADD = "ADD", "Extra bank holiday"
    REMOVE = "REMOVE", "No longer a bank holiday"


class BankHolidayOverride(models.Model):
    """A newly announced bank holiday, or a listed one cancelled, in one part of the UK: it
    applies on top of the `holidays` package without a release."""

    day = models.DateField()
    nation = models.CharField(max_length=3, choices=BankHolidayNation.choices)
    change = models.CharField(max_length=6, choices=OverrideChange.choices)
    name = models.CharField(max_length=100)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "nation"]
        constraints = [
            # One change per day per nation: two would contradict or repeat each other.
            models.UniqueConstraint(fields=["nation", "day"], name="bank_holiday_override_once"),
            choices_check("nation", BankHolidayNation, "bank_holiday_override_nation_valid"),
            choices_check("change", OverrideChange, "bank_holiday_override_change_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.day:%-d %B %Y} ({self.get_nation_display()})"

    @property
    def adds(self) -> bool:
        return self.change == OverrideChange.ADD
