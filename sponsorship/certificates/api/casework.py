"""Casework API: find any sponsor's certificate (a CoS or a CAS), read it, mark it used, record
the outcome of the application it was used in, cancel it. A CoS is answered with its CoS fields,
a CAS with its CAS fields (the shapes of the sponsors' own API), told apart by `kind`."""

from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.casework.api.requests import CaseworkSponsorRef, sponsor_ref
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, PageQuery

from .. import selectors, services
from ..casework_selectors import certificate_find_for_caseworker
from ..models import ApplicationOutcome, Certificate, CertificateKind
from .cas_schemas import CasOut, cas_fields
from .schemas import (
    CertificateEventPage,
    CertificateId,
    CertificateOut,
    CertificateSummaryOut,
    TextRules,
    certificate_fields,
    history_out,
    summary_fields,
)

router = Router(tags=["Casework: certificates"])

Search = Annotated[str, TextRules("Search", 40)]


class CaseworkCertificateSummaryOut(CertificateSummaryOut):
    sponsor: CaseworkSponsorRef = Field(description="The sponsor it belongs to.")


class CaseworkCertificatePage(Schema):
    items: list[CaseworkCertificateSummaryOut] = Field(description="This page's certificates.")
    page: PageInfo = Field(description="Where this page is in the whole list.")


class CaseworkCertificateOut(CertificateOut):
    kind: Literal["COS"] = Field(description="COS: a Certificate of Sponsorship.")
    sponsor: CaseworkSponsorRef = Field(description="The sponsor it belongs to.")


class CaseworkCasOut(CasOut):
    kind: Literal["CAS"] = Field(description="CAS: a Confirmation of Acceptance for Studies.")
    sponsor: CaseworkSponsorRef = Field(description="The sponsor it belongs to.")


# One certificate, of either kind: `kind` says which fields it has.
CaseworkAnyOut = Annotated[CaseworkCertificateOut | CaseworkCasOut, Field(discriminator="kind")]


class CaseworkCertificateQuery(PageQuery):
    number: Search = Field(
        "",
        description="The certificate number, exactly (spaces ignored): C and 10 more characters "
        "for a CoS, E and 13 more for a CAS.",
    )
    passport: Search = Field(
        "", description="The worker's passport number, exactly (spaces ignored)."
    )


class CertificateOutcomeIn(StrictSchema):
    outcome: ApplicationOutcome = Field(
        strict=False,
        description="GRANTED or REFUSED: the certificate is used for good. REJECTED_INVALID, "
        "VOID or WITHDRAWN: it is assigned again and can be relied on in a new application.",
    )


class CertificateCancelIn(StrictSchema):
    reason: Annotated[str, TextRules("Reason", 2000)] = Field(
        description="Why the Home Office is cancelling it, up to 2,000 characters: required. "
        "The sponsor reads it."
    )


def _out(certificate: Certificate) -> CaseworkCertificateOut | CaseworkCasOut:
    sponsor = sponsor_ref(certificate.sponsor)
    if certificate.kind == CertificateKind.CAS:
        return CaseworkCasOut(**cas_fields(certificate), sponsor=sponsor)
    return CaseworkCertificateOut(**certificate_fields(certificate), sponsor=sponsor)


def _fresh(certificate: Certificate) -> CaseworkCertificateOut | CaseworkCasOut:
    return _out(selectors.certificate_get_for_caseworker(certificate_id=certificate.pk))


def _found(certificate_id: int) -> Certificate:
    return selectors.certificate_get_for_caseworker(certificate_id=certificate_id)


@router.get(
    "/certificates",
    response={200: CaseworkCertificatePage, **RESPONSES},
    summary="Find any sponsor's certificate by its number or the person's passport number",
    description="Both match exactly, with case and spaces ignored; give one or both. CoS and "
    "CAS are both found. Drafts are the sponsor's own work and are never found.",
)
@api_requires(Permission.CASEWORK_SPONSOR_VIEW)
def casework_certificates(
    request: ApiRequest, query: Query[CaseworkCertificateQuery]
) -> CaseworkCertificatePage:
    found = certificate_find_for_caseworker(number=query.number, passport=query.passport)
    items, info = paginate(found, query.page, query.page_size)
    return CaseworkCertificatePage(
        items=[
            CaseworkCertificateSummaryOut(**summary_fields(c), sponsor=sponsor_ref(c.sponsor))
            for c in items
        ],
        page=info,
    )


@router.get(
    "/certificates/{int:certificate_id}",
    response={200: CaseworkAnyOut, **RESPONSES},
    summary="One certificate of any sponsor, with every field",
    description="A CoS (`kind` COS) with its CoS fields, or a CAS (`kind` CAS) with its CAS "
    "fields.",
)
@api_requires(Permission.CASEWORK_SPONSOR_VIEW)
def casework_certificate(
    request: ApiRequest, certificate_id: CertificateId
) -> CaseworkCertificateOut | CaseworkCasOut:
    return _out(_found(certificate_id))


@router.get(
    "/certificates/{int:certificate_id}/history",
    response={200: CertificateEventPage, **RESPONSES},
    summary="A certificate's status and activity history, oldest first",
)
@api_requires(Permission.CASEWORK_SPONSOR_VIEW)
def casework_certificate_history(
    request: ApiRequest, certificate_id: CertificateId, query: Query[PageQuery]
) -> CertificateEventPage:
    found = _found(certificate_id)
    items, info = paginate(selectors.certificate_history(found), query.page, query.page_size)
    return CertificateEventPage(
        items=[history_out(e, for_home_office=True) for e in items], page=info
    )


@router.post(
    "/certificates/{int:certificate_id}/used",
    response={200: CaseworkAnyOut, **RESPONSES},
    summary="Mark a certificate used: an application relying on it was made",
    description="Only an assigned certificate can be marked used.",
)
@api_requires(Permission.CASEWORK_CERTIFICATE_ACT)
def casework_certificate_used(
    request: ApiRequest, certificate_id: CertificateId
) -> CaseworkCertificateOut | CaseworkCasOut:
    found = _found(certificate_id)
    services.certificate_mark_used(actor=request.auth, certificate=found, ip=client_ip(request))
    return _fresh(found)


@router.post(
    "/certificates/{int:certificate_id}/outcome",
    response={200: CaseworkAnyOut, **RESPONSES},
    summary="Record the outcome of the application a certificate was used in",
    description="Only for a used certificate whose application has no outcome yet.",
)
@api_requires(Permission.CASEWORK_CERTIFICATE_ACT)
def casework_certificate_outcome(
    request: ApiRequest, certificate_id: CertificateId, payload: CertificateOutcomeIn
) -> CaseworkCertificateOut | CaseworkCasOut:
    found = _found(certificate_id)
    services.certificate_record_outcome(
        actor=request.auth,
        certificate=found,
        outcome=payload.outcome.value,
        ip=client_ip(request),
    )
    return _fresh(found)


@router.post(
    "/certificates/{int:certificate_id}/cancel",
    response={200: CaseworkAnyOut, **RESPONSES},
    summary="Cancel an assigned or used certificate, with the reason. Final",
)
@api_requires(Permission.CASEWORK_CERTIFICATE_ACT)
def casework_certificate_cancel(
    request: ApiRequest, certificate_id: CertificateId, payload: CertificateCancelIn
) -> CaseworkCertificateOut | CaseworkCasOut:
    found = _found(certificate_id)
    services.certificate_cancel(
        actor=request.auth, certificate=found, reason=payload.reason, ip=client_ip(request)
    )
    return _fresh(found)
