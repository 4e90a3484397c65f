"""What assigning costs, from the dated rule rows: the certificate fee by route group (£239 /
£25 from 4 October 2023, £525 / £55 from 9 April 2025) and the Immigration Skills Charge
(£1,000 / £500 large and £364 / £182 small from 6 April 2017; £1,320 / £660 and £480 / £240
from 16 December 2025), the first 12 months then each further 6 months or part."""

from datetime import date

import pytest

from sponsorship.certificates.fees import (
    SKILLS_CHARGE_ROUTES,
    certificate_charges,
    half_years_covered,
    pounds,
    skills_charge_pence,
)
from sponsorship.certificates.models import SkillsCharge
from sponsorship.licences.models import ROUTE_GROUPS, Route, RouteGroup, SponsorSize

LARGE, SMALL = SponsorSize.LARGE, SponsorSize.SMALL_OR_CHARITABLE
LIABLE = SkillsCharge.LIABLE
START = date(2027, 1, 4)
ON = date(2026, 11, 16)


def charge(
    end, *, start=START, size=LARGE, on=ON, route=Route.SKILLED_WORKER, exemption=LIABLE
) -> tuple[int, str]:
    return skills_charge_pence(
        route=route, exemption=exemption, size=size, start=start, end=end, on=on
    )


@pytest.mark.parametrize(
    ("pence", "shown"),
    [
        (52_500, "£525"),
        (5_500, "£55"),
        (396_000, "£3,960"),
        (12_345, "£123.45"),
        (100_050, "£1,000.50"),
        (0, "£0"),
    ],
)
def test_amounts_are_shown_in_pounds_without_empty_pence(pence, shown):
    assert pounds(pence) == shown


@pytest.mark.parametrize(
    ("end", "periods"),
    [
        (date(2027, 1, 4), 1),  # one day
        (date(2027, 7, 3), 1),  # six months exactly
        (date(2027, 7, 4), 2),  # six months and a day
        (date(2028, 1, 3), 2),  # twelve months exactly
        (date(2028, 1, 4), 3),
        (date(2028, 2, 3), 3),  # thirteen months
        (date(2029, 12, 31), 6),
        (date(2030, 1, 3), 6),  # three years exactly
        (date(2030, 1, 4), 7),
        (date(2032, 1, 3), 10),  # five years exactly
    ],
)
def test_half_years_are_counted_inclusive_of_both_dates(end, periods):
    assert half_years_covered(START, end) == periods


# The Immigration Skills Charge.


@pytest.mark.parametrize(
    ("size", "end", "pence", "workings"),
    [
        # 4 January 2027 to 31 December 2029: 6 half-years, so the first year and 4 more halves.
        (
            LARGE,
            date(2029, 12, 31),
            132_000 + 4 * 66_000,
            "£1,320 for the first 12 months and £660 for each of 4 further 6 months or part, as "
            "a large sponsor.",
        ),
        (
            SMALL,
            date(2029, 12, 31),
            48_000 + 4 * 24_000,
            "£480 for the first 12 months and £240 for each of 4 further 6 months or part, as a "
            "small or charitable sponsor.",
        ),
        (LARGE, date(2028, 1, 3), 132_000, "£1,320 for the first 12 months, as a large sponsor."),
        (
            SMALL,
            date(2028, 1, 3),
            48_000,
            "£480 for the first 12 months, as a small or charitable sponsor.",
        ),
        (
            LARGE,
            date(2028, 2, 3),
            132_000 + 66_000,
            "£1,320 for the first 12 months and £660 for each of 1 further 6 months or part, as "
            "a large sponsor.",
        ),
        # Five years: the first year and 8 halves, £6,600 (large) and £2,400 (small).
        (
            LARGE,
            date(2032, 1, 3),
            132_000 + 8 * 66_000,
            "£1,320 for the first 12 months and £660 for each of 8 further 6 months or part, as "
            "a large sponsor.",
        ),
        (
            SMALL,
            date(2032, 1, 3),
            48_000 + 8 * 24_000,
            "£480 for the first 12 months and £240 for each of 8 further 6 months or part, as a "
            "small or charitable sponsor.",
        ),
    ],
)
def test_the_skills_charge_from_december_2025(size, end, pence, workings):
    assert charge(end, size=size) == (pence, workings)


@pytest.mark.parametrize(
    ("on", "size", "pence"),
    [
        # A three-year job (6 half-years) assigned on each side of 16 December 2025.
        (date(2025, 12, 15), LARGE, 100_000 + 4 * 50_000),  # £3,000
        (date(2025, 12, 15), SMALL, 36_400 + 4 * 18_200),  # £1,092
        (date(2025, 12, 16), LARGE, 132_000 + 4 * 66_000),  # £3,960
        (date(2025, 12, 16), SMALL, 48_000 + 4 * 24_000),  # £1,440
        (date(2017, 4, 6), LARGE, 100_000 + 4 * 50_000),  # the first day of the charge
    ],
)
def test_the_rate_is_the_one_in_force_on_the_assignment_day(on, size, pence):
    amount, _ = charge(date(2029, 12, 31), start=START, size=size, on=on)
    assert amount == pence


