"""Reminders: before a duty falls due, daily while it is overdue (escalating to the Authorising
Officer), and before a worker's permission expires. Raised as rows first, set-based, each
unique per duty (or worker) and day; then e-mailed through the outbox to the people concerned,
immediately or as one daily digest per person, as each user chose. Running it twice sends
nothing twice."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils import timezone

from sponsorship.accounts.models import User, UserLevel, UserStatus
from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import audit_record, audit_record_many
from sponsorship.core.db import insert_from_select
from sponsorship.core.errors import ApplicationError, StaleEdit
from sponsorship.core.workingdays import add_working_days, is_working_day
from sponsorship.licences.models import KeyPerson, KeyPersonRole, Nation
from sponsorship.notifications.services import Message, email_queue_many

from ..fields import long_date
from ..models import (
    DEFAULT_EXPIRY_ALERT_DAYS,
    DEFAULT_LEAD_DAYS,
    MAX_ENROLMENT_WINDOW_DAYS,
    ComplianceSettings,
    Duty,
    DutyStatus,
    Reminder,
    ReminderKind,
    ReminderMode,
    ReminderPreference,
    Worker,
    WorkerStatus,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

MAX_LEAD_DAYS = 60
MAX_EXPIRY_ALERT_DAYS = 365


def parse_day_list(text: str, field: str, highest: int, what: str) -> str:
    """The list as stored, like "5,2,1" for "5, 2, 1": whole numbers from 1 to `highest`, no
    repeats, largest first."""
    parts = [part.strip() for part in str(text).replace(";", ",").split(",") if part.strip()]
    if not parts:
        raise ApplicationError(f"Enter at least one number of {what}, like 5, 2, 1", field=field)
    if len(parts) > 10:
        raise ApplicationError(f"Enter no more than 10 numbers of {what}", field=field)
    numbers = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= highest:
            raise ApplicationError(
                f"“{part}” is not a whole number of {what} from 1 to {highest}", field=field
            )
        numbers.append(int(part))
    return ",".join(str(number) for number in sorted(set(numbers), reverse=True))


def _lists(rows: "QuerySet[Any]", field: str, default: str, number: int) -> "QuerySet[Any]":
    """`rows` whose sponsor's list in `field` (or the default) holds `number`. The lists are
    stored "5,2,1", so ",5,2,1," contains ",2,": one LIKE, whatever the sponsor."""
    padded = Concat(
        Value(","),
        Coalesce(F(f"sponsor__compliance_settings__{field}"), Value(default)),
        Value(","),
        output_field=CharField(),
    )
    return rows.annotate(padded=padded).filter(padded__contains=f",{number},")


def _numbers_in_use(field: str, default: str) -> set[int]:
    """Every lead time any sponsor uses: the passes run once per number, not per sponsor."""
    found = {int(n) for n in default.split(",")}
    for text in ComplianceSettings.objects.values_list(field, flat=True).distinct():
        found.update(int(n) for n in text.split(",") if n)
    return found


def _insert(kind: ReminderKind, rows: "QuerySet[Any]", today: date, *, about: str) -> int:
    """Reminders of `kind` for today, one per row of `rows` (duties, or workers when `about`
    is "worker"), in one INSERT ... SELECT; those already raised are skipped."""
    values: dict[str, Any] = {
        "sponsor": F("sponsor_id"),
        "kind": Value(kind),
        "day": Value(today),
        "escalated": Value(kind == ReminderKind.OVERDUE),
        about: F("pk"),
    }
    return insert_from_select(Reminder, values, rows)


def _raise(today: date) -> int:
    """Today's reminders, set-based: open duties falling due a lead time (in working days) from
    today or already overdue, on working days of their nation; workers whose permission expires
    an alert period (in days) from today."""
    raised = 0
    leads = _numbers_in_use("reminder_lead_days", DEFAULT_LEAD_DAYS)
    open_duties = Duty.objects.filter(status=DutyStatus.OPEN)
    for nation in Nation.values:
        if not is_working_day(today, nation):
            continue
        for lead in sorted(leads):
            due = _lists(
                open_duties.filter(nation=nation, due_on=add_working_days(today, lead, nation)),
                "reminder_lead_days",
                DEFAULT_LEAD_DAYS,
                lead,
            )
            raised += _insert(ReminderKind.DUE_SOON, due, today, about="duty")
        overdue = open_duties.filter(nation=nation, due_on__lt=today)
        raised += _insert(ReminderKind.OVERDUE, overdue, today, about="duty")
    sponsored = Worker.objects.exclude(status=WorkerStatus.ENDED)
    for ahead in sorted(_numbers_in_use("expiry_alert_days", DEFAULT_EXPIRY_ALERT_DAYS)):
        expiring = _lists(
            sponsored.filter(permission_expires_on=today + timedelta(days=ahead)),
            "expiry_alert_days",
            DEFAULT_EXPIRY_ALERT_DAYS,
            ahead,
        )
        raised += _insert(ReminderKind.PERMISSION_EXPIRY, expiring, today, about="worker")
    return raised


@dataclass(frozen=True)
class Recipient:
    email: str
    user_id: int | None  # None: the Authorising Officer, who may not be a user


def _worker(reminder: Reminder) -> Worker | None:
    return reminder.duty.worker if reminder.duty else reminder.worker


def _recipients(reminders: list[Reminder]) -> dict[int, list[Recipient]]:
    """Who receives each reminder: the owner of the worker's certificate, every active Level 1
    user of the sponsor, and the Authorising Officer when escalated. Three queries, however
    many reminders."""
    sponsor_ids = list({reminder.sponsor_id for reminder in reminders})
    level_1: dict[int, list[Recipient]] = defaultdict(list)
    for sponsor_id, user_id, email in User.objects.filter(
        sponsor_id__in=sponsor_ids, level=UserLevel.LEVEL_1, status=UserStatus.ACTIVE
    ).values_list("sponsor_id", "pk", "email"):
        level_1[sponsor_id].append(Recipient(email, user_id))
    officers = dict(
        KeyPerson.objects.filter(
            sponsor_id__in=sponsor_ids, role=KeyPersonRole.AUTHORISING_OFFICER
        ).values_list("sponsor_id", "email")
    )
    workers = {reminder.pk: _worker(reminder) for reminder in reminders}
    owners = {
        pk: Recipient(email, pk)
        for pk, email in User.objects.filter(
            pk__in={w.certificate.owner_id for w in workers.values() if w is not None},
            status=UserStatus.ACTIVE,
        ).values_list("pk", "email")
    }
    found: dict[int, list[Recipient]] = {}
    for reminder in reminders:
        people = list(level_1.get(reminder.sponsor_id, []))
        worker = workers[reminder.pk]
        owner = owners.get(worker.certificate.owner_id) if worker is not None else None
        if owner is not None and owner not in people:
            people.append(owner)
        officer = officers.get(reminder.sponsor_id)
        if reminder.escalated and officer:
            people.append(Recipient(officer, None))
        found[reminder.pk] = people
    return found


def _line(reminder: Reminder, today: date) -> str:
    """One reminder in words, for an e-mail."""
    if reminder.kind == ReminderKind.PERMISSION_EXPIRY:
        worker = reminder.worker
        if worker is None or worker.permission_expires_on is None:
            return ""
        left = (worker.permission_expires_on - today).days
        return (
            f"{worker.certificate.full_name} ({worker.certificate.number}): permission "
            f"expires on {long_date(worker.permission_expires_on)}, in {left} days."
        )
    duty = reminder.duty
    if duty is None:
        return ""
    who = (
        f"{duty.worker.certificate.full_name} ({duty.worker.certificate.number})"
        if duty.worker
        else "Your organisation"
    )
    when = (
        f"OVERDUE since {long_date(duty.due_on)}"
        if duty.due_on < today
        else f"due by {long_date(duty.due_on)}"
    )
    link = settings.SITE_URL + reverse("duties:duty", args=[duty.pk])
    return f"{who}: {duty.get_kind_display()}, {when}.\n  {duty.summary}\n  {link}"


def _send(today: date) -> int:
    """E-mail every reminder not yet e-mailed: one each to those who chose immediate e-mails,
    one digest each to those who chose a digest. Returns the e-mails queued."""
    waiting = list(
        Reminder.objects.filter(emailed_at__isnull=True, day__lte=today)
        .select_related("sponsor", "duty__worker__certificate", "worker__certificate")
        .order_by("sponsor_id", "day", "pk")
    )
    if not waiting:
        return 0
    recipients = _recipients(waiting)
    digest_users = set(
        ReminderPreference.objects.filter(
            user_id__in={person.user_id for people in recipients.values() for person in people},
            mode=ReminderMode.DIGEST,
        ).values_list("user_id", flat=True)
    )
    by_person: dict[tuple[int, Recipient], list[Reminder]] = defaultdict(list)
    for reminder in waiting:
        for person in recipients[reminder.pk]:
            by_person[(reminder.sponsor_id, person)].append(reminder)
    messages = []
    for (_, person), reminders in by_person.items():
        digest = person.user_id in digest_users
        for batch in [reminders] if digest else [[reminder] for reminder in reminders]:
            context = {
                "sponsor": batch[0].sponsor,
                "reminders": [_line(reminder, today) for reminder in batch],
                "first": batch[0],
                "overdue": any(r.kind == ReminderKind.OVERDUE for r in batch),
                "escalated": person.user_id is None,
                "today": today,
            }
            template = "reminders_digest" if digest else "reminder"
            messages.append(Message(person.email, template, context, batch[0].sponsor))
    sent = email_queue_many(messages)
    Reminder.objects.filter(pk__in=[r.pk for r in waiting]).update(emailed_at=timezone.now())
    counts: dict[int, int] = defaultdict(int)
    for reminder in waiting:
        counts[reminder.sponsor_id] += 1
    audit_record_many(
        AuditVerb.REMINDERS_SENT,
        [(sponsor_id, {"reminders": count, "on": today}) for sponsor_id, count in counts.items()],
        actor_label="daily sweep",
    )
    return sent


def reminders_send(today: date | None = None) -> int:
    """A daily sweep step: raise today's reminders and e-mail them. Returns e-mails queued."""
    today = today or timezone.localdate()
    with transaction.atomic():
        _raise(today)
        return _send(today)


