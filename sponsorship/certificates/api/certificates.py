"""API: your certificates: search, read, withdraw, add a note, history, transfer."""

from datetime import date
from typing import Annotated

from ninja import Field, Query, Router

from sponsorship.api.pagination import paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.errors import ApplicationError
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, PageQuery

from .. import selectors, services
from ..models import Certificate, CertificateStatus
from ..search import certificate_search
from .schemas import (
    LARGEST_ID,
    CertificateEventPage,
    CertificateId,
    CertificateOut,
    CertificatePage,
    CertificateSummaryOut,
    Id,
    TextRules,
    Version,
    certificate_out,
    history_out,
    summary_fields,
)

router = Router(tags=["Certificates"])

Search = Annotated[str, TextRules("Search", 100)]


class CertificateSearchQuery(PageQuery):
    number: Search = Field("", description="The certificate number, exactly (spaces ignored).")
    passport: Search = Field(
        "", description="The worker's passport number, exactly (spaces ignored)."
    )
    family_name: Search = Field("", description="The start of the worker's family name.")
    given_names: Search = Field("", description="The start of the worker's given names.")
    nationality: Search = Field("", description="An ISO 3166 alpha-3 code, like POL.")
    date_of_birth: date | None = Field(None, description="The worker's date of birth.")
    status: CertificateStatus | None = Field(
        None, description="DRAFT, ASSIGNED, USED, WITHDRAWN, EXPIRED or CANCELLED."
    )
    assigned_from: date | None = Field(None, description="Assigned on or after this day.")
    assigned_to: date | None = Field(None, description="Assigned on or before this day.")
    batch_id: int | None = Field(None, ge=1, le=LARGEST_ID, description="In this batch.")
    owner_id: int | None = Field(
        None, ge=1, le=LARGEST_ID, description="Owned by this user (the `id` of the owner)."
    )


class CertificateHistoryQuery(PageQuery):
    pass


class CertificateWithdrawIn(StrictSchema):
    version: Version
    reason: Annotated[str, TextRules("Reason", 2000)] = Field(
        description="Why you are withdrawing it, up to 2,000 characters: required."
    )


class CertificateNoteIn(StrictSchema):
    version: Version
    note: Annotated[str, TextRules("Note", 3000)] = Field(
        description="The note, up to 3,000 characters. It replaces the current note; every "
        "version stays in the history."
    )


class CertificateTransferIn(StrictSchema):
    version: Version
    to_user_id: Id = Field(description="The `id` of an active user of your organisation.")


def _own(request: ApiRequest, certificate_id: int) -> Certificate:
    """The caller's certificate: another sponsor's, or a Level 2 user's not-owned one, is not
    found."""
    return selectors.certificate_get_for_user(user=request.auth, certificate_id=certificate_id)


@router.get(
    "/certificates",
    response={200: CertificatePage, **RESPONSES},
    summary="Find your certificates, most recently changed first",
    description="Every filter given must match. Certificate and passport numbers match "
    "exactly; names match from their start, in any case. A Level 2 user finds only the "
    "certificates they own.",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def certificates(request: ApiRequest, query: Query[CertificateSearchQuery]) -> CertificatePage:
    found = certificate_search(
        user=request.auth,
        number=query.number,
        passport=query.passport,
        family_name=query.family_name,
        given_names=query.given_names,
        nationality=query.nationality,
        date_of_birth=query.date_of_birth,
        status=query.status,
        assigned_from=query.assigned_from,
        assigned_to=query.assigned_to,
        batch_id=query.batch_id,
        owner_id=query.owner_id,
    )
    items, info = paginate(found, query.page, query.page_size)
    return CertificatePage(
        items=[CertificateSummaryOut(**summary_fields(c)) for c in items], page=info
    )


@router.get(
    "/certificates/{int:certificate_id}",
    response={200: CertificateOut, **RESPONSES},
    summary="One certificate, with every field, section by section",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def certificate(request: ApiRequest, certificate_id: CertificateId) -> CertificateOut:
    return certificate_out(_own(request, certificate_id))


@router.post(
    "/certificates/{int:certificate_id}/withdraw",
    response={200: CertificateOut, **RESPONSES},
    summary="Withdraw an assigned certificate, with your reason. Final",
    description="Only an assigned certificate can be withdrawn. The allocation unit it used is "
    "not returned.",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def certificate_withdraw(
    request: ApiRequest, certificate_id: CertificateId, payload: CertificateWithdrawIn
) -> CertificateOut:
    found = _own(request, certificate_id)
    services.certificate_withdraw(
        actor=request.auth,
        certificate=found,
        version=payload.version,
        reason=payload.reason,
        ip=client_ip(request),
    )
    return certificate_out(_own(request, found.pk))


@router.put(
    "/certificates/{int:certificate_id}/note",
    response={200: CertificateOut, **RESPONSES},
    summary="Add or change your note on an assigned or used certificate",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def certificate_note(
    request: ApiRequest, certificate_id: CertificateId, payload: CertificateNoteIn
) -> CertificateOut:
    found = _own(request, certificate_id)
    services.certificate_note_save(
        actor=request.auth,
        certificate=found,
        version=payload.version,
        note=payload.note,
        ip=client_ip(request),
    )
    return certificate_out(_own(request, found.pk))


@router.get(
    "/certificates/{int:certificate_id}/history",
    response={200: CertificateEventPage, **RESPONSES},
    summary="A certificate's status and activity history, oldest first",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def certificate_history(
    request: ApiRequest, certificate_id: CertificateId, query: Query[CertificateHistoryQuery]
) -> CertificateEventPage:
    found = _own(request, certificate_id)
    items, info = paginate(selectors.certificate_history(found), query.page, query.page_size)
    return CertificateEventPage(
        items=[history_out(e, for_home_office=False) for e in items], page=info
    )


@router.post(
    "/certificates/{int:certificate_id}/transfer",
    response={200: CertificateOut, **RESPONSES},
    summary="Give a certificate to another user of your organisation (Level 1 users only)",
    description="The user you name owns it from now on: a Level 2 user sees only the "
    "certificates they own.",
)
@api_requires(Permission.CERTIFICATES_TRANSFER)
def certificate_transfer(
    request: ApiRequest, certificate_id: CertificateId, payload: CertificateTransferIn
) -> CertificateOut:
    found = _own(request, certificate_id)
    transfer(request, found, payload)
    return certificate_out(_own(request, found.pk))


def transfer(request: ApiRequest, certificate: Certificate, payload: CertificateTransferIn) -> None:
    """Transfer a certificate or CAS, naming the API's field in any refusal."""
    try:
        services.certificate_transfer(
            actor=request.auth,
            certificate=certificate,
            version=payload.version,
            to_user_id=payload.to_user_id,
            ip=client_ip(request),
        )
    except ApplicationError as error:
        # The service names the web form's field; here it is `to_user_id`.
        error.errors = [
            ("to_user_id" if field == "to_user" else field, message)
            for field, message in error.errors
        ]
        raise
