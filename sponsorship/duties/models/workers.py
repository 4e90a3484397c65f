"""The register of sponsored people: one row per worker sponsored through a used certificate of
sponsorship, or student sponsored through a used CAS."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sponsorship.core.db import choices_check
from sponsorship.licences.models import Nation


class PersonKind(models.TextChoices):
    """Who a register row is about: the certificate's kind decides (CoS: a worker, CAS: a
    student)."""

    WORKER = "WORKER", "Sponsored worker"
    STUDENT = "STUDENT", "Sponsored student"


class WorkerStatus(models.TextChoices):
    AWAITING_START = "AWAITING_START", "Not started yet"
    WORKING = "WORKING", "Working"
    # A student's.
    NOT_ENROLLED = "NOT_ENROLLED", "Not enrolled yet"
    STUDYING = "STUDYING", "Studying"
    STUDIES_PAUSED = "STUDIES_PAUSED", "Studies paused"
    # Sponsorship is over: left, stopped, or the visa application did not go ahead.
    ENDED = "ENDED", "Sponsorship ended"


WORKER_STATUSES = [WorkerStatus.AWAITING_START, WorkerStatus.WORKING, WorkerStatus.ENDED]
STUDENT_STATUSES = [
    WorkerStatus.NOT_ENROLLED,
    WorkerStatus.STUDYING,
    WorkerStatus.STUDIES_PAUSED,
    WorkerStatus.ENDED,
]
# Before the first day at work, or before enrolment: the status a register row starts in.
FIRST_STATUS = {
    PersonKind.WORKER: WorkerStatus.AWAITING_START,
    PersonKind.STUDENT: WorkerStatus.NOT_ENROLLED,
}


class Worker(models.Model):
    """A sponsored person as the sponsor knows them now: a worker (CoS) or a student (CAS). A
    worker's row starts as a copy of the certificate's job, pay and place of work, a student's
    as a copy of the CAS's course and study address; recorded events keep it current, and the
    certificate keeps what was certified. The clock columns serve both: `start_trigger_on` is a
    worker's latest start trigger or a student's course start date, `started_on` the first day
    at work or the day they enrolled."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    certificate = models.OneToOneField(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="worker"
    )
    kind = models.CharField(max_length=7, choices=PersonKind.choices, default=PersonKind.WORKER)
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

    # A student's course, copied from the CAS. The study address's part of the UK is `nation`.
    student_id = models.CharField("student ID", max_length=40, blank=True)
    course_title = models.CharField(max_length=200, blank=True)
    course_start_date = models.DateField(null=True, blank=True)
    course_end_date = models.DateField(null=True, blank=True)
    study_address = models.CharField(max_length=500, blank=True)

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
            models.Index(fields=["sponsor", "kind", "status"]),
            # The sweep's "did not start" pass.
            models.Index(
                fields=["nation", "start_trigger_on"],
                condition=Q(status="AWAITING_START"),
                name="worker_awaiting_start",
            ),
            # The sweep's "did not enrol" pass.
            models.Index(
                fields=["nation", "start_trigger_on"],
                condition=Q(status="NOT_ENROLLED"),
                name="student_awaiting_enrolment",
            ),
            models.Index(fields=["sponsor", "student_id"]),
            models.Index(fields=["sponsor", "permission_expires_on"]),
            models.Index(fields=["permission_expires_on"], name="worker_permission_expiry"),
            models.Index(fields=["sponsor", "right_to_work_follow_up_on"]),
        ]
        constraints = [
            choices_check("status", WorkerStatus, "worker_status_valid"),
            choices_check("kind", PersonKind, "worker_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=PersonKind.WORKER, status__in=WORKER_STATUSES)
                | Q(kind=PersonKind.STUDENT, status__in=STUDENT_STATUSES),
                name="worker_status_fits_kind",
            ),
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

    @property
    def is_student(self) -> bool:
        return self.kind == PersonKind.STUDENT


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
