"""Assigning a certificate: an unguessable number, one unit of the allocation, the fee and the
Immigration Skills Charge of the day, a use-by date three months on; and every reason a draft
cannot be assigned yet, named next to its field (DOMAIN.md "Certificate of Sponsorship")."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.checks import assignment_check
from sponsorship.certificates.models import (
    Certificate,
    CertificateAction,
    CertificateEvent,
    CertificateStatus,
    SkillsCharge,
)
from sponsorship.certificates.numbering import ALPHABET
from sponsorship.certificates.services import certificate_assign, certificate_update
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.core.errors import (
    AllocationExhausted,
    Conflict,
    InvalidTransition,
    NotReady,
    StaleEdit,
)
from sponsorship.licences.models import Allocation, Route, SponsorSize
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory

LONDON = ZoneInfo("Europe/London")
IP = "198.51.100.20"
NO_ALLOCATION = (
    "You have insufficient remaining allocation for Skilled Worker. Request an increase to your "
    "allocation."
)


def assign(certificate, actor=None, version=None):
    return certificate_assign(
        actor=actor or certificate.owner,
        certificate=certificate,
        version=certificate.version if version is None else version,
        ip=IP,
    )


def stored(certificate) -> Certificate:
    return Certificate.objects.select_related("cos").get(pk=certificate.pk)


def used(allocation) -> int:
    return Allocation.objects.values_list("used", flat=True).get(pk=allocation.pk)


def assert_unchanged(certificate, allocation=None, used_before=0):
    """Nothing was written: still a draft of its first version, no number, no unit taken."""
    saved = stored(certificate)
    assert (saved.status, saved.number, saved.version) == (CertificateStatus.DRAFT, None, 1)
    assert (saved.assigned_at, saved.use_by, saved.fee_pence, saved.allocation) == (
        None,
        None,
        None,
        None,
    )
    assert not CertificateEvent.objects.filter(
        certificate=certificate, action=CertificateAction.ASSIGNED
    ).exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_ASSIGNED).exists()
    if allocation is not None:
        assert used(allocation) == used_before


# A successful assignment.


def test_assigning_a_complete_draft(sponsor, level1, allocation):
    certificate = complete_draft(level1)

    assign(certificate)

    saved = stored(certificate)
    assert saved.status == CertificateStatus.ASSIGNED
    assert len(saved.number) == 11
    assert saved.number[0] == "C"
    assert set(saved.number[1:]) <= set(ALPHABET)
    assert saved.assigned_at == datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)
    assert saved.assigned_by == level1
    # Assigned on Monday 16 November 2026: use by 16 February 2027.
    assert saved.use_by == date(2027, 2, 16)
    assert saved.allocation == allocation
    assert saved.fee_pence == 52_500
    # Large sponsor, 4 January 2027 to 31 December 2029: £1,320 + 4 x £660.
    assert saved.skills_charge_pence == 396_000
    assert saved.version == 2
    assert used(allocation) == 1

    event = CertificateEvent.objects.get(certificate=certificate, action=CertificateAction.ASSIGNED)
    assert (event.status, event.actor) == (CertificateStatus.ASSIGNED, level1)
    assert event.text == "Fee £525, Immigration Skills Charge £3,960. Use by 16 February 2027."
    (audit,) = AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_ASSIGNED)
    assert (audit.sponsor, audit.actor, audit.ip_address) == (sponsor, level1, IP)
    assert {
        key: audit.payload[key]
        for key in ("status", "number", "fee_pence", "skills_charge_pence", "allocation_remaining")
    } == {
        "status": "ASSIGNED",
        "number": saved.number,
        "fee_pence": 52_500,
        "skills_charge_pence": 396_000,
        "allocation_remaining": 4,
    }


def test_a_level_2_user_can_assign_their_own_draft(level2, allocation):
    certificate = complete_draft(level2)
    assign(certificate)
    saved = stored(certificate)
    assert (saved.status, saved.assigned_by) == (CertificateStatus.ASSIGNED, level2)


def test_each_assignment_takes_exactly_one_unit(level1, allocation):
    for expected in (1, 2, 3):
        assign(complete_draft(level1))
        assert used(allocation) == expected


def test_numbers_are_unique_across_many_assignments(level1, allocation):
    Allocation.objects.filter(pk=allocation.pk).update(limit=40)
    for _ in range(40):
        assign(complete_draft(level1))

    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == 40
    assert len(set(numbers)) == 40
    assert all(len(n) == 11 and n[0] == "C" and set(n[1:]) <= set(ALPHABET) for n in numbers)
    assert used(allocation) == 40


# Charges.


def test_a_temporary_worker_certificate_costs_55_pounds_and_no_skills_charge(db):
    creative = SponsorFactory(routes=[Route.CREATIVE_WORKER])
    user = Level1Factory(sponsor=creative)
    units = AllocationFactory(sponsor=creative, route=Route.CREATIVE_WORKER, limit=2)
    certificate = complete_draft(user, route=Route.CREATIVE_WORKER)

    assign(certificate)

    saved = stored(certificate)
    assert (saved.status, saved.fee_pence, saved.skills_charge_pence) == (
        CertificateStatus.ASSIGNED,
        5_500,
        0,
    )
    assert saved.allocation == units
    assert used(units) == 1
    event = CertificateEvent.objects.get(certificate=certificate, action=CertificateAction.ASSIGNED)
    assert event.text == "Fee £55. Use by 16 February 2027."


def test_a_senior_or_specialist_worker_certificate_carries_the_skills_charge(db):
    gbm = SponsorFactory(routes=[Route.GBM_SENIOR_SPECIALIST])
    user = Level1Factory(sponsor=gbm)
    AllocationFactory(sponsor=gbm, route=Route.GBM_SENIOR_SPECIALIST, limit=1)
    certificate = complete_draft(user, route=Route.GBM_SENIOR_SPECIALIST)

    assign(certificate)

    saved = stored(certificate)
    assert (saved.fee_pence, saved.skills_charge_pence) == (52_500, 396_000)


@pytest.mark.parametrize(
    ("size", "end", "charge", "workings"),
    [
        # 4 January 2027 to 31 December 2029 is 6 half-years: the first 12 months, then 4 more.
        (
            SponsorSize.LARGE,
            date(2029, 12, 31),
            132_000 + 4 * 66_000,  # £3,960
            "£1,320 for the first 12 months and £660 for each of 4 further 6 months or part, "
            "as a large sponsor.",
        ),
        (
            SponsorSize.SMALL_OR_CHARITABLE,
            date(2029, 12, 31),
            48_000 + 4 * 24_000,  # £1,440
            "£480 for the first 12 months and £240 for each of 4 further 6 months or part, "
            "as a small or charitable sponsor.",
        ),
        # Exactly 12 months (to the day before the anniversary): the first year only.
        (
            SponsorSize.LARGE,
            date(2028, 1, 3),
            132_000,
            "£1,320 for the first 12 months, as a large sponsor.",
        ),
        (
            SponsorSize.SMALL_OR_CHARITABLE,
            date(2028, 1, 3),
            48_000,
            "£480 for the first 12 months, as a small or charitable sponsor.",
        ),
        # 13 months: the first year and one further half, for the part of a half-year.
        (
            SponsorSize.LARGE,
            date(2028, 2, 3),
            132_000 + 66_000,  # £1,980
            "£1,320 for the first 12 months and £660 for each of 1 further 6 months or part, "
            "as a large sponsor.",
        ),
        # One day beyond 12 months is already part of a further half-year.
        (
            SponsorSize.LARGE,
            date(2028, 1, 4),
            132_000 + 66_000,
            "£1,320 for the first 12 months and £660 for each of 1 further 6 months or part, "
            "as a large sponsor.",
        ),
        # Six months: still the first year's charge.
        (
            SponsorSize.LARGE,
            date(2027, 7, 3),
            132_000,
            "£1,320 for the first 12 months, as a large sponsor.",
        ),
    ],
)
def test_the_skills_charge_by_size_and_length(db, size, end, charge, workings):
    employer = SponsorFactory(size=size)
    user = Level1Factory(sponsor=employer)
    AllocationFactory(sponsor=employer, route=Route.SKILLED_WORKER, limit=1)
    certificate = complete_draft(user, start_date=date(2027, 1, 4), end_date=end)

    check = assignment_check(certificate, timezone.localdate())
    assert check.charges.skills_charge_pence == charge
    assert check.charges.skills_charge_workings == workings
    assert check.charges.total_pence == 52_500 + charge

    assign(certificate)
    saved = stored(certificate)
    assert (saved.fee_pence, saved.skills_charge_pence) == (52_500, charge)


@pytest.mark.parametrize(
    "exemption",
    [
        SkillsCharge.EXEMPT_PHD_OCCUPATION,
        SkillsCharge.EXEMPT_STUDENT_SWITCH,
        SkillsCharge.EXEMPT_SPONSORED_SINCE_2017,
        SkillsCharge.EXEMPT_OTHER,
    ],
)
def test_an_exempt_certificate_pays_the_fee_only(level1, allocation, exemption):
    certificate = complete_draft(level1, skills_charge=exemption)
    assign(certificate)
    saved = stored(certificate)
    assert (saved.fee_pence, saved.skills_charge_pence) == (52_500, 0)
    event = CertificateEvent.objects.get(certificate=certificate, action=CertificateAction.ASSIGNED)
    assert event.text == "Fee £525. Use by 16 February 2027."


def _assign_on(frozen, day: date, start: date, end: date) -> Certificate:
    """Assign a fresh draft at 10:00 London on `day`, for a job from `start` to `end`."""
    frozen.move_to(datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON))
    employer = SponsorFactory()
    user = Level1Factory(sponsor=employer)
    AllocationFactory(sponsor=employer, route=Route.SKILLED_WORKER, limit=1)
    certificate = complete_draft(user, start_date=start, end_date=end)
    assign(certificate)
    return stored(certificate)


@pytest.mark.parametrize(
    ("day", "fee", "charge"),
    [
        # The day before the December 2025 rates: £1,000 + 4 x £500.
        (date(2025, 12, 15), 52_500, 100_000 + 4 * 50_000),
        # From 16 December 2025: £1,320 + 4 x £660.
        (date(2025, 12, 16), 52_500, 132_000 + 4 * 66_000),
    ],
)
def test_the_rates_of_the_assignment_day_apply(db, frozen, day, fee, charge):
    # A three-year job, 5 January 2026 to 4 January 2029: 6 half-years.
    saved = _assign_on(frozen, day, date(2026, 1, 5), date(2029, 1, 4))
    assert (saved.fee_pence, saved.skills_charge_pence) == (fee, charge)
    assert saved.status == CertificateStatus.ASSIGNED


def test_before_april_2025_the_fee_was_239_pounds(db, frozen):
    # Assigned on 1 April 2025, for 12 months from 1 May 2025: £239 and £1,000 (large).
    saved = _assign_on(frozen, date(2025, 4, 1), date(2025, 5, 1), date(2026, 4, 30))
    assert (saved.fee_pence, saved.skills_charge_pence) == (23_900, 100_000)
    assert saved.use_by == date(2025, 7, 1)


def test_a_small_sponsor_before_december_2025_paid_364_and_182_pounds(db, frozen):
    frozen.move_to(datetime(2025, 12, 1, 10, 0, tzinfo=LONDON))
    small = SponsorFactory(size=SponsorSize.SMALL_OR_CHARITABLE)
    user = Level1Factory(sponsor=small)
    AllocationFactory(sponsor=small, route=Route.SKILLED_WORKER, limit=1)
    certificate = complete_draft(user, start_date=date(2026, 1, 5), end_date=date(2029, 1, 4))
    assign(certificate)
    # £364 + 4 x £182 = £1,092.
    assert stored(certificate).skills_charge_pence == 36_400 + 4 * 18_200


def test_the_assignment_day_is_the_london_day(db, frozen):
    # 00:30 on 1 July 2027 in London is still 30 June in UTC: the day is London's.
    frozen.move_to(datetime(2027, 7, 1, 0, 30, tzinfo=LONDON))
    employer = SponsorFactory()
    user = Level1Factory(sponsor=employer)
    AllocationFactory(sponsor=employer, route=Route.SKILLED_WORKER, limit=1)
    certificate = complete_draft(user, start_date=date(2027, 7, 1), end_date=date(2029, 6, 30))

    assign(certificate)

    saved = stored(certificate)
    assert saved.use_by == date(2027, 10, 1)
    event = CertificateEvent.objects.get(certificate=certificate, action=CertificateAction.ASSIGNED)
    assert event.text.endswith("Use by 1 October 2027.")


# What stops an assignment.


def test_every_missing_field_is_named_with_its_message(level1, allocation):
    certificate = complete_draft(
        level1,
        sex="",
        salary_period="",
        work_address_line_1="",
        work_town="",
        work_postcode="",
        work_nation="",
    )

    with pytest.raises(NotReady) as refused:
        assign(certificate)

    assert refused.value.errors == [
        ("sex", "Select the worker's sex: female, male or unspecified"),
        (
            "work_address_line_1",
            "Enter the main work address in the UK, or pick one of your work addresses",
        ),
        ("work_town", "Enter the town or city of the main work address"),
        ("work_postcode", "Enter the postcode of the main work address"),
        ("work_nation", "Select which part of the UK the main work address is in"),
        ("salary_period", "Select what the salary is for: each year, month, week or hour"),
    ]
    assert refused.value.message == (
        "This certificate cannot be assigned yet. Select the worker's sex: female, male or "
        "unspecified."
    )
    assert (refused.value.code, refused.value.http_status) == ("not_ready", 409)
    assert_unchanged(certificate, allocation)


def test_a_draft_with_only_a_family_name_names_every_mandatory_field(level1, allocation):
    certificate = complete_draft(level1)
    empty = {
        name: None if name.endswith("date") or name in {"date_of_birth", "weekly_hours"} else ""
        for name in (
            "given_names",
            "nationality",
            "place_of_birth",
            "country_of_birth",
            "date_of_birth",
            "sex",
            "country_of_residence",
            "passport_number",
            "passport_issue_date",
            "passport_expiry_date",
            "passport_place_of_issue",
            "home_address_line_1",
            "home_town",
            "home_postcode",
            "home_country",
            "start_date",
            "end_date",
            "weekly_hours",
            "work_address_line_1",
            "work_town",
            "work_postcode",
            "work_nation",
            "job_title",
            "soc_code",
            "job_description",
            "salary_period",
            "salary_option",
            "skills_charge",
            "paye_reason",
        )
    }
    certificate_update(
        actor=level1,
        certificate=certificate,
        version=1,
        values={
            **empty,
            "salary_amount": None,
            "eligible_occupation_confirmed": False,
            "maintenance_certified": False,
        },
        ip=None,
    )
    certificate = stored(certificate)

    with pytest.raises(NotReady) as refused:
        assign(certificate)

    assert [field for field, _ in refused.value.errors] == [
        "nationality",
        "place_of_birth",
        "country_of_birth",
        "date_of_birth",
        "sex",
        "country_of_residence",
        "passport_number",
        "passport_issue_date",
        "passport_expiry_date",
        "passport_place_of_issue",
        "home_address_line_1",
        "home_town",
        "home_country",
        "start_date",
        "end_date",
        "weekly_hours",
        "work_address_line_1",
        "work_town",
        "work_postcode",
        "work_nation",
        "job_title",
        "soc_code",
        "job_description",
        "salary_amount",
        "salary_period",
        "salary_option",
        "eligible_occupation_confirmed",
        "skills_charge",
        "paye_reference",
    ]
    assert used(allocation) == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"start_date": date(2026, 11, 13)},
            "start_date",
            "The start date must be today or later: a certificate is assigned before the job "
            "starts",
        ),
        (
            {"start_date": date(2027, 2, 17)},
            "start_date",
            "The job starts on 17 February 2027, more than 3 months from now. You can assign "
            "this certificate from 17 November 2026",
        ),
        (
            {"start_date": date(2027, 6, 1)},
            "start_date",
            "The job starts on 1 June 2027, more than 3 months from now. You can assign this "
            "certificate from 1 March 2027",
        ),
        (
            {"passport_issue_date": date(2016, 11, 15), "passport_expiry_date": date(2026, 11, 15)},
            "passport_expiry_date",
            "The passport expired on 15 November 2026. Enter the details of the worker's "
            "current passport",
        ),
        (
            {"passport_expiry_date": date(2027, 1, 3)},
            "passport_expiry_date",
            "The passport expires on 3 January 2027, before the job starts on 4 January 2027. "
            "Enter the details of a passport valid on the start date",
        ),
        (
            {"end_date": date(2027, 1, 3)},
            "end_date",
            "The end date must be after the start date",
        ),
        (
            {"end_date": date(2027, 1, 4)},
            "end_date",
            "The end date must be after the start date",
        ),
        (
            {"passport_issue_date": date(2026, 11, 17)},
            "passport_issue_date",
            "The passport issue date must be today or earlier",
        ),
        (
            {"date_of_birth": date(2026, 11, 16)},
            "date_of_birth",
            "The date of birth must be in the past",
        ),
    ],
)
def test_dates_that_block_assignment(level1, allocation, overrides, field, message):
    certificate = complete_draft(level1, **overrides)

    with pytest.raises(NotReady) as refused:
        assign(certificate)

    assert refused.value.errors == [(field, message)]
    assert refused.value.message == f"This certificate cannot be assigned yet. {message}."
    assert_unchanged(certificate, allocation)


@pytest.mark.parametrize(
    "overrides",
    [
        {"start_date": date(2026, 11, 16)},  # starts today
        {"start_date": date(2027, 2, 16)},  # exactly 3 months ahead
        {"passport_expiry_date": date(2027, 1, 4)},  # valid on the start date
    ],
)
def test_dates_on_the_boundary_are_accepted(level1, allocation, overrides):
    certificate = complete_draft(level1, **overrides)
    assign(certificate)
    assert stored(certificate).status == CertificateStatus.ASSIGNED


# Warnings: read first, but they do not stop the assignment.


MAINTENANCE = (
    "You have not certified maintenance. Without it the worker must show their own funds, and "
    "applications often fail for lack of this. Tick it in 'Job and salary' if you will support "
    "the worker for their first month"
)


def test_maintenance_unticked_is_a_warning_only(level1, allocation):
    certificate = complete_draft(level1, maintenance_certified=False)

    check = assignment_check(certificate, timezone.localdate())
    assert check.ready
    assert [(w.field, w.message) for w in check.warnings] == [
        ("maintenance_certified", MAINTENANCE)
    ]

    assign(certificate)
    assert stored(certificate).status == CertificateStatus.ASSIGNED


def test_a_passport_with_a_live_certificate_is_a_warning_only(level1, allocation):
    assigned_certificate(level1, number="C2G8H88871U")
    certificate = complete_draft(level1)

    check = assignment_check(certificate, timezone.localdate())
    assert check.ready
    assert [(w.field, w.message) for w in check.warnings] == [
        (
            "passport_number",
            "Passport EP1234567 already has a live certificate with you (C2G8H88871U). Check "
            "you are not sponsoring the same person twice",
        )
    ]

    assign(certificate)
    assert stored(certificate).status == CertificateStatus.ASSIGNED


def test_another_sponsors_certificate_for_the_same_passport_is_not_mentioned(
    level1, other_level1, allocation
):
    assigned_certificate(other_level1, number="C2G8H88871U")
    certificate = complete_draft(level1)
    assert assignment_check(certificate, timezone.localdate()).warnings == []


def test_a_salary_below_the_going_rate_is_a_warning_only(level1, allocation):
    certificate = complete_draft(level1, salary_amount=50_000)

    check = assignment_check(certificate, timezone.localdate())
    assert check.ready
    assert check.salary is not None and not check.salary.passes
    message = (
        "The salary of £50,000 is below the going rate of £54,700 for 2134 Programmers and "
        "software development professionals at 37.5 hours a week, under the general salary "
        "requirement (option A). It needs to be at least £54,700."
    )
    assert check.salary.message == message
    assert [(w.field, w.message, w.blocking) for w in check.warnings] == [
        ("salary_amount", message, False)
    ]

    assign(certificate)
    assert stored(certificate).status == CertificateStatus.ASSIGNED


def test_a_salary_that_meets_the_rules_gives_no_warning(level1, allocation):
    check = assignment_check(complete_draft(level1), timezone.localdate())
    assert check.salary is not None and check.salary.passes
    assert check.warnings == []


# The allocation.


def test_no_allocation_left_refuses_and_changes_nothing(level1, allocation):
    Allocation.objects.filter(pk=allocation.pk).update(used=5)
    certificate = complete_draft(level1)

    check = assignment_check(certificate, timezone.localdate())
    assert [(e.field, e.message) for e in check.errors] == [(None, NO_ALLOCATION)]

    with pytest.raises(AllocationExhausted) as refused:
        assign(certificate)

    assert refused.value.message == NO_ALLOCATION
    assert (refused.value.code, refused.value.http_status) == ("allocation_exhausted", 409)
    assert_unchanged(certificate, allocation, used_before=5)


def test_the_last_unit_can_be_used_and_then_no_more(level1, allocation):
    Allocation.objects.filter(pk=allocation.pk).update(used=4)
    first, second = complete_draft(level1), complete_draft(level1)

    assign(first)
    with pytest.raises(AllocationExhausted):
        assign(second)

    assert stored(first).status == CertificateStatus.ASSIGNED
    assert_unchanged_second = stored(second)
    assert (assert_unchanged_second.status, assert_unchanged_second.number) == (
        CertificateStatus.DRAFT,
        None,
    )
    assert used(allocation) == 5


def test_no_allocation_this_year_gives_the_same_message(sponsor, level1):
    today = timezone.localdate()
    # Last year's allocation has ended; none for this year.
    AllocationFactory(
        sponsor=sponsor,
        route=Route.SKILLED_WORKER,
        year_start=date(today.year - 2, 1, 1),
        year_end=date(today.year - 1, 12, 31),
        limit=10,
    )
    certificate = complete_draft(level1)

    with pytest.raises(AllocationExhausted) as refused:
        assign(certificate)

    assert refused.value.message == NO_ALLOCATION
    assert_unchanged(certificate)


def test_an_allocation_for_another_route_does_not_count(sponsor, level1):
    AllocationFactory(sponsor=sponsor, route=Route.CREATIVE_WORKER, limit=10)
    certificate = complete_draft(level1)
    with pytest.raises(AllocationExhausted) as refused:
        assign(certificate)
    assert refused.value.message == NO_ALLOCATION
    assert_unchanged(certificate)


# Stale and repeated assignments.


def test_a_stale_assignment_is_refused_and_takes_no_unit(level1, allocation):
    certificate = complete_draft(level1)
    certificate_update(
        actor=level1,
        certificate=stored(certificate),
        version=1,
        values={"given_names": "Anna"},
        ip=None,
    )

    with pytest.raises(StaleEdit):
        assign(certificate, version=1)

    saved = stored(certificate)
    assert (saved.status, saved.number, saved.version) == (CertificateStatus.DRAFT, None, 2)
    assert used(allocation) == 0


def test_an_assigned_certificate_cannot_be_assigned_again(level1, allocation):
    certificate = complete_draft(level1)
    assign(certificate)
    number = stored(certificate).number

    with pytest.raises(InvalidTransition):
        assign(stored(certificate))

    assert stored(certificate).number == number
    assert used(allocation) == 1


def test_a_copy_read_before_the_assignment_cannot_assign_it_twice(level1, allocation):
    certificate = complete_draft(level1)
    read_earlier = stored(certificate)
    assign(certificate)
    number = stored(certificate).number

    # With the version it was read at: someone changed it since.
    with pytest.raises(StaleEdit):
        assign(read_earlier, version=1)
    # Without a version: the draft is no longer a draft.
    with pytest.raises(Conflict) as refused:
        certificate_assign(actor=level1, certificate=read_earlier, version=None, ip=IP)
    assert (refused.value.code, refused.value.message) == (
        "invalid_transition",
        "This certificate has already been assigned.",
    )

    assert stored(certificate).number == number
    assert used(allocation) == 1


def test_trying_again_after_the_allocation_is_increased_succeeds(level1, allocation):
    Allocation.objects.filter(pk=allocation.pk).update(used=5)
    certificate = complete_draft(level1)
    with pytest.raises(AllocationExhausted):
        assign(certificate)

    Allocation.objects.filter(pk=allocation.pk).update(limit=6)
    assign(certificate)

    assert stored(certificate).status == CertificateStatus.ASSIGNED


def test_a_draft_changed_while_a_batch_assigns_is_not_assigned_from_the_old_copy(
    level1, level2, allocation
):
    certificate = complete_draft(level1)
    read_by_the_batch = stored(certificate)
    # Meanwhile someone changes the draft: a new given name, and the sex cleared.
    certificate_update(
        actor=level2,
        certificate=stored(certificate),
        version=1,
        values={"given_names": "Anna", "sex": ""},
        ip=None,
    )

    with pytest.raises(Conflict):  # not ready (no sex), or changed since it was read
        certificate_assign(actor=level1, certificate=read_by_the_batch, version=None, ip=IP)

    saved = stored(certificate)
    assert (saved.status, saved.given_names, saved.sex) == (CertificateStatus.DRAFT, "Anna", "")
    assert used(allocation) == 0
