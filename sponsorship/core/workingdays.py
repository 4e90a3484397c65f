"""Working days: Monday to Friday, less the bank holidays of one part of the UK.

DOMAIN.md "Reporting duties": day 1 is the first working day after the event. The `holidays`
package lists both a weekend holiday and its substitute day; the weekend one is skipped anyway.

Caseworkers correct the package with overrides (`core.models.BankHolidayOverride`): an extra
bank holiday, or a listed one that no longer is. The counting functions run thousands of times a
request, so they never query: each process keeps the overrides in memory and, at most every
`CHECK_SECONDS`, compares a generation token in Django's shared cache with the one it loaded,
reloading when it moved (ADR 0010). The token is a digest of the overrides, absent when there
are none: so code that never met an override (and tests without a database) never query.
"""

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from time import monotonic

import holidays
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

# Our nation codes are the `holidays` package's subdivisions of GB.
NATIONS = ("ENG", "WLS", "SCT", "NIR")
NATION_NAMES = {
    "ENG": "England",
    "WLS": "Wales",
    "SCT": "Scotland",
    "NIR": "Northern Ireland",
}

# How stale another process's change may be before this one sees it.
CHECK_SECONDS = 5.0
GENERATION_KEY = "core:bank-holiday-overrides:generation"


def _check_nation(nation: str) -> None:
    if nation not in NATIONS:
        raise ValueError(f"Unknown nation {nation!r}: use one of {', '.join(NATIONS)}.")


@lru_cache(maxsize=256)
def _package_names(nation: str, year: int) -> dict[date, str]:
    _check_nation(nation)
    return dict(holidays.country_holidays("GB", subdiv=nation, years=year).items())


@lru_cache(maxsize=256)
def _package_days(nation: str, year: int) -> frozenset[date]:
    return frozenset(_package_names(nation, year))


def package_holiday_name(day: date, nation: str) -> str | None:
    """The name the `holidays` package gives `day` in `nation`, or None if it lists none."""
    return _package_names(nation, day.year).get(day)


# ---------------------------------------------------------------- overrides


@dataclass(frozen=True)
class Override:
    """One caseworker's correction to the package, as the counting functions use it."""

    day: date
    nation: str
    adds: bool  # True: an extra bank holiday; False: a listed day that is a working day after all
    name: str
    id: int | None = None


class _Calendar:
    """The package's bank holidays with one set of overrides applied; the closed days of each
    (nation, year) are worked out on first use and kept until the overrides change."""

    def __init__(self, overrides: Iterable[Override] = ()):
        self.overrides: dict[str, dict[date, Override]] = {}
        for override in overrides:
            self.overrides.setdefault(override.nation, {})[override.day] = override
        self._closed: dict[tuple[str, int], frozenset[date]] = {}

    def closed(self, nation: str, year: int) -> frozenset[date]:
        days = self._closed.get((nation, year))
        if days is None:
            days = _package_days(nation, year)
            changes = [o for o in self.overrides.get(nation, {}).values() if o.day.year == year]
            if changes:
                added = {o.day for o in changes if o.adds}
                removed = {o.day for o in changes if not o.adds}
                days = frozenset((days | added) - removed)
            self._closed[(nation, year)] = days
        return days


@dataclass(frozen=True)
class _Loaded:
    generation: str | None
    calendar: _Calendar
    check_after: float  # monotonic() before which the cache is not asked again


def _nothing_loaded() -> _Loaded:
    return _Loaded(generation=None, calendar=_Calendar(), check_after=float("-inf"))


_loaded = _nothing_loaded()


def _load_overrides() -> list[Override]:
    # Imported here: the model needs the app registry, which is ready by the first call.
    from .models import BankHolidayOverride, OverrideChange

    return [
        Override(day=day, nation=nation, adds=change == OverrideChange.ADD, name=name, id=pk)
        for pk, day, nation, change, name in BankHolidayOverride.objects.values_list(
            "pk", "day", "nation", "change", "name"
        )
    ]


def _cache_is_in_this_process() -> bool:
    # A local-memory cache (the tests') is this process's alone and needs no network: it is
    # read on every call, so a change, or a test emptying it, is seen at once.
    return isinstance(caches["default"], LocMemCache)


def _calendar() -> _Calendar:
    global _loaded
    loaded = _loaded
    now = monotonic()
    if now < loaded.check_after:
        return loaded.calendar
    try:
        generation = cache.get(GENERATION_KEY)
    except Exception:
        # A cache outage must not stop deadlines being counted: keep what was loaded.
        logger.warning("Bank holiday overrides: the cache could not be read", exc_info=True)
        _loaded = _Loaded(loaded.generation, loaded.calendar, now + CHECK_SECONDS)
        return loaded.calendar
    if generation == loaded.generation:
        calendar = loaded.calendar
    elif generation is None:
        calendar = _Calendar()
    else:
        calendar = _Calendar(_load_overrides())
    interval = 0.0 if _cache_is_in_this_process() else CHECK_SECONDS
    _loaded = _Loaded(generation, calendar, now + interval)
    return calendar


