"""Requests a sponsor makes and a caseworker decides: new Level 1 users, changes of details,
key personnel, changes of circumstances, allocations, Premium and Student Sponsor status.

One table for every kind, so the work queues, the waiting clock, information requests and
evidence work the same way for all of them; kind-specific fields are nullable.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sponsorship.core.db import choices_check

from .sponsors import KeyPersonRole, Route, Sponsor, SponsorSize


class RequestKind(models.TextChoices):
    LEVEL_1_USER = "LEVEL_1_USER", "New Level 1 user"
    USER_DETAILS = "USER_DETAILS", "Level 1 user's details"
    KEY_PERSON = "KEY_PERSON", "Key personnel"
    ORGANISATION_CHANGE = "ORGANISATION_CHANGE", "Change of circumstances"
    ALLOCATION_INCREASE = "ALLOCATION_INCREASE", "Allocation increase"
    ALLOCATION_RENEWAL = "ALLOCATION_RENEWAL", "Allocation renewal"
    PREMIUM = "PREMIUM", "Premium customer service"
    STUDENT_SPONSOR_STATUS = "STUDENT_SPONSOR_STATUS", "Student Sponsor status"
    DEFINED_COS = "DEFINED_COS", "Defined certificate of sponsorship"


class Queue(models.TextChoices):
    """The caseworkers' work queues, each holding some kinds of request."""

    USERS = "users", "Level 1 users"
    CHANGES = "changes", "Key personnel and other changes"
    ALLOCATIONS = "allocations", "Allocations"
    STATUS = "status", "Premium and Student Sponsor status"
    DEFINED = "defined", "Defined certificates"


QUEUE_KINDS: dict[Queue, tuple[RequestKind, ...]] = {
    Queue.USERS: (RequestKind.LEVEL_1_USER, RequestKind.USER_DETAILS),
    Queue.CHANGES: (RequestKind.KEY_PERSON, RequestKind.ORGANISATION_CHANGE),
    Queue.ALLOCATIONS: (RequestKind.ALLOCATION_INCREASE, RequestKind.ALLOCATION_RENEWAL),
    Queue.STATUS: (RequestKind.PREMIUM, RequestKind.STUDENT_SPONSOR_STATUS),
    Queue.DEFINED: (RequestKind.DEFINED_COS,),
}
QUEUE_OF: dict[str, Queue] = {kind: q for q, kinds in QUEUE_KINDS.items() for kind in kinds}
ALLOCATION_KINDS = QUEUE_KINDS[Queue.ALLOCATIONS]


class RequestStatus(models.TextChoices):
    SUBMITTED = "SUBMITTED", "Submitted"
    INFO_REQUESTED = "INFO_REQUESTED", "More information requested"
    GRANTED = "GRANTED", "Granted"
    PARTLY_GRANTED = "PARTLY_GRANTED", "Partly granted"
    REFUSED = "REFUSED", "Refused"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"
    # Defined certificate applications only: not valid, so not considered.
    REJECTED = "REJECTED", "Rejected"


OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.INFO_REQUESTED)


class OrganisationChange(models.TextChoices):
    """DOMAIN.md "Reporting duties", organisation changes."""

    NAME = "NAME", "Name of the organisation"
    ADDRESS = "ADDRESS", "Addresses and sites"
    CONTACT_DETAILS = "CONTACT_DETAILS", "Contact details"
    REGISTRATION = "REGISTRATION", "Registration or accreditation"
    STOPPED_TRADING = "STOPPED_TRADING", "Stopped trading or insolvency"
    BUSINESS_CHANGE = "BUSINESS_CHANGE", "Substantial change of business"
    MERGER = "MERGER", "Merger, takeover, sale or TUPE transfer"
    KEY_PERSONNEL = "KEY_PERSONNEL", "Authorising Officer, Key Contact or Level 1 users"
    SIZE = "SIZE", "Size (small or large)"
    CONVICTIONS = "CONVICTIONS", "Criminal convictions of key personnel"


