"""Record keeping (Appendix D): each sponsored worker's checklist of documents, every uploaded
version of each, the tombstones left when expired records are deleted, and evidence packs."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sponsorship.core.db import choices_check

from .items import RecordItem


class Record(models.Model):
    """One line of a worker's checklist, made the first time anyone acts on it: its versions,
    or the sponsor's reason why the worker does not need it."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("duties.Worker", on_delete=models.PROTECT, related_name="records")
    item = models.CharField(max_length=20, choices=RecordItem.choices)
    # Kept by the upload service under the row's lock: the next version's number, and whether
    # the item has a document, without counting rows.
    versions_count = models.PositiveIntegerField(default=0)
    not_needed_reason = models.TextField(blank=True)
    not_needed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    not_needed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["worker", "item"]
        indexes = [models.Index(fields=["sponsor", "worker"])]
        constraints = [
            models.UniqueConstraint(fields=["worker", "item"], name="record_one_per_item"),
            choices_check("item", RecordItem, "record_item_valid"),
            models.CheckConstraint(
                condition=Q(not_needed_at__isnull=True, not_needed_reason="")
                | (Q(not_needed_at__isnull=False) & ~Q(not_needed_reason="")),
                name="record_not_needed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} of worker {self.worker_id}"

    @property
    def is_not_needed(self) -> bool:
        return self.not_needed_at is not None


class RecordVersion(models.Model):
    """One uploaded document. Never overwritten: a new upload is the next version, and every
    version is kept until the records' retention has passed and a person deletes them."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to="records/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["record", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="record_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="record_version_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (version {self.number})"


class RecordDeletion(models.Model):
    """What is left of a worker's records once deleted: who deleted them, when, and what they
    were (names and SHA-256 hashes), so the deletion itself can be shown to an auditor."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("duties.Worker", on_delete=models.PROTECT, related_name="+")
    worker_name = models.CharField(max_length=300)
    certificate_number = models.CharField(max_length=20, blank=True)
    kept_until = models.DateField()
    deleted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    deleted_at = models.DateTimeField(default=timezone.now)
    # [{"item", "item_name", "version", "name", "size", "sha256", "uploaded_at"}, ...]
    files = models.JSONField(default=list)
    # The items the sponsor had marked as not needed, by name.
    not_needed = models.JSONField(default=list)

    class Meta:
        ordering = ["-deleted_at", "-pk"]
        indexes = [models.Index(fields=["sponsor", "-deleted_at"])]

    def __str__(self) -> str:
        return f"Records of {self.worker_name} deleted on {self.deleted_at:%Y-%m-%d}"


class PackStatus(models.TextChoices):
    QUEUED = "QUEUED", "Waiting to start"
    RUNNING = "RUNNING", "Being produced"
    DONE = "DONE", "Ready"
    FAILED = "FAILED", "Failed"


class EvidencePack(models.Model):
    """A ZIP of the licence's (or one worker's) compliance evidence, produced in the background:
    a PDF summary, the documents, the audit trail and its verification."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    # Empty for the whole licence.
    worker = models.ForeignKey(
        "duties.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="evidence-packs/%Y/%m/", max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    documents = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["sponsor", "-created_at"])]
        constraints = [
            choices_check("status", PackStatus, "evidence_pack_status_valid"),
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total")),
                name="evidence_pack_progress_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(status="DONE") | (Q(finished_at__isnull=False) & ~Q(sha256="")),
                name="evidence_pack_done_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(status="FAILED") | Q(finished_at__isnull=False),
                name="evidence_pack_failed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Evidence pack {self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (PackStatus.DONE, PackStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == PackStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def filename(self) -> str:
        scope = f"worker-{self.worker_id}" if self.worker_id else "licence"
        return f"evidence-pack-{scope}-{self.created_at:%Y%m%d-%H%M}.zip"
