"""Defined certificates of sponsorship (DOMAIN.md "Certificate of Sponsorship"): a Level 1 user
applies per job for Skilled Workers coming from abroad; the Home Office grants, refuses or
rejects it as a licence request of kind DEFINED_COS (ADR 0005); a grant lets the sponsor
assign that many certificates for the job within 3 months, after which it lapses."""

import re
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sponsorship.core.errors import ApplicationError, Conflict, NotFound, NotPermitted
from sponsorship.core.permissions import Permission, denial
from sponsorship.core.rules import Rule, rule_value
from sponsorship.licences.models import LicenceRequest, RequestKind, RequestStatus, Route
from sponsorship.licences.selectors import sponsor_of
from sponsorship.licences.services.requests import submitted

from .models import Certificate, CertificateStatus, CosCategory, SalaryOption, SalaryPeriod
from .salary import SalaryVerdict, salary_check

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

MAX_CERTIFICATES = 100
NUMBER_ATTEMPTS = 5
SOC_CODE = re.compile(r"^\d{4}$")
SALARY = re.compile(r"^\d{1,7}(\.\d{1,2})?$")


@dataclass(frozen=True)
class DefinedJob:
    """The job a defined certificate is applied for, as entered."""

    job_title: str
    soc_code: str
    salary: str
    weekly_hours: str
    start_date: date | None


def _check(job: DefinedJob, number: int | None, justification: str, on: date) -> dict[str, Any]:
    """The job as stored in the request's details, or every problem at once."""
    errors: list[tuple[str, str]] = []
    title = job.job_title.strip()
    if not title or len(title) > 200:
        errors.append(("job_title", "Enter the job title, in up to 200 characters"))
    if not SOC_CODE.match(job.soc_code.strip()):
        errors.append(("soc_code", "Enter the SOC 2020 occupation code as 4 digits, like 2136"))
    salary = job.salary.strip()
    if not SALARY.match(salary) or Decimal(salary) <= 0:
        errors.append(
            (
                "salary",
                "Enter the gross annual salary in pounds, like 35000 or 35000.99, with no "
                "commas or pound sign",
            )
        )
    hours = job.weekly_hours.strip()
    try:
        hours_ok = 0 < Decimal(hours) <= 99
    except InvalidOperation:
        hours_ok = False
    if not hours_ok:
        errors.append(("weekly_hours", "Enter the weekly working hours, like 37.5"))
    if job.start_date is None:
        errors.append(("start_date", "Enter the date the job starts"))
    elif job.start_date < on:
        errors.append(("start_date", "The start date must be today or later"))
    if number is None or not 1 <= number <= MAX_CERTIFICATES:
        errors.append(
            (
                "number",
                f"Enter how many certificates you need for this job, from 1 to {MAX_CERTIFICATES}",
            )
        )
    if not justification.strip():
        errors.append(
            ("justification", "Explain why you need to sponsor workers from abroad for this job")
        )
    if errors:
        raise ApplicationError(errors[0][1], field=errors[0][0], errors=errors)
    return {
        "job_title": title,
        "soc_code": job.soc_code.strip(),
        "salary": salary,
        "weekly_hours": hours,
        "start_date": job.start_date.isoformat() if job.start_date else "",
    }


def ensure_may_use_defined(actor: "User") -> None:
    """DOMAIN.md: Level 1 users of an active Skilled Worker licence that is not B-rated."""
    refused = denial(actor, Permission.DEFINED_COS_VIEW)
    if refused is not None:
        if refused.code:
            raise Conflict(refused.reason, code=refused.code)
        raise NotPermitted(refused.reason)


def defined_cos_apply(
    *, actor: "User", job: DefinedJob, number: int | None, justification: str, ip: str | None
) -> LicenceRequest:
    """Apply for defined certificates for one job. The application's number is DCS and
    8 random digits."""
    ensure_may_use_defined(actor)
    details = _check(job, number, justification, timezone.localdate())
    with transaction.atomic():
        request = LicenceRequest(
            sponsor=actor.sponsor,
            kind=RequestKind.DEFINED_COS,
            submitted_by=actor,
            route=Route.SKILLED_WORKER,
            number_requested=number,
            description=justification.strip(),
            details=details,
        )
        for _ in range(NUMBER_ATTEMPTS):
            request.defined_number = f"DCS{secrets.randbelow(10**8):08d}"
            try:
                with transaction.atomic():
                    request.save()
                break
            except IntegrityError:
                request.pk = None
        else:  # pragma: no cover (8 random digits clashing five times)
            raise Conflict("An application number could not be given. Try again.")
        submitted(request, actor, ip)
    return request


