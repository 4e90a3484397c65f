"""Caseworkers' changes to the bank holiday calendar: what the services accept and refuse, what
every working-day count then returns in each nation, and how soon every process sees a change
made by another (the generation token in the shared cache, ADR 0010)."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core import workingdays
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.models import BankHolidayOverride
from sponsorship.core.services import (
    bank_holiday_override_add,
    bank_holiday_override_remove,
    bank_holiday_overrides_announce,
)
from sponsorship.core.workingdays import (
    add_working_days,
    bank_holidays_between,
    is_working_day,
    nth_working_day_from,
    working_days_before,
    working_days_between,
)

NATIONS = ("ENG", "WLS", "SCT", "NIR")
ROYAL_EVENT = date(2026, 11, 23)  # an ordinary Monday everywhere
CHRISTMAS = date(2026, 12, 25)  # a Friday, a bank holiday everywhere


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test starts, and leaves, with no overrides held in this process."""
    workingdays.forget_overrides()
    yield
    workingdays.forget_overrides()


@pytest.fixture
def change(caseworker, django_capture_on_commit_callbacks):
    """`change(day, nation, "ADD"|"REMOVE", name)`: through the service, committed (so the
    change is announced, as it is once a real request ends)."""

    def _change(day, nation, kind="ADD", name="Royal event"):
        with django_capture_on_commit_callbacks(execute=True):
            return bank_holiday_override_add(
                caseworker=caseworker, day=day, nation=nation, change=kind, name=name, ip=None
            )

    return _change


@pytest.fixture
def remove(caseworker, django_capture_on_commit_callbacks):
    def _remove(override):
        with django_capture_on_commit_callbacks(execute=True):
            return bank_holiday_override_remove(
                caseworker=caseworker, override_id=override.pk, ip=None
            )

    return _remove


# ---------------------------------------------------------------- the effect on every count


@pytest.mark.parametrize("nation", NATIONS)
def test_an_extra_bank_holiday_moves_deadlines_in_its_nation_only(change, nation):
    friday = date(2026, 11, 20)
    assert add_working_days(friday, 1, nation) == ROYAL_EVENT

    change(ROYAL_EVENT, nation)

    for each in NATIONS:
        moved = each == nation
        assert is_working_day(ROYAL_EVENT, each) is not moved, each
        assert add_working_days(friday, 1, each) == date(2026, 11, 24 if moved else 23), each
        assert working_days_between(friday, date(2026, 11, 24), each) == (1 if moved else 2)
        assert working_days_before(date(2026, 11, 24), 1, each) == (
            friday if moved else ROYAL_EVENT
        )
        assert nth_working_day_from(ROYAL_EVENT, 1, each) == (
            date(2026, 11, 24) if moved else ROYAL_EVENT
        )


@pytest.mark.parametrize("nation", NATIONS)
def test_a_cancelled_bank_holiday_is_a_working_day_in_its_nation_only(change, nation):
    christmas_eve = date(2026, 12, 24)
    change(CHRISTMAS, nation, "REMOVE", "Christmas Day moved")

    for each in NATIONS:
        cancelled = each == nation
        assert is_working_day(CHRISTMAS, each) is cancelled, each
        # Otherwise Christmas Day and Monday 28 (Boxing Day's substitute) are skipped.
        expected = CHRISTMAS if cancelled else date(2026, 12, 29)
        assert add_working_days(christmas_eve, 1, each) == expected, each


def test_removing_the_change_restores_the_published_calendar(change, remove):
    override = change(ROYAL_EVENT, "WLS")
    assert not is_working_day(ROYAL_EVENT, "WLS")

    remove(override)

    assert is_working_day(ROYAL_EVENT, "WLS")
    assert not BankHolidayOverride.objects.exists()


def test_the_list_of_bank_holidays_names_each_and_its_source(change):
    added = change(ROYAL_EVENT, "SCT", name="Coronation of King Charles III")
    cancelled = change(date(2026, 11, 30), "SCT", "REMOVE", "St Andrew's Day moved")
    start, end = date(2026, 11, 16), date(2026, 12, 31)

    assert [(h.day, h.name, h.override_id) for h in bank_holidays_between(start, end, "SCT")] == [
        (ROYAL_EVENT, "Coronation of King Charles III", added.pk),
        (CHRISTMAS, "Christmas Day", None),
        (date(2026, 12, 28), "Boxing Day (observed)", None),  # Boxing Day, a Saturday: left out
    ]
    with_cancelled = bank_holidays_between(start, end, "SCT", include_cancelled=True)
    assert [(h.day, h.cancelled, h.override_id) for h in with_cancelled] == [
        (ROYAL_EVENT, False, added.pk),
        (date(2026, 11, 30), True, cancelled.pk),
        (CHRISTMAS, False, None),
        (date(2026, 12, 28), False, None),
    ]
    assert [h.day for h in bank_holidays_between(start, end, "ENG")] == [
        CHRISTMAS,
        date(2026, 12, 28),
    ]


# ---------------------------------------------------------------- the services


