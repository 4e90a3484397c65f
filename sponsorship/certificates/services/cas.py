"""CAS drafts and live CAS (DOMAIN.md "Confirmation of Acceptance for Studies"): create with a
family name, change any field of a draft, and on a live CAS change only the fees. Assignment,
notes, withdrawal, transfer and the Home Office's actions are the certificate core's."""

from typing import TYPE_CHECKING, Any

from django.db import transaction

from sponsorship.audit.models import AuditVerb
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotFound
from sponsorship.licences.models import Route, RouteGroup
from sponsorship.licences.models.sponsors import ROUTE_GROUPS

from ..cas_checks import fee_findings
from ..models import CasDetails, Certificate, CertificateAction, CertificateKind
from ..sections import FEE_FIELDS, FEE_NEEDS
from ._common import claim, record, restored_if_refused
from .drafts import _apply, _draft, _forget_source_if_retyped, clean_values

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def _check_route(actor: "User", route: str) -> None:
    sponsor = actor.sponsor
    if sponsor is None:
        raise NotFound("This is for sponsor users only.")
    if ROUTE_GROUPS.get(route) != RouteGroup.STUDENT:
        raise ApplicationError("Select Student or Child Student", field="route")
    if route not in sponsor.route_codes:
        raise ApplicationError(
            f"Your licence does not include the {Route(route).label} route. Select one of "
            "your routes",
            field="route",
        )


def cas_create(*, actor: "User", route: str, values: dict[str, Any], ip: str | None) -> Certificate:
    """A new CAS draft owned by its creator. Needs a family name and nothing else."""
    _check_route(actor, route)
    cleaned = clean_values({"family_name": "", **values}, actor, CertificateKind.CAS)
    with transaction.atomic():
        certificate = Certificate(
            sponsor=actor.sponsor,
            kind=CertificateKind.CAS,
            route=route,
            owner=actor,
            created_by=actor,
        )
        certificate.cas = CasDetails()
        _apply(certificate, cleaned)
        certificate.save()
        certificate.cas.certificate = certificate
        certificate.cas.save()
        record(
            certificate,
            CertificateAction.CREATED,
            AuditVerb.CERTIFICATE_CREATED,
            actor=actor,
            ip=ip,
        )
    return certificate


def cas_update(
    *,
    actor: "User",
    certificate: Certificate,
    version: int | None,
    values: dict[str, Any],
    ip: str | None,
) -> Certificate:
    """Change fields of a CAS draft. The route (Student or Child Student) may change too."""
    _draft(certificate)
    values = dict(values)
    route = values.pop("route", certificate.route)
    _check_route(actor, route)
    cleaned = clean_values(values, actor, CertificateKind.CAS)
    with transaction.atomic():
        claim(certificate, version)
        changed = _apply(certificate, cleaned)
        _forget_source_if_retyped(certificate)
        if route != certificate.route:
            certificate.route = route
            changed.append("route")
        certificate.save()
        certificate.cas.save()
        if changed:
            record(
                certificate,
                CertificateAction.EDITED,
                AuditVerb.CERTIFICATE_EDITED,
                actor=actor,
                ip=ip,
                payload={"fields": sorted(changed)},
            )
    return certificate


def cas_fees_update(
    *,
    actor: "User",
    certificate: Certificate,
    version: int | None,
    values: dict[str, Any],
    ip: str | None,
) -> Certificate:
    """Change the fee fields of a live CAS (DOMAIN.md: the only fields a sponsor may change
    after assignment). Fees paid may never exceed the fees due."""
    if certificate.kind != CertificateKind.CAS:
        raise NotFound("There is no such CAS.")
    if certificate.is_draft:
        raise InvalidTransition(
            "This CAS is still a draft: change its fees in its Fees section, or assign it first."
        )
    if not certificate.is_live:
        raise InvalidTransition(
            f"CAS {certificate.reference} is {certificate.get_status_display().lower()}: fees "
            "can be updated only on an assigned or used CAS."
        )
    others = sorted(set(values) - set(FEE_FIELDS))
    if others:
        raise ApplicationError(
            f"Only the fees can be changed on a live CAS, not: {', '.join(others)}",
            field=others[0],
        )
    cleaned = clean_values(values, actor, CertificateKind.CAS)
    # What assignment needed stays given: a live CAS never loses its fees.
    emptied = [
        (need.field, need.message)
        for need in FEE_NEEDS
        if need.field in cleaned and cleaned[need.field] is None
    ]
    if emptied:
        raise ApplicationError(emptied[0][1], field=emptied[0][0], errors=emptied)
    with restored_if_refused(certificate), transaction.atomic():
        claim(certificate, version)
        before = {name: str(getattr(certificate.cas, name)) for name in cleaned}
        changed = _apply(certificate, cleaned)
        problems = fee_findings(certificate.cas)
        if problems:
            raise ApplicationError(
                problems[0].message,
                field=problems[0].field,
                errors=[(p.field or "", p.message) for p in problems],
            )
        certificate.cas.save(update_fields=list(FEE_FIELDS))
        certificate.save(update_fields=["version", "updated_at"])
        if changed:
            record(
                certificate,
                CertificateAction.FEES_UPDATED,
                AuditVerb.CAS_FEES_UPDATED,
                actor=actor,
                text=", ".join(
                    f"{name.replace('_', ' ')}: {before[name]} to {getattr(certificate.cas, name)}"
                    for name in changed
                ),
                ip=ip,
                payload={"fields": sorted(changed)},
            )
    return certificate
