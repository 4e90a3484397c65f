"""The sponsored-worker register follows the certificates the Home Office marks used, and the
sponsor keeps its dates current. Driven through the certificate and licence services, as a
caseworker's actions would be.

The clock is frozen at Monday 16 November 2026 (conftest).
"""

from datetime import date
from decimal import Decimal

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import ApplicationOutcome
from sponsorship.certificates.services import (
    certificate_cancel,
    certificate_mark_used,
    certificate_record_outcome,
)
from sponsorship.certificates.tests.factories import assigned_certificate
from sponsorship.core.errors import ApplicationError, StaleEdit
from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import Duty, DutyStatus, Worker, WorkerStatus
from sponsorship.duties.services import (
    duties_raise_on_schedule,
    hr_event_record,
    worker_update_dates,
)
from sponsorship.duties.tests.factories import sponsored_worker
from sponsorship.licences.models import LicenceStatus, Nation
from sponsorship.licences.services import licence_status_change


def fresh(worker):
    return Worker.objects.get(pk=worker.pk)


def salary_cut(worker, actor):
    hr_event_record(
        actor=actor,
        worker=worker,
        kind="SALARY_CHANGE",
        occurred_on="2026-11-16",
        details={"new_salary": "40000"},
    )
    return Duty.objects.get(worker=worker)


# ---------------------------------------------------------------- following the certificate


def test_an_assigned_certificate_puts_no_one_on_the_register(level1):
    assigned_certificate(level1)
    assert not Worker.objects.exists()


def test_a_certificate_marked_used_puts_its_worker_on_the_register(level1, caseworker):
    certificate = assigned_certificate(level1, start_date=date(2026, 12, 7))
    certificate_mark_used(actor=caseworker, certificate=certificate, ip=None)

    worker = Worker.objects.get(certificate=certificate)
    assert worker.sponsor_id == level1.sponsor_id
    assert worker.status == WorkerStatus.AWAITING_START
    assert worker.job_title == "Software developer"
    assert worker.soc_code == "2134"
    assert worker.annual_salary == Decimal("55000")
    assert worker.weekly_hours == Decimal("37.5")
    assert worker.work_address == "1 High Street, London, SW1A 1AA"
    assert worker.nation == Nation.ENGLAND
    assert worker.home_address == "14 Wellington Road, Leeds, LS1 4AB"
    assert worker.certificate_start_date == date(2026, 12, 7)
    assert worker.start_trigger_on == date(2026, 12, 7)
    audit = AuditEvent.objects.get(verb=AuditVerb.WORKER_REGISTERED)
    assert audit.payload == {"certificate": certificate.number}
    assert audit.sponsor_id == level1.sponsor_id


def test_the_worker_takes_the_nation_of_their_place_of_work(level1):
    worker = sponsored_worker(level1, start_date=date(2026, 11, 2), work_nation=Nation.SCOTLAND)
    assert worker.nation == Nation.SCOTLAND


def test_a_refused_application_ends_sponsorship_and_cancels_what_was_owed(
    worker, level1, caseworker
):
    duty = salary_cut(worker, level1)
    certificate_record_outcome(
        actor=caseworker,
        certificate=worker.certificate,
        outcome=ApplicationOutcome.REFUSED,
        ip=None,
    )
    worker = fresh(worker)
    assert worker.status == WorkerStatus.ENDED
    assert worker.ended_reason == "The visa application was refused."
    assert worker.ended_on == date(2026, 11, 16)
    duty.refresh_from_db()
    assert duty.status == DutyStatus.CANCELLED
    assert duty.closed_note == "The visa application was refused."
    changed = AuditEvent.objects.filter(verb=AuditVerb.WORKER_DETAILS_CHANGED).get()
    assert changed.payload["status"] == WorkerStatus.ENDED


