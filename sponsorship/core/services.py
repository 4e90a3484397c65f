"""Caseworkers' corrections to the bank holiday calendar: adding and removing overrides, and
reading them back for the casework pages and API. Every change is audited and, once committed,
announced to every process (`workingdays.announce_overrides`, ADR 0010)."""

from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record

from . import workingdays
from .errors import ApplicationError, NotFound
from .models import BankHolidayNation, BankHolidayOverride, OverrideChange

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
NAME_MAX = 100
# The largest id a database row can have: a larger one names nothing.
LARGEST_ID = 2**63 - 1

NATION_CHOOSE = "Choose England, Wales, Scotland or Northern Ireland"
CHANGE_CHOOSE = "Choose whether the day becomes a bank holiday or stops being one"


def _on(day: date) -> str:
    return f"{day:%A %-d %B %Y}"


def _checked_day(day: date, nation: str, change: str) -> str | None:
    """What is wrong with changing `day` in `nation` this way, or None. The package's own list
    decides: an extra holiday must be a working day now, a removed one must be listed."""
    where = workingdays.NATION_NAMES[nation]
    listed = workingdays.package_holiday_name(day, nation)
    weekend = day.weekday() >= 5
    if change == OverrideChange.ADD:
        if weekend:
            return (
                f"{_on(day)} is a weekend day, so it is never a working day: adding it would "
                "change nothing. Enter a weekday."
            )
        if listed is not None:
            return f"{_on(day)} is already a bank holiday in {where} ({listed})."
        return None
    if listed is None:
        return (
            f"{_on(day)} is not a bank holiday in {where}, so there is nothing to remove. To "
            "make it one, choose to add a bank holiday."
        )
    if weekend:
        return (
            f"{_on(day)} ({listed}) is a weekend day, so it is never a working day: removing "
            "it would change nothing. Remove the weekday it moves to instead."
        )
    return None


def bank_holiday_override_check(
    *, day: date | None, nation: str, change: str, name: str
) -> tuple[date, str]:
    """The day and the tidied name, if the change could be made now (the check page asks before
    showing the answers). Raises ApplicationError naming each field that is wrong (`day`,
    `nation`, `change`, `name`), or the day's when the nation already has a change for it."""
    name = " ".join(name.split())
    errors: list[tuple[str, str]] = []
    if day is None:
        errors.append(("day", "Enter the date"))
    elif not EARLIEST <= day <= LATEST:
        errors.append(("day", "Enter a date from 1 January 2000 to 31 December 2100"))
    if nation not in BankHolidayNation.values:
        errors.append(("nation", NATION_CHOOSE))
    if change not in OverrideChange.values:
        errors.append(("change", CHANGE_CHOOSE))
    if not name:
        errors.append(("name", "Enter the name of the bank holiday"))
    elif len(name) > NAME_MAX:
        errors.append(("name", f"The name must be {NAME_MAX} characters or fewer"))
    if day is not None and not errors:
        wrong = _checked_day(day, nation, change)
        if wrong is not None:
            errors.append(("day", wrong))
    if errors or day is None:
        raise ApplicationError(errors[0][1], field=errors[0][0], errors=errors)
    if BankHolidayOverride.objects.filter(nation=nation, day=day).exists():
        raise _taken(day, nation)
    return day, name


def _taken(day: date, nation: str) -> ApplicationError:
    return ApplicationError(
        f"There is already a change for {_on(day)} in {workingdays.NATION_NAMES[nation]}. "
        "Remove it first if it is wrong.",
        field="day",
        code="duplicate",
    )


def bank_holiday_override_add(
    *,
    caseworker: "User",
    day: date | None,
    nation: str,
    change: str,
    name: str,
    ip: str | None,
) -> BankHolidayOverride:
    """Add an extra bank holiday, or make a listed one a working day, in one nation. Raises
    ApplicationError as `bank_holiday_override_check` does."""
    day, name = bank_holiday_override_check(day=day, nation=nation, change=change, name=name)
    try:
        with transaction.atomic():
            override = BankHolidayOverride.objects.create(
                day=day, nation=nation, change=change, name=name, created_by=caseworker
            )
            audit_record(
                AuditVerb.BANK_HOLIDAY_CHANGED,
                actor=caseworker,
                sponsor=None,
                target=Target.of(override),
                payload={"action": "added", **_described(override)},
                ip_address=ip,
            )
            # robust: the change is saved whatever happens; a token the cache failed to store is
            # restored by the scheduled announcement.
            transaction.on_commit(workingdays.announce_overrides, robust=True)
    except IntegrityError:
        # Another caseworker saved the same day between the check and the insert.
        raise _taken(day, nation) from None
    return override


def bank_holiday_override_remove(
    *, caseworker: "User", override_id: int, ip: str | None
) -> BankHolidayOverride:
    """Delete an override: the package's list applies to that day again. Raises NotFound when
    there is no such override (perhaps removed in another tab). Returns the deleted row."""
    with transaction.atomic():
        override = None
        if 0 < override_id <= LARGEST_ID:
            override = BankHolidayOverride.objects.filter(pk=override_id).first()
        if override is None:
            raise NotFound("There is no such change to the bank holidays.")
        audit_record(
            AuditVerb.BANK_HOLIDAY_CHANGED,
            actor=caseworker,
            sponsor=None,
            target=Target.of(override),
            payload={"action": "removed", **_described(override)},
            ip_address=ip,
        )
        override.delete()
        override.pk = override_id
        transaction.on_commit(workingdays.announce_overrides, robust=True)
    return override


def bank_holiday_overrides_announce() -> int:
    """Scheduled every minute: publish the overrides again, restoring a token the shared cache
    lost (a Redis restart, an eviction) or failed to store when a change was made. Unchanged
    overrides give the same token, so no process reloads. Returns how many there are."""
    return workingdays.announce_overrides()


def _described(override: BankHolidayOverride) -> dict[str, str]:
    return {
        "day": override.day.isoformat(),
        "nation": override.nation,
        "change": override.change,
        "name": override.name,
    }


# Reads, for the casework pages and API (every caseworker sees the one calendar).


def bank_holiday_override_list() -> QuerySet[BankHolidayOverride]:
    """Every override, the latest day first, with who made it."""
    return BankHolidayOverride.objects.select_related("created_by").order_by("-day", "nation")


def bank_holiday_override_get(*, override_id: int) -> BankHolidayOverride:
    override = None
    if 0 < override_id <= LARGEST_ID:
        override = bank_holiday_override_list().filter(pk=override_id).first()
    if override is None:
        raise NotFound("There is no such change to the bank holidays.")
    return override
