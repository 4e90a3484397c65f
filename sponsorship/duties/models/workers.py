"""The sponsored-worker register: one row per worker sponsored through a used certificate."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sponsorship.core.db import choices_check
from sponsorship.licences.models import Nation


class WorkerStatus(models.TextChoices):
    AWAITING_START = "AWAITING_START", "Not started yet"
    WORKING = "WORKING", "Working"
    # Sponsorship is over: left, stopped, or the visa application did not go ahead.
    ENDED = "ENDED", "Sponsorship ended"


class Worker(models.Model):
    """A sponsored worker as the sponsor knows them now. It starts as a copy of the certificate's
    job, pay and place of work; recorded events (a pay change, a move) keep it current, and the
    certificate keeps what was certified."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    certificate = models.OneToOneField(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="worker"
    )
    status = models.CharField(
        max_length=16, choices=WorkerStatus.choices, default=WorkerStatus.AWAITING_START
    )
    ended_reason = models.CharField(max_length=200, blank=True)

    job_title = models.CharField(max_length=200, blank=True)
    soc_code = models.CharField(max_length=4, blank=True)
    annual_salary = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    weekly_hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    work_address = models.CharField(max_length=500, blank=True)
    other_work_addresses = models.TextField(blank=True)
    # Whose bank holidays count in this worker's deadlines: the main work address's part of the
    # UK, else the sponsor's head office (DOMAIN.md "Reporting duties").
    nation = models.CharField(max_length=3, choices=Nation.choices)

    # Dates that start the "did not start" clock, and the first day at work.
    certificate_start_date = models.DateField(null=True, blank=True)
    visa_valid_from = models.DateField(null=True, blank=True)
    visa_granted_on = models.DateField(null=True, blank=True)
    # The latest of the three above: kept by the services so the sweep can compare one column.
    start_trigger_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    permission_expires_on = models.DateField("Permission (visa) expiry date", null=True, blank=True)
    right_to_work_checked_on = models.DateField(null=True, blank=True)
    right_to_work_follow_up_on = models.DateField(null=True, blank=True)

    # Contact details: current here, every version kept in WorkerContact.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    home_address = models.CharField(max_length=500, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Bumped by every change, so a stale form is refused rather than overwriting.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["sponsor", "status"]),
            # The sweep's "did not start" pass.
            models.Index(
                fields=["nation", "start_trigger_on"],
                condition=Q(status="AWAITING_START"),
                name="worker_awaiting_start",
            ),
            models.Index(fields=["sponsor", "permission_expires_on"]),
            models.Index(fields=["permission_expires_on"], name="worker_permission_expiry"),
            models.Index(fields=["sponsor", "right_to_work_follow_up_on"]),
        ]
        constraints = [
            choices_check("status", WorkerStatus, "worker_status_valid"),
            choices_check("nation", Nation, "worker_nation_valid"),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True) | Q(weekly_hours__gt=0),
                name="worker_weekly_hours_positive",
            ),
            models.CheckConstraint(
                condition=Q(annual_salary__isnull=True) | Q(annual_salary__gt=0),
                name="worker_salary_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate.full_name} ({self.certificate.number})"

    @property
    def is_sponsored(self) -> bool:
        return self.status != WorkerStatus.ENDED


class WorkerContact(models.Model):
    """One version of a worker's contact details: the register keeps their history."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="contacts")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    home_address = models.CharField(max_length=500, blank=True)
    changed_on = models.DateField()
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_on", "-pk"]
        indexes = [models.Index(fields=["worker", "-changed_on"])]

    def __str__(self) -> str:
        return f"Contact details of worker {self.worker_id} from {self.changed_on}"
