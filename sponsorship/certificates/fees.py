"""What assigning a certificate costs: the certificate fee and, where it applies, the
Immigration Skills Charge, from the dated rule tables (DOMAIN.md "Certificate of
Sponsorship")."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from sponsorship.core.rules import Rule, rule_value
from sponsorship.licences.models import ROUTE_GROUPS, Route, RouteGroup, SponsorSize

from .models import SkillsCharge

# The routes whose certificates carry the Immigration Skills Charge.
SKILLS_CHARGE_ROUTES = frozenset({Route.SKILLED_WORKER, Route.GBM_SENIOR_SPECIALIST})

_FEE_RULE = {
    RouteGroup.WORKER: Rule.COS_FEE_WORKER_PENCE,
    RouteGroup.TEMPORARY_WORKER: Rule.COS_FEE_TEMPORARY_WORKER_PENCE,
}


@dataclass(frozen=True)
class Charges:
    fee_pence: int
    skills_charge_pence: int
    # How the skills charge was worked out, in words (empty when none is due).
    skills_charge_workings: str

    @property
    def total_pence(self) -> int:
        return self.fee_pence + self.skills_charge_pence


def pounds(pence: int) -> str:
    return f"£{pence / 100:,.2f}".removesuffix(".00")


def half_years_covered(start: date, end: date) -> int:
    """How many 6-month periods (or parts of one) the employment from `start` to `end`
    (inclusive) spans."""
    periods = 1
    while start + relativedelta(months=6 * periods) <= end:
        periods += 1
    return periods


def skills_charge_pence(
    *, route: str, exemption: str, size: str, start: date | None, end: date | None, on: date
) -> tuple[int, str]:
    """The Immigration Skills Charge for a certificate assigned on `on`: the first 12 months
    at the yearly rate, then each further 6 months or part at the half-year rate."""
    if route not in SKILLS_CHARGE_ROUTES:
        return 0, ""
    if not exemption:
        return 0, ""
    if exemption != SkillsCharge.LIABLE:
        label = SkillsCharge(exemption).label
        return 0, f"No Immigration Skills Charge: {label[0].lower()}{label[1:]}."
    if start is None or end is None or end < start:
        return 0, ""
    small = size == SponsorSize.SMALL_OR_CHARITABLE
    year = rule_value(
        Rule.SKILLS_CHARGE_FIRST_YEAR_SMALL_PENCE
        if small
        else Rule.SKILLS_CHARGE_FIRST_YEAR_LARGE_PENCE,
        on,
    )
    half = rule_value(
        Rule.SKILLS_CHARGE_HALF_YEAR_SMALL_PENCE
        if small
        else Rule.SKILLS_CHARGE_HALF_YEAR_LARGE_PENCE,
        on,
    )
    further = max(half_years_covered(start, end) - 2, 0)
    total = year + further * half
    who = "a small or charitable sponsor" if small else "a large sponsor"
    workings = f"{pounds(year)} for the first 12 months"
    if further:
        workings += f" and {pounds(half)} for each of {further} further 6 months or part"
    return total, f"{workings}, as {who}."


def certificate_charges(
    *, route: str, exemption: str, size: str, start: date | None, end: date | None, on: date
) -> Charges:
    # Student route certificates (CAS) carry no fee.
    fee_rule = _FEE_RULE.get(ROUTE_GROUPS[route])
    fee = rule_value(fee_rule, on) if fee_rule else 0
    charge, workings = skills_charge_pence(
        route=route, exemption=exemption, size=size, start=start, end=end, on=on
    )
    return Charges(fee_pence=fee, skills_charge_pence=charge, skills_charge_workings=workings)
