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
from ..sections import CORE_FIELDS, COS_SECTIONS, model_field
from ._common import claim, record

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

# Every field a user may write on a CoS draft, from the form's sections.
EDITABLE_FIELDS = frozenset(name for section in COS_SECTIONS for name in section.fields)
NATIONALITY_FIELDS = frozenset({"nationality"})
COUNTRY_FIELDS = frozenset({"country_of_birth", "country_of_residence", "home_country"})
MAX_WEEKLY_HOURS = Decimal(99)
MAX_SALARY = Decimal("9999999.99")
# HMRC's rules (NIM39110): no D, F, I, Q, U or V; no O second; never BG, GB, KN, NK, NT, TN, ZZ.
NI_NUMBER = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")
PASSPORT_NUMBER = re.compile(r"^[A-Z0-9]{1,20}$")
SOC_CODE = re.compile(r"^\d{4}$")


def _clean_one(name: str, value: Any, actor: "User") -> Any:
    """The value as stored, or ApplicationError naming the field and how to fix it."""
    field = model_field(name)
    label = str(field.verbose_name).capitalize()
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
        raise ApplicationError(
            "Enter the worker's family name, as in their passport: a draft needs at least that",
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
    if name == "work_postcode" or name == "home_postcode":
        text = re.sub(r"\s+", " ", text).upper()
    if name == "soc_code" and text and not SOC_CODE.match(text):
        raise ApplicationError(
            "Enter the SOC 2020 occupation code as 4 digits, like 2136", field=name
        )
    if name in NATIONALITY_FIELDS and text and text not in nationality_names():
        raise ApplicationError("Select a nationality in the list", field=name)
    if name in COUNTRY_FIELDS and text and text not in country_names():
        raise ApplicationError(f"Select a country in the list for {label.lower()}", field=name)
    if field.choices and text and text not in {str(key) for key, _ in field.choices}:
        raise ApplicationError(f"Select one of the options for {label.lower()}", field=name)
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
    if name == "salary_amount":
        if not _within(amount, MAX_SALARY):
            raise ApplicationError(
                "Enter the gross salary in pounds, like 35000 or 35000.99, with no commas or "
                "pound sign",
                field=name,
            )
        return amount
    if not _within(amount, MAX_WEEKLY_HOURS):
        raise ApplicationError(
            "Enter the weekly working hours as a number up to 99, like 37.5", field=name
        )
    return amount


def clean_values(values: dict[str, Any], actor: "User") -> dict[str, Any]:
    """Every value checked; all the problems at once, so a form can show them together."""
    unknown = sorted(set(values) - EDITABLE_FIELDS - {"work_address_id"})
    if unknown:
        raise ApplicationError(
            f"These are not fields of a certificate: {', '.join(unknown)}", field=unknown[0]
        )
    cleaned: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for name, value in values.items():
        if name == "work_address_id":
            continue
        try:
            cleaned[name] = _clean_one(name, value, actor)
        except ApplicationError as error:
            errors.append((name, error.message))
    if "work_address_id" in values and values["work_address_id"] is not None:
        address = WorkAddress.objects.filter(
            sponsor=actor.sponsor, pk=values["work_address_id"], retired_at__isnull=True
        ).first()
        if address is None:
            errors.append(("work_address_id", "Select one of your work addresses in use"))
        else:
            cleaned.update(
                work_address=address,
                work_address_line_1=address.line_1,
                work_address_line_2=address.line_2,
                work_town=address.town,
                work_postcode=address.postcode,
                work_nation=address.nation,
            )
    if errors:
        raise ApplicationError(errors[0][1], field=errors[0][0], errors=errors)
    return cleaned


def _apply(certificate: Certificate, cleaned: dict[str, Any]) -> list[str]:
    """Set the values on the certificate and its details; the names of those that changed."""
    changed = []
    for name, value in cleaned.items():
        target = certificate if name in CORE_FIELDS else certificate.cos
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    certificate.family_name_key = name_key(certificate.family_name)
    certificate.given_names_key = name_key(certificate.given_names)
    return changed


def _forget_source_if_retyped(cos: CosDetails) -> None:
    """The stored address a work address was copied from is kept only while the copy still
    reads the same."""
    source = cos.work_address
    if source is not None and (
        cos.work_address_line_1,
        cos.work_address_line_2,
        cos.work_town,
        cos.work_postcode,
        cos.work_nation,
    ) != (source.line_1, source.line_2, source.town, source.postcode, source.nation):
        cos.work_address = None


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
        raise InvalidTransition(
            f"Certificate {certificate.number} is {certificate.get_status_display().lower()}: "
            "only a draft can be changed. Add a sponsor note instead"
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
        _forget_source_if_retyped(certificate.cos)
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
