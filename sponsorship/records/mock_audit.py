"""The mock audit: the licence checked the way a Home Office compliance officer would on a
visit, each finding with what to do about it. A read only, in a fixed number of queries however
many workers the sponsor has."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.urls import NoReverseMatch, reverse

from sponsorship.accounts.models import User, UserLevel, UserStatus
from sponsorship.duties.models import Duty, DutyStatus, PersonKind, Worker, WorkerStatus
from sponsorship.licences.models import KeyPerson, KeyPersonRole

from .selectors import incomplete_checklists, records_due_for_deletion
from .summary import date_words

if TYPE_CHECKING:
    from sponsorship.licences.models import Sponsor

LEVEL_1_USERS_WANTED = 2


class Severity(models.TextChoices):
    # In the order the page shows them.
    HIGH = "high", "Put right now"
    MEDIUM = "medium", "Put right soon"
    LOW = "low", "Worth doing"


SEVERITY_ORDER = {severity: index for index, severity in enumerate(Severity)}


@dataclass(frozen=True)
class Finding:
    code: str  # stable, for API clients
    severity: Severity
    title: str
    what_to_do: str
    link: str
    worker: Worker | None = None


def _link(name: str, *args: object) -> str:
    """Where to put a finding right. The register's and the licence's pages belong to other
    apps: a finding without its page still says what to do."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _name(worker: Worker) -> str:
    return f"{worker.certificate.full_name} ({worker.certificate.number})"


def _money(value: object) -> str:
    return f"£{value:,.2f}"


def _key_personnel(sponsor: "Sponsor") -> list[Finding]:
    roles = set(KeyPerson.objects.filter(sponsor=sponsor).values_list("role", flat=True))
    findings = []
    for role in (KeyPersonRole.AUTHORISING_OFFICER, KeyPersonRole.KEY_CONTACT):
        if role not in roles:
            findings.append(
                Finding(
                    "key_person_missing",
                    Severity.HIGH,
                    f"The licence has no {role.label}",
                    f"Ask the Home Office to appoint your {role.label} through key personnel. "
                    "A licence must always have one.",
                    _link("licences:key_people"),
                )
            )
    return findings


def _level_1_users(sponsor: "Sponsor") -> list[Finding]:
    active = User.objects.filter(
        sponsor=sponsor, level=UserLevel.LEVEL_1, status=UserStatus.ACTIVE
    ).count()
    if active >= LEVEL_1_USERS_WANTED:
        return []
    return [
        Finding(
            "too_few_level_1_users",
            Severity.MEDIUM,
            f"The licence has {active} active Level 1 user{'s' if active != 1 else ''}",
            f"Have at least {LEVEL_1_USERS_WANTED} active Level 1 users, so that reports and "
            "changes are still made on time when one of them is away. Ask for another Level 1 "
            "user under users.",
            _link("licences:users"),
        )
    ]


def _overdue_duties(sponsor: "Sponsor", today: date) -> list[Finding]:
    duties = (
        Duty.objects.filter(sponsor=sponsor, status=DutyStatus.OPEN, due_on__lt=today)
        .select_related("worker__certificate")
        .order_by("due_on", "pk")
    )
    return [
        Finding(
            "duty_overdue",
            Severity.HIGH,
            f"{duty.get_kind_display()} was due by {date_words(duty.due_on)}"
            + (f" for {_name(duty.worker)}" if duty.worker else ""),
            "Report it now: it is late, and late reports count against your licence. Say why "
            "it is late in the report.",
            _link("duties:duty", duty.pk),
            duty.worker,
        )
        for duty in duties
    ]


def _workers(sponsor: "Sponsor", today: date) -> list[Finding]:
    """Salary, permission and right to work, for every worker still sponsored."""
    findings = []
    workers = (
        Worker.objects.filter(sponsor=sponsor, kind=PersonKind.WORKER)
        .exclude(status=WorkerStatus.ENDED)
        .select_related("certificate__cos")
        .order_by("certificate__family_name_key", "certificate__given_names_key", "pk")
    )
    for worker in workers:
        cos = getattr(worker.certificate, "cos", None)
        certified = cos.annual_salary if cos is not None else None
        if (
            certified is not None
            and worker.annual_salary is not None
            and worker.annual_salary < certified
        ):
            findings.append(
                Finding(
                    "salary_below_certificate",
                    Severity.HIGH,
                    f"{_name(worker)} is paid {_money(worker.annual_salary)} a year, less than "
                    f"the {_money(certified)} on their certificate",
                    "Pay at least the salary on the certificate. A cut in salary must be "
                    "reported within 10 working days; if it was, check the new salary still "
                    "meets the route's requirements.",
                    _link("duties:worker", worker.pk),
                    worker,
                )
            )
        if worker.permission_expires_on is not None and worker.permission_expires_on < today:
            findings.append(
                Finding(
                    "permission_expired",
                    Severity.HIGH,
                    f"{_name(worker)}'s permission to be in the UK ended on "
                    f"{date_words(worker.permission_expires_on)}",
                    "Check whether the worker has been granted new permission and record its "
                    "end date. If not, they may not work for you: stop sponsoring them and "
                    "report it.",
                    _link("duties:worker_dates", worker.pk),
                    worker,
                )
            )
        follow_up = worker.right_to_work_follow_up_on
        checked = worker.right_to_work_checked_on
        if follow_up is not None and follow_up < today and (checked is None or checked < follow_up):
            findings.append(
                Finding(
                    "right_to_work_follow_up_overdue",
                    Severity.HIGH,
                    f"{_name(worker)}'s follow-up right to work check was due on "
                    f"{date_words(follow_up)}",
                    "Check the worker's right to work again now, keep a copy of the check, and "
                    "record the date you made it.",
                    _link("duties:worker_dates", worker.pk),
                    worker,
                )
            )
    return findings


def _checklists(sponsor: "Sponsor") -> list[Finding]:
    gaps = incomplete_checklists(sponsor=sponsor)
    if not gaps:
        return []
    workers = {
        w.pk: w for w in Worker.objects.filter(pk__in=list(gaps)).select_related("certificate")
    }
    return [
        Finding(
            "records_incomplete",
            Severity.MEDIUM,
            f"{_name(workers[worker_id])} has documents missing: {', '.join(items).lower()}"
            if len(items) < 4
            else f"{_name(workers[worker_id])} has {len(items)} documents missing",
            "Upload the missing documents, or record why a document is not needed for this "
            "worker where that is allowed. The Home Office can ask to see them at any time.",
            _link("records:checklist", worker_id),
            workers[worker_id],
        )
        for worker_id, items in gaps.items()
    ]


def _deletions(sponsor: "Sponsor", today: date) -> list[Finding]:
    due = records_due_for_deletion(sponsor=sponsor, today=today)
    if not due:
        return []
    count = len(due)
    return [
        Finding(
            "records_due_for_deletion",
            Severity.LOW,
            f"The records of {count} former worker{'s' if count != 1 else ''} are past their "
            "retention date",
            "Personal data should not be kept longer than needed. Check the list and delete the "
            "records you no longer have to keep.",
            _link("records:to_delete"),
        )
    ]


def mock_audit(*, sponsor: "Sponsor", today: date) -> list[Finding]:
    """Every finding, the most serious first."""
    findings = [
        *_key_personnel(sponsor),
        *_level_1_users(sponsor),
        *_overdue_duties(sponsor, today),
        *_workers(sponsor, today),
        *_checklists(sponsor),
        *_deletions(sponsor, today),
    ]
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
