"""The certificate core that CoS and CAS share (number, status, owner, the person, passport,
history), and the fields only a Certificate of Sponsorship has (DOMAIN.md "Certificate of
Sponsorship")."""

import unicodedata
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sponsorship.core.db import choices_check
from sponsorship.licences.models import Nation, Route


class CertificateKind(models.TextChoices):
    COS = "COS", "Certificate of Sponsorship"
    CAS = "CAS", "Confirmation of Acceptance for Studies"


class CertificateStatus(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    ASSIGNED = "ASSIGNED", "Assigned"
    USED = "USED", "Used"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"
    EXPIRED = "EXPIRED", "Expired"
    CANCELLED = "CANCELLED", "Cancelled"
    # A CAS superseded by a later one for the same student and course.
    OBSOLETE = "OBSOLETE", "Obsolete"


# A live certificate can still change: notes, withdrawal, cancellation.
LIVE_STATUSES = (CertificateStatus.ASSIGNED, CertificateStatus.USED)


class ApplicationOutcome(models.TextChoices):
    """What became of the application a certificate was used in."""

    GRANTED = "GRANTED", "Granted"
    REFUSED = "REFUSED", "Refused"
    REJECTED_INVALID = "REJECTED_INVALID", "Rejected as invalid"
    VOID = "VOID", "Void"
    WITHDRAWN = "WITHDRAWN", "Withdrawn by the applicant"


# DOMAIN.md: a certificate used in a granted or refused application can never be used again;
# after the others it can be relied on again.
FINAL_OUTCOMES = frozenset({ApplicationOutcome.GRANTED, ApplicationOutcome.REFUSED})


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNSPECIFIED = "X", "Unspecified"


def name_key(name: str) -> str:
    """A name as searches compare it: Unicode-normalised, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())[:100]


def normalise_reference(text: str | None) -> str:
    """A certificate or passport number as stored and searched: upper case, no spaces
    ("ep 123 4567" is "EP1234567")."""
    return "".join((text or "").split()).upper()


class Certificate(models.Model):
    """One certificate, from draft to its end. The kind's own fields live in a one-to-one table
    (`cos` here, `cas` in models/cas.py), so the lifecycle, numbering, search and history are
    shared."""

    sponsor = models.ForeignKey(
        "licences.Sponsor", on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField(max_length=3, choices=CertificateKind.choices)
    route = models.CharField(max_length=40, choices=Route.choices)
    # Given on assignment: unguessable, unique across the service.
    number = models.CharField(max_length=14, null=True, blank=True, unique=True)
    status = models.CharField(
        max_length=12, choices=CertificateStatus.choices, default=CertificateStatus.DRAFT
    )
    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Bumped by every change, so a stale form (another tab, another person) is refused.
    version = models.PositiveIntegerField(default=1)
    batch = models.ForeignKey(
        "certificates.Batch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A Skilled Worker coming from abroad: the granted defined certificate application it
    # uses instead of the yearly allocation.
    defined_request = models.ForeignKey(
        "licences.LicenceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="defined_certificates",
    )

    # Personal information
    family_name = models.CharField(max_length=100)
    given_names = models.CharField(max_length=100, blank=True)
    # The names folded for searching (name_key): "Łukasz" and "ŁUKASZ" both "łukasz". Kept by
    # the services, since SQLite cannot fold case beyond A to Z.
    family_name_key = models.CharField(max_length=100, blank=True, editable=False)
    given_names_key = models.CharField(max_length=100, blank=True, editable=False)
    other_names = models.CharField(max_length=200, blank=True)
    nationality = models.CharField(max_length=3, blank=True)
    place_of_birth = models.CharField(max_length=100, blank=True)
    country_of_birth = models.CharField(max_length=3, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    country_of_residence = models.CharField(max_length=3, blank=True)

    # Passport: the number is kept upper case with no spaces, so searches match exactly.
    passport_number = models.CharField(max_length=20, blank=True)
    passport_issue_date = models.DateField(null=True, blank=True)
    passport_expiry_date = models.DateField(null=True, blank=True)
    passport_place_of_issue = models.CharField(max_length=100, blank=True)

    # Home address
    home_address_line_1 = models.CharField(max_length=200, blank=True)
    home_address_line_2 = models.CharField(max_length=200, blank=True)
    home_town = models.CharField(max_length=100, blank=True)
    home_postcode = models.CharField(max_length=20, blank=True)
    home_country = models.CharField(max_length=3, blank=True)

    national_id = models.CharField(max_length=40, blank=True)

    # Kept current; every version is a history event.
    sponsor_note = models.TextField(blank=True)

    # Assignment
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    use_by = models.DateField(null=True, blank=True)
    allocation = models.ForeignKey(
        "licences.Allocation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    fee_pence = models.PositiveIntegerField(null=True, blank=True)
    skills_charge_pence = models.PositiveIntegerField(null=True, blank=True)

    # After assignment
    used_at = models.DateTimeField(null=True, blank=True)
    application_outcome = models.CharField(
        max_length=20, choices=ApplicationOutcome.choices, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    # Set when the sponsor reports that sponsorship stopped: the certificate stays USED.
    sponsorship_stopped_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["sponsor", "status", "-updated_at"]),
            models.Index(fields=["sponsor", "owner", "-updated_at"]),
            models.Index(fields=["passport_number"]),
            # Prefix searches by name within a sponsor; the pattern operator class lets
            # PostgreSQL serve LIKE 'kow%' from it (ignored on SQLite).
            models.Index(
                fields=["sponsor", "family_name_key"],
                name="certificate_family_name_key",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["status", "use_by"]),
        ]
        constraints = [
            choices_check("kind", CertificateKind, "certificate_kind_valid"),
            choices_check("route", Route, "certificate_route_valid"),
            choices_check("status", CertificateStatus, "certificate_status_valid"),
            choices_check("sex", Sex, "certificate_sex_valid", allow_blank=True),
            choices_check(
                "application_outcome",
                ApplicationOutcome,
                "certificate_outcome_valid",
                allow_blank=True,
            ),
            # Only a draft has no number; every assigned certificate has one.
            models.CheckConstraint(
                condition=Q(status=CertificateStatus.DRAFT) | Q(number__isnull=False),
                name="certificate_number_once_assigned",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"Draft {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def is_draft(self) -> bool:
        return self.status == CertificateStatus.DRAFT

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def noun(self) -> str:
        """What users call it: "certificate" or "CAS"."""
        return "certificate" if self.kind == CertificateKind.COS else "CAS"

    @property
    def reference(self) -> str:
        """How people refer to it: its number, or "draft" and its id."""
        return self.number or f"draft {self.pk}"


class CosCategory(models.TextChoices):
    """What the certificate is for. Skilled Worker applicants from abroad need a defined
    certificate; the others come from the yearly allocation."""

    ENTRY_CLEARANCE = "ENTRY_CLEARANCE", "Coming to the UK"
    EXTENSION = "EXTENSION", "Extension with the same employer in the same job"
    CHANGE_OF_JOB = "CHANGE_OF_JOB", "Change of job with the same employer"
    CHANGE_OF_EMPLOYMENT = "CHANGE_OF_EMPLOYMENT", "Change of employment to your organisation"
    SWITCHING = "SWITCHING", "Switching from another immigration route in the UK"


class SkillsCharge(models.TextChoices):
    """Whether the Immigration Skills Charge applies (Skilled Worker and Senior or Specialist
    Worker only), and which exemption the sponsor claims."""

    LIABLE = "LIABLE", "Liable"
    EXEMPT_PHD_OCCUPATION = "EXEMPT_PHD_OCCUPATION", "Exempt: a PhD-level occupation"
    EXEMPT_STUDENT_SWITCH = "EXEMPT_STUDENT_SWITCH", "Exempt: switching from the Student route"
    EXEMPT_SPONSORED_SINCE_2017 = (
        "EXEMPT_SPONSORED_SINCE_2017",
        "Exempt: sponsored by you continuously since before 6 April 2017",
    )
    EXEMPT_SHORT_STAY = (
        "EXEMPT_SHORT_STAY",
        "Exempt: coming from abroad to work here for 6 months or less",
    )
    EXEMPT_OTHER = "EXEMPT_OTHER", "Exempt for another reason (give it in the notes)"


class SalaryPeriod(models.TextChoices):
    """The "for each" period the gross salary is given for."""

    YEAR = "YEAR", "Year"
    MONTH = "MONTH", "Month"
    WEEK = "WEEK", "Week"
    HOUR = "HOUR", "Hour"


WEEKS_PER_YEAR = 52


class SalaryOption(models.TextChoices):
    """The Appendix Skilled Worker points option the salary is claimed under."""

    GENERAL = "A", "A: general salary requirement"
    PHD = "B", "B: relevant PhD"
    STEM_PHD = "C", "C: relevant STEM PhD"
    IMMIGRATION_SALARY_LIST = "D", "D: job on the Immigration Salary List"
    NEW_ENTRANT = "E", "E: new entrant"


class CosDetails(models.Model):
    """The fields only a Certificate of Sponsorship has."""

    certificate = models.OneToOneField(
        Certificate, primary_key=True, on_delete=models.CASCADE, related_name="cos"
    )
    category = models.CharField(max_length=24, choices=CosCategory.choices)
    skills_charge = models.CharField(max_length=30, choices=SkillsCharge.choices, blank=True)

    uk_ni_number = models.CharField("UK National Insurance number", max_length=13, blank=True)
    employee_number = models.CharField(max_length=40, blank=True)

    # Work dates
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    weekly_hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    leave_and_reenter = models.BooleanField(default=False)

    # Main work address in the UK: a copy, so editing a pre-stored address never changes it.
    work_address = models.ForeignKey(
        "certificates.WorkAddress",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The pre-stored address it was copied from, if any.",
    )
    work_address_line_1 = models.CharField(max_length=200, blank=True)
    work_address_line_2 = models.CharField(max_length=200, blank=True)
    work_town = models.CharField(max_length=100, blank=True)
    work_postcode = models.CharField(max_length=10, blank=True)
    # Decides whose bank holidays count in the worker's reporting deadlines.
    work_nation = models.CharField(max_length=3, choices=Nation.choices, blank=True)
    other_work_addresses = models.TextField(blank=True)

    # Agent
    sourced_through_agent = models.BooleanField(default=False)
    agent_name = models.CharField(max_length=200, blank=True)
    agent_address = models.TextField(blank=True)

    # Employment
    job_title = models.CharField(max_length=200, blank=True)
    soc_code = models.CharField("SOC 2020 occupation code", max_length=4, blank=True)
    job_description = models.TextField(max_length=1000, blank=True)
    new_entrant = models.BooleanField(default=False)
    salary_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    salary_period = models.CharField(max_length=5, choices=SalaryPeriod.choices, blank=True)
    salary_option = models.CharField(max_length=1, choices=SalaryOption.choices, blank=True)
    allowances = models.TextField(blank=True)
    client_contract = models.BooleanField(default=False)
    client_contract_summary = models.TextField(blank=True)
    eligible_occupation_confirmed = models.BooleanField(default=False)
    salary_list_confirmed = models.BooleanField(default=False)
    registration_details = models.CharField(max_length=250, blank=True)
    maintenance_certified = models.BooleanField(default=False)
    atas_required = models.BooleanField("ATAS certificate required", default=False)

    # PAYE: one of the sponsor's references, or why there is none.
    paye_reference = models.CharField(max_length=14, blank=True)
    paye_reason = models.TextField(blank=True)

    care_worker_registration = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "CoS details"
        verbose_name_plural = "CoS details"
        indexes = [models.Index(fields=["soc_code"])]
        constraints = [
            choices_check("category", CosCategory, "cos_category_valid"),
            choices_check(
                "skills_charge", SkillsCharge, "cos_skills_charge_valid", allow_blank=True
            ),
            choices_check(
                "salary_period", SalaryPeriod, "cos_salary_period_valid", allow_blank=True
            ),
            choices_check(
                "salary_option", SalaryOption, "cos_salary_option_valid", allow_blank=True
            ),
            choices_check("work_nation", Nation, "cos_work_nation_valid", allow_blank=True),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True) | Q(weekly_hours__gt=0),
                name="cos_weekly_hours_positive",
            ),
            models.CheckConstraint(
                condition=Q(salary_amount__isnull=True) | Q(salary_amount__gt=0),
                name="cos_salary_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"CoS details of {self.certificate}"

    @property
    def annual_salary(self) -> Decimal | None:
        """The gross salary for a year, from the amount and its "for each" period."""
        if self.salary_amount is None or not self.salary_period:
            return None
        if self.salary_period == SalaryPeriod.HOUR:
            if self.weekly_hours is None:
                return None
            return self.salary_amount * self.weekly_hours * WEEKS_PER_YEAR
        per_year = {SalaryPeriod.YEAR: 1, SalaryPeriod.MONTH: 12, SalaryPeriod.WEEK: 52}
        return self.salary_amount * per_year[SalaryPeriod(self.salary_period)]
