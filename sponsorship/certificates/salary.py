"""The Skilled Worker salary check: a plain-English warning before assignment, not a legal
decision (DOMAIN.md "Skilled Worker salary check").

The salary must reach both the option's general threshold and its share of the occupation's
going rate. Going rates assume 37.5 hours a week and are pro-rated to the hours worked; only
the pay for the first 48 hours a week counts toward the general threshold.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sponsorship.core.rules import Rule, rule_value

from .going_rates import Occupation, immigration_salary_list, occupations
from .models.certificates import SalaryOption

STANDARD_HOURS = Decimal("37.5")
THRESHOLD_HOURS = Decimal(48)


OPTION_NAMES = {
    SalaryOption.GENERAL: "the general salary requirement (option A)",
    SalaryOption.PHD: "the requirement for a relevant PhD (option B)",
    SalaryOption.STEM_PHD: "the requirement for a relevant STEM PhD (option C)",
    SalaryOption.IMMIGRATION_SALARY_LIST: (
        "the requirement for a job on the Immigration Salary List (option D)"
    ),
    SalaryOption.NEW_ENTRANT: "the requirement for a new entrant (option E)",
}
# Each option's general threshold (a dated rule) and its column of the going-rate table.
OPTION_THRESHOLD = {
    SalaryOption.GENERAL: Rule.SKILLED_WORKER_GENERAL_THRESHOLD,
    SalaryOption.PHD: Rule.SKILLED_WORKER_PHD_THRESHOLD,
    SalaryOption.STEM_PHD: Rule.SKILLED_WORKER_REDUCED_THRESHOLD,
    SalaryOption.IMMIGRATION_SALARY_LIST: Rule.SKILLED_WORKER_REDUCED_THRESHOLD,
    SalaryOption.NEW_ENTRANT: Rule.SKILLED_WORKER_REDUCED_THRESHOLD,
}


def _share(occupation: Occupation, option: SalaryOption) -> int | None:
    return {
        SalaryOption.GENERAL: occupation.going_rate,
        SalaryOption.IMMIGRATION_SALARY_LIST: occupation.going_rate,
        SalaryOption.PHD: occupation.rate_90,
        SalaryOption.STEM_PHD: occupation.rate_80,
        SalaryOption.NEW_ENTRANT: occupation.rate_70,
    }[option]


def _pounds(amount: Decimal) -> str:
    rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"£{rounded:,.2f}"
    return text.removesuffix(".00")


@dataclass(frozen=True)
class SalaryVerdict:
    """The outcome with its workings: what was required, and why."""

    passes: bool
    message: str
    required: Decimal | None = None
    going_rate: Decimal | None = None
    threshold: Decimal | None = None


def _going_rates_not_loaded(option: SalaryOption, on: date) -> str:
    when = f"{on.day} {on:%B %Y}"
    try:
        rule_value(OPTION_THRESHOLD[option], on)
    except LookupError:
        return (
            f"The salary rules in force on {when} are not loaded (neither the going rates nor "
            "the thresholds), so the salary cannot be checked here."
        )
    return (
        f"The going rates in force on {when} are not loaded, so the salary cannot be checked here."
    )


def salary_check(
    *, soc_code: str, annual_salary: Decimal, weekly_hours: Decimal, option: str, on: date
) -> SalaryVerdict:
    """Whether the salary meets the option's threshold and going rate, in words."""
    chosen = SalaryOption(option)
    try:
        table, salary_list = occupations(on), immigration_salary_list(on)
    except LookupError:
        return SalaryVerdict(False, _going_rates_not_loaded(chosen, on))
    occupation = table.get(soc_code)
    if occupation is None:
        return SalaryVerdict(
            False,
            f"{soc_code} is not an occupation code the Skilled Worker route accepts. Check the "
            "SOC 2020 code.",
        )
    if weekly_hours <= 0:
        return SalaryVerdict(False, "Enter the weekly working hours to check the salary.")
    name = OPTION_NAMES[chosen]
    if chosen in (SalaryOption.PHD, SalaryOption.STEM_PHD) and not occupation.phd_eligible:
        return SalaryVerdict(False, f"{occupation.label} is not eligible for PhD points.")
    if chosen == SalaryOption.IMMIGRATION_SALARY_LIST and soc_code not in salary_list:
        return SalaryVerdict(False, f"{occupation.label} is not on the Immigration Salary List.")
    share = _share(occupation, chosen)
    if share is None:
        return SalaryVerdict(False, f"{occupation.label} cannot be sponsored under {name}.")
    try:
        threshold = Decimal(rule_value(OPTION_THRESHOLD[chosen], on))
    except LookupError:
        return SalaryVerdict(
            False,
            f"The salary rules in force on {on.day} {on:%B %Y} are not loaded, so the salary "
            "cannot be checked here.",
        )
    going_rate = (Decimal(share) * weekly_hours / STANDARD_HOURS).quantize(Decimal("0.01"))
    # Pay beyond 48 hours a week does not count toward the threshold, so more is needed.
    over_48 = weekly_hours > THRESHOLD_HOURS
    threshold_salary = threshold * weekly_hours / THRESHOLD_HOURS if over_48 else threshold
    required = max(going_rate, threshold_salary)
    hours = f"{weekly_hours.normalize():f} hours a week"
    shortfalls = []
    if annual_salary < going_rate:
        shortfalls.append(
            f"below the going rate of {_pounds(going_rate)} for {occupation.label} at {hours}"
        )
    if annual_salary < threshold_salary:
        shortfalls.append(
            f"below the general threshold of {_pounds(threshold)}"
            + (" for the pay of the first 48 hours a week" if over_48 else "")
        )
    if shortfalls:
        return SalaryVerdict(
            False,
            f"The salary of {_pounds(annual_salary)} is {' and '.join(shortfalls)}, under "
            f"{name}. It needs to be at least {_pounds(required)}.",
            required=required,
            going_rate=going_rate,
            threshold=threshold,
        )
    return SalaryVerdict(
        True,
        f"The salary of {_pounds(annual_salary)} meets {name}: the going rate for "
        f"{occupation.label} at {hours} is {_pounds(going_rate)} and the general threshold is "
        f"{_pounds(threshold)}.",
        required=required,
        going_rate=going_rate,
        threshold=threshold,
    )
