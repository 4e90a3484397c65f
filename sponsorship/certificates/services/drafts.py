"""Drafts: create (new, or based on another certificate), change any field, delete. A family
name is enough to save; what assignment needs is checked by `checks.assignment_check`."""

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.countries import country_names, nationality_names
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotFound
from sponsorship.licences.models import PayeReference, Route, RouteGroup
from sponsorship.licences.models.sponsors import ROUTE_GROUPS

from ..models import (
    AddressPurpose,
    Certificate,
    CertificateAction,
    CertificateKind,
    CertificateStatus,
    CosCategory,
    CosDetails,
    WorkAddress,
    name_key,
    normalise_reference,
)
from ..sections import CORE_FIELDS, COS_SECTIONS, SECTIONS, details_of, model_field
from ._common import claim, record

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

# Every field a user may write on a draft of each kind, from the form's sections.
EDITABLE: dict[str, frozenset[str]] = {
    kind: frozenset(name for section in sections for name in section.fields)
    for kind, sections in SECTIONS.items()
}
EDITABLE_FIELDS = EDITABLE[CertificateKind.COS]
# The pre-stored address a draft's address may be copied from, by kind: the field naming it
# and the addresses' purpose.
ADDRESS_SOURCE: dict[str, tuple[str, AddressPurpose]] = {
    CertificateKind.COS: ("work_address_id", AddressPurpose.WORK),
    CertificateKind.CAS: ("study_address_id", AddressPurpose.STUDY),
}
NATIONALITY_FIELDS = frozenset({"nationality"})
COUNTRY_FIELDS = frozenset({"country_of_birth", "country_of_residence", "home_country"})
MAX_WEEKLY_HOURS = Decimal(99)
MAX_SALARY = Decimal("9999999.99")
MAX_FEES = Decimal("9999999.99")
FEE_AMOUNTS = frozenset({"course_fees_first_year", "course_fees_paid", "accommodation_fees_paid"})
POSTCODE_FIELDS = frozenset({"work_postcode", "home_postcode", "study_postcode"})
# HMRC's rules (NIM39110): no D, F, I, Q, U or V; no O second; never BG, GB, KN, NK, NT, TN, ZZ.
NI_NUMBER = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")
PASSPORT_NUMBER = re.compile(r"^[A-Z0-9]{1,20}$")
SOC_CODE = re.compile(r"^\d{4}$")


def _clean_one(name: str, value: Any, actor: "User", kind: str) -> Any:
    """The value as stored, or ApplicationError naming the field and how to fix it."""
    field = model_field(name, kind)
    # The field's name as written ("SELT reading level", "in the UK"): only its first letter
    # changes at the start of a sentence.
    named = str(field.verbose_name)
    label = named[:1].upper() + named[1:]
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            raise ApplicationError(f"{label} must be true or false", field=name)
        return value
    if isinstance(field, models.DateField):
        if value is not None and not isinstance(value, date):
            raise ApplicationError(f"{label} must be a date", field=name)
        return value
    if isinstance(field, models.DecimalField):
        return _clean_decimal(name, value)
    # Text
    text = "" if value is None else str(value).strip()
    if name == "family_name" and not text:
        person = "worker" if kind == CertificateKind.COS else "student"
        raise ApplicationError(
            f"Enter the {person}'s family name, as in their passport: a draft needs at least that",
            field=name,
        )
    if name == "passport_number":
        text = normalise_reference(text)
        if text and not PASSPORT_NUMBER.match(text):
            raise ApplicationError(
                "Enter the passport number using only letters and numbers, up to 20 characters",
                field=name,
            )
    if name == "uk_ni_number":
        text = re.sub(r"\s+", "", text).upper()
        if text and not NI_NUMBER.match(text):
            raise ApplicationError(
                "Enter a National Insurance number in the right format, like QQ 12 34 56 C",
                field=name,
            )
    if name in POSTCODE_FIELDS:
        text = re.sub(r"\s+", " ", text).upper()
    if name == "soc_code" and text and not SOC_CODE.match(text):
        raise ApplicationError(
            "Enter the SOC 2020 occupation code as 4 digits, like 2136", field=name
        )
    if name in NATIONALITY_FIELDS and text and text not in nationality_names():
        raise ApplicationError("Select a nationality in the list", field=name)
    if name in COUNTRY_FIELDS and text and text not in country_names():
        raise ApplicationError(f"Select a country in the list for {named}", field=name)
    if field.choices and text and text not in {str(key) for key, _ in field.choices}:
        raise ApplicationError(f"Select one of the options for {named}", field=name)
    if (
        name == "paye_reference"
        and text
        and not PayeReference.objects.filter(sponsor=actor.sponsor, reference=text).exists()
    ):
        raise ApplicationError(
            f"{text} is not one of your PAYE references. Choose one of yours, or "
            "add it under PAYE references first",
            field=name,
        )
    if field.max_length and len(text) > field.max_length:
        raise ApplicationError(
            f"{label} must be {field.max_length:,} characters or fewer", field=name
        )
    if name == "job_description" and len(text) > 1000:
        raise ApplicationError("Describe the job in 1,000 characters or fewer", field=name)
    if name == "work_placement_details" and len(text) > 1000:
        raise ApplicationError(
            "Describe the work placement in 1,000 characters or fewer", field=name
        )
    return text