def defined_list_for_user(*, user: "User") -> QuerySet[LicenceRequest]:
    """The sponsor's applications, each with how many certificates it has had assigned (so a
    list of them costs one query, not one per row)."""
    return (
        LicenceRequest.objects.filter(sponsor=sponsor_of(user), kind=RequestKind.DEFINED_COS)
        .select_related("submitted_by")
        .annotate(
            assigned_count=Count(
                "defined_certificates",
                filter=~Q(defined_certificates__status=CertificateStatus.DRAFT),
            )
        )
    )


def defined_get_for_user(*, user: "User", request_id: int) -> LicenceRequest:
    found = defined_list_for_user(user=user).filter(pk=request_id).first()
    if found is None:
        raise NotFound("There is no such defined certificate application.")
    return found


@dataclass(frozen=True)
class DefinedGrant:
    """What a granted application still allows."""

    granted: int
    assigned: int
    valid_until: date
    lapsed: bool

    @property
    def remaining(self) -> int:
        return max(self.granted - self.assigned, 0)


def defined_grant(request: LicenceRequest, on: date) -> DefinedGrant | None:
    """None unless granted. Certificates count once assigned, whatever became of them."""
    if request.status != RequestStatus.GRANTED or request.decided_at is None:
        return None
    granted_on = timezone.localdate(request.decided_at)
    valid_until = granted_on + relativedelta(
        months=rule_value(Rule.DEFINED_COS_GRANT_VALID_MONTHS, granted_on)
    )
    # Counted afresh unless the list read it; assignment counts afresh, with the row locked.
    assigned = getattr(request, "assigned_count", None)
    if assigned is None:
        assigned = (
            Certificate.objects.filter(defined_request=request)
            .exclude(status=CertificateStatus.DRAFT)
            .count()
        )
    return DefinedGrant(
        granted=request.number_granted or 0,
        assigned=assigned,
        valid_until=valid_until,
        lapsed=on > valid_until,
    )


def defined_denial(request: LicenceRequest, on: date) -> str | None:
    """Why no more certificates can be assigned from this application now, or None."""
    grant = defined_grant(request, on)
    if grant is None:
        return (
            f"{request.reference} is {request.get_status_display().lower()}: only a granted "
            "defined certificate can be assigned."
        )
    if grant.lapsed:
        return (
            f"The grant of {request.reference} lapsed on {grant.valid_until:%-d %B %Y}: "
            "certificates must be assigned within 3 months of the grant. Apply again."
        )
    if grant.remaining < 1:
        return (
            f"All {grant.granted} certificates granted under {request.reference} have been "
            "assigned."
        )
    return None


def certificate_create_from_defined(
    *, actor: "User", request: LicenceRequest, family_name: str, ip: str | None
) -> Certificate:
    """A draft for one worker under a granted defined certificate, with its job filled in."""
    from .services import certificate_create

    ensure_may_use_defined(actor)
    refused = defined_denial(request, timezone.localdate())
    if refused:
        raise Conflict(refused, code="defined_not_available")
    job = request.details
    with transaction.atomic():
        certificate = certificate_create(
            actor=actor,
            route=Route.SKILLED_WORKER,
            category=CosCategory.ENTRY_CLEARANCE,
            values={
                "family_name": family_name,
                "job_title": job["job_title"],
                "soc_code": job["soc_code"],
                "salary_amount": Decimal(job["salary"]),
                "salary_period": SalaryPeriod.YEAR,
                "weekly_hours": Decimal(job["weekly_hours"]),
                "start_date": date.fromisoformat(job["start_date"]),
            },
            ip=ip,
        )
        certificate.defined_request = request
        certificate.save(update_fields=["defined_request"])
    return certificate


def defined_salary_verdict(request: LicenceRequest) -> SalaryVerdict | None:
    """The general salary check of the job applied for, for the caseworker deciding it."""
    job = request.details
    try:
        return salary_check(
            soc_code=job["soc_code"],
            annual_salary=Decimal(job["salary"]),
            weekly_hours=Decimal(job["weekly_hours"]),
            option=SalaryOption.GENERAL,
            on=timezone.localdate(),
        )
    except (KeyError, ValueError, InvalidOperation):
        return None
