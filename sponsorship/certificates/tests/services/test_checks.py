"""The check before assignment, as the check page shows it: what it costs, every blocking
finding named next to its field, the warnings, the allocation left and the salary verdict. It
reads and never writes."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.certificates.checks import assignment_check
from sponsorship.certificates.models import Certificate, SalaryOption, SalaryPeriod
from sponsorship.certificates.sections import SECTIONS_BY_KEY, SectionStatus
from sponsorship.certificates.tests.factories import PayeFactory, complete_draft
from sponsorship.licences.models import PayeReference, Route
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory

NO_ALLOCATION = (
    "You have insufficient remaining allocation for Skilled Worker. Request an increase to your "
    "allocation."
)


def check(certificate):
    return assignment_check(certificate, timezone.localdate())


def blocking(result) -> list[tuple[str | None, str]]:
    return [(f.field, f.message) for f in result.errors]


def test_a_complete_draft_is_ready(level1, allocation):
    result = check(complete_draft(level1))

    assert result.ready
    assert result.errors == [] and result.warnings == []
    assert result.allocation == allocation
    assert (result.charges.fee_pence, result.charges.skills_charge_pence) == (52_500, 396_000)
    assert result.charges.total_pence == 448_500  # £525 + £3,960 = £4,485
    assert result.salary is not None and result.salary.passes
    assert result.salary.message == (
        "The salary of £55,000 meets the general salary requirement (option A): the going rate "
        "for 2134 Programmers and software development professionals at 37.5 hours a week is "
        "£54,700 and the general threshold is £41,700."
    )


def test_the_check_writes_nothing(level1, allocation):
    certificate = complete_draft(level1, sex="")
    check(certificate)
    saved = Certificate.objects.get(pk=certificate.pk)
    assert (saved.version, saved.status, saved.updated_at) == (
        certificate.version,
        certificate.status,
        certificate.updated_at,
    )
    allocation.refresh_from_db()
    assert allocation.used == 0


def test_no_allocation_is_a_blocking_finding_without_a_field(level1):
    result = check(complete_draft(level1))
    assert not result.ready
    assert blocking(result) == [(None, NO_ALLOCATION)]
    assert result.allocation is None


def test_an_agent_once_ticked_needs_its_name_and_address(level1, allocation):
    result = check(complete_draft(level1, sourced_through_agent=True))
    assert blocking(result) == [
        ("agent_name", "Enter the agent's name, or untick 'sourced through an agent'"),
        ("agent_address", "Enter the agent's address, or untick 'sourced through an agent'"),
    ]


def test_an_agent_with_name_and_address_is_complete(level1, allocation):
    result = check(
        complete_draft(
            level1,
            sourced_through_agent=True,
            agent_name="Global Talent Ltd",
            agent_address="5 Market Street, Manchester M1 1AA",
        )
    )
    assert result.ready


def test_a_client_contract_needs_its_summary(level1, allocation):
    result = check(complete_draft(level1, client_contract=True))
    assert blocking(result) == [
        (
            "client_contract_summary",
            "Summarise the client contract, or untick 'work on a client contract'",
        )
    ]


def test_the_immigration_salary_list_option_needs_its_confirmation(level1, allocation):
    result = check(
        complete_draft(
            level1,
            soc_code="2112",
            salary_amount=Decimal(40_300),
            salary_option=SalaryOption.IMMIGRATION_SALARY_LIST,
        )
    )
    assert blocking(result) == [
        (
            "salary_list_confirmed",
            "Confirm the job is on the Immigration Salary List, or choose another option",
        )
    ]


def test_a_paye_reference_or_a_reason_is_needed(level1, allocation):
    result = check(complete_draft(level1, paye_reason="   "))
    assert blocking(result) == [
        (
            "paye_reference",
            "Select the PAYE reference the worker will be paid under, or say why there is none",
        )
    ]


def test_a_paye_reference_deleted_since_it_was_chosen_blocks(sponsor, level1, allocation):
    paye = PayeFactory(sponsor=sponsor, added_by=level1, reference="123/AB45678")
    certificate = complete_draft(level1, paye_reference="123/AB45678", paye_reason="")
    assert check(certificate).ready

    PayeReference.objects.filter(pk=paye.pk).delete()

    assert blocking(check(certificate)) == [
        (
            "paye_reference",
            "123/AB45678 is not one of your PAYE references. Choose one of yours, or add it "
            "under PAYE references first",
        )
    ]


def test_skilled_worker_questions_are_not_asked_on_other_routes(db):
    creative = SponsorFactory(routes=[Route.CREATIVE_WORKER])
    user = Level1Factory(sponsor=creative)
    AllocationFactory(sponsor=creative, route=Route.CREATIVE_WORKER, limit=1)
    result = check(
        complete_draft(
            user,
            route=Route.CREATIVE_WORKER,
            salary_option="",
            eligible_occupation_confirmed=False,
            skills_charge="",
        )
    )
    assert result.ready
    assert result.salary is None  # the salary check is for Skilled Workers
    assert (result.charges.fee_pence, result.charges.skills_charge_pence) == (5_500, 0)


def test_skilled_worker_questions_are_asked_on_the_skilled_worker_route(level1, allocation):
    result = check(
        complete_draft(
            level1, salary_option="", eligible_occupation_confirmed=False, skills_charge=""
        )
    )
    assert blocking(result) == [
        ("salary_option", "Select the salary option you are claiming (A to E)"),
        (
            "eligible_occupation_confirmed",
            "Confirm the job is in an occupation the Skilled Worker route accepts",
        ),
        ("skills_charge", "Select whether the Immigration Skills Charge applies"),
    ]
    # Without a salary option there is nothing to check the salary against.
    assert result.salary is None
    # Until the skills charge question is answered, no charge is worked out.
    assert result.charges.skills_charge_pence == 0


def test_an_hourly_salary_is_checked_as_a_year_of_its_hours(level1, allocation):
    # £30 an hour x 37.5 hours x 52 weeks = £58,500, above £54,700 for 2134.
    result = check(
        complete_draft(level1, salary_amount=Decimal(30), salary_period=SalaryPeriod.HOUR)
    )
    assert result.salary is not None and result.salary.passes
    assert result.salary.message.startswith("The salary of £58,500 meets")


def test_a_monthly_salary_is_checked_as_twelve_months(level1, allocation):
    # £4,500 a month x 12 = £54,000: £700 short of the going rate for 2134.
    result = check(
        complete_draft(level1, salary_amount=Decimal(4_500), salary_period=SalaryPeriod.MONTH)
    )
    assert result.ready  # a warning only
    assert result.salary is not None and not result.salary.passes
    assert result.salary.message.startswith(
        "The salary of £54,000 is below the going rate of £54,700"
    )


def test_an_occupation_code_that_is_not_eligible_is_a_warning(level1, allocation):
    result = check(complete_draft(level1, soc_code="9999"))
    assert result.ready
    assert [(w.field, w.message) for w in result.warnings] == [
        (
            "salary_amount",
            "9999 is not an occupation code the Skilled Worker route accepts. Check the SOC "
            "2020 code.",
        )
    ]


def test_the_check_is_as_at_the_day_given(level1, allocation):
    certificate = complete_draft(level1)
    # The job starts on 4 January 2027: as at 1 October 2026 that is more than 3 months away,
    # as at 17 November 2026 it is not.
    early = assignment_check(certificate, date(2026, 10, 1))
    assert [f.field for f in early.errors] == ["start_date"]
    assert assignment_check(certificate, date(2026, 11, 17)).ready


# The task list's section statuses.


@pytest.mark.parametrize(
    ("key", "overrides", "status"),
    [
        ("personal", {}, SectionStatus.COMPLETED),
        ("personal", {"sex": ""}, SectionStatus.INCOMPLETE),
        (
            "passport",
            {
                "passport_number": "",
                "passport_issue_date": None,
                "passport_expiry_date": None,
                "passport_place_of_issue": "",
            },
            SectionStatus.NOT_STARTED,
        ),
        ("identification", {}, SectionStatus.OPTIONAL),
        ("identification", {"employee_number": "E-1001"}, SectionStatus.COMPLETED),
        ("agent", {}, SectionStatus.OPTIONAL),
        ("agent", {"sourced_through_agent": True}, SectionStatus.INCOMPLETE),
        ("work_address", {"work_nation": ""}, SectionStatus.INCOMPLETE),
        ("paye", {}, SectionStatus.COMPLETED),
        ("paye", {"paye_reason": ""}, SectionStatus.NOT_STARTED),
    ],
)
def test_section_statuses(level1, key, overrides, status):
    certificate = complete_draft(level1, **overrides)
    assert SECTIONS_BY_KEY[key].status(certificate) == status


SHORT_STAY_REFUSED = (
    "skills_charge",
    "The short-stay exemption from the Immigration Skills Charge is only for workers coming "
    "from abroad for 6 months or less. Choose whether the charge applies",
)


def test_the_short_stay_exemption_is_for_workers_coming_from_abroad(level1, allocation):
    # An in-country change of employer cannot claim it, however short.
    in_country = complete_draft(
        level1, skills_charge="EXEMPT_SHORT_STAY", end_date=date(2027, 5, 31)
    )
    assert SHORT_STAY_REFUSED in blocking(check(in_country))


def test_the_short_stay_exemption_is_for_six_months_or_less(level1, allocation):
    five_months = complete_draft(
        level1,
        category="ENTRY_CLEARANCE",
        skills_charge="EXEMPT_SHORT_STAY",
        start_date=date(2027, 1, 4),
        end_date=date(2027, 6, 3),
    )
    result = check(five_months)
    assert SHORT_STAY_REFUSED not in blocking(result)
    assert result.charges.skills_charge_pence == 0
    seven_months = complete_draft(
        level1,
        category="ENTRY_CLEARANCE",
        skills_charge="EXEMPT_SHORT_STAY",
        start_date=date(2027, 1, 4),
        end_date=date(2027, 8, 3),
    )
    assert SHORT_STAY_REFUSED in blocking(check(seven_months))


def test_a_table_1a_occupation_is_a_warning_naming_who_qualifies(level1, allocation):
    # 1232 Residential, day and domiciliary care managers: Table 1a only.
    result = check(complete_draft(level1, soc_code="1232", salary_amount=Decimal("41000")))
    warning = next(f for f in result.warnings if f.field == "soc_code")
    assert warning.message.startswith(
        "1232 Residential, day and domiciliary care managers and proprietors is in Table 1a"
    )
    assert "before 22 July 2025" in warning.message
    # A Table 1 occupation draws no such warning.
    assert not [f for f in check(complete_draft(level1)).warnings if f.field == "soc_code"]
