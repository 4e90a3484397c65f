"""Working days: Monday to Friday, less the bank holidays of one part of the UK.

DOMAIN.md "Reporting duties": day 1 is the first working day after the event. The `holidays`
package lists both a weekend holiday and its substitute day; the weekend one is skipped anyway.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

# Our nation codes are the `holidays` package's subdivisions of GB.
NATIONS = ("ENG", "WLS", "SCT", "NIR")


def _check_nation(nation: str) -> None:
    if nation not in NATIONS:
        raise ValueError(f"Unknown nation {nation!r}: use one of {', '.join(NATIONS)}.")


@lru_cache(maxsize=64)
def _bank_holidays(nation: str, year: int) -> frozenset[date]:
    _check_nation(nation)
    return frozenset(holidays.country_holidays("GB", subdiv=nation, years=year))


def is_working_day(day: date, nation: str) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(nation, day.year)


def add_working_days(start: date, days: int, nation: str) -> date:
    """The date `days` working days after `start` (`start` itself is never counted)."""
    _check_nation(nation)
    if days < 0:
        raise ValueError("Count forwards only.")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            counted += 1
    return day


def working_days_between(start: date, end: date, nation: str) -> int:
    """Working days after `start` up to and including `end`; 0 when `end` is not later."""
    _check_nation(nation)
    if end <= start:
        return 0
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(days=offset), nation)
    )
