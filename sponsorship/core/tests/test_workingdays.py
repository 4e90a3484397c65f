"""Working days: Monday to Friday less the bank holidays of one part of the UK.

Every expected date below was written by hand from the published bank holidays of each nation
(gov.uk/bank-holidays, the Scottish and Northern Ireland lists), not read back from the code.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sponsorship.core.workingdays import (
    NATIONS,
    add_working_days,
    is_working_day,
    last_of_twelve_months,
    nth_working_day_from,
    working_days_before,
    working_days_between,
)

ENG, WLS, SCT, NIR = "ENG", "WLS", "SCT", "NIR"
EVERYWHERE = (ENG, WLS, SCT, NIR)
NOT_SCOTLAND = (ENG, WLS, NIR)

# (weekday, the nations where it is a bank holiday, what it is)
BANK_HOLIDAYS = [
    # Christmas: 2025 falls Thursday and Friday.
    (date(2025, 12, 25), EVERYWHERE, "Christmas Day 2025, a Thursday"),
    (date(2025, 12, 26), EVERYWHERE, "Boxing Day 2025, a Friday"),
    # 2026: Christmas is a Friday, Boxing Day a Saturday, so Monday 28 is its substitute.
    (date(2026, 12, 25), EVERYWHERE, "Christmas Day 2026, a Friday"),
    (date(2026, 12, 28), EVERYWHERE, "Boxing Day 2026 substitute, Monday 28"),
    # 2027: both fall on the weekend, so Monday 27 and Tuesday 28 are the substitutes.
    (date(2027, 12, 27), EVERYWHERE, "Christmas Day 2027 substitute, Monday 27"),
    (date(2027, 12, 28), EVERYWHERE, "Boxing Day 2027 substitute, Tuesday 28"),
    # New Year's Day, with its substitute when at a weekend.
    (date(2026, 1, 1), EVERYWHERE, "New Year's Day 2026"),
    (date(2027, 1, 1), EVERYWHERE, "New Year's Day 2027, a Friday"),
    (date(2028, 1, 3), EVERYWHERE, "New Year's Day 2028 (a Saturday) substitute"),
    # Easter: Good Friday everywhere, Easter Monday everywhere but Scotland.
    (date(2025, 4, 18), EVERYWHERE, "Good Friday 2025"),
    (date(2026, 4, 3), EVERYWHERE, "Good Friday 2026"),
    (date(2027, 3, 26), EVERYWHERE, "Good Friday 2027"),
    (date(2025, 4, 21), NOT_SCOTLAND, "Easter Monday 2025"),
    (date(2026, 4, 6), NOT_SCOTLAND, "Easter Monday 2026"),
    (date(2027, 3, 29), NOT_SCOTLAND, "Easter Monday 2027"),
    # May.
    (date(2026, 5, 4), EVERYWHERE, "Early May bank holiday 2026"),
    (date(2026, 5, 25), EVERYWHERE, "Spring bank holiday 2026"),
    # Summer: the first Monday of August in Scotland, the last elsewhere.
    (date(2026, 8, 3), (SCT,), "Summer bank holiday 2026, Scotland"),
    (date(2026, 8, 31), NOT_SCOTLAND, "Summer bank holiday 2026, England, Wales and NI"),
    # Scotland: 2 January, with a substitute when at a weekend.
    (date(2025, 1, 2), (SCT,), "2 January 2025, a Thursday"),
    (date(2026, 1, 2), (SCT,), "2 January 2026, a Friday"),
    (date(2027, 1, 4), (SCT,), "2 January 2027 (a Saturday) substitute, Monday 4"),
    (date(2028, 1, 4), (SCT,), "2 January 2028 (a Sunday) substitute, Tuesday 4"),
    # Scotland: St Andrew's Day, 30 November, with a substitute when at a weekend.
    (date(2026, 11, 30), (SCT,), "St Andrew's Day 2026, a Monday"),
    (date(2027, 11, 30), (SCT,), "St Andrew's Day 2027, a Tuesday"),
    (date(2025, 12, 1), (SCT,), "St Andrew's Day 2025 (a Sunday) substitute, Monday 1 December"),
    (date(2024, 12, 2), (SCT,), "St Andrew's Day 2024 (a Saturday) substitute, Monday 2 December"),
    # Northern Ireland: St Patrick's Day, 17 March.
    (date(2025, 3, 17), (NIR,), "St Patrick's Day 2025, a Monday"),
    (date(2026, 3, 17), (NIR,), "St Patrick's Day 2026, a Tuesday"),
    (date(2024, 3, 18), (NIR,), "St Patrick's Day 2024 (a Sunday) substitute, Monday 18"),
    # Northern Ireland: 12 July, the Battle of the Boyne.
    (date(2024, 7, 12), (NIR,), "12 July 2024, a Friday"),
    (date(2027, 7, 12), (NIR,), "12 July 2027, a Monday"),
    (date(2026, 7, 13), (NIR,), "12 July 2026 (a Sunday) substitute, Monday 13"),
    (date(2025, 7, 14), (NIR,), "12 July 2025 (a Saturday) substitute, Monday 14"),
]

# Weekdays next to those holidays that are ordinary working days everywhere.
ORDINARY_WEEKDAYS = [
    date(2025, 12, 24),
    date(2025, 12, 29),
    date(2026, 12, 24),
    date(2026, 12, 29),
    date(2027, 12, 24),
    date(2027, 12, 29),
    date(2026, 1, 5),
    date(2026, 4, 2),
    date(2026, 4, 7),
    date(2026, 3, 18),
    date(2026, 7, 14),
    date(2026, 12, 1),
    date(2026, 11, 27),
]


def test_the_table_lists_weekdays_only():
    """A holiday on a weekend is not a working day anyway: the table tests weekdays."""
    assert all(day.weekday() < 5 for day, _, _ in BANK_HOLIDAYS)


@pytest.mark.parametrize("nation", EVERYWHERE)
@pytest.mark.parametrize(
    ("day", "closed_in", "what"), BANK_HOLIDAYS, ids=[what for _, _, what in BANK_HOLIDAYS]
)
def test_bank_holidays_of_each_nation(day, closed_in, what, nation):
    assert is_working_day(day, nation) is (nation not in closed_in), what


@pytest.mark.parametrize("nation", EVERYWHERE)
@pytest.mark.parametrize("day", ORDINARY_WEEKDAYS, ids=str)
def test_weekdays_around_the_holidays_are_working_days(day, nation):
    assert is_working_day(day, nation)


@pytest.mark.parametrize("nation", EVERYWHERE)
@pytest.mark.parametrize(
    "day",
    [date(2026, 11, 14), date(2026, 11, 15), date(2026, 12, 26), date(2027, 12, 25)],
    ids=str,
)
def test_weekends_are_never_working_days(day, nation):
    assert not is_working_day(day, nation)


# (start, working days, nation, expected): counted by hand on a calendar.
ADDED = [
    # Day 1 is the first working day after the event; the event day never counts.
    (date(2026, 11, 16), 1, ENG, date(2026, 11, 17)),
    (date(2026, 11, 20), 1, ENG, date(2026, 11, 23)),  # Friday + 1: Monday
    (date(2026, 11, 21), 1, ENG, date(2026, 11, 23)),  # an event on a Saturday
    (date(2026, 11, 16), 0, ENG, date(2026, 11, 16)),
    (date(2026, 11, 14), 0, ENG, date(2026, 11, 14)),  # zero days: the start, even a Saturday
    (date(2026, 11, 16), 5, ENG, date(2026, 11, 23)),
    # Christmas.
    (date(2025, 12, 24), 1, ENG, date(2025, 12, 29)),
    (date(2026, 12, 24), 1, ENG, date(2026, 12, 29)),
    (date(2027, 12, 24), 1, ENG, date(2027, 12, 29)),
    (date(2026, 12, 24), 3, ENG, date(2026, 12, 31)),
    (date(2026, 12, 24), 4, ENG, date(2027, 1, 4)),  # New Year's Day is a Friday
    (date(2026, 12, 24), 4, SCT, date(2027, 1, 5)),  # ...and Scotland's 4 January substitute
    # Easter: Scotland works on Easter Monday.
    (date(2026, 4, 2), 1, ENG, date(2026, 4, 7)),
    (date(2026, 4, 2), 1, WLS, date(2026, 4, 7)),
    (date(2026, 4, 2), 1, NIR, date(2026, 4, 7)),
    (date(2026, 4, 2), 1, SCT, date(2026, 4, 6)),
    # St Andrew's Day.
    (date(2026, 11, 27), 1, ENG, date(2026, 11, 30)),
    (date(2026, 11, 27), 1, SCT, date(2026, 12, 1)),
    (date(2025, 11, 28), 1, SCT, date(2025, 12, 2)),  # the Monday substitute for a Sunday
    (date(2025, 11, 28), 1, ENG, date(2025, 12, 1)),
    # St Patrick's Day and 12 July.
    (date(2026, 3, 16), 1, NIR, date(2026, 3, 18)),
    (date(2026, 3, 16), 1, ENG, date(2026, 3, 17)),
    (date(2026, 7, 10), 1, NIR, date(2026, 7, 14)),
    (date(2026, 7, 10), 1, ENG, date(2026, 7, 13)),
    # The 20-working-day organisation change deadline across St Andrew's Day.
    (date(2026, 11, 16), 20, ENG, date(2026, 12, 14)),
    (date(2026, 11, 16), 20, SCT, date(2026, 12, 15)),
    # The 10-working-day action plan deadline across Christmas and New Year.
    (date(2025, 12, 18), 10, ENG, date(2026, 1, 6)),
    (date(2025, 12, 18), 10, SCT, date(2026, 1, 7)),
    # Across Easter 2025 (Good Friday 18, Easter Monday 21 April).
    (date(2025, 4, 8), 10, ENG, date(2025, 4, 24)),
    (date(2025, 4, 9), 10, ENG, date(2025, 4, 25)),
]


@pytest.mark.parametrize(("start", "days", "nation", "expected"), ADDED)
def test_add_working_days(start, days, nation, expected):
    assert add_working_days(start, days, nation) == expected


@pytest.mark.parametrize(("start", "days", "nation", "expected"), ADDED)
def test_working_days_between_counts_the_same_days_back(start, days, nation, expected):
    assert working_days_between(start, expected, nation) == days


# (start, end, nation, expected)
BETWEEN = [
    (date(2026, 11, 16), date(2026, 11, 16), ENG, 0),
    (date(2026, 11, 20), date(2026, 11, 16), ENG, 0),  # end before start
    (date(2026, 11, 20), date(2026, 11, 22), ENG, 0),  # only the weekend
    (date(2026, 11, 13), date(2026, 11, 20), ENG, 5),  # a whole week
    (date(2026, 12, 24), date(2027, 1, 4), ENG, 4),  # 29, 30, 31 December and 4 January
    (date(2026, 12, 24), date(2027, 1, 4), SCT, 3),  # 4 January is Scotland's substitute
    (date(2026, 12, 24), date(2027, 1, 4), NIR, 4),
    (date(2026, 11, 27), date(2026, 12, 1), ENG, 2),
    (date(2026, 11, 27), date(2026, 12, 1), SCT, 1),
]


@pytest.mark.parametrize(("start", "end", "nation", "expected"), BETWEEN)
def test_working_days_between(start, end, nation, expected):
    assert working_days_between(start, end, nation) == expected


def test_counting_backwards_is_refused():
    with pytest.raises(ValueError, match="forwards"):
        add_working_days(date(2026, 11, 16), -1, ENG)


@pytest.mark.parametrize("nation", ["GB", "eng", "", "XYZ", "England"])
def test_an_unknown_nation_is_refused(nation):
    with pytest.raises(ValueError, match="Unknown nation"):
        is_working_day(date(2026, 11, 16), nation)
    with pytest.raises(ValueError, match="Unknown nation"):
        add_working_days(date(2026, 11, 16), 1, nation)
    with pytest.raises(ValueError, match="Unknown nation"):
        working_days_between(date(2026, 11, 16), date(2026, 11, 20), nation)


def test_the_nations_are_the_four_parts_of_the_uk():
    assert set(NATIONS) == {ENG, WLS, SCT, NIR}


# (end, working days, nation, expected): counted back by hand on a calendar. `end` never counts.
BEFORE = [
    (date(2026, 11, 18), 1, ENG, date(2026, 11, 17)),
    (date(2026, 11, 16), 1, ENG, date(2026, 11, 13)),  # Monday - 1: the Friday before
    (date(2026, 11, 15), 1, ENG, date(2026, 11, 13)),  # from a Sunday
    (date(2026, 11, 16), 0, ENG, date(2026, 11, 16)),
    (date(2026, 11, 15), 0, ENG, date(2026, 11, 15)),  # zero days: the end, even a Sunday
    (date(2026, 11, 20), 5, ENG, date(2026, 11, 13)),
    # Christmas: Friday 25 and Monday 28 (Boxing Day's substitute) are skipped.
    (date(2026, 12, 29), 1, ENG, date(2026, 12, 24)),
    (date(2026, 12, 29), 1, NIR, date(2026, 12, 24)),
    # New Year: Friday 1 January 2027 everywhere, Monday 4 January in Scotland only.
    (date(2027, 1, 5), 1, ENG, date(2027, 1, 4)),
    (date(2027, 1, 5), 1, SCT, date(2026, 12, 31)),
    # Easter 2026: Scotland works on Easter Monday.
    (date(2026, 4, 7), 1, ENG, date(2026, 4, 2)),
    (date(2026, 4, 7), 1, WLS, date(2026, 4, 2)),
    (date(2026, 4, 7), 1, SCT, date(2026, 4, 6)),
    # St Andrew's Day, St Patrick's Day, 12 July's substitute.
    (date(2026, 12, 1), 1, SCT, date(2026, 11, 27)),
    (date(2026, 12, 1), 1, ENG, date(2026, 11, 30)),
    (date(2026, 3, 18), 1, NIR, date(2026, 3, 16)),
    (date(2026, 3, 18), 1, ENG, date(2026, 3, 17)),
    (date(2026, 7, 14), 1, NIR, date(2026, 7, 10)),
    (date(2026, 7, 14), 1, WLS, date(2026, 7, 13)),
    # A reminder 10 working days before a deadline, across St Andrew's Day.
    (date(2026, 12, 14), 10, ENG, date(2026, 11, 30)),
    (date(2026, 12, 14), 10, SCT, date(2026, 11, 27)),
]


@pytest.mark.parametrize(("end", "days", "nation", "expected"), BEFORE)
def test_working_days_before(end, days, nation, expected):
    assert working_days_before(end, days, nation) == expected


# (first day, n, nation, expected): the first day is day 1 when it is a working day.
NTH = [
    (date(2026, 11, 16), 1, ENG, date(2026, 11, 16)),  # a Monday is its own day 1
    (date(2026, 11, 14), 1, ENG, date(2026, 11, 16)),  # a Saturday: day 1 is the Monday
    (date(2026, 11, 16), 10, ENG, date(2026, 11, 27)),
    (date(2026, 11, 14), 10, ENG, date(2026, 11, 27)),
    # The 10th working day of an absence from Monday 23 November, across St Andrew's Day.
    (date(2026, 11, 23), 10, ENG, date(2026, 12, 4)),
    (date(2026, 11, 23), 10, SCT, date(2026, 12, 7)),
    # From Christmas Day: Boxing Day's substitute (Monday 28) is skipped too.
    (date(2026, 12, 25), 1, ENG, date(2026, 12, 29)),
    # Across Christmas and New Year.
    (date(2026, 12, 21), 10, ENG, date(2027, 1, 6)),
    (date(2026, 12, 21), 10, NIR, date(2027, 1, 6)),
    (date(2026, 12, 21), 10, SCT, date(2027, 1, 7)),
    # Bank holidays of one nation only.
    (date(2026, 3, 17), 1, NIR, date(2026, 3, 18)),
    (date(2026, 3, 17), 1, ENG, date(2026, 3, 17)),
    (date(2026, 4, 3), 1, SCT, date(2026, 4, 6)),  # Good Friday; Scotland works Easter Monday
    (date(2026, 4, 3), 1, WLS, date(2026, 4, 7)),
]


@pytest.mark.parametrize(("first_day", "n", "nation", "expected"), NTH)
def test_nth_working_day_from(first_day, n, nation, expected):
    assert nth_working_day_from(first_day, n, nation) == expected


def test_counting_back_a_negative_number_is_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        working_days_before(date(2026, 11, 16), -1, ENG)


@pytest.mark.parametrize("n", [0, -1])
def test_the_first_working_day_is_day_1(n):
    with pytest.raises(ValueError, match="day 1"):
        nth_working_day_from(date(2026, 11, 16), n, ENG)


@pytest.mark.parametrize("nation", ["GB", "eng", ""])
def test_the_new_functions_refuse_an_unknown_nation(nation):
    with pytest.raises(ValueError, match="Unknown nation"):
        working_days_before(date(2026, 11, 15), 0, nation)
    with pytest.raises(ValueError, match="Unknown nation"):
        nth_working_day_from(date(2026, 11, 14), 1, nation)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2026, 11, 16), date(2027, 11, 15)),
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2028, 2, 29), date(2029, 2, 28)),  # a leap day: the year after has none
        (date(2027, 3, 1), date(2028, 2, 29)),
    ],
)
def test_the_last_of_twelve_months(first, last):
    assert last_of_twelve_months(first) == last


DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2034, 12, 31))
COUNTS = st.integers(min_value=0, max_value=300)
# A first look-up of a year's holidays builds the calendar: no per-example deadline.
PROPERTY = settings(deadline=None)


@PROPERTY
@given(start=DAYS, days=COUNTS, nation=st.sampled_from(NATIONS))
def test_between_undoes_add(start, days, nation):
    end = add_working_days(start, days, nation)
    assert working_days_between(start, end, nation) == days
    if days:
        assert is_working_day(end, nation)  # the deadline is itself a working day
        # ...and the first day on which that many working days have passed.
        assert working_days_between(start, end - timedelta(days=1), nation) == days - 1


@PROPERTY
@given(start=DAYS, first=COUNTS, second=COUNTS, nation=st.sampled_from(NATIONS))
def test_adding_in_two_steps_is_adding_once(start, first, second, nation):
    assert add_working_days(
        add_working_days(start, first, nation), second, nation
    ) == add_working_days(start, first + second, nation)


@PROPERTY
@given(start=DAYS, span=st.integers(min_value=0, max_value=400), nation=st.sampled_from(NATIONS))
def test_never_more_working_days_than_weekdays(start, span, nation):
    end = start + timedelta(days=span)
    weekdays = sum(1 for n in range(1, span + 1) if (start + timedelta(days=n)).weekday() < 5)
    assert 0 <= working_days_between(start, end, nation) <= weekdays


@PROPERTY
@given(start=DAYS, days=COUNTS, nation=st.sampled_from(NATIONS))
def test_before_undoes_add_from_a_working_day(start, days, nation):
    if not is_working_day(start, nation):
        start = add_working_days(start, 1, nation)
    assert working_days_before(add_working_days(start, days, nation), days, nation) == start


@PROPERTY
@given(first=DAYS, n=st.integers(min_value=1, max_value=300), nation=st.sampled_from(NATIONS))
def test_the_nth_working_day_is_the_nth_counted_from_the_first_day(first, n, nation):
    day = nth_working_day_from(first, n, nation)
    assert is_working_day(day, nation)
    assert working_days_between(first - timedelta(days=1), day, nation) == n