def _digest(overrides: list[Override]) -> str:
    listed = sorted((o.id or 0, o.day.isoformat(), o.nation, o.adds, o.name) for o in overrides)
    return hashlib.sha256(repr(listed).encode()).hexdigest()[:32]


def announce_overrides() -> int:
    """Publish the overrides in the database to every process: store their digest in the shared
    cache (none: no token), so a process holding another reloads. Call once a change is
    committed, and on a schedule, which restores a token the cache lost or failed to store; the
    same overrides give the same token, so that reloads nothing. Returns how many there are."""
    overrides = _load_overrides()
    if overrides:
        cache.set(GENERATION_KEY, _digest(overrides), timeout=None)
    else:
        cache.delete(GENERATION_KEY)
    forget_overrides()
    return len(overrides)


def forget_overrides() -> None:
    """Drop this process's copy: its next call asks the cache again."""
    global _loaded
    _loaded = _nothing_loaded()


# ---------------------------------------------------------------- counting


def _is_working_day(day: date, nation: str, calendar: _Calendar) -> bool:
    return day.weekday() < 5 and day not in calendar.closed(nation, day.year)


def is_working_day(day: date, nation: str) -> bool:
    return _is_working_day(day, nation, _calendar())


def add_working_days(start: date, days: int, nation: str) -> date:
    """The date `days` working days after `start` (`start` itself is never counted)."""
    _check_nation(nation)
    if days < 0:
        raise ValueError("Count forwards only.")
    calendar = _calendar()
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if _is_working_day(day, nation, calendar):
            counted += 1
    return day


def working_days_before(end: date, days: int, nation: str) -> date:
    """The date `days` working days before `end` (`end` itself is never counted): 2 working
    days before a deadline on a Monday is the Thursday before."""
    _check_nation(nation)
    if days < 0:
        raise ValueError("Count backwards only: the number of days must not be negative.")
    calendar = _calendar()
    day = end
    counted = 0
    while counted < days:
        day -= timedelta(days=1)
        if _is_working_day(day, nation, calendar):
            counted += 1
    return day


def nth_working_day_from(first_day: date, n: int, nation: str) -> date:
    """The `n`-th working day counting `first_day` itself as day 1 when it is a working day
    (the 10th working day of an absence that began on `first_day`)."""
    _check_nation(nation)
    if n < 1:
        raise ValueError("The first working day is day 1: n must be 1 or more.")
    return add_working_days(first_day - timedelta(days=1), n, nation)


def working_days_between(start: date, end: date, nation: str) -> int:
    """Working days after `start` up to and including `end`; 0 when `end` is not later."""
    _check_nation(nation)
    if end <= start:
        return 0
    calendar = _calendar()
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if _is_working_day(start + timedelta(days=offset), nation, calendar)
    )


# ---------------------------------------------------------------- listing


def last_of_twelve_months(first: date) -> date:
    """The last day of the 12 months that start on `first`."""
    try:
        return first.replace(year=first.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February: the year after has none
        return first.replace(year=first.year + 1, day=28)


@dataclass(frozen=True)
class BankHoliday:
    day: date
    nation: str
    name: str
    override_id: int | None  # the override that added or cancelled it; None: the package's
    cancelled: bool = False  # listed by the package, but a working day after all


def bank_holidays_between(
    start: date, end: date, nation: str, *, include_cancelled: bool = False
) -> list[BankHoliday]:
    """The weekdays from `start` to `end` (both included) that the counting functions treat as
    bank holidays in `nation`, in date order; with `include_cancelled`, also the listed ones an
    override made working days. A holiday at a weekend changes no count and is left out; its
    substitute weekday is listed."""
    _check_nation(nation)
    calendar = _calendar()
    overrides = calendar.overrides.get(nation, {})
    found = []
    for year in range(start.year, end.year + 1):
        days = set(calendar.closed(nation, year))
        if include_cancelled:
            days |= {o.day for o in overrides.values() if not o.adds and o.day.year == year}
        for day in sorted(days):
            if not (start <= day <= end and day.weekday() < 5):
                continue
            override = overrides.get(day)
            if override is not None and override.adds:
                found.append(BankHoliday(day, nation, override.name, override.id))
                continue
            # A cancelled day the package stopped listing (after an upgrade) keeps its name.
            name = _package_names(nation, year).get(day) or (override.name if override else "")
            found.append(
                BankHoliday(
                    day,
                    nation,
                    name,
                    override.id if override is not None else None,
                    cancelled=override is not None,
                )
            )
    return found
