"""Dated rule tables: every figure that changes over time, resolved as at a date.

DOMAIN.md: fees, deadlines and thresholds are data with an effective date, never literals in
code. Add a new row with its start date and source when a rule changes; old rows stay, so
anything dated before the change is still judged by the rule of its day.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Rule(StrEnum):
    ACTION_PLAN_FEE_PENCE = "action_plan_fee_pence"
    ACTION_PLAN_PAYMENT_WORKING_DAYS = "action_plan_payment_working_days"
    ORGANISATION_CHANGE_WORKING_DAYS = "organisation_change_working_days"
    SUSPENSION_RESPONSE_WORKING_DAYS = "suspension_response_working_days"
    SKILLED_WORKER_GENERAL_THRESHOLD = "skilled_worker_general_threshold"
    SKILLED_WORKER_PHD_THRESHOLD = "skilled_worker_phd_threshold"
    SKILLED_WORKER_REDUCED_THRESHOLD = "skilled_worker_reduced_threshold"


@dataclass(frozen=True)
class RuleRow:
    effective_from: date
    value: int
    source: str


RULES: dict[Rule, tuple[RuleRow, ...]] = {
    Rule.ACTION_PLAN_FEE_PENCE: (
        RuleRow(date(2015, 4, 6), 147_600, "Home Office sponsor fees, April 2015: £1,476"),
        RuleRow(date(2025, 4, 9), 157_900, "Home Office sponsor fees, 9 April 2025: £1,579"),
    ),
    Rule.ACTION_PLAN_PAYMENT_WORKING_DAYS: (
        RuleRow(date(2015, 4, 6), 10, "Sponsor guidance Part 3: pay within 10 working days"),
    ),
    Rule.ORGANISATION_CHANGE_WORKING_DAYS: (
        RuleRow(date(2015, 4, 6), 20, "Sponsor guidance Part 3: report within 20 working days"),
    ),
    # Appendix Skilled Worker from 22 July 2025 (the going-rate tables in certificates/data are
    # of the same edition; earlier rules are not loaded).
    Rule.SKILLED_WORKER_GENERAL_THRESHOLD: (
        RuleRow(date(2025, 7, 22), 41_700, "Appendix Skilled Worker, 22 July 2025: option A"),
    ),
    Rule.SKILLED_WORKER_PHD_THRESHOLD: (
        RuleRow(date(2025, 7, 22), 37_500, "Appendix Skilled Worker, 22 July 2025: option B"),
    ),
    Rule.SKILLED_WORKER_REDUCED_THRESHOLD: (
        RuleRow(
            date(2025, 7, 22),
            33_400,
            "Appendix Skilled Worker, 22 July 2025: options C, D and E",
        ),
    ),
    Rule.SUSPENSION_RESPONSE_WORKING_DAYS: (
        RuleRow(date(2015, 4, 6), 20, "Sponsor guidance Part 4: 20 working days to respond"),
    ),
}


def rule_value(rule: Rule, on: date) -> int:
    """The value of `rule` in force on `on`; raises LookupError before the first row."""
    in_force = [row for row in RULES[rule] if row.effective_from <= on]
    if not in_force:
        raise LookupError(f"No {rule} rule was in force on {on.day} {on:%B %Y}.")
    return max(in_force, key=lambda row: row.effective_from).value
