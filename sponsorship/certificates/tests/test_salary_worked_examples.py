"""Worked examples of the Skilled Worker salary check, each computed by hand from the shipped
going rates (Appendix Skilled Occupations Table 1, edition in force from 22 July 2025,
data/editions/2025-07-22/skilled_occupations_table_1.csv) and the thresholds of Appendix Skilled
Worker from 22 July 2025 (option A £41,700; B £37,500; C, D and E £33,400).

The rules these examples hold the check to (Appendix Skilled Worker):
- SW 4.4: the salary must equal or exceed both the option's threshold, a fixed figure per year,
  and the option's share of the going rate.
- SW 14.4 and Table 1's preamble: going rates (and their 70 / 80 / 90 % columns) are for a
  37.5-hour week and are pro-rated to the weekly hours stated, all of them even beyond 48.
- SW 14.3: beyond 48 hours a week, only the pay for the first 48 hours counts toward the
  threshold (salary x 48 / hours must reach it).

The rows used, as published (annual, for 37.5 hours):
  1111 Chief executives and senior officials     £88,100
  2112 Biological scientists                      £40,300  (on the Immigration Salary List)
  2119 Natural and social science professionals   £41,500  90 %: £37,300
  2134 Programmers and software development       £54,700  70 %: £38,300
  2136 IT quality and testing professionals       £41,200  70 %: £33,400
  2142 Graphic and multimedia designers           £33,400  (on the Immigration Salary List)
  2311 Higher education teaching professionals    £52,600  90 %: £47,300

The examples in test_salary_check.py (2124, 1121, 2111, 1241) are not repeated here.
"""

from datetime import date
from decimal import Decimal

import pytest

from sponsorship.certificates.going_rates import immigration_salary_list, occupations
from sponsorship.certificates.models import CosDetails, SalaryPeriod
from sponsorship.certificates.salary import salary_check

ON = date(2026, 11, 16)


def check(soc: str, salary: str, hours: str = "37.5", option: str = "A"):
    return salary_check(
        soc_code=soc,
        annual_salary=Decimal(salary),
        weekly_hours=Decimal(hours),
        option=option,
        on=ON,
    )


def test_the_rows_used_here_are_as_published():
    table = occupations(ON)
    assert [
        (code, table[code].going_rate, table[code].rate_90, table[code].rate_70)
        for code in ("1111", "2112", "2119", "2134", "2136", "2142", "2311")
    ] == [
        ("1111", 88_100, 79_300, 61_600),
        ("2112", 40_300, 36_300, 33_400),
        ("2119", 41_500, 37_300, 33_400),
        ("2134", 54_700, 49_200, 38_300),
        ("2136", 41_200, 37_100, 33_400),
        ("2142", 33_400, 33_400, 33_400),
        ("2311", 52_600, 47_300, 36_800),
    ]
    listed = immigration_salary_list(ON)
    assert "2112" in listed and "2142" in listed
    assert "2134" not in listed


# Option A: the general threshold and the going rate.


def test_general_pass_when_the_threshold_is_what_binds():
    # 2136 going rate £41,200 < threshold £41,700, so £41,700 is needed; exactly that passes.
    verdict = check("2136", "41700")
    assert verdict.passes
    assert (verdict.going_rate, verdict.threshold, verdict.required) == (
        Decimal("41200.00"),
        Decimal(41_700),
        Decimal(41_700),
    )
    assert verdict.message == (
        "The salary of £41,700 meets the general salary requirement (option A): the going rate "
        "for 2136 IT quality and testing professionals at 37.5 hours a week is £41,200 and the "
        "general threshold is £41,700."
    )


def test_general_fail_by_a_penny_below_the_threshold():
    # £41,699.99 is above 2136's going rate (£41,200) but 1p short of £41,700.
    verdict = check("2136", "41699.99")
    assert not verdict.passes
    assert verdict.message == (
        "The salary of £41,699.99 is below the general threshold of £41,700, under the general "
        "salary requirement (option A). It needs to be at least £41,700."
    )


def test_general_fail_below_both_names_both():
    # 2134: £40,000 < going rate £54,700 and < threshold £41,700; the higher, £54,700, is needed.
    verdict = check("2134", "40000")
    assert not verdict.passes
    assert verdict.required == Decimal("54700.00")
    assert verdict.message == (
        "The salary of £40,000 is below the going rate of £54,700 for 2134 Programmers and "
        "software development professionals at 37.5 hours a week and below the general "
        "threshold of £41,700, under the general salary requirement (option A). It needs to be "
        "at least £54,700."
    )