def test_adding_records_who_and_audits_it(change, caseworker):
    override = change(ROYAL_EVENT, "ENG", name="  Coronation of   King Charles III ")

    assert override.name == "Coronation of King Charles III"
    assert override.created_by == caseworker
    assert override.adds
    event = AuditEvent.objects.get(verb=AuditVerb.BANK_HOLIDAY_CHANGED)
    assert event.actor == caseworker
    assert event.sponsor is None
    assert event.target_id == str(override.pk)
    assert event.payload == {
        "action": "added",
        "day": "2026-11-23",
        "nation": "ENG",
        "change": "ADD",
        "name": "Coronation of King Charles III",
    }


def test_removing_audits_what_was_removed(change, remove, caseworker):
    override = change(CHRISTMAS, "NIR", "REMOVE", "Moved")
    remove(override)
    removed = AuditEvent.objects.filter(verb=AuditVerb.BANK_HOLIDAY_CHANGED).order_by("pk").last()
    assert removed is not None
    assert removed.actor == caseworker
    assert removed.payload["action"] == "removed"
    assert removed.payload["day"] == "2026-12-25"
    assert removed.payload["change"] == "REMOVE"


@pytest.mark.parametrize("override_id", [999_999, 2**63, -1, 0])
def test_removing_a_change_that_is_not_there_is_not_found(caseworker, override_id):
    with pytest.raises(NotFound):
        bank_holiday_override_remove(caseworker=caseworker, override_id=override_id, ip=None)
    assert not AuditEvent.objects.exists()


GOOD = {"day": ROYAL_EVENT, "nation": "ENG", "change": "ADD", "name": "Royal event"}


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"day": None}, "day", "Enter the date"),
        ({"day": date(1999, 12, 31)}, "day", "from 1 January 2000 to 31 December 2100"),
        ({"day": date(2101, 1, 3)}, "day", "from 1 January 2000 to 31 December 2100"),
        ({"nation": "GB"}, "nation", "Choose England, Wales, Scotland or Northern Ireland"),
        ({"nation": ""}, "nation", "Choose England, Wales, Scotland or Northern Ireland"),
        ({"change": "MAYBE"}, "change", "Choose whether the day becomes a bank holiday"),
        ({"name": ""}, "name", "Enter the name of the bank holiday"),
        ({"name": " \t "}, "name", "Enter the name of the bank holiday"),
        ({"name": "x" * 101}, "name", "100 characters or fewer"),
        (
            {"day": date(2026, 11, 21)},
            "day",
            "Saturday 21 November 2026 is a weekend day, so it is never a working day",
        ),
        (
            {"day": CHRISTMAS},
            "day",
            "Friday 25 December 2026 is already a bank holiday in England (Christmas Day).",
        ),
        (
            {"day": date(2026, 11, 30), "change": "REMOVE"},  # Scotland's, not England's
            "day",
            "Monday 30 November 2026 is not a bank holiday in England, so there is nothing to "
            "remove",
        ),
        (
            # Boxing Day, a Saturday: Monday 28 is its substitute.
            {"day": date(2026, 12, 26), "change": "REMOVE"},
            "day",
            "Saturday 26 December 2026 (Boxing Day) is a weekend day",
        ),
    ],
)
def test_bad_changes_are_refused_naming_the_field(caseworker, bad, field, message):
    answer = {**GOOD, **bad}
    with pytest.raises(ApplicationError) as refused:
        bank_holiday_override_add(caseworker=caseworker, ip=None, **answer)
    assert refused.value.field == field
    assert message in refused.value.message
    assert not BankHolidayOverride.objects.exists()
    assert not AuditEvent.objects.exists()
    assert cache.get(workingdays.GENERATION_KEY) is None


def test_every_wrong_field_is_named_at_once(caseworker):
    with pytest.raises(ApplicationError) as refused:
        bank_holiday_override_add(
            caseworker=caseworker, day=None, nation="XX", change="", name="", ip=None
        )
    assert [field for field, _ in refused.value.errors] == ["day", "nation", "change", "name"]


def test_one_change_per_day_per_nation(change, caseworker):
    change(ROYAL_EVENT, "ENG")
    with pytest.raises(ApplicationError) as refused:
        bank_holiday_override_add(caseworker=caseworker, ip=None, **GOOD)
    assert refused.value.field == "day"
    assert refused.value.code == "duplicate"
    assert "There is already a change for Monday 23 November 2026 in England" in str(
        refused.value.message
    )
    assert BankHolidayOverride.objects.count() == 1

    change(ROYAL_EVENT, "WLS")  # the same day elsewhere is another change
    assert BankHolidayOverride.objects.count() == 2


# ---------------------------------------------------------------- every process sees it


def test_with_no_change_ever_made_no_count_queries_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert add_working_days(date(2026, 11, 20), 1, "ENG") == ROYAL_EVENT
        assert working_days_between(date(2026, 11, 16), date(2026, 12, 31), "SCT") == 30


