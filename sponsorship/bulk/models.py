"""Bulk XML files received from student records systems, and each record's result (ADR 0014).

A file sent is kept as sent (under the uploads directory, never served) and processed in the
background, a record at a time, each in its own transaction. The file id its sender gave it
(BulkUploadFileId, BulkUpdateFileId, BulkReportingID) makes sending it again safe: a record done
once is never done again (`BulkRecord.done_key`, unique per sponsor)."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from sponsorship.core.db import choices_check


class BulkKind(models.TextChoices):
    """What a file asks for, from its root element."""

    UPLOAD = "UPLOAD", "Bulk Upload"
    UPDATE = "UPDATE", "Bulk Update"
    REPORT = "REPORT", "Bulk Report"
    GRADUATE = "GRADUATE", "Graduate notifications"


class BulkStatus(models.TextChoices):
    QUEUED = "QUEUED", "Waiting to start"
    RUNNING = "RUNNING", "Being processed"
    DONE = "DONE", "Processed"
    FAILED = "FAILED", "Stopped"


class RecordOutcome(models.TextChoices):
    CREATED = "CREATED", "CAS created and assigned"
    UPDATED = "UPDATED", "Fees updated"
    REPORTED = "REPORTED", "Reported"
    ALREADY_DONE = "ALREADY_DONE", "Already done by an earlier file"
    REJECTED = "REJECTED", "Rejected"


SUCCEEDED = (RecordOutcome.CREATED, RecordOutcome.UPDATED, RecordOutcome.REPORTED)


class BulkFile(models.Model):
    """One file as sent. Sending a changed file with the same file id makes another row; its
    records already done by the earlier one are ALREADY_DONE."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=BulkKind.choices)
    # The sender's own id of the file (BulkUploadFileId, BulkUpdateFileId or BulkReportingID).
    file_id = models.CharField("file id", max_length=64)
    sent_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    sent_from = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    original_name = models.CharField(max_length=200)
    file = models.FileField(upload_to="bulk/%Y/%m/", max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=BulkStatus.choices, default=BulkStatus.QUEUED)
    # The job that may process this file; a job holding another token leaves it alone.
    token = models.CharField(max_length=32)
    records_total = models.PositiveIntegerField()
    records_succeeded = models.PositiveIntegerField(default=0)
    records_already_done = models.PositiveIntegerField(default=0)
    records_rejected = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    # When progress was last saved: a file running with no progress for long has lost its job.
    progressed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["sponsor", "-received_at"]),
            models.Index(fields=["sponsor", "kind", "file_id"]),
        ]
        constraints = [
            choices_check("kind", BulkKind, "bulk_file_kind_valid"),
            choices_check("status", BulkStatus, "bulk_file_status_valid"),
            models.CheckConstraint(
                condition=Q(
                    records_total__gte=F("records_succeeded")
                    + F("records_already_done")
                    + F("records_rejected")
                ),
                name="bulk_file_progress_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(status=BulkStatus.DONE) | Q(finished_at__isnull=False),
                name="bulk_file_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_id}"

    @property
    def is_finished(self) -> bool:
        return self.status in (BulkStatus.DONE, BulkStatus.FAILED)

    @property
    def records_processed(self) -> int:
        return self.records_succeeded + self.records_already_done + self.records_rejected

    @property
    def records_remaining(self) -> int:
        return max(0, self.records_total - self.records_processed)

    @property
    def percent(self) -> int:
        if self.status == BulkStatus.DONE:
            return 100
        if not self.records_total:
            return 0
        return min(100, self.records_processed * 100 // self.records_total)

    @property
    def result_name(self) -> str:
        """The stem of the result files' names."""
        return f"bulk-result-{self.file_id}-{self.pk}"


class BulkRecord(models.Model):
    """What became of one record of a file: done (with the CAS it made, changed or reported
    on), already done by an earlier file with the same file id, or rejected with every
    reason."""

    sponsor = models.ForeignKey("licences.Sponsor", on_delete=models.PROTECT, related_name="+")
    bulk_file = models.ForeignKey(BulkFile, on_delete=models.CASCADE, related_name="records")
    # 1 for the first record after the file id, in the file's order.
    position = models.PositiveIntegerField()
    # As sent (shortened), when the record had one: what the sender knows the student by.
    applicant_id = models.CharField("ApplicantID", max_length=50, blank=True)
    cas_number = models.CharField("CAS number", max_length=14, blank=True)
    certificate = models.ForeignKey(
        "certificates.Certificate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(max_length=12, choices=RecordOutcome.choices)
    # [{"element": "CourseStartDate", "message": "..."}]; element empty for the whole record.
    reasons = models.JSONField(default=list, blank=True)
    # Set only on the record that did the work: "<kind>:<file id>:<record key>". Unique per
    # sponsor, so a record is done once whatever happens (two workers, a file sent again).
    # NULL (never "") for records that did nothing, so any number of them may share it.
    done_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["bulk_file", "position"]
        indexes = [models.Index(fields=["bulk_file", "outcome", "position"])]
        constraints = [
            models.UniqueConstraint(
                fields=["bulk_file", "position"], name="bulk_record_one_per_position"
            ),
            models.UniqueConstraint(fields=["sponsor", "done_key"], name="bulk_record_done_once"),
            choices_check("outcome", RecordOutcome, "bulk_record_outcome_valid"),
            models.CheckConstraint(condition=Q(position__gte=1), name="bulk_record_from_one"),
        ]

    def __str__(self) -> str:
        return f"Record {self.position} of {self.bulk_file_id}"
