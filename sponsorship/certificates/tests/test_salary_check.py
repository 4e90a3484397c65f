"""The Skilled Worker salary check against worked examples computed by hand from the published
tables (Appendix Skilled Occupations Table 1, 25 November 2025 edition; thresholds of
Appendix Skilled Worker from 22 July 2025)."""

from datetime import date
from decimal import Decimal

import pytest

from sponsorship.certificates.going_rates import immigration_salary_list, occupations
from sponsorship.certificates.salary import salary_check

ON = date(2026, 1, 12)


def check(soc: str, salary: str, hours: str = "37.5", option: str = "A", on: date = ON):
    return salary_check(
        soc_code=soc,
        annual_salary=Decimal(salary),
        weekly_hours=Decimal(hours),
        option=option,
        on=on,
    )


def test_the_tables_read_as_published():
    table = occupations(ON)
    assert table["1121"].going_rate == 55_000
    assert table["1121"].rate_70 == 38_500
    assert table["2124"].title == "Electronics engineers"
    assert (table["2124"].rate_90, table["2124"].rate_80) == (46_800, 41_600)
    assert table["1241"].rate_90 is None  # "Not applicable"
    assert not table["1241"].phd_eligible
    assert "1232" in immigration_salary_list(ON)


def test_general_threshold_pass_at_the_going_rate():
    # 2124 Electronics engineers: going rate £52,000 at 37.5 hours, above £41,700.
    verdict = check("2124", "52000")
    assert verdict.passes
    assert verdict.required == Decimal("52000.00")
    assert verdict.message == (
        "The salary of £52,000 meets the general salary requirement (option A): the going rate "
        "for 2124 Electronics engineers at 37.5 hours a week is £52,000 and the general "
        "threshold is £41,700."
    )


def test_general_fail_below_the_going_rate():
    verdict = check("2124", "50000")
    assert not verdict.passes
    assert verdict.message == (
        "The salary of £50,000 is below the going rate of £52,000 for 2124 Electronics "
        "engineers at 37.5 hours a week, under the general salary requirement (option A). It "
        "needs to be at least £52,000."
    )


def test_general_fail_below_the_threshold_though_above_the_going_rate():
    # 2111 Chemical scientists: going rate £39,900, so the £41,700 threshold is what binds.
    verdict = check("2111", "40000")
    assert not verdict.passes
    assert "below the general threshold of £41,700" in verdict.message
    assert "going rate" not in verdict.message.split(",")[0]
    assert verdict.required == Decimal(41_700)


def test_new_entrant_needs_70_percent_of_the_going_rate():
    # 70% of £52,000 is £36,400, above the new-entrant threshold of £33,400.
    assert check("2124", "36400", option="E").passes
    verdict = check("2124", "36000", option="E")
    assert not verdict.passes
    assert "below the going rate of £36,400" in verdict.message
    assert "a new entrant (option E)" in verdict.message


def test_a_part_time_worker_has_the_going_rate_pro_rated_but_not_the_threshold():
    # 1121 at 30 hours: £55,000 x 30 / 37.5 = £44,000; the threshold stays £41,700.
    assert check("1121", "44000", hours="30").passes
    verdict = check("1121", "43999", hours="30")
    assert not verdict.passes
    assert (
        "below the going rate of £44,000 for 1121 Production managers and directors in "
        "manufacturing at 30 hours a week" in verdict.message
    )
    # 2111 at 30 hours: going rate £31,920, but the salary must still reach £41,700.
    low = check("2111", "35000", hours="30")
    assert not low.passes
    assert low.going_rate == Decimal("31920.00")
    assert low.required == Decimal(41_700)


def test_a_50_hour_week_raises_the_going_rate_pro_rata():
    # 2124 at 50 hours: £52,000 x 50 / 37.5 = £69,333.33.
    assert check("2124", "69333.33", hours="50").passes
    verdict = check("2124", "69000", hours="50")
    assert not verdict.passes
    assert verdict.going_rate == Decimal("69333.33")
    assert "It needs to be at least £69,333.33." in verdict.message


def test_only_the_first_48_hours_count_toward_the_threshold():
    # At 60 hours the threshold needs £41,700 for the first 48 hours: £52,125 in all. The
    # going rate of 2111 at 60 hours (£63,840) is higher still, so it binds.
    verdict = check("2111", "50000", hours="60")
    assert not verdict.passes
    assert "for the pay of the first 48 hours a week" in verdict.message
    assert verdict.required == Decimal("63840.00")


def test_phd_options_only_for_eligible_codes():
    assert check("2124", "46800", option="B").passes  # 90%: £46,800, threshold £37,500
    assert check("2124", "41600", option="C").passes  # 80%: £41,600, threshold £33,400
    verdict = check("1241", "60000", option="B")
    assert not verdict.passes
    assert (
        verdict.message
        == "1241 Managers in transport and distribution is not eligible for PhD points."
    )


def test_the_immigration_salary_list_option_needs_a_listed_code():
    verdict = check("2124", "60000", option="D")
    assert not verdict.passes
    assert verdict.message == "2124 Electronics engineers is not on the Immigration Salary List."


@pytest.mark.parametrize(
    ("soc", "on", "expected"),
    [
        ("9999", ON, "9999 is not an occupation code the Skilled Worker route accepts."),
        ("2124", date(2025, 7, 21), "The salary rules in force on 21 July 2025 are not loaded"),
    ],
)
def test_what_cannot_be_checked_is_said(soc, on, expected):
    verdict = check(soc, "60000", on=on)
    assert not verdict.passes
    assert verdict.message.startswith(expected)
