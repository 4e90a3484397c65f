"""Dated rule tables: each value is resolved as at a date, never read as a literal."""

from datetime import date

import pytest

from sponsorship.core.rules import RULES, Rule, rule_value


@pytest.mark.parametrize(
    ("on", "pence"),
    [
        (date(2015, 4, 6), 147_600),  # the first row's own day
        (date(2020, 1, 1), 147_600),
        (date(2025, 4, 8), 147_600),  # the day before the rise
        (date(2025, 4, 9), 157_900),  # the rise takes effect on 9 April 2025
        (date(2025, 4, 10), 157_900),
        (date(2026, 11, 16), 157_900),
    ],
    ids=str,
)
def test_action_plan_fee_as_at_a_date(on, pence):
    assert rule_value(Rule.ACTION_PLAN_FEE_PENCE, on) == pence


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        (Rule.ACTION_PLAN_PAYMENT_WORKING_DAYS, 10),
        (Rule.ORGANISATION_CHANGE_WORKING_DAYS, 20),
        (Rule.SUSPENSION_RESPONSE_WORKING_DAYS, 20),
    ],
)
def test_deadlines_in_force_today(rule, value):
    assert rule_value(rule, date(2026, 11, 16)) == value


@pytest.mark.parametrize("rule", list(Rule))
def test_before_the_first_row_there_is_no_rule(rule):
    first = min(row.effective_from for row in RULES[rule])
    with pytest.raises(LookupError, match=r"No .* rule was in force on 0?5 April 2015"):
        rule_value(rule, date(2015, 4, 5))
    assert rule_value(rule, first) == RULES[rule][0].value


@pytest.mark.parametrize("rule", list(Rule))
def test_every_rule_has_dated_rows_with_a_source(rule):
    rows = RULES[rule]
    assert rows
    assert all(row.source.strip() for row in rows)
    starts = [row.effective_from for row in rows]
    assert len(set(starts)) == len(starts), "two rows may not start on the same day"


def test_the_latest_row_in_force_wins_whatever_the_order_of_rows(monkeypatch):
    from sponsorship.core import rules

    reversed_rows = tuple(reversed(RULES[Rule.ACTION_PLAN_FEE_PENCE]))
    monkeypatch.setitem(rules.RULES, Rule.ACTION_PLAN_FEE_PENCE, reversed_rows)
    assert rule_value(Rule.ACTION_PLAN_FEE_PENCE, date(2025, 4, 8)) == 147_600
    assert rule_value(Rule.ACTION_PLAN_FEE_PENCE, date(2025, 4, 9)) == 157_900
