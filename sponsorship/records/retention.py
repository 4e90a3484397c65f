"""How long a sponsored worker's records must be kept: a pure rule, table-tested.

DOMAIN.md "Record keeping": about a year after sponsorship ends. Sources disagree whether that
counts from the end of sponsorship or the end of the worker's permission, taking the later or
the earlier of the two; `settings.RECORD_RETENTION_BASIS` says which this deployment follows,
and `Rule.RECORD_RETENTION_MONTHS` how long."""

from datetime import date

from dateutil.relativedelta import relativedelta

from sponsorship.core.rules import RULES, Rule, rule_value

LATER = "later"
EARLIER = "earlier"
BASES = (LATER, EARLIER)


def keep_until(
    *, ended_on: date | None, permission_expires_on: date | None, months: int, basis: str
) -> date | None:
    """The last day the records must be kept, or None while sponsorship has not ended (keep
    them). Each known date plus `months` is a candidate; `basis` picks the later or the
    earlier; a date not known leaves the other. Raises ValueError for an unknown basis."""
    if basis not in BASES:
        raise ValueError(f"RECORD_RETENTION_BASIS must be one of {BASES}, not {basis!r}")
    if ended_on is None:
        return None
    candidates = [
        day + relativedelta(months=months)
        for day in (ended_on, permission_expires_on)
        if day is not None
    ]
    return max(candidates) if basis == LATER else min(candidates)


def retention_months(ended_on: date) -> int:
    """The rule in force when sponsorship ended decides how long to keep the records (the
    first version of the rule for an end before it)."""
    try:
        return rule_value(Rule.RECORD_RETENTION_MONTHS, ended_on)
    except LookupError:
        return RULES[Rule.RECORD_RETENTION_MONTHS][0].value


def shortest_retention_months() -> int:
    """The shortest period any version of the rule has set: a bound for finding, in one query,
    every worker whose records may be due for deletion."""
    return min(row.value for row in RULES[Rule.RECORD_RETENTION_MONTHS])
