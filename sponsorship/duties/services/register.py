"""The register of sponsored workers and students: it follows the certificates (CoS and CAS)
the Home Office marks used, and the sponsor keeps its dates and contact details current."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.certificates.models import (
    ApplicationOutcome,
    Certificate,
    CertificateKind,
    CertificateStatus,
)
from sponsorship.core.errors import ApplicationError, StaleEdit

from ..fields import parse_date
from ..kinds import EventKind
from ..models import (
    FIRST_STATUS,
    Duty,
    DutyStatus,
    PersonKind,
    Worker,
    WorkerContact,
    WorkerStatus,
)
from ._common import duty_close

if TYPE_CHECKING:
    from sponsorship.accounts.models import User
    from sponsorship.licences.models import Sponsor


def latest_start_trigger(worker: Worker) -> date | None:
    """DOMAIN.md: the worker must start within 28 days of the latest of the certificate's start
    date, the visa's valid-from date and the grant date."""
    known = [
        day
        for day in (worker.certificate_start_date, worker.visa_valid_from, worker.visa_granted_on)
        if day is not None
    ]
    return max(known) if known else None


def _one_line(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def _copy_from_cas(worker: Worker, certificate: Certificate) -> None:
    """A student's row: the CAS's course and study address. The study address's part of the UK
    (else the head office's) decides whose bank holidays count; the course start date starts
    the "did not enrol" clock."""
    cas = certificate.cas
    worker.kind = PersonKind.STUDENT
    worker.status = WorkerStatus.NOT_ENROLLED
    worker.student_id = cas.student_id
    worker.course_title = cas.course_title
    worker.course_start_date = cas.course_start_date
    worker.course_end_date = cas.course_end_date
    worker.weekly_hours = cas.weekly_study_hours
    worker.study_address = cas.study_address_one_line
    worker.nation = cas.study_nation or certificate.sponsor.nation
    worker.start_trigger_on = cas.course_start_date
    worker.home_address = _one_line(
        certificate.home_address_line_1,
        certificate.home_address_line_2,
        certificate.home_town,
        certificate.home_postcode,
    )


def _copy_from_certificate(worker: Worker, certificate: Certificate) -> None:
    if certificate.kind == CertificateKind.CAS:
        _copy_from_cas(worker, certificate)
        return
    cos = certificate.cos
    worker.job_title = cos.job_title
    worker.soc_code = cos.soc_code
    worker.annual_salary = cos.annual_salary
    worker.weekly_hours = cos.weekly_hours
    worker.work_address = ", ".join(
        part
        for part in (
            cos.work_address_line_1,
            cos.work_address_line_2,
            cos.work_town,
            cos.work_postcode,
        )
        if part
    )
    worker.other_work_addresses = cos.other_work_addresses
    worker.nation = cos.work_nation or certificate.sponsor.nation
    worker.certificate_start_date = cos.start_date
    worker.home_address = ", ".join(
        part
        for part in (
            certificate.home_address_line_1,
            certificate.home_address_line_2,
            certificate.home_town,
            certificate.home_postcode,
        )
        if part
    )
    worker.start_trigger_on = latest_start_trigger(worker)


def _end(worker: Worker, reason: str, actor: "User | None") -> None:
    """Sponsorship is over before or without a report: nothing more is owed for this worker."""
    worker.status = WorkerStatus.ENDED
    worker.ended_reason = reason
    worker.ended_on = worker.ended_on or timezone.localdate()
    for duty in Duty.objects.filter(worker=worker, status=DutyStatus.OPEN):
        duty_close(duty, DutyStatus.CANCELLED, reason, actor=actor)


def worker_sync(*, certificate: Certificate, actor: "User | None") -> Worker | None:
    """A step of CERTIFICATE_CHANGED_STEPS: a used certificate puts its worker (a CoS) or its
    student (a CAS) on the register; a refused application, a rejected one (the certificate is
    assigned again) or a cancelled certificate ends the sponsorship and cancels what was
    owed."""
    if certificate.kind not in (CertificateKind.COS, CertificateKind.CAS):
        return None
    worker = Worker.objects.select_for_update().filter(certificate=certificate).first()
    used = certificate.status == CertificateStatus.USED
    refused = certificate.application_outcome == ApplicationOutcome.REFUSED
    if worker is None:
        if not used or refused:
            return None
        worker = Worker(sponsor_id=certificate.sponsor_id, certificate=certificate)
        _copy_from_certificate(worker, certificate)
        worker.save()
        audit_record(
            AuditVerb.WORKER_REGISTERED,
            actor=actor,
            sponsor=certificate.sponsor,
            target=Target.of(worker),
            payload={
                "certificate": certificate.number,
                **({"kind": worker.kind} if worker.is_student else {}),
            },
        )
        return worker
    before = worker.status
    if used and not refused:
        if certificate.application_outcome == ApplicationOutcome.GRANTED:
            worker.visa_granted_on = worker.visa_granted_on or timezone.localdate()
            if not worker.is_student:
                worker.start_trigger_on = latest_start_trigger(worker)
        if worker.status == WorkerStatus.ENDED and not worker.started_on:
            # Relied on again after a rejected application.
            worker.status = FIRST_STATUS[PersonKind(worker.kind)]
            worker.ended_reason = ""
            worker.ended_on = None
    elif worker.status != WorkerStatus.ENDED:
        if refused:
            reason = "The visa application was refused."
        elif certificate.status == CertificateStatus.CANCELLED:
            reason = "The Home Office cancelled the certificate."
        else:
            reason = "The visa application did not go ahead (rejected, void or withdrawn)."
        _end(worker, reason, actor)
    worker.updated_at = timezone.now()
    worker.version = F("version") + 1
    worker.save()
    worker.refresh_from_db(fields=["version"])
    if worker.status != before:
        audit_record(
            AuditVerb.WORKER_DETAILS_CHANGED,
            actor=actor,
            sponsor=certificate.sponsor,
            target=Target.of(worker),
            payload={"status": worker.status, "reason": worker.ended_reason},
        )
    return worker


def workers_end_on_revocation(*, sponsor: "Sponsor", actor: "User") -> None:
    """A step of LICENCE_REVOCATION_STEPS: with the licence gone, every sponsorship ends."""
    reason = "The licence was revoked."
    for worker in (
        Worker.objects.select_for_update()
        .filter(sponsor=sponsor)
        .exclude(status=WorkerStatus.ENDED)
    ):
        _end(worker, reason, actor)
        worker.version = F("version") + 1
        worker.updated_at = timezone.now()
        worker.save(update_fields=["status", "ended_reason", "ended_on", "version", "updated_at"])


# The dates and contact details a sponsor keeps on the register: field -> label.
EDITABLE_DATES = {
    "visa_valid_from": "Visa valid from",
    "visa_granted_on": "Date the visa was granted",
    "permission_expires_on": "Permission (visa) expiry date",
    "right_to_work_checked_on": "Right to work check date",
    "right_to_work_follow_up_on": "Right to work follow-up check date",
}


def worker_update_dates(
    *, actor: "User", worker: Worker, version: int, values: dict[str, Any], ip: str | None
) -> Worker:
    """Change the register's dates (blank clears one). Refuses a stale form; a new visa date may
    move the "did not start" clock."""
    unknown = sorted(set(values) - set(EDITABLE_DATES))
    if unknown:
        raise ApplicationError(
            f"These dates cannot be changed here: {', '.join(unknown)}", field=unknown[0]
        )
    cleaned: dict[str, date | None] = {}
    errors: list[tuple[str, str]] = []
    for name, value in values.items():
        if value in (None, ""):
            cleaned[name] = None
            continue
        try:
            cleaned[name] = parse_date(value, EDITABLE_DATES[name])
        except ApplicationError as error:
            errors.append((name, error.message))
    checked = cleaned.get("right_to_work_checked_on")
    follow_up = cleaned.get("right_to_work_follow_up_on")
    if checked and follow_up and follow_up <= checked:
        errors.append(
            (
                "right_to_work_follow_up_on",
                "The follow-up check date must be after the right to work check date",
            )
        )
    if checked and checked > timezone.localdate():
        errors.append(
            ("right_to_work_checked_on", "The right to work check date cannot be in the future")
        )
    if errors:
        raise ApplicationError(errors[0][1], field=errors[0][0], errors=errors)
    with transaction.atomic():
        if not Worker.objects.filter(pk=worker.pk, version=version).update(
            version=F("version") + 1, updated_at=timezone.now()
        ):
            raise StaleEdit()
        worker.refresh_from_db()
        for name, value in cleaned.items():
            setattr(worker, name, value)
        worker.start_trigger_on = latest_start_trigger(worker)
        worker.save()
        # A "did not start" duty counted from another start date is no longer owed; the sweep
        # raises a new one if the new window passes too.
        owed = Duty.objects.filter(
            worker=worker, kind=EventKind.DID_NOT_START, status=DutyStatus.OPEN
        )
        if worker.start_trigger_on is not None:
            owed = owed.exclude(event_date=worker.start_trigger_on)
        for duty in owed:
            duty_close(
                duty,
                DutyStatus.CANCELLED,
                "The start dates changed, so the 28 days are counted again.",
                actor=actor,
            )
        audit_record(
            AuditVerb.WORKER_DETAILS_CHANGED,
            actor=actor,
            sponsor=worker.sponsor,
            target=Target.of(worker),
            payload=dict(cleaned),
            ip_address=ip,
        )
    return worker


def worker_contact_save(
    worker: Worker, email: str, phone: str, home_address: str, changed_on: date, actor: "User"
) -> WorkerContact:
    """Keep the new contact details and the old ones in the history."""
    worker.email, worker.phone, worker.home_address = email, phone, home_address
    return WorkerContact.objects.create(
        sponsor_id=worker.sponsor_id,
        worker=worker,
        email=email,
        phone=phone,
        home_address=home_address,
        changed_on=changed_on,
        recorded_by=actor,
    )