# Option E: a new entrant, 70 % of the going rate and £33,400.


def test_new_entrant_at_the_70_percent_column():
    # 2134's 70 % column is £38,300 (the table's figure: £54,700 x 0.7 = £38,290, published
    # rounded to £38,300). £38,300 passes; £38,299 is £1 short.
    assert check("2134", "38300", option="E").passes
    verdict = check("2134", "38299", option="E")
    assert not verdict.passes
    assert verdict.required == Decimal("38300.00")
    assert verdict.message == (
        "The salary of £38,299 is below the going rate of £38,300 for 2134 Programmers and "
        "software development professionals at 37.5 hours a week, under the requirement for a new "
        "entrant (option E). It needs to be at least £38,300."
    )


def test_new_entrant_where_the_floor_and_the_threshold_meet():
    # 2136: 70 % of £41,200 is £28,840, below the £17.13-an-hour floor, so the table gives
    # £33,400, the same as the option E threshold. £33,400 passes; £33,399 fails both.
    assert check("2136", "33400", option="E").passes
    verdict = check("2136", "33399", option="E")
    assert not verdict.passes
    assert "below the going rate of £33,400" in verdict.message
    assert "below the general threshold of £33,400" in verdict.message


def test_a_new_entrant_is_not_held_to_the_general_threshold():
    # £38,300 is below option A's £41,700 and 2134's full going rate, yet meets option E.
    assert not check("2134", "38300", option="A").passes
    assert check("2134", "38300", option="E").passes


# Part time: the going rate is pro-rated, the threshold is not.


def test_part_time_20_hours_the_threshold_is_not_pro_rated():
    # 2134 at 20 hours: going rate £54,700 x 20 / 37.5 = £29,173.33. The threshold stays
    # £41,700 a year, so £41,700 is needed and £35,000 (above the pro-rated going rate) fails.
    verdict = check("2134", "35000", hours="20")
    assert not verdict.passes
    assert verdict.going_rate == Decimal("29173.33")
    assert verdict.required == Decimal(41_700)
    assert verdict.message == (
        "The salary of £35,000 is below the general threshold of £41,700, under the general "
        "salary requirement (option A). It needs to be at least £41,700."
    )
    passing = check("2134", "41700", hours="20")
    assert passing.passes
    assert passing.message == (
        "The salary of £41,700 meets the general salary requirement (option A): the going rate "
        "for 2134 Programmers and software development professionals at 20 hours a week is "
        "£29,173.33 and the general threshold is £41,700."
    )


def test_part_time_20_hours_where_the_pro_rated_going_rate_binds():
    # 1111 at 20 hours: £88,100 x 20 / 37.5 = £46,986.67 (above £41,700), so that is needed.
    assert check("1111", "46986.67", hours="20").passes
    verdict = check("1111", "46986", hours="20")
    assert not verdict.passes
    assert verdict.required == Decimal("46986.67")
    assert verdict.message == (
        "The salary of £46,986 is below the going rate of £46,986.67 for 1111 Chief executives "
        "and senior officials at 20 hours a week, under the general salary requirement (option "
        "A). It needs to be at least £46,986.67."
    )


def test_part_time_new_entrant_pro_rates_the_70_percent_column():
    # 2134 at 20 hours, option E: £38,300 x 20 / 37.5 = £20,426.67, below the £33,400
    # threshold, which therefore binds.
    verdict = check("2134", "33399", hours="20", option="E")
    assert not verdict.passes
    assert verdict.going_rate == Decimal("20426.67")
    assert verdict.required == Decimal(33_400)
    assert check("2134", "33400", hours="20", option="E").passes


# Long hours: the going rate covers every hour, the threshold only the first 48.


def test_a_50_hour_week():
    # 2134 at 50 hours: going rate £54,700 x 50 / 37.5 = £72,933.33 (every hour counts).
    # Threshold: salary x 48 / 50 must reach £41,700, i.e. salary >= £41,700 x 50 / 48
    # = £43,437.50.
    assert check("2134", "72933.33", hours="50").passes

    at_threshold = check("2134", "43437.50", hours="50")
    assert not at_threshold.passes  # short of the going rate only
    assert "general threshold" not in at_threshold.message
    assert at_threshold.message == (
        "The salary of £43,437.50 is below the going rate of £72,933.33 for 2134 Programmers "
        "and software development professionals at 50 hours a week, under the general salary "
        "requirement (option A). It needs to be at least £72,933.33."
    )

    # A penny less and the first 48 hours' pay (£43,437.49 x 48 / 50 = £41,699.99) falls short
    # of the threshold too.
    below = check("2134", "43437.49", hours="50")
    assert not below.passes
    assert below.message == (
        "The salary of £43,437.49 is below the going rate of £72,933.33 for 2134 Programmers "
        "and software development professionals at 50 hours a week and below the general "
        "threshold of £41,700 for the pay of the first 48 hours a week, under the general "
        "salary requirement (option A). It needs to be at least £72,933.33."
    )