def _within(amount: Decimal, highest: Decimal) -> bool:
    """Positive, no more than `highest`, at most 2 decimal places (pence, or hundredths of an
    hour)."""
    exponent = amount.as_tuple().exponent
    return (
        amount.is_finite()
        and 0 < amount <= highest
        and isinstance(exponent, int)
        and exponent >= -2
    )


def _clean_decimal(name: str, value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        amount = Decimal("NaN")
    if name in FEE_AMOUNTS:
        # Nothing paid (0) is an answer.
        if amount == 0 and amount.is_finite():
            return Decimal("0.00")
        if not _within(amount, MAX_FEES):
            label = str(model_field(name, CertificateKind.CAS).verbose_name)
            raise ApplicationError(
                f"Enter the {label} in pounds, like 18500 or 18500.50, with no commas or pound "
                "sign (0 if none)",
                field=name,
            )
        return amount
    if name == "salary_amount":
        if not _within(amount, MAX_SALARY):
            raise ApplicationError(
                "Enter the gross salary in pounds, like 35000 or 35000.99, with no commas or "
                "pound sign",
                field=name,
            )
        return amount
    if not _within(amount, MAX_WEEKLY_HOURS):
        what = "weekly working hours" if name == "weekly_hours" else "hours of study a week"
        raise ApplicationError(f"Enter the {what} as a number up to 99, like 37.5", field=name)
    return amount


def clean_values(
    values: dict[str, Any], actor: "User", kind: str = CertificateKind.COS
) -> dict[str, Any]:
    """Every value checked; all the problems at once, so a form can show them together."""
    source_field, purpose = ADDRESS_SOURCE[kind]
    unknown = sorted(set(values) - EDITABLE[kind] - {source_field})
    if unknown:
        what = "a certificate" if kind == CertificateKind.COS else "a CAS"
        raise ApplicationError(
            f"These are not fields of {what}: {', '.join(unknown)}", field=unknown[0]
        )
    cleaned: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for name, value in values.items():
        if name == source_field:
            continue
        try:
            cleaned[name] = _clean_one(name, value, actor, kind)
        except ApplicationError as error:
            errors.append((name, error.message))
    if values.get(source_field) is not None:
        address = WorkAddress.objects.filter(
            sponsor=actor.sponsor,
            purpose=purpose,
            pk=values[source_field],
            retired_at__isnull=True,
        ).first()
        if address is None:
            errors.append((source_field, f"Select one of your {purpose.label.lower()}es in use"))
        else:
            cleaned.update(_copied_address(kind, address))
    if errors:
        raise ApplicationError(errors[0][1], field=errors[0][0], errors=errors)
    return cleaned


def _copied_address(kind: str, address: WorkAddress) -> dict[str, Any]:
    """The fields of a draft that a pre-stored address fills."""
    prefix = "work" if kind == CertificateKind.COS else "study"
    return {
        f"{prefix}_address": address,
        f"{prefix}_address_line_1": address.line_1,
        f"{prefix}_address_line_2": address.line_2,
        f"{prefix}_town": address.town,
        f"{prefix}_postcode": address.postcode,
        f"{prefix}_nation": address.nation,
    }


def _apply(certificate: Certificate, cleaned: dict[str, Any]) -> list[str]:
    """Set the values on the certificate and its details; the names of those that changed."""
    changed = []
    details = details_of(certificate)
    for name, value in cleaned.items():
        target = certificate if name in CORE_FIELDS else details
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    certificate.family_name_key = name_key(certificate.family_name)
    certificate.given_names_key = name_key(certificate.given_names)
    return changed


def _forget_source_if_retyped(certificate: Certificate) -> None:
    """The stored address a work or study address was copied from is kept only while the copy
    still reads the same."""
    details = details_of(certificate)
    prefix = "work" if certificate.kind == CertificateKind.COS else "study"
    source = getattr(details, f"{prefix}_address")
    if source is not None and any(
        getattr(details, name) != value
        for name, value in _copied_address(certificate.kind, source).items()
        if name != f"{prefix}_address"
    ):
        setattr(details, f"{prefix}_address", None)


def _check_route(actor: "User", route: str, category: str) -> None:
    sponsor = actor.sponsor
    if sponsor is None:
        raise NotFound("This is for sponsor users only.")
    if route not in ROUTE_GROUPS or ROUTE_GROUPS[route] == RouteGroup.STUDENT:
        raise ApplicationError("Select a worker route", field="route")
    if route not in sponsor.route_codes:
        raise ApplicationError(
            f"Your licence does not include the {Route(route).label} route. Select one of "
            "your routes",
            field="route",
        )
    if category not in CosCategory.values:
        raise ApplicationError("Select what the certificate is for", field="category")


def certificate_create(
    *, actor: "User", route: str, category: str, values: dict[str, Any], ip: str | None
) -> Certificate:
    """A new CoS draft owned by its creator. Needs a family name and nothing else."""
    _check_route(actor, route, category)
    cleaned = clean_values({"family_name": "", **values}, actor)
    with transaction.atomic():
        certificate = Certificate(
            sponsor=actor.sponsor,
            kind=CertificateKind.COS,
            route=route,
            owner=actor,
            created_by=actor,
        )
        certificate.cos = CosDetails(category=category)
        _apply(certificate, cleaned)
        certificate.save()
        certificate.cos.certificate = certificate
        certificate.cos.save()
        record(
            certificate,
            CertificateAction.CREATED,
            AuditVerb.CERTIFICATE_CREATED,
            actor=actor,
            ip=ip,
        )
    return certificate


def _draft(certificate: Certificate) -> None:
    if not certificate.is_draft:
        noun = certificate.noun[:1].upper() + certificate.noun[1:]
        status = certificate.get_status_display().lower()
        raise InvalidTransition(
            f"{noun} {certificate.number} is {status}: only a draft can be changed. Add a "
            "sponsor note instead"
        )


def certificate_update(
    *,
    actor: "User",
    certificate: Certificate,
    version: int | None,
    values: dict[str, Any],
    ip: str | None,
) -> Certificate:
    """Change fields of a draft. The route and category may change too."""
    _draft(certificate)
    values = dict(values)
    route = values.pop("route", certificate.route)
    category = values.pop("category", certificate.cos.category)
    _check_route(actor, route, category)
    cleaned = clean_values(values, actor)
    with transaction.atomic():
        claim(certificate, version)
        changed = _apply(certificate, cleaned)
        _forget_source_if_retyped(certificate)
        if route != certificate.route:
            certificate.route = route
            changed.append("route")
        if category != certificate.cos.category:
            certificate.cos.category = category
            changed.append("category")
        certificate.save()
        certificate.cos.save()
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


# Copied into a certificate made "based on" another: everything about the job and the work,
# nothing about the person.
_COPIED_SECTIONS = ("work_dates", "work_address", "agent", "employment", "paye", "other")


def certificate_copy(
    *, actor: "User", source: Certificate, family_name: str, ip: str | None
) -> Certificate:
    """A new draft with the job, work and PAYE details of `source`, for another person."""
    copied = {
        name: getattr(source.cos, name)
        for section in COS_SECTIONS
        if section.key in _COPIED_SECTIONS
        for name in section.fields
    }
    # A PAYE reference deleted since is left for the user to choose again, not refused.
    if not PayeReference.objects.filter(
        sponsor=source.sponsor, reference=copied["paye_reference"]
    ).exists():
        copied["paye_reference"] = ""
    with transaction.atomic():
        certificate = certificate_create(
            actor=actor,
            route=source.route,
            category=source.cos.category,
            values={"family_name": family_name, **copied},
            ip=ip,
        )
        certificate.based_on = source
        certificate.cos.work_address_id = source.cos.work_address_id
        certificate.save(update_fields=["based_on"])
        certificate.cos.save(update_fields=["work_address"])
    return certificate


def certificate_delete(
    *, actor: "User", certificate: Certificate, version: int | None, ip: str | None
) -> None:
    """Delete a draft for good. Assigned certificates are never deleted."""
    _draft(certificate)
    with transaction.atomic():
        claim(certificate, version)
        audit_record(
            AuditVerb.CERTIFICATE_DELETED,
            actor=actor,
            sponsor=certificate.sponsor,
            target=Target.of(certificate),
            payload={"family_name": certificate.family_name},
            ip_address=ip,
        )
        deleted, _ = Certificate.objects.filter(
            pk=certificate.pk, status=CertificateStatus.DRAFT
        ).delete()
        if not deleted:
            raise NotFound("There is no such draft.")
