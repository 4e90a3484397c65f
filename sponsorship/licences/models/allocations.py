"""Yearly allocations of undefined certificates per route, PAYE references and action plans."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from sponsorship.core.db import choices_check

from .sponsors import Route, Sponsor


class Allocation(models.Model):
    """One allocation year of one route. `used` only ever moves by conditional UPDATEs, and
    the CHECK constraints hold it between 0 and `limit` whatever the application does."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="allocations")
    route = models.CharField(max_length=40, choices=Route.choices)
    year_start = models.DateField()
    year_end = models.DateField(help_text="Unused units lapse after this day.")
    limit = models.PositiveIntegerField()
    used = models.PositiveIntegerField(default=0)
    renewed_automatically = models.BooleanField(default=False)
    lapsed_units = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["route", "-year_start"]
        indexes = [models.Index(fields=["sponsor", "route", "year_end"])]
        constraints = [
            choices_check("route", Route, "allocation_route_valid"),
            models.UniqueConstraint(
                fields=["sponsor", "route", "year_start"], name="allocation_year_unique"
            ),
            models.CheckConstraint(condition=Q(used__gte=0), name="allocation_used_not_negative"),
            models.CheckConstraint(
                condition=Q(used__lte=F("limit")), name="allocation_used_within_limit"
            ),
            models.CheckConstraint(
                condition=Q(year_end__gte=F("year_start")), name="allocation_year_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route} {self.year_start}-{self.year_end}: {self.used}/{self.limit}"

    @property
    def remaining(self) -> int:
        return self.limit - self.used

    @property
    def renewal_opens(self) -> date:
        """The first day next year's allocation can be requested."""
        return self.year_end - timedelta(days=settings.ALLOCATION_RENEWAL_WINDOW_DAYS)


class PayeReference(models.Model):
    """An employer PAYE reference of the sponsor, like 123/AB45678."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="paye_references")
    reference = models.CharField(max_length=14)
    added_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["sponsor", "reference"], name="paye_reference_unique")
        ]

    def __str__(self) -> str:
        return self.reference


class ActionPlanStatus(models.TextChoices):
    AWAITING_PAYMENT = "AWAITING_PAYMENT", "Awaiting payment"
    PAID = "PAID", "Paid"
    DECLINED = "DECLINED", "Declined"


class ActionPlan(models.Model):
    """What a B-rated sponsor must do to be A-rated again, and the fee for it."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="action_plans")
    route = models.CharField(max_length=40, choices=Route.choices)
    steps = models.TextField(help_text="What the sponsor must do, and by when.")
    fee_pence = models.PositiveIntegerField()
    payment_due = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionPlanStatus.choices, default=ActionPlanStatus.AWAITING_PAYMENT
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    payment_reference = models.CharField(max_length=40, blank=True)
    responded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["sponsor", "-created_at"])]
        constraints = [
            choices_check("route", Route, "action_plan_route_valid"),
            choices_check("status", ActionPlanStatus, "action_plan_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Action plan {self.pk} for {self.route}"

    @property
    def fee_pounds(self) -> str:
        return f"£{self.fee_pence / 100:,.2f}".replace(".00", "")
