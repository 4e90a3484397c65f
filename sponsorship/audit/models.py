"""The audit trail: append-only events, hash-chained per sponsor."""

from django.db import models


class AuditVerb(models.TextChoices):
    SIGN_IN = "SIGN_IN", "Signed in"
    SIGN_IN_FAILED = "SIGN_IN_FAILED", "Sign-in failed"
    SIGN_IN_REFUSED = "SIGN_IN_REFUSED", "Sign-in refused"
    SIGN_OUT = "SIGN_OUT", "Signed out"
    SESSION_EXPIRED = "SESSION_EXPIRED", "Signed out after inactivity"
    ACCOUNT_LOCKED = "ACCOUNT_LOCKED", "Account locked"
    ACCOUNT_UNLOCKED = "ACCOUNT_UNLOCKED", "Account unlocked"
    PASSCODE_SENT = "PASSCODE_SENT", "Passcode sent"
    PASSCODE_FAILED = "PASSCODE_FAILED", "Passcode failed"
    PASSCODE_APP_ADDED = "PASSCODE_APP_ADDED", "Authenticator app added"
    PASSCODE_APP_REMOVED = "PASSCODE_APP_REMOVED", "Authenticator app removed"
    PASSWORD_CHANGED = "PASSWORD_CHANGED", "Password changed"
    PASSWORD_RESET = "PASSWORD_RESET", "Temporary password sent"
    MESSAGE_READ = "MESSAGE_READ", "Message read"
    MESSAGES_ARCHIVED = "MESSAGES_ARCHIVED", "Messages archived"
    API_TOKEN_CREATED = "API_TOKEN_CREATED", "API token created"
    API_TOKEN_REVOKED = "API_TOKEN_REVOKED", "API token revoked"
    AUDIT_EXPORTED = "AUDIT_EXPORTED", "Audit trail exported"
    USER_REQUESTED = "USER_REQUESTED", "Level 1 user requested"
    USER_CREATED = "USER_CREATED", "User created"
    USER_AMENDED = "USER_AMENDED", "User details amended"
    USER_DEACTIVATED = "USER_DEACTIVATED", "User deactivated"
    KEY_PERSON_CHANGED = "KEY_PERSON_CHANGED", "Key personnel changed"
    REQUEST_SUBMITTED = "REQUEST_SUBMITTED", "Request submitted"
    REQUEST_WITHDRAWN = "REQUEST_WITHDRAWN", "Request withdrawn"
    REQUEST_ASSIGNED = "REQUEST_ASSIGNED", "Request assigned"
    INFO_REQUESTED = "INFO_REQUESTED", "More information requested"
    INFO_PROVIDED = "INFO_PROVIDED", "More information provided"
    REQUEST_DECIDED = "REQUEST_DECIDED", "Request decided"
    EVIDENCE_DOWNLOADED = "EVIDENCE_DOWNLOADED", "Evidence downloaded"
    PAYE_ADDED = "PAYE_ADDED", "PAYE reference added"
    PAYE_DELETED = "PAYE_DELETED", "PAYE reference deleted"
    ALLOCATION_CHANGED = "ALLOCATION_CHANGED", "Allocation changed"
    ALLOCATION_LAPSED = "ALLOCATION_LAPSED", "Unused allocation lapsed"
    ACTION_PLAN_CREATED = "ACTION_PLAN_CREATED", "Action plan issued"
    ACTION_PLAN_PAID = "ACTION_PLAN_PAID", "Action plan paid"
    ACTION_PLAN_DECLINED = "ACTION_PLAN_DECLINED", "Action plan declined"
    RATING_CHANGED = "RATING_CHANGED", "Route rating changed"
    LICENCE_STATUS_CHANGED = "LICENCE_STATUS_CHANGED", "Licence status changed"
    LICENCE_DETAILS_CHANGED = "LICENCE_DETAILS_CHANGED", "Licence details changed"
    SETTLED_EXCEPTION_CHANGED = "SETTLED_EXCEPTION_CHANGED", "Settled worker exception changed"
    MESSAGE_POSTED = "MESSAGE_POSTED", "Message posted"
    MESSAGE_EDITED = "MESSAGE_EDITED", "Message edited"
    MESSAGE_ARCHIVED = "MESSAGE_ARCHIVED", "Message archived"
    CERTIFICATE_CREATED = "CERTIFICATE_CREATED", "Certificate draft created"
    CERTIFICATE_EDITED = "CERTIFICATE_EDITED", "Certificate draft changed"
    CERTIFICATE_DELETED = "CERTIFICATE_DELETED", "Certificate draft deleted"
    CERTIFICATE_ASSIGNED = "CERTIFICATE_ASSIGNED", "Certificate assigned"
    CERTIFICATE_WITHDRAWN = "CERTIFICATE_WITHDRAWN", "Certificate withdrawn"
    CERTIFICATE_NOTE_SAVED = "CERTIFICATE_NOTE_SAVED", "Certificate note saved"
    CERTIFICATES_EXPIRED = "CERTIFICATES_EXPIRED", "Unused certificates expired"
    CERTIFICATE_USED = "CERTIFICATE_USED", "Certificate used in an application"
    CERTIFICATE_OUTCOME = "CERTIFICATE_OUTCOME", "Application outcome recorded"
    CERTIFICATE_CANCELLED = "CERTIFICATE_CANCELLED", "Certificate cancelled"
    CERTIFICATE_TRANSFERRED = "CERTIFICATE_TRANSFERRED", "Certificate ownership transferred"
    CERTIFICATE_PRINTED = "CERTIFICATE_PRINTED", "Certificate printed"
    CERTIFICATES_EXPORTED = "CERTIFICATES_EXPORTED", "Certificates exported"
    BATCH_CREATED = "BATCH_CREATED", "Batch or group created"
    BATCH_CHANGED = "BATCH_CHANGED", "Certificates added to or removed from a batch or group"
    BATCH_ASSIGNED = "BATCH_ASSIGNED", "Batch or group assigned"
    BATCH_TRANSFERRED = "BATCH_TRANSFERRED", "Batch or group ownership transferred"
    WORK_ADDRESS_ADDED = "WORK_ADDRESS_ADDED", "Work address added"
    WORK_ADDRESS_CHANGED = "WORK_ADDRESS_CHANGED", "Work address changed"
    WORK_ADDRESS_RETIRED = "WORK_ADDRESS_RETIRED", "Work address retired"
    BANK_HOLIDAY_CHANGED = "BANK_HOLIDAY_CHANGED", "Bank holiday calendar changed"
    WORKER_REGISTERED = "WORKER_REGISTERED", "Sponsored worker or student added to the register"
    WORKER_DETAILS_CHANGED = "WORKER_DETAILS_CHANGED", "Sponsored worker or student details changed"
    HR_EVENT_RECORDED = "HR_EVENT_RECORDED", "Worker event recorded"
    DUTY_RAISED = "DUTY_RAISED", "Reporting duty raised"
    DUTY_CLOSED = "DUTY_CLOSED", "Reporting duty closed"
    ACTIVITY_REPORTED = "ACTIVITY_REPORTED", "Migrant activity reported"
    REMINDERS_SENT = "REMINDERS_SENT", "Reminders sent"
    COMPLIANCE_SETTINGS_CHANGED = "COMPLIANCE_SETTINGS_CHANGED", "Reminder settings changed"
    RECORD_UPLOADED = "RECORD_UPLOADED", "Worker record uploaded"
    RECORD_DELETED = "RECORD_DELETED", "Worker record deleted"
    EVIDENCE_PACK_CREATED = "EVIDENCE_PACK_CREATED", "Evidence pack produced"
    CAS_FEES_UPDATED = "CAS_FEES_UPDATED", "CAS fees updated"
    CAS_SUPERSEDED = "CAS_SUPERSEDED", "CAS made obsolete by a later one"
    STUDY_ADDRESS_ADDED = "STUDY_ADDRESS_ADDED", "Study address added"
    STUDY_ADDRESS_CHANGED = "STUDY_ADDRESS_CHANGED", "Study address changed"
    STUDY_ADDRESS_RETIRED = "STUDY_ADDRESS_RETIRED", "Study address retired"
    STUDENT_EVENT_RECORDED = "STUDENT_EVENT_RECORDED", "Student event recorded"
    BULK_FILE_RECEIVED = "BULK_FILE_RECEIVED", "Bulk file received"
    BULK_FILE_REFUSED = "BULK_FILE_REFUSED", "Bulk file refused"
    BULK_FILE_PROCESSED = "BULK_FILE_PROCESSED", "Bulk file processed"
    BULK_EXPORT_CREATED = "BULK_EXPORT_CREATED", "Bulk export produced"


# Events with no sponsor (caseworkers, unknown user IDs, system jobs) share one chain.
HOME_OFFICE_CHAIN = "home-office"


class AuditChain(models.Model):
    """The head of one hash chain: locked while an event is appended, so appends queue."""

    key = models.CharField(max_length=40, unique=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.key} at {self.last_seq}"


class AuditEvent(models.Model):
    """Who did what, to what, when. Written by services inside their transaction."""

    chain = models.ForeignKey(AuditChain, on_delete=models.PROTECT, related_name="events")
    seq = models.BigIntegerField()
    sponsor = models.ForeignKey(
        "licences.Sponsor", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The user ID as typed or as it was then: kept even for unknown user IDs.
    actor_label = models.CharField(max_length=100, blank=True)
    verb = models.CharField(max_length=40, choices=AuditVerb.choices)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=60, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["sponsor", "-created_at"]),
            models.Index(fields=["sponsor", "verb", "-created_at"]),
            models.Index(fields=["actor", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb}"
