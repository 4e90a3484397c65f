"""The check before assignment: every reason a draft cannot be assigned yet, named next to its
field, and the warnings a careful HR officer would want (DOMAIN.md "Certificate of
Sponsorship"). The check page shows it; `certificate_assign` refuses on any blocking finding."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from sponsorship.core.rules import Rule, rule_value
from sponsorship.licences.models import Allocation, PayeReference, Rating, Route
from sponsorship.licences.selectors import allocation_current

from .fees import Charges, certificate_charges, half_years_covered
from .going_rates import occupations
from .models import (
    LIVE_STATUSES,
    Certificate,
    CertificateKind,
    CosCategory,
    SkillsCharge,
)
from .salary import SalaryVerdict, salary_check
from .sections import missing_needs


@dataclass(frozen=True)
class Finding:
    message: str
    field: str | None = None
    # A blocking finding stops assignment; the others are warnings to read first.
    blocking: bool = True


@dataclass
class AssignmentCheck:
    charges: Charges
    findings: list[Finding] = field(default_factory=list)
    allocation: Allocation | None = None
    salary: SalaryVerdict | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.blocking]

    @property
    def ready(self) -> bool:
        return not self.errors


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def allocation_message(route: str) -> str:
    return (
        f"You have insufficient remaining allocation for {Route(route).label}. "
        "Request an increase to your allocation."
    )


def _gates(certificate: Certificate, on: date) -> list[Finding]:
    """What the licence allows: its routes and ratings, and the allocation left."""
    sponsor = certificate.sponsor
    cos = certificate.cos
    rating = sponsor.route_ratings.get(certificate.route)
    route = Route(certificate.route).label
    if rating is None:
        return [Finding(f"Your licence does not include the {route} route.", "route")]
    found = []
    if certificate.defined_request is not None:
        found += _defined_gates(certificate, on)
    elif certificate.route == Route.SKILLED_WORKER and cos.category == CosCategory.ENTRY_CLEARANCE:
        found.append(
            Finding(
                "Skilled Worker applicants coming to the UK need a defined certificate. "
                "Apply for one under Defined certificates, or choose another category.",
                "category",
            )
        )
    if rating == Rating.B and cos.category != CosCategory.EXTENSION:
        found.append(
            Finding(
                f"Your {route} rating is B: you can only assign certificates to extend the "
                "stay of workers you already sponsor, until your rating is A again.",
                "category",
            )
        )
    if rating == Rating.PROVISIONAL and (
        Certificate.objects.filter(sponsor=sponsor, route=certificate.route)
        .exclude(pk=certificate.pk)
        .filter(status__in=LIVE_STATUSES)
        .exists()
    ):
        found.append(
            Finding(
                "Your provisionally rated licence allows one certificate, for the Authorising "
                "Officer, and it has been assigned.",
                "route",
            )
        )
    return found


def _defined_gates(certificate: Certificate, on: date) -> list[Finding]:
    """A certificate under a defined grant: the grant still allows one more, and the job is
    the one granted (same occupation, no lower salary)."""
    from .defined import defined_denial

    request = certificate.defined_request
    assert request is not None  # noqa: S101 (the caller checked)
    refused = defined_denial(request, on)
    found = [Finding(refused, "defined_request")] if refused else []
    job, cos = request.details, certificate.cos
    if cos.soc_code and cos.soc_code != job.get("soc_code"):
        found.append(
            Finding(
                f"The occupation code must be {job.get('soc_code')}, the one "
                f"{request.reference} was granted for",
                "soc_code",
            )
        )
    annual = cos.annual_salary
    if annual is not None and annual < Decimal(job.get("salary", "0")):
        found.append(
            Finding(
                f"The salary must be at least £{Decimal(job['salary']):,.2f} a year, as "
                f"granted under {request.reference}",
                "salary_amount",
            )
        )
    return found


def passport_findings(
    certificate: Certificate, on: date, starts: date | None, person: str
) -> list[Finding]:
    """The person's date of birth and passport dates: the passport must be current today and
    on the day the job or course `starts`."""
    found = []
    if certificate.date_of_birth and certificate.date_of_birth >= on:
        found.append(Finding("The date of birth must be in the past", "date_of_birth"))
    issued, expires = certificate.passport_issue_date, certificate.passport_expiry_date
    if issued and issued > on:
        found.append(
            Finding("The passport issue date must be today or earlier", "passport_issue_date")
        )
    if issued and expires and expires <= issued:
        found.append(
            Finding("The passport expiry date must be after its issue date", "passport_expiry_date")
        )
    elif expires and expires < on:
        found.append(
            Finding(
                f"The passport expired on {_day(expires)}. Enter the details of the {person}'s "
                "current passport",
                "passport_expiry_date",
            )
        )
    elif expires and starts and expires < starts:
        what = "job" if person == "worker" else "course"
        found.append(
            Finding(
                f"The passport expires on {_day(expires)}, before the {what} starts on "
                f"{_day(starts)}. Enter the details of a passport valid on the start date",
                "passport_expiry_date",
            )
        )
    return found


def _dates(certificate: Certificate, on: date) -> list[Finding]:
    cos = certificate.cos
    found = passport_findings(certificate, on, cos.start_date, "worker")
    start, end = cos.start_date, cos.end_date
    if start:
        earliest_assignment = start - relativedelta(
            months=rule_value(Rule.CERTIFICATE_MAX_MONTHS_BEFORE_START, on)
        )
        if start < on:
            found.append(
                Finding(
                    "The start date must be today or later: a certificate is assigned before "
                    "the job starts",
                    "start_date",
                )
            )
        elif on < earliest_assignment:
            found.append(
                Finding(
                    f"The job starts on {_day(start)}, more than 3 months from now. You can "
                    f"assign this certificate from {_day(earliest_assignment)}",
                    "start_date",
                )
            )
    if start and end and end <= start:
        found.append(Finding("The end date must be after the start date", "end_date"))
    if cos.skills_charge == SkillsCharge.EXEMPT_SHORT_STAY and (
        cos.category != CosCategory.ENTRY_CLEARANCE
        or (start and end and half_years_covered(start, end) > 1)
    ):
        found.append(
            Finding(
                "The short-stay exemption from the Immigration Skills Charge is only for workers "
                "coming from abroad for 6 months or less. Choose whether the charge applies",
                "skills_charge",
            )
        )
    return found


def _paye(certificate: Certificate) -> list[Finding]:
    reference = certificate.cos.paye_reference
    if (
        reference
        and not PayeReference.objects.filter(
            sponsor=certificate.sponsor, reference=reference
        ).exists()
    ):
        return [
            Finding(
                f"{reference} is not one of your PAYE references. Choose one of yours, or "
                "add it under PAYE references first",
                "paye_reference",
            )
        ]
    return []


def with_passport(number: str) -> list[int]:
    """The ids of the certificates holding this passport number (a person has few), to filter
    on with `pk__in`. Looked up first and on their own: given the number beside the sponsor and
    status, even as a subquery, SQLite walks every live certificate of the sponsor instead of
    the passport index, and PostgreSQL may too while a sponsor's first large bulk upload is
    ahead of its statistics; either made a 50,000-record upload slow down as it went."""
    return list(
        Certificate.objects.filter(passport_number=number).order_by().values_list("pk", flat=True)
    )


def live_duplicate_warning(certificate: Certificate) -> list[Finding]:
    """Another live certificate of the same kind for the same passport, with this sponsor."""
    if not certificate.passport_number:
        return []
    same_passport = set(with_passport(certificate.passport_number)) - {certificate.pk}
    if not same_passport:
        return []
    others = (
        Certificate.objects.filter(
            pk__in=same_passport,
            sponsor=certificate.sponsor,
            kind=certificate.kind,
            status__in=LIVE_STATUSES,
        )
        .exclude(pk=certificate.pk)
        .values_list("number", flat=True)[:3]
    )
    if not others:
        return []
    return [
        Finding(
            f"Passport {certificate.passport_number} already has a live "
            f"{'certificate' if certificate.kind == CertificateKind.COS else 'CAS'} with you "
            f"({', '.join(n for n in others if n)}). Check you are not sponsoring the same "
            "person twice",
            "passport_number",
            blocking=False,
        )
    ]


def _warnings(certificate: Certificate) -> list[Finding]:
    found = live_duplicate_warning(certificate)
    if not certificate.cos.maintenance_certified:
        found.append(
            Finding(
                "You have not certified maintenance. Without it the worker must show their own "
                "funds, and applications often fail for lack of this. Tick it in 'Job and "
                "salary' if you will support the worker for their first month",
                "maintenance_certified",
                blocking=False,
            )
        )
    return found


def _occupation(certificate: Certificate, on: date) -> list[Finding]:
    """A Skilled Worker occupation of Table 1a is open only to workers already sponsored
    under the rules before 22 July 2025: say so, since this service cannot know the worker's
    past permission."""
    code = certificate.cos.soc_code
    if certificate.route != Route.SKILLED_WORKER or not code:
        return []
    try:
        occupation = occupations(on).get(code)
    except LookupError:
        return []
    if occupation is None or occupation.table != "1a":
        return []
    return [
        Finding(
            f"{occupation.label} is in Table 1a of Appendix Skilled Occupations: it can be "
            "sponsored only for a worker who has held Skilled Worker permission under the "
            "rules in place before 22 July 2025 (care workers 6135 and 6136 only from within "
            "the UK). Check the worker qualifies before you assign",
            "soc_code",
            blocking=False,
        )
    ]


def _salary(certificate: Certificate, on: date) -> SalaryVerdict | None:
    cos = certificate.cos
    annual = cos.annual_salary
    if (
        certificate.route != Route.SKILLED_WORKER
        or not cos.soc_code
        or annual is None
        or cos.weekly_hours is None
        or not cos.salary_option
    ):
        return None
    return salary_check(
        soc_code=cos.soc_code,
        annual_salary=annual,
        weekly_hours=cos.weekly_hours,
        option=cos.salary_option,
        on=on,
    )


def allocation_finding(check: AssignmentCheck, certificate: Certificate, on: date) -> None:
    """The route's current allocation on the check, and a finding when none is left."""
    check.allocation = allocation_current(certificate.sponsor, certificate.route, on)
    if check.allocation is None or check.allocation.remaining < 1:
        check.findings.append(Finding(allocation_message(certificate.route)))


def assignment_check(certificate: Certificate, on: date) -> AssignmentCheck:
    """Everything that stands between this draft and its assignment on `on`."""
    if certificate.kind == CertificateKind.CAS:
        from .cas_checks import cas_assignment_check

        return cas_assignment_check(certificate, on)
    cos = certificate.cos
    check = AssignmentCheck(
        charges=certificate_charges(
            route=certificate.route,
            exemption=cos.skills_charge,
            size=certificate.sponsor.size,
            start=cos.start_date,
            end=cos.end_date,
            on=on,
        )
    )
    check.findings += [Finding(need.message, need.field) for need in missing_needs(certificate)]
    check.findings += _gates(certificate, on)
    check.findings += _dates(certificate, on)
    check.findings += _paye(certificate)
    # A defined certificate uses its grant, not the yearly allocation.
    if certificate.defined_request_id is None:
        allocation_finding(check, certificate, on)
    check.findings += _warnings(certificate)
    check.findings += _occupation(certificate, on)
    check.salary = _salary(certificate, on)
    if check.salary is not None and not check.salary.passes:
        check.findings.append(Finding(check.salary.message, "salary_amount", blocking=False))
    return check