class LicenceRequest(models.Model):
    """One request of a sponsor, from submission to decision."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(max_length=24, choices=RequestKind.choices)
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    version = models.PositiveIntegerField(default=1)
    submitted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    assigned_to = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True, help_text="The caseworker's reasons for the decision.")
    # The waiting clock pauses while the sponsor is asked for more information.
    paused_since = models.DateTimeField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    fulfilled_at_once = models.BooleanField(default=False)

    # Users: the requested Level 1 user, or the Level 1 user whose details change.
    subject_user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Key personnel: which role, and the new person's details (in `details`).
    key_person_role = models.CharField(
        max_length=24, choices=KeyPersonRole.choices, blank=True, default=""
    )
    details = models.JSONField(default=dict, blank=True)
    # Changes of circumstances.
    change_type = models.CharField(
        max_length=20, choices=OrganisationChange.choices, blank=True, default=""
    )
    change_date = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    declaration_name = models.CharField(max_length=200, blank=True)
    declaration_position = models.CharField(max_length=200, blank=True)
    declaration_date = models.DateField(null=True, blank=True)
    report_due = models.DateField(null=True, blank=True)
    reported_late = models.BooleanField(default=False)
    # Allocations.
    route = models.CharField(max_length=40, choices=Route.choices, blank=True, default="")
    number_requested = models.PositiveIntegerField(null=True, blank=True)
    number_granted = models.PositiveIntegerField(null=True, blank=True)
    # Defined certificates: the application's number, DCS and 8 digits. The job is in
    # `details` (job_title, soc_code, salary, start_date) and the justification in
    # `description`.
    defined_number = models.CharField(max_length=11, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        indexes = [
            models.Index(fields=["sponsor", "-submitted_at"]),
            models.Index(fields=["kind", "status", "submitted_at"]),
            models.Index(fields=["assigned_to", "status"]),
        ]
        constraints = [
            choices_check("kind", RequestKind, "licence_request_kind_valid"),
            choices_check("status", RequestStatus, "licence_request_status_valid"),
            choices_check("route", Route, "licence_request_route_valid", allow_blank=True),
            models.CheckConstraint(
                condition=Q(number_requested__isnull=True) | Q(number_requested__gte=1),
                name="licence_request_number_positive",
            ),
            models.CheckConstraint(
                condition=Q(number_granted__isnull=True)
                | Q(number_granted__lte=models.F("number_requested")),
                name="licence_request_granted_not_above_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return self.defined_number or f"R{self.pk:08d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def queue(self) -> Queue:
        return QUEUE_OF[self.kind]

    @property
    def new_licence_details(self) -> list[tuple[str, str]]:
        """A change of name, address or size: its new details, labelled for a page."""
        if self.kind != RequestKind.ORGANISATION_CHANGE:
            return []
        return [
            (_DETAIL_LABELS[field], SponsorSize(value).label if field == "size" else value)
            for field, value in self.details.items()
        ]

    @property
    def defined_job_rows(self) -> list[tuple[str, str]]:
        """A defined certificate application's job, labelled for a page."""
        if self.kind != RequestKind.DEFINED_COS:
            return []
        return [
            (label, str(self.details.get(field, "")))
            for field, label in _DEFINED_JOB_LABELS.items()
        ]


_DEFINED_JOB_LABELS = {
    "job_title": "Job title",
    "soc_code": "SOC 2020 occupation code",
    "salary": "Gross annual salary (£)",
    "start_date": "Start date",
    "weekly_hours": "Weekly working hours",
}

_DETAIL_LABELS = {
    "name": "New name",
    "address_line_1": "New head office",
    "town": "New head office: town or city",
    "postcode": "New head office: postcode",
    "size": "New size",
}


class RequestMessage(models.Model):
    """A caseworker's question on a request, or the sponsor's answer."""

    request = models.ForeignKey(LicenceRequest, on_delete=models.CASCADE, related_name="messages")
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    from_home_office = models.BooleanField()
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"On {self.request_id} by {self.author_id}"


class EvidenceFile(models.Model):
    """A document uploaded with a request or an answer. Stored outside the web root and
    served only through a view that checks who is asking."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(LicenceRequest, on_delete=models.CASCADE, related_name="evidence")
    message = models.ForeignKey(
        RequestMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["sponsor", "request"])]

    def __str__(self) -> str:
        return self.original_name