def test_a_granted_application_starts_the_28_days_from_the_grant(worker, caseworker):
    certificate_record_outcome(
        actor=caseworker,
        certificate=worker.certificate,
        outcome=ApplicationOutcome.GRANTED,
        ip=None,
    )
    worker = fresh(worker)
    assert worker.status == WorkerStatus.AWAITING_START
    assert worker.visa_granted_on == date(2026, 11, 16)
    # The latest of the start date (2 Nov) and the grant (16 Nov).
    assert worker.start_trigger_on == date(2026, 11, 16)


@pytest.mark.parametrize(
    "outcome",
    [ApplicationOutcome.REJECTED_INVALID, ApplicationOutcome.VOID, ApplicationOutcome.WITHDRAWN],
)
def test_a_rejected_application_ends_sponsorship_until_the_certificate_is_used_again(
    worker, level1, caseworker, outcome
):
    duty = salary_cut(worker, level1)
    certificate_record_outcome(
        actor=caseworker, certificate=worker.certificate, outcome=outcome, ip=None
    )
    ended = fresh(worker)
    assert ended.status == WorkerStatus.ENDED
    assert "did not go ahead" in ended.ended_reason
    duty.refresh_from_db()
    assert duty.status == DutyStatus.CANCELLED

    certificate_mark_used(actor=caseworker, certificate=ended.certificate, ip=None)

    back = fresh(worker)
    assert back.pk == worker.pk  # the same row: the register keeps one per certificate
    assert back.status == WorkerStatus.AWAITING_START
    assert back.ended_reason == ""
    assert back.ended_on is None
    assert Worker.objects.count() == 1


def test_a_cancelled_certificate_ends_sponsorship(worker, level1, caseworker):
    duty = salary_cut(worker, level1)
    certificate_cancel(
        actor=caseworker, certificate=worker.certificate, reason="Issued in error.", ip=None
    )
    worker = fresh(worker)
    assert worker.status == WorkerStatus.ENDED
    assert worker.ended_reason == "The Home Office cancelled the certificate."
    duty.refresh_from_db()
    assert duty.status == DutyStatus.CANCELLED


def test_revoking_the_licence_ends_every_sponsorship_of_that_sponsor_only(
    level1, level2, other_level1, caseworker
):
    started = sponsored_worker(level1, start_date=date(2026, 11, 2))
    hr_event_record(actor=level1, worker=started, kind="FIRST_DAY", occurred_on="2026-11-02")
    waiting = sponsored_worker(level2, start_date=date(2026, 12, 7))
    duty = salary_cut(fresh(started), level1)
    theirs = sponsored_worker(other_level1, start_date=date(2026, 11, 2))

    licence_status_change(
        caseworker=caseworker,
        sponsor_id=level1.sponsor_id,
        status=LicenceStatus.REVOKED,
        reasons="Serious breaches of sponsor duties.",
        ip=None,
    )

    for worker in (started, waiting):
        worker = fresh(worker)
        assert worker.status == WorkerStatus.ENDED
        assert worker.ended_reason == "The licence was revoked."
        assert worker.ended_on == date(2026, 11, 16)
    duty.refresh_from_db()
    assert duty.status == DutyStatus.CANCELLED
    assert fresh(theirs).status == WorkerStatus.AWAITING_START


# ---------------------------------------------------------------- the sponsor's dates


def test_a_later_visa_date_moves_the_did_not_start_clock(worker, level1):
    worker = worker_update_dates(
        actor=level1,
        worker=worker,
        version=worker.version,
        values={"visa_valid_from": "2026-11-09", "visa_granted_on": "2026-10-20"},
        ip="192.0.2.1",
    )
    assert worker.start_trigger_on == date(2026, 11, 9)
    stored = fresh(worker)
    assert stored.visa_valid_from == date(2026, 11, 9)
    assert stored.start_trigger_on == date(2026, 11, 9)

    # Blank clears a date: back to the certificate's start date.
    worker = worker_update_dates(
        actor=level1, worker=stored, version=stored.version, values={"visa_valid_from": ""}, ip=None
    )
    assert fresh(worker).visa_valid_from is None
    assert fresh(worker).start_trigger_on == date(2026, 11, 2)