def compliance_settings_save(
    *,
    actor: User,
    reminder_lead_days: str,
    expiry_alert_days: str,
    version: int | None,
    ip: str | None,
    enrolment_window_days: Any = None,
) -> ComplianceSettings:
    """Level 1: how early reminders go out for this sponsor, and (for a sponsor of students;
    None leaves it as it is) the enrolment period after which a student not recorded as
    enrolled must be reported."""
    errors = []
    cleaned: dict[str, Any] = {}
    for field, text, highest, what in (
        ("reminder_lead_days", reminder_lead_days, MAX_LEAD_DAYS, "working days"),
        ("expiry_alert_days", expiry_alert_days, MAX_EXPIRY_ALERT_DAYS, "days"),
    ):
        try:
            cleaned[field] = parse_day_list(text, field, highest, what)
        except ApplicationError as error:
            errors.append((field, error.message))
    if enrolment_window_days not in (None, ""):
        try:
            cleaned["enrolment_window_days"] = _enrolment_window(enrolment_window_days)
        except ApplicationError as error:
            errors.append(("enrolment_window_days", error.message))
    if errors:
        raise ApplicationError(errors[0][1], field=errors[0][0], errors=errors)
    with transaction.atomic():
        current, created = ComplianceSettings.objects.select_for_update().get_or_create(
            sponsor=actor.sponsor
        )
        if created:
            # The defaults were read as version 0 (selectors.compliance_settings_for_user).
            current.version = 0
        if version is not None and current.version != version:
            raise StaleEdit()
        current.reminder_lead_days = cleaned["reminder_lead_days"]
        current.expiry_alert_days = cleaned["expiry_alert_days"]
        if "enrolment_window_days" in cleaned:
            current.enrolment_window_days = cleaned["enrolment_window_days"]
        current.updated_by = actor
        current.updated_at = timezone.now()
        current.version += 1
        current.save()
        audit_record(
            AuditVerb.COMPLIANCE_SETTINGS_CHANGED,
            actor=actor,
            payload=cleaned,
            ip_address=ip,
        )
    return current


def _enrolment_window(value: Any) -> int:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ENROLMENT_WINDOW_DAYS):
        raise ApplicationError(
            f"Enter the enrolment period as a whole number of days from 1 to "
            f"{MAX_ENROLMENT_WINDOW_DAYS}, like 14",
            field="enrolment_window_days",
        )
    return int(text)


def reminder_preference_save(*, actor: User, mode: str, ip: str | None) -> ReminderPreference:
    """Each user: an e-mail per reminder, or one daily digest."""
    if mode not in ReminderMode.values:
        raise ApplicationError(
            "Choose IMMEDIATE (an e-mail for each reminder) or DIGEST (one a day)", field="mode"
        )
    with transaction.atomic():
        preference, _ = ReminderPreference.objects.update_or_create(
            user=actor, defaults={"mode": mode}
        )
        audit_record(
            AuditVerb.COMPLIANCE_SETTINGS_CHANGED,
            actor=actor,
            payload={"reminders": mode},
            ip_address=ip,
        )
    return preference