def test_before_april_2017_there_was_no_charge_to_look_up():
    with pytest.raises(LookupError):
        charge(date(2029, 12, 31), on=date(2017, 4, 5))


@pytest.mark.parametrize("route", sorted(set(Route.values) - SKILLS_CHARGE_ROUTES))
def test_only_skilled_worker_and_senior_or_specialist_routes_carry_the_charge(route):
    assert charge(date(2029, 12, 31), route=route) == (0, "")


def test_the_routes_that_carry_the_charge():
    assert frozenset({Route.SKILLED_WORKER, Route.GBM_SENIOR_SPECIALIST}) == SKILLS_CHARGE_ROUTES
    assert charge(date(2029, 12, 31), route=Route.GBM_SENIOR_SPECIALIST)[0] == 396_000


@pytest.mark.parametrize(
    "exemption",
    [
        SkillsCharge.EXEMPT_PHD_OCCUPATION,
        SkillsCharge.EXEMPT_STUDENT_SWITCH,
        SkillsCharge.EXEMPT_SPONSORED_SINCE_2017,
        SkillsCharge.EXEMPT_OTHER,
    ],
)
def test_an_exemption_means_no_charge_and_says_so(exemption):
    pence, workings = charge(date(2029, 12, 31), exemption=exemption)
    assert pence == 0
    assert workings.startswith("No Immigration Skills Charge: ")


def test_the_charge_is_not_worked_out_before_the_question_is_answered():
    assert charge(date(2029, 12, 31), exemption="") == (0, "")


@pytest.mark.parametrize(
    ("start", "end"), [(None, date(2029, 12, 31)), (START, None), (START, date(2027, 1, 3))]
)
def test_no_charge_without_a_valid_period(start, end):
    assert charge(end, start=start) == (0, "")


def test_the_phd_exemption_keeps_its_capitals():
    _, workings = charge(date(2029, 12, 31), exemption=SkillsCharge.EXEMPT_PHD_OCCUPATION)
    assert "PhD-level occupation" in workings


# The certificate fee.


WORKER_ROUTES = sorted(r for r, g in ROUTE_GROUPS.items() if g == RouteGroup.WORKER)
TEMPORARY_ROUTES = sorted(r for r, g in ROUTE_GROUPS.items() if g == RouteGroup.TEMPORARY_WORKER)
STUDENT_ROUTES = sorted(r for r, g in ROUTE_GROUPS.items() if g == RouteGroup.STUDENT)


def fee(route, on) -> int:
    return certificate_charges(
        route=route, exemption="", size=LARGE, start=START, end=date(2029, 12, 31), on=on
    ).fee_pence


@pytest.mark.parametrize("route", WORKER_ROUTES)
@pytest.mark.parametrize(
    ("on", "pence"),
    [
        (date(2023, 10, 4), 23_900),
        (date(2025, 4, 8), 23_900),
        (date(2025, 4, 9), 52_500),
        (ON, 52_500),
    ],
)
def test_the_worker_fee(route, on, pence):
    assert fee(route, on) == pence


@pytest.mark.parametrize("route", TEMPORARY_ROUTES)
@pytest.mark.parametrize(
    ("on", "pence"),
    [(date(2023, 10, 4), 2_500), (date(2025, 4, 8), 2_500), (date(2025, 4, 9), 5_500), (ON, 5_500)],
)
def test_the_temporary_worker_fee(route, on, pence):
    assert fee(route, on) == pence


@pytest.mark.parametrize("route", STUDENT_ROUTES)
def test_student_route_certificates_carry_no_fee(route):
    assert fee(route, ON) == 0


def test_the_route_groups_are_as_the_domain_lists_them():
    assert set(WORKER_ROUTES) == {
        Route.SKILLED_WORKER,
        Route.GBM_SENIOR_SPECIALIST,
        Route.GBM_GRADUATE_TRAINEE,
        Route.GBM_UK_EXPANSION,
        Route.GBM_SERVICE_SUPPLIER,
        Route.GBM_SECONDMENT,
        Route.SCALE_UP,
        Route.MINISTER_OF_RELIGION,
        Route.INTERNATIONAL_SPORTSPERSON,
    }
    assert set(TEMPORARY_ROUTES) == {
        Route.CREATIVE_WORKER,
        Route.CHARITY_WORKER,
        Route.RELIGIOUS_WORKER,
        Route.GOVERNMENT_AUTHORISED_EXCHANGE,
        Route.INTERNATIONAL_AGREEMENT,
        Route.SEASONAL_WORKER,
    }
    assert set(STUDENT_ROUTES) == {Route.STUDENT, Route.CHILD_STUDENT}


def test_the_total_is_the_fee_and_the_charge():
    charges = certificate_charges(
        route=Route.SKILLED_WORKER,
        exemption=LIABLE,
        size=SMALL,
        start=START,
        end=date(2029, 12, 31),
        on=ON,
    )
    # £525 + £480 + 4 x £240 = £1,965.
    assert (charges.fee_pence, charges.skills_charge_pence, charges.total_pence) == (
        52_500,
        144_000,
        196_500,
    )
