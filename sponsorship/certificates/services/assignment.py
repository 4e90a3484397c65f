"""Assigning a certificate: the checks, one unit of the route's allocation, the charges and an
unguessable number, all in one transaction (DOMAIN.md "Certificate of Sponsorship")."""

from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.core.errors import Conflict, InvalidTransition, NotReady
from sponsorship.core.rules import Rule, rule_value
from sponsorship.licences.models import Allocation, LicenceRequest
from sponsorship.licences.services import allocation_take

from ..cas_checks import superseded_by_assigning
from ..checks import AssignmentCheck, assignment_check
from ..defined import defined_denial
from ..fees import pounds
from ..models import Certificate, CertificateAction, CertificateKind, CertificateStatus
from ..numbering import new_certificate_number
from ._common import claim, record, restored_if_refused

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

NUMBER_ATTEMPTS = 5
# How long an assigned certificate may wait to be used, by kind.
VALIDITY_RULE: dict[str, Rule] = {
    CertificateKind.COS: Rule.CERTIFICATE_VALIDITY_MONTHS,
    CertificateKind.CAS: Rule.CAS_VALIDITY_MONTHS,
}
ALREADY_ASSIGNED = "This certificate has already been assigned."


def licence_allows_certificates(certificate: Certificate) -> None:
    """DOMAIN.md "Licence": a suspended or dormant licence may not assign (nor anything else
    with certificates); revoked, expired and surrendered licences cannot sign in at all."""
    sponsor = certificate.sponsor
    if not sponsor.is_active:
        status = sponsor.get_status_display().lower()
        raise Conflict(f"Not available while your licence is {status}.", code=f"licence_{status}")


def _number_and_assign(certificate: Certificate) -> None:
    """Give the draft its number and status in one UPDATE, which only a draft matches. Numbers
    are random, so a clash is possible if astronomically rare: draw again."""
    for _ in range(NUMBER_ATTEMPTS):
        number = new_certificate_number(certificate.kind)
        try:
            with transaction.atomic():
                moved = Certificate.objects.filter(
                    pk=certificate.pk, status=CertificateStatus.DRAFT
                ).update(number=number, status=CertificateStatus.ASSIGNED)
        except IntegrityError:
            continue
        if not moved:
            raise Conflict("This certificate has already been assigned.", code="invalid_transition")
        certificate.number = number
        certificate.status = CertificateStatus.ASSIGNED
        return
    raise Conflict("A certificate number could not be given. Try again.")  # pragma: no cover


def _take_unit(certificate: Certificate, today: date) -> Allocation | None:
    """One unit of the route's allocation, by a conditional UPDATE so that two assignments
    racing for the last unit cannot both win; or, under a defined grant, one of the grant's
    certificates, counted while its row is locked."""
    if certificate.defined_request_id is None:
        return allocation_take(sponsor=certificate.sponsor, route=certificate.route, on=today)
    request = LicenceRequest.objects.select_for_update().get(pk=certificate.defined_request_id)
    refused = defined_denial(request, today)
    if refused:
        raise Conflict(refused, code="defined_not_available")
    return None


def certificate_assign(
    *, actor: "User", certificate: Certificate, version: int | None, ip: str | None
) -> Certificate:
    """Assign a complete draft. Raises NotReady naming every field to fix, AllocationExhausted
    when the route's allocation is used up, StaleEdit when the draft changed meanwhile."""
    licence_allows_certificates(certificate)
    if not certificate.is_draft:
        # Every status but a draft's comes after assignment.
        raise InvalidTransition(ALREADY_ASSIGNED)
    today = timezone.localdate()
    check: AssignmentCheck = assignment_check(certificate, today)
    # The allocation (the one finding with no field) is taken below, atomically, and refused
    # there in the same words.
    errors = [f for f in check.errors if f.field]
    if errors:
        raise NotReady(
            f"This {certificate.noun} cannot be assigned yet. {errors[0].message.rstrip('.')}.",
            errors=[(f.field, f.message) for f in errors if f.field],
        )
    with restored_if_refused(certificate), transaction.atomic():
        # The check above read this copy: it must still be the current one, whatever the caller
        # passed, or a change made meanwhile would be assigned unchecked and then overwritten.
        claim(certificate, version if version is not None else certificate.version)
        allocation = _take_unit(certificate, today)
        _number_and_assign(certificate)
        certificate.assigned_at = timezone.now()
        certificate.assigned_by = actor
        certificate.use_by = today + relativedelta(
            months=rule_value(VALIDITY_RULE[certificate.kind], today)
        )
        certificate.allocation = allocation
        charges = check.charges
        certificate.fee_pence = charges.fee_pence
        certificate.skills_charge_pence = charges.skills_charge_pence
        certificate.save(
            update_fields=[
                "assigned_at",
                "assigned_by",
                "use_by",
                "allocation",
                "fee_pence",
                "skills_charge_pence",
                "version",
                "updated_at",
            ]
        )
        # A CAS carries no fee.
        charged = f"Fee {pounds(charges.fee_pence)}" if charges.fee_pence else ""
        if charges.skills_charge_pence:
            charged += f", Immigration Skills Charge {pounds(charges.skills_charge_pence)}"
        superseded = (
            _supersede_older(certificate, actor, ip)
            if certificate.kind == CertificateKind.CAS
            else []
        )
        record(
            certificate,
            CertificateAction.ASSIGNED,
            AuditVerb.CERTIFICATE_ASSIGNED,
            actor=actor,
            text=f"{charged}. Use by {certificate.use_by:%-d %B %Y}.".lstrip(". "),
            ip=ip,
            payload={
                "number": certificate.number,
                "fee_pence": certificate.fee_pence,
                "skills_charge_pence": certificate.skills_charge_pence,
                "allocation_remaining": allocation.remaining if allocation else None,
                "defined": certificate.defined_request.reference
                if certificate.defined_request
                else None,
                **({"superseded": superseded} if superseded else {}),
            },
        )
    return certificate


def _supersede_older(certificate: Certificate, actor: "User", ip: str | None) -> list[str]:
    """DOMAIN.md: a CAS becomes OBSOLETE when a new one is assigned for the same student and
    course. Returns the numbers made obsolete."""
    numbers = []
    for older in superseded_by_assigning(certificate):
        claim(older, None)
        current = Certificate.objects.values_list("status", flat=True).get(pk=older.pk)
        if current != CertificateStatus.ASSIGNED:
            continue
        older.status = CertificateStatus.OBSOLETE
        older.closed_at = timezone.now()
        older.closed_reason = f"Superseded by CAS {certificate.number}."
        older.save(update_fields=["status", "closed_at", "closed_reason", "version", "updated_at"])
        older.cas.superseded_by = certificate
        older.cas.save(update_fields=["superseded_by"])
        record(
            older,
            CertificateAction.SUPERSEDED,
            AuditVerb.CAS_SUPERSEDED,
            actor=actor,
            text=older.closed_reason,
            ip=ip,
            payload={"superseded_by": certificate.number},
        )
        numbers.append(older.number or "")
    return numbers
