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
    COS_FEE_WORKER_PENCE = "cos_fee_worker_pence"
    COS_FEE_TEMPORARY_WORKER_PENCE = "cos_fee_temporary_worker_pence"
    SKILLS_CHARGE_FIRST_YEAR_LARGE_PENCE = "skills_charge_first_year_large_pence"
    SKILLS_CHARGE_HALF_YEAR_LARGE_PENCE = "skills_charge_half_year_large_pence"
    SKILLS_CHARGE_FIRST_YEAR_SMALL_PENCE = "skills_charge_first_year_small_pence"
    SKILLS_CHARGE_HALF_YEAR_SMALL_PENCE = "skills_charge_half_year_small_pence"
    CERTIFICATE_VALIDITY_MONTHS = "certificate_validity_months"
    CERTIFICATE_MAX_MONTHS_BEFORE_START = "certificate_max_months_before_start"
    DEFINED_COS_GRANT_VALID_MONTHS = "defined_cos_grant_valid_months"
    WORKER_REPORT_WORKING_DAYS = "worker_report_working_days"
    DID_NOT_START_DAYS = "did_not_start_days"
    ABSENCE_REPORTABLE_WORKING_DAYS = "absence_reportable_working_days"
    UNPAID_LEAVE_LIMIT_DAYS = "unpaid_leave_limit_days"
    RECORD_RETENTION_MONTHS = "record_retention_months"
    CAS_VALIDITY_MONTHS = "cas_validity_months"
    CAS_MAX_MONTHS_BEFORE_COURSE_START = "cas_max_months_before_course_start"
    STUDENT_REPORT_WORKING_DAYS = "student_report_working_days"


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
    # Appendix Skilled Worker from 22 July 2025 (the going-rate edition of the same date is in
    # certificates/data/editions; earlier rules are not loaded).
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
    # The fee for assigning a certificate, by route group.
    Rule.COS_FEE_WORKER_PENCE: (
        RuleRow(date(2023, 10, 4), 23_900, "Home Office fees, 4 October 2023: £239"),
        RuleRow(date(2025, 4, 9), 52_500, "Home Office fees, 9 April 2025: £525"),
    ),
    Rule.COS_FEE_TEMPORARY_WORKER_PENCE: (
        RuleRow(date(2023, 10, 4), 2_500, "Home Office fees, 4 October 2023: £25"),
        RuleRow(date(2025, 4, 9), 5_500, "Home Office fees, 9 April 2025: £55"),
    ),
    # Immigration Skills Charge: the first 12 months, then each further 6 months or part.
    Rule.SKILLS_CHARGE_FIRST_YEAR_LARGE_PENCE: (
        RuleRow(date(2017, 4, 6), 100_000, "Immigration Skills Charge Regulations 2017: £1,000"),
        RuleRow(date(2025, 12, 16), 132_000, "Immigration Skills Charge, 16 December 2025: £1,320"),
    ),
    Rule.SKILLS_CHARGE_HALF_YEAR_LARGE_PENCE: (
        RuleRow(date(2017, 4, 6), 50_000, "Immigration Skills Charge Regulations 2017: £500"),
        RuleRow(date(2025, 12, 16), 66_000, "Immigration Skills Charge, 16 December 2025: £660"),
    ),
    Rule.SKILLS_CHARGE_FIRST_YEAR_SMALL_PENCE: (
        RuleRow(date(2017, 4, 6), 36_400, "Immigration Skills Charge Regulations 2017: £364"),
        RuleRow(date(2025, 12, 16), 48_000, "Immigration Skills Charge, 16 December 2025: £480"),
    ),
    Rule.SKILLS_CHARGE_HALF_YEAR_SMALL_PENCE: (
        RuleRow(date(2017, 4, 6), 18_200, "Immigration Skills Charge Regulations 2017: £182"),
        RuleRow(date(2025, 12, 16), 24_000, "Immigration Skills Charge, 16 December 2025: £240"),
    ),
    # A certificate must be used within 3 months of assignment.
    Rule.CERTIFICATE_VALIDITY_MONTHS: (
        RuleRow(date(2015, 4, 6), 3, "Sponsor guidance Part 2: valid for 3 months"),
    ),
    # It may not be assigned more than 3 months before the job starts.
    Rule.CERTIFICATE_MAX_MONTHS_BEFORE_START: (
        RuleRow(date(2015, 4, 6), 3, "Sponsor guidance Part 2: no more than 3 months before"),
    ),
    # A granted defined certificate must be assigned within 3 months of the grant.
    Rule.DEFINED_COS_GRANT_VALID_MONTHS: (
        RuleRow(date(2015, 4, 6), 3, "Sponsor guidance Part 2: assign within 3 months"),
    ),
    Rule.SUSPENSION_RESPONSE_WORKING_DAYS: (
        RuleRow(date(2015, 4, 6), 20, "Sponsor guidance Part 4: 20 working days to respond"),
    ),
    # DOMAIN.md "Reporting duties": worker events are reported within 10 working days.
    Rule.WORKER_REPORT_WORKING_DAYS: (
        RuleRow(date(2015, 4, 6), 10, "Sponsor guidance Part 3: report within 10 working days"),
    ),
    # A worker who has not started 28 days after the latest start trigger is reportable.
    Rule.DID_NOT_START_DAYS: (
        RuleRow(date(2015, 4, 6), 28, "Sponsor guidance Part 3: does not start within 28 days"),
    ),
    # Unauthorised absence is reportable once it runs past this many consecutive working days;
    # the reporting clock starts on the last of them.
    Rule.ABSENCE_REPORTABLE_WORKING_DAYS: (
        RuleRow(date(2015, 4, 6), 10, "Sponsor guidance Part 3: more than 10 working days"),
    ),
    # Unpaid or reduced-pay leave over 4 weeks in a calendar year, in calendar days.
    Rule.UNPAID_LEAVE_LIMIT_DAYS: (
        RuleRow(date(2015, 4, 6), 28, "Sponsor guidance Part 3: more than 4 weeks a year"),
    ),
    # Records are kept for about a year after sponsorship ends (Appendix D).
    Rule.RECORD_RETENTION_MONTHS: (
        RuleRow(date(2015, 4, 6), 12, "Sponsor guidance Appendix D: about one year"),
    ),
    # DOMAIN.md "Confirmation of Acceptance for Studies": a CAS must be issued no more than
    # 6 months before the visa application, so it is valid for 6 months.
    Rule.CAS_VALIDITY_MONTHS: (
        RuleRow(date(2015, 4, 6), 6, "Student sponsor guidance: a CAS is valid for 6 months"),
    ),
    # The application is made up to 6 months before the course starts; a CAS assigned earlier
    # than that would lapse before it could be used.
    Rule.CAS_MAX_MONTHS_BEFORE_COURSE_START: (
        RuleRow(date(2015, 4, 6), 6, "Student sponsor guidance: up to 6 months before"),
    ),
    # Student events are reported within 10 working days.
    Rule.STUDENT_REPORT_WORKING_DAYS: (
        RuleRow(date(2015, 4, 6), 10, "Student sponsor guidance: within 10 working days"),
    ),
}


def rule_value(rule: Rule, on: date) -> int:
    """The value of `rule` in force on `on`; raises LookupError before the first row."""
    in_force = [row for row in RULES[rule] if row.effective_from <= on]
    if not in_force:
        raise LookupError(f"No {rule} rule was in force on {on.day} {on:%B %Y}.")
    return max(in_force, key=lambda row: row.effective_from).value