class Clock:
    """The monotonic clock the calendar reads, moved by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def shared_cache(monkeypatch):
    """The cache behaves as Redis or the database cache do: shared by every process, so each
    process asks it at most every CHECK_SECONDS. Returns the clock."""
    clock = Clock()
    monkeypatch.setattr(workingdays, "monotonic", clock)
    monkeypatch.setattr(workingdays, "_cache_is_in_this_process", lambda: False)
    return clock


def made_elsewhere(action):
    """Run `action` as another process would: the change reaches the database and the shared
    cache, but this process keeps the calendar it had loaded."""
    held = workingdays._loaded
    result = action()
    workingdays._loaded = held
    return result


def test_another_process_sees_a_change_within_the_check_interval(
    shared_cache, change, remove, django_assert_num_queries
):
    friday = date(2026, 11, 20)
    assert add_working_days(friday, 1, "ENG") == ROYAL_EVENT  # this process has looked

    override = made_elsewhere(lambda: change(ROYAL_EVENT, "ENG"))

    # Until the interval passes, this process counts from what it holds, without a query.
    shared_cache.now += workingdays.CHECK_SECONDS / 2
    with django_assert_num_queries(0):
        assert add_working_days(friday, 1, "ENG") == ROYAL_EVENT
    # Then it sees the token moved and reloads, once.
    shared_cache.now += workingdays.CHECK_SECONDS
    with django_assert_num_queries(1):
        assert add_working_days(friday, 1, "ENG") == date(2026, 11, 24)
    with django_assert_num_queries(0):
        for _ in range(1_000):
            assert not is_working_day(ROYAL_EVENT, "ENG")

    made_elsewhere(lambda: remove(override))
    assert not is_working_day(ROYAL_EVENT, "ENG")
    shared_cache.now += workingdays.CHECK_SECONDS
    assert is_working_day(ROYAL_EVENT, "ENG")


def test_the_process_that_made_the_change_sees_it_at_once(shared_cache, change):
    assert is_working_day(ROYAL_EVENT, "NIR")
    change(ROYAL_EVENT, "NIR")
    assert not is_working_day(ROYAL_EVENT, "NIR")


def test_a_process_that_starts_later_loads_the_changes(shared_cache, change):
    change(ROYAL_EVENT, "SCT")
    workingdays.forget_overrides()  # a new process: nothing held, the shared cache kept

    assert not is_working_day(ROYAL_EVENT, "SCT")


def test_a_lost_token_is_announced_again(change):
    change(ROYAL_EVENT, "ENG")
    cache.clear()  # Redis restarted, or the token was evicted
    workingdays.forget_overrides()
    assert is_working_day(ROYAL_EVENT, "ENG")  # no token: no override known

    assert bank_holiday_overrides_announce() == 1

    assert not is_working_day(ROYAL_EVENT, "ENG")


def test_a_token_the_cache_failed_to_store_is_restored(
    shared_cache, change, monkeypatch, caseworker
):
    assert is_working_day(ROYAL_EVENT, "ENG")
    held = workingdays._loaded

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    with monkeypatch.context() as broken:
        broken.setattr(LocMemCache, "set", unreachable)
        change(ROYAL_EVENT, "ENG")  # saved and audited; the announcement failed

    assert BankHolidayOverride.objects.exists()
    workingdays._loaded = held  # every other process, still holding the old calendar
    shared_cache.now += workingdays.CHECK_SECONDS
    assert is_working_day(ROYAL_EVENT, "ENG")

    made_elsewhere(bank_holiday_overrides_announce)  # the scheduled announcement
    shared_cache.now += workingdays.CHECK_SECONDS
    assert not is_working_day(ROYAL_EVENT, "ENG")


def test_announcing_the_same_overrides_again_reloads_nothing(
    shared_cache, change, django_assert_num_queries
):
    change(ROYAL_EVENT, "ENG")
    token = cache.get(workingdays.GENERATION_KEY)
    assert not is_working_day(ROYAL_EVENT, "ENG")

    made_elsewhere(bank_holiday_overrides_announce)

    assert cache.get(workingdays.GENERATION_KEY) == token
    shared_cache.now += workingdays.CHECK_SECONDS
    with django_assert_num_queries(0):
        assert not is_working_day(ROYAL_EVENT, "ENG")


def test_with_no_overrides_there_is_no_token(change, remove):
    override = change(ROYAL_EVENT, "ENG")
    assert cache.get(workingdays.GENERATION_KEY) is not None
    remove(override)
    assert cache.get(workingdays.GENERATION_KEY) is None
    assert bank_holiday_overrides_announce() == 0
    assert cache.get(workingdays.GENERATION_KEY) is None


def test_a_cache_that_cannot_be_read_keeps_the_calendar_held(shared_cache, change, monkeypatch):
    change(ROYAL_EVENT, "WLS")
    assert not is_working_day(ROYAL_EVENT, "WLS")

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(LocMemCache, "get", unreachable)
    shared_cache.now += workingdays.CHECK_SECONDS
    assert not is_working_day(ROYAL_EVENT, "WLS")