def test_the_sweep_uses_the_moved_clock(worker, level1, frozen):
    worker_update_dates(
        actor=level1,
        worker=worker,
        version=worker.version,
        values={"visa_valid_from": "2026-11-09"},
        ip=None,
    )
    # The window now ends Mon 7 Dec, not Mon 30 Nov.
    frozen.move_to("2026-12-03 10:00")
    assert duties_raise_on_schedule(date(2026, 12, 3)) == 0
    frozen.move_to("2026-12-08 10:00")
    assert duties_raise_on_schedule(date(2026, 12, 8)) == 1
    duty = Duty.objects.get(worker=worker)
    assert duty.event_date == date(2026, 11, 9)
    # Mon 7 Dec: 8-11 (4), 14-18 (9), Mon 21 Dec (10).
    assert duty.due_on == date(2026, 12, 21)


def test_a_later_visa_date_withdraws_a_did_not_start_duty_no_longer_owed(worker, level1, frozen):
    frozen.move_to("2026-12-01 10:00")
    duties_raise_on_schedule(date(2026, 12, 1))
    duty = Duty.objects.get(worker=worker, kind=EventKind.DID_NOT_START)
    # The visa only allowed work from 20 Nov: the 28 days run to 18 Dec.
    worker_update_dates(
        actor=level1,
        worker=fresh(worker),
        version=fresh(worker).version,
        values={"visa_valid_from": "2026-11-20"},
        ip=None,
    )
    duty.refresh_from_db()
    assert duty.status == DutyStatus.CANCELLED


def test_changing_the_dates_is_audited(worker, level1):
    worker_update_dates(
        actor=level1,
        worker=worker,
        version=worker.version,
        values={"permission_expires_on": "2029-12-31", "right_to_work_checked_on": "2026-11-02"},
        ip="192.0.2.1",
    )
    audit = AuditEvent.objects.filter(verb=AuditVerb.WORKER_DETAILS_CHANGED).get()
    assert audit.payload == {
        "permission_expires_on": "2029-12-31",
        "right_to_work_checked_on": "2026-11-02",
    }
    assert audit.ip_address == "192.0.2.1"
    assert audit.actor == level1


def test_a_stale_form_is_refused(worker, level1):
    version = worker.version
    worker_update_dates(
        actor=level1,
        worker=worker,
        version=version,
        values={"permission_expires_on": "2029-12-31"},
        ip=None,
    )
    with pytest.raises(StaleEdit):
        worker_update_dates(
            actor=level1,
            worker=fresh(worker),
            version=version,
            values={"permission_expires_on": "2028-01-01"},
            ip=None,
        )
    assert fresh(worker).permission_expires_on == date(2029, 12, 31)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"right_to_work_checked_on": "2026-11-02", "right_to_work_follow_up_on": "2026-11-01"},
            "right_to_work_follow_up_on",
            "The follow-up check date must be after the right to work check date",
        ),
        (
            {"right_to_work_checked_on": "2026-11-02", "right_to_work_follow_up_on": "2026-11-02"},
            "right_to_work_follow_up_on",
            "The follow-up check date must be after the right to work check date",
        ),
        (
            {"right_to_work_checked_on": "2026-11-17"},
            "right_to_work_checked_on",
            "The right to work check date cannot be in the future",
        ),
        (
            {"permission_expires_on": "31/12/2029"},
            "permission_expires_on",
            "Permission (visa) expiry date must be a real date, like 2026-11-27 (year, month, day)",
        ),
        (
            {"started_on": "2026-11-02"},
            "started_on",
            "These dates cannot be changed here: started_on",
        ),
    ],
)
def test_bad_dates_are_refused_naming_the_field(worker, level1, values, field, message):
    version = worker.version
    with pytest.raises(ApplicationError) as refused:
        worker_update_dates(actor=level1, worker=worker, version=version, values=values, ip=None)
    assert (field, message) in [(refused.value.field, refused.value.message), *refused.value.errors]
    stored = fresh(worker)
    assert stored.version == version
    assert stored.right_to_work_checked_on is None
    assert not AuditEvent.objects.filter(verb=AuditVerb.WORKER_DETAILS_CHANGED).exists()
