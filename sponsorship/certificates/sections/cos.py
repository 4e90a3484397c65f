"""The sections of the CoS form, as on the original screen (DOMAIN.md "Certificate of
Sponsorship")."""

from sponsorship.licences.models import Route

from ..fees import SKILLS_CHARGE_ROUTES
from ..models import Certificate, SalaryOption
from .base import Need, Section


def _skilled_worker(certificate: Certificate) -> bool:
    return certificate.route == Route.SKILLED_WORKER


def _paye_given(certificate: Certificate) -> bool:
    return bool(certificate.cos.paye_reference or certificate.cos.paye_reason.strip())


def _through_agent(certificate: Certificate) -> bool:
    return certificate.cos.sourced_through_agent


def _client_contract(certificate: Certificate) -> bool:
    return certificate.cos.client_contract


def _salary_list_claimed(certificate: Certificate) -> bool:
    return certificate.cos.salary_option == SalaryOption.IMMIGRATION_SALARY_LIST


def _skills_charge_route(certificate: Certificate) -> bool:
    return certificate.route in SKILLS_CHARGE_ROUTES


COS_SECTIONS: tuple[Section, ...] = (
    Section(
        "personal",
        "Personal information",
        (
            "family_name",
            "given_names",
            "other_names",
            "nationality",
            "place_of_birth",
            "country_of_birth",
            "date_of_birth",
            "sex",
            "country_of_residence",
        ),
        (
            Need("family_name", "Enter the worker's family name, as in their passport"),
            Need("nationality", "Select the worker's nationality"),
            Need("place_of_birth", "Enter the worker's place of birth"),
            Need("country_of_birth", "Select the worker's country of birth"),
            Need("date_of_birth", "Enter the worker's date of birth"),
            Need("sex", "Select the worker's sex: female, male or unspecified"),
            Need("country_of_residence", "Select the country the worker lives in"),
        ),
    ),
    Section(
        "passport",
        "Passport or travel document",
        (
            "passport_number",
            "passport_issue_date",
            "passport_expiry_date",
            "passport_place_of_issue",
        ),
        (
            Need("passport_number", "Enter the passport number"),
            Need("passport_issue_date", "Enter the date the passport was issued"),
            Need("passport_expiry_date", "Enter the date the passport expires"),
            Need("passport_place_of_issue", "Enter where the passport was issued"),
        ),
    ),
    Section(
        "home_address",
        "Home address",
        (
            "home_address_line_1",
            "home_address_line_2",
            "home_town",
            "home_postcode",
            "home_country",
        ),
        (
            Need("home_address_line_1", "Enter the first line of the worker's home address"),
            Need("home_town", "Enter the town or city of the worker's home address"),
            Need("home_country", "Select the country of the worker's home address"),
        ),
    ),
    Section(
        "identification",
        "Identification numbers",
        ("uk_ni_number", "national_id", "employee_number"),
    ),
    Section(
        "work_dates",
        "Dates and hours of work",
        ("start_date", "end_date", "weekly_hours", "leave_and_reenter"),
        (
            Need("start_date", "Enter the date the job starts"),
            Need("end_date", "Enter the date the job ends"),
            Need("weekly_hours", "Enter the weekly working hours, like 37.5"),
        ),
    ),
    Section(
        "work_address",
        "Main work address in the UK",
        (
            "work_address_line_1",
            "work_address_line_2",
            "work_town",
            "work_postcode",
            "work_nation",
            "other_work_addresses",
        ),
        (
            Need(
                "work_address_line_1",
                "Enter the main work address in the UK, or pick one of your work addresses",
            ),
            Need("work_town", "Enter the town or city of the main work address"),
            Need("work_postcode", "Enter the postcode of the main work address"),
            Need("work_nation", "Select which part of the UK the main work address is in"),
        ),
    ),
    Section(
        "agent",
        "Agent",
        ("sourced_through_agent", "agent_name", "agent_address"),
        (
            Need(
                "agent_name",
                "Enter the agent's name, or untick 'sourced through an agent'",
                _through_agent,
            ),
            Need(
                "agent_address",
                "Enter the agent's address, or untick 'sourced through an agent'",
                _through_agent,
            ),
        ),
    ),
    Section(
        "employment",
        "Job and salary",
        (
            "job_title",
            "soc_code",
            "job_description",
            "new_entrant",
            "salary_amount",
            "salary_period",
            "salary_option",
            "allowances",
            "client_contract",
            "client_contract_summary",
            "eligible_occupation_confirmed",
            "salary_list_confirmed",
            "registration_details",
            "maintenance_certified",
            "atas_required",
            "skills_charge",
        ),
        (
            Need("job_title", "Enter the job title"),
            Need("soc_code", "Enter the 4-digit SOC 2020 occupation code, like 2136"),
            Need("job_description", "Describe the job, in up to 1,000 characters"),
            Need(
                "salary_amount",
                "Enter the gross salary in pounds, like 35000 or 35000.99",
            ),
            Need(
                "salary_period",
                "Select what the salary is for: each year, month, week or hour",
            ),
            Need(
                "salary_option",
                "Select the salary option you are claiming (A to E)",
                _skilled_worker,
            ),
            Need(
                "client_contract_summary",
                "Summarise the client contract, or untick 'work on a client contract'",
                _client_contract,
            ),
            Need(
                "eligible_occupation_confirmed",
                "Confirm the job is in an occupation the Skilled Worker route accepts",
                _skilled_worker,
            ),
            Need(
                "salary_list_confirmed",
                "Confirm the job is on the Immigration Salary List, or choose another option",
                _salary_list_claimed,
            ),
            Need(
                "skills_charge",
                "Select whether the Immigration Skills Charge applies",
                _skills_charge_route,
            ),
        ),
    ),
    Section(
        "paye",
        "PAYE reference",
        ("paye_reference", "paye_reason"),
        (
            Need(
                "paye_reference",
                "Select the PAYE reference the worker will be paid under, or say why there is none",
                met=_paye_given,
            ),
        ),
    ),
    Section(
        "other",
        "Care worker registration",
        ("care_worker_registration",),
    ),
)

SECTIONS_BY_KEY = {section.key: section for section in COS_SECTIONS}
