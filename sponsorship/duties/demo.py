"""Demo register and duties for Harbour View Care: one worker waiting to start (the certificate
the demo's Home Office marked used), and one who started last spring and has been absent without
permission for 12 working days, so the dashboard shows a duty due and the reminders have
something to say. Made through the services; only the second worker's dates are moved back,
since the services date everything today."""

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from sponsorship.accounts.models import User
from sponsorship.certificates.models import Certificate, CosCategory, CosDetails, Sex, WorkAddress
from sponsorship.certificates.services import (
    certificate_assign,
    certificate_create,
    certificate_mark_used,
)
from sponsorship.core.workingdays import working_days_before
from sponsorship.licences.models import Nation, OrganisationChange, Sponsor

from .models import Worker
from .services import hr_event_record, organisation_change_record, worker_update_dates


def load_demo_duties(today: date, caseworker: User) -> None:
    harbour = Sponsor.objects.get(licence_number="HVC7Q2M4K")
    level_1 = User.objects.get(username="ZHARTLEY1")
    waiting = Worker.objects.select_related("certificate").get(sponsor=harbour)
    worker_update_dates(
        actor=level_1,
        worker=waiting,
        version=waiting.version,
        values={
            "visa_granted_on": (today - timedelta(days=3)).isoformat(),
            "visa_valid_from": (today + timedelta(days=20)).isoformat(),
            "permission_expires_on": (today + relativedelta(years=3)).isoformat(),
        },
        ip=None,
    )
    working = _worker_since_spring(today, harbour, level_1, caseworker)
    hr_event_record(
        actor=level_1,
        worker=working,
        kind="CONTACT_CHANGE",
        occurred_on=(today - timedelta(days=60)).isoformat(),
        details={"email": "chidi.okonkwo@example.com", "phone": "07700 900417"},
    )
    hr_event_record(
        actor=level_1,
        worker=working,
        kind="ABSENCE",
        occurred_on=working_days_before(today, 11, working.nation).isoformat(),
        absence_type="UNAUTHORISED",
        external_id="demo-absence-1",
    )
    organisation_change_record(
        actor=level_1,
        change_type=OrganisationChange.ADDRESS,
        change_date=(today - timedelta(days=5)).isoformat(),
        summary="Our Mannamead day centre moved to 9 Eggbuckland Road.",
        ip=None,
    )


def _worker_since_spring(today: date, harbour: Sponsor, level_1: User, caseworker: User) -> Worker:
    address = WorkAddress.objects.get(sponsor=harbour, identifier="WA0002")
    draft = certificate_create(
        actor=level_1,
        route="SKILLED_WORKER",
        category=CosCategory.CHANGE_OF_EMPLOYMENT,
        values={
            "family_name": "Okonkwo",
            "given_names": "Chidi",
            "nationality": "NGA",
            "place_of_birth": "Enugu",
            "country_of_birth": "NGA",
            "date_of_birth": date(1991, 3, 14),
            "sex": Sex.MALE,
            "country_of_residence": "GBR",
            "passport_number": "A09182736",
            "passport_issue_date": date(2022, 5, 10),
            "passport_expiry_date": date(2032, 5, 9),
            "passport_place_of_issue": "Abuja",
            "home_address_line_1": "27 North Hill",
            "home_town": "Plymouth",
            "home_postcode": "PL4 8EY",
            "home_country": "GBR",
            "start_date": today + timedelta(days=7),
            "end_date": today + relativedelta(years=3),
            "weekly_hours": Decimal("37.5"),
            "work_address_id": address.pk,
            "job_title": "Senior care worker",
            "soc_code": "6136",
            "job_description": "Leads a team of care workers at the day centre.",
            "salary_amount": Decimal("34000"),
            "salary_period": "YEAR",
            "salary_option": "D",
            "salary_list_confirmed": True,
            "eligible_occupation_confirmed": True,
            "maintenance_certified": True,
            "skills_charge": "LIABLE",
            "paye_reference": "475/HV12345",
        },
        ip=None,
    )
    assigned = certificate_assign(actor=level_1, certificate=draft, version=draft.version, ip=None)
    certificate_mark_used(actor=caseworker, certificate=assigned, ip=None)
    # Moved back to last spring: assigned in March, started in April.
    started = today - relativedelta(months=7)
    CosDetails.objects.filter(certificate=assigned).update(start_date=started)
    Certificate.objects.filter(pk=assigned.pk).update(use_by=started)
    Worker.objects.filter(certificate=assigned).update(
        certificate_start_date=started,
        visa_granted_on=started - timedelta(days=20),
        start_trigger_on=started,
        nation=Nation.ENGLAND,
        permission_expires_on=today + timedelta(days=75),
        right_to_work_checked_on=started - timedelta(days=3),
        right_to_work_follow_up_on=today + timedelta(days=75),
    )
    worker = Worker.objects.select_related("certificate").get(certificate=assigned)
    hr_event_record(actor=level_1, worker=worker, kind="FIRST_DAY", occurred_on=started.isoformat())
    return Worker.objects.select_related("certificate").get(pk=worker.pk)