def test_the_appendix_example_of_60_hours_at_15_pounds_an_hour():
    # SW 14.3: 60 hours a week at £15 an hour is £46,800 a year (£15 x 60 x 52), of which only
    # £37,440 (£15 x 48 x 52) counts toward the £41,700 threshold.
    cos = CosDetails(
        salary_amount=Decimal(15), salary_period=SalaryPeriod.HOUR, weekly_hours=Decimal(60)
    )
    assert cos.annual_salary == Decimal(46_800)
    verdict = check("2134", str(cos.annual_salary), hours="60")
    assert not verdict.passes
    assert "below the general threshold of £41,700 for the pay of the first 48 hours a week" in (
        verdict.message
    )
    # The going rate at 60 hours: £54,700 x 60 / 37.5 = £87,520.
    assert verdict.going_rate == Decimal("87520.00")


def test_exactly_48_hours_counts_every_hour_toward_the_threshold():
    # 2136 at 48 hours: going rate £41,200 x 48 / 37.5 = £52,736, above £41,700; the threshold
    # is not raised at 48 hours, only beyond.
    verdict = check("2136", "52736", hours="48")
    assert verdict.passes
    assert verdict.required == Decimal("52736.00")


# Option B: a relevant PhD, 90 % of the going rate and £37,500.


def test_phd_where_the_threshold_binds():
    # 2119: 90 % is £37,300, below the £37,500 option B threshold: £37,500 is needed.
    assert check("2119", "37500", option="B").passes
    verdict = check("2119", "37499", option="B")
    assert not verdict.passes
    assert verdict.required == Decimal(37_500)
    assert verdict.message == (
        "The salary of £37,499 is below the general threshold of £37,500, under the "
        "requirement for a relevant PhD (option B). It needs to be at least £37,500."
    )


def test_phd_where_the_90_percent_column_binds():
    # 2311: 90 % of £52,600 is £47,340, published as £47,300, above £37,500.
    assert check("2311", "47300", option="B").passes
    verdict = check("2311", "47000", option="B")
    assert not verdict.passes
    assert verdict.required == Decimal("47300.00")
    assert "below the going rate of £47,300 for 2311 Higher education teaching professionals" in (
        verdict.message
    )
    # The same salary fails option A: £47,000 < £52,600.
    assert not check("2311", "47000", option="A").passes


# Option D: a job on the Immigration Salary List, the full going rate and £33,400.


def test_immigration_salary_list_pass_below_the_general_threshold():
    # 2112 is on the list: its going rate £40,300 and the £33,400 threshold; £40,300 passes.
    verdict = check("2112", "40300", option="D")
    assert verdict.passes
    assert verdict.required == Decimal("40300.00")
    # Under option A the same salary is £1,400 short of £41,700.
    general = check("2112", "40300", option="A")
    assert not general.passes
    assert general.required == Decimal(41_700)


def test_immigration_salary_list_fail_below_the_going_rate():
    # The list lowers the threshold, not the going rate: £40,299 < £40,300.
    verdict = check("2112", "40299", option="D")
    assert not verdict.passes
    assert verdict.message == (
        "The salary of £40,299 is below the going rate of £40,300 for 2112 Biological "
        "scientists at 37.5 hours a week, under the requirement for a job on the Immigration "
        "Salary List (option D). It needs to be at least £40,300."
    )


def test_immigration_salary_list_at_the_floor():
    # 2142: going rate £33,400 (the floor) equals the option D threshold.
    assert check("2142", "33400", option="D").passes
    assert not check("2142", "33399.99", option="D").passes


@pytest.mark.parametrize(
    ("soc", "salary", "option"),
    [("2134", "38300", "E"), ("2311", "47300", "B"), ("2112", "40300", "D")],
)
def test_a_passing_message_names_the_requirement_met(soc, salary, option):
    verdict = check(soc, salary, option=option)
    assert verdict.passes
    for wrong in ("meets a new entrant", "meets a relevant", "meets a job"):
        assert wrong not in verdict.message
