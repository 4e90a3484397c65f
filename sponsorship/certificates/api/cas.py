"""API: CAS drafts, assignment, live CAS (fees, notes, withdrawal, transfer), search, export
and print. The same services and selectors as the web pages: a Level 2 user works only on the
CAS they own, and another sponsor's CAS is not found."""

from datetime import date

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from sponsorship.api.pagination import paginate
from sponsorship.api.permissions import api_requires
from sponsorship.core.errors import InvalidTransition
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, PageQuery

from .. import printing, selectors, services
from ..checks import assignment_check
from ..exports import (
    XLSX_TYPE,
    CertificateExport,
    certificates_export_rows,
    csv_response,
    xlsx_response,
)
from ..models import Certificate, CertificateKind, CertificateStatus
from ..search import CertificateQuery, certificates_matching
from ..views.printing import pdf_response
from .cas_schemas import (
    CasCheckOut,
    CasCreateIn,
    CasFeesIn,
    CasOut,
    CasPage,
    CasSummaryOut,
    CasUpdateIn,
    cas_check_out,
    cas_out,
    cas_summary_fields,
    file_answer,
)
from .certificates import (
    CertificateHistoryQuery,
    CertificateNoteIn,
    CertificateTransferIn,
    CertificateWithdrawIn,
    Search,
    transfer,
)
from .schemas import (
    LARGEST_ID,
    CertificateEventPage,
    CertificateId,
    CertificateVersionIn,
    DraftVersionQuery,
    history_out,
    values_of,
)

router = Router(tags=["CAS"])

CasId = CertificateId


class CasFilters(Schema):
    number: Search = Field("", description="The CAS number, exactly (spaces ignored).")
    passport: Search = Field(
        "", description="The student's passport number, exactly (spaces ignored)."
    )
    student_id: Search = Field(
        "", description="Your reference for the student, exactly (case and spaces ignored)."
    )
    family_name: Search = Field("", description="The start of the student's family name.")
    given_names: Search = Field("", description="The start of the student's given names.")
    nationality: Search = Field("", description="An ISO 3166 alpha-3 code, like VNM.")
    date_of_birth: date | None = Field(None, description="The student's date of birth.")
    status: CertificateStatus | None = Field(
        None, description="DRAFT, ASSIGNED, USED, WITHDRAWN, EXPIRED, CANCELLED or OBSOLETE."
    )
    course: Search = Field("", description="Any part of the course title, in any case.")
    assigned_from: date | None = Field(None, description="Assigned on or after this day.")
    assigned_to: date | None = Field(None, description="Assigned on or before this day.")
    batch_id: int | None = Field(None, ge=1, le=LARGEST_ID, description="In this batch.")
    owner_id: int | None = Field(
        None, ge=1, le=LARGEST_ID, description="Owned by this user (the `id` of the owner)."
    )

    def to_query(self) -> CertificateQuery:
        return CertificateQuery(
            number=self.number,
            passport=self.passport,
            student_id=self.student_id,
            family_name=self.family_name,
            given_names=self.given_names,
            nationality=self.nationality,
            date_of_birth=self.date_of_birth,
            status=self.status or "",
            course=self.course,
            assigned_from=self.assigned_from,
            assigned_to=self.assigned_to,
            batch_id=self.batch_id,
            owner_id=self.owner_id,
        )


class CasSearchQuery(CasFilters, PageQuery):
    pass


def _own(request: ApiRequest, certificate_id: int) -> Certificate:
    """The caller's CAS: another sponsor's, a Level 2 user's not-owned one, or a CoS, is not
    found."""
    return selectors.certificate_get_for_user(
        user=request.auth, certificate_id=certificate_id, kind=CertificateKind.CAS
    )


def _fresh(request: ApiRequest, certificate: Certificate) -> CasOut:
    return cas_out(_own(request, certificate.pk))


# Search


@router.get(
    "/cas",
    response={200: CasPage, **RESPONSES},
    summary="Find your CAS, most recently changed first",
    description="Every filter given must match. CAS and passport numbers and student IDs match "
    "exactly; names match from their start, and the course any part of its title, in any case. "
    "A Level 2 user finds only the CAS they own.",
)
@api_requires(Permission.CAS_MANAGE)
def cas_list(request: ApiRequest, query: Query[CasSearchQuery]) -> CasPage:
    found = certificates_matching(
        user=request.auth, query=query.to_query(), kind=CertificateKind.CAS
    )
    items, info = paginate(found, query.page, query.page_size)
    return CasPage(items=[CasSummaryOut(**cas_summary_fields(c)) for c in items], page=info)


def _export(request: ApiRequest, filters: CasFilters, file_format: str) -> CertificateExport:
    return certificates_export_rows(
        user=request.auth,
        query=filters.to_query(),
        file_format=file_format,
        ip=client_ip(request),
        kind=CertificateKind.CAS,
    )


EXPORT_DESCRIPTION = (
    "Every CAS the same filters as `GET /cas` find, with the student ID, course, fees, status "
    "and use-by date; all of them, not one page. Each export is recorded on the licence's "
    "audit trail."
)


@router.get(
    "/cas/export.csv",
    response=RESPONSES,
    summary="Export the CAS a search finds, as CSV",
    description=f"{EXPORT_DESCRIPTION} Dates are written like 2026-11-16 and amounts like "
    "18500.00.",
    openapi_extra=file_answer("The CAS found, as CSV (UTF-8).", "text/csv"),
)
@api_requires(Permission.CAS_MANAGE)
def cas_export_csv(request: ApiRequest, filters: Query[CasFilters]) -> StreamingHttpResponse:
    response = csv_response(_export(request, filters, "csv"))
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/cas/export.xlsx",
    response=RESPONSES,
    summary="Export the CAS a search finds, as an Excel workbook",
    description=EXPORT_DESCRIPTION,
    openapi_extra=file_answer("The CAS found, as an Excel workbook.", XLSX_TYPE),
)
@api_requires(Permission.CAS_MANAGE)
def cas_export_xlsx(request: ApiRequest, filters: Query[CasFilters]) -> FileResponse:
    response = xlsx_response(_export(request, filters, "xlsx"))
    response["Cache-Control"] = "private, no-store"
    return response


# Drafts


@router.post(
    "/cas",
    response={201: CasOut, **RESPONSES},
    summary="Create a CAS draft",
    description="The route and the student's family name are enough to save a draft; send any "
    "other fields too. Every field that is wrong is listed in the error's `fields`, and nothing "
    "is saved.",
)
@api_requires(Permission.CAS_MANAGE)
def cas_create(request: ApiRequest, payload: CasCreateIn) -> Status:
    created = services.cas_create(
        actor=request.auth,
        route=payload.route,
        values=values_of(payload, leave_out=frozenset({"route"})),
        ip=client_ip(request),
    )
    return Status(201, _fresh(request, created))


@router.get(
    "/cas/{int:certificate_id}",
    response={200: CasOut, **RESPONSES},
    summary="One CAS, with every field, section by section",
)
@api_requires(Permission.CAS_MANAGE)
def cas_detail(request: ApiRequest, certificate_id: CasId) -> CasOut:
    return cas_out(_own(request, certificate_id))


@router.patch(
    "/cas/{int:certificate_id}",
    response={200: CasOut, **RESPONSES},
    summary="Change a CAS draft's fields",
    description="Send the `version` you read it with and only the fields to change. The route "
    "may change too; `study_address_id` copies one of your study addresses into the main study "
    "address. Every field that is wrong is listed in the error's `fields`, and nothing is "
    "saved. Once assigned, only the fees change (`PATCH /cas/{id}/fees`).",
)
@api_requires(Permission.CAS_MANAGE)
def cas_update(request: ApiRequest, certificate_id: CasId, payload: CasUpdateIn) -> CasOut:
    certificate = _own(request, certificate_id)
    services.cas_update(
        actor=request.auth,
        certificate=certificate,
        version=payload.version,
        values=values_of(payload, leave_out=frozenset({"version"})),
        ip=client_ip(request),
    )
    return _fresh(request, certificate)


@router.delete(
    "/cas/{int:certificate_id}",
    response={204: None, **RESPONSES},
    summary="Delete a CAS draft for good",
    description="Only a draft can be deleted; an assigned CAS can be withdrawn instead.",
)
@api_requires(Permission.CAS_MANAGE)
def cas_delete(
    request: ApiRequest, certificate_id: CasId, query: Query[DraftVersionQuery]
) -> Status:
    certificate = _own(request, certificate_id)
    services.certificate_delete(
        actor=request.auth, certificate=certificate, version=query.version, ip=client_ip(request)
    )
    return Status(204, None)


@router.get(
    "/cas/{int:certificate_id}/check",
    response={200: CasCheckOut, **RESPONSES},
    summary="Check a CAS draft before assigning it",
    description="Everything that stops it being assigned today (`blocking`, each naming its "
    "field: the English level for the course, how far ahead the course starts, fees paid "
    "above the fees due...), what is worth reading first, and the allocation left.",
)
@api_requires(Permission.CAS_MANAGE)
def cas_check(request: ApiRequest, certificate_id: CasId) -> CasCheckOut:
    certificate = _own(request, certificate_id)
    if not certificate.is_draft:
        raise InvalidTransition(
            f"CAS {certificate.reference} is {certificate.get_status_display().lower()}: only a "
            "draft is checked before assignment."
        )
    return cas_check_out(assignment_check(certificate, timezone.localdate()))


@router.post(
    "/cas/{int:certificate_id}/assign",
    response={200: CasOut, **RESPONSES},
    summary="Assign a CAS draft: it gets its number and uses one unit of the allocation",
    description="Refused with 409 `not_ready` listing every field to fix, "
    "`allocation_exhausted` when the Student allocation is used up, `licence_suspended` while "
    "the licence is suspended, or `stale_edit` when the draft changed since you read it. An "
    "assigned CAS for the same student and course becomes OBSOLETE. The answer has the number "
    "and the use-by date.",
)
@api_requires(Permission.CAS_MANAGE)
def cas_assign(request: ApiRequest, certificate_id: CasId, payload: CertificateVersionIn) -> CasOut:
    certificate = _own(request, certificate_id)
    services.certificate_assign(
        actor=request.auth, certificate=certificate, version=payload.version, ip=client_ip(request)
    )
    return _fresh(request, certificate)


# Live CAS


@router.patch(
    "/cas/{int:certificate_id}/fees",
    response={200: CasOut, **RESPONSES},
    summary="Update the fees of an assigned or used CAS",
    description="The only fields that change once a CAS is assigned. Send the `version` you "
    "read it with and the fees to change; the fees paid may not be more than the fees due.",
)
@api_requires(Permission.CAS_MANAGE)
def cas_fees(request: ApiRequest, certificate_id: CasId, payload: CasFeesIn) -> CasOut:
    certificate = _own(request, certificate_id)
    services.cas_fees_update(
        actor=request.auth,
        certificate=certificate,
        version=payload.version,
        values=values_of(payload, leave_out=frozenset({"version"})),
        ip=client_ip(request),
    )
    return _fresh(request, certificate)


@router.put(
    "/cas/{int:certificate_id}/note",
    response={200: CasOut, **RESPONSES},
    summary="Add or change your note on an assigned or used CAS",
)
@api_requires(Permission.CAS_MANAGE)
def cas_note(request: ApiRequest, certificate_id: CasId, payload: CertificateNoteIn) -> CasOut:
    certificate = _own(request, certificate_id)
    services.certificate_note_save(
        actor=request.auth,
        certificate=certificate,
        version=payload.version,
        note=payload.note,
        ip=client_ip(request),
    )
    return _fresh(request, certificate)


@router.post(
    "/cas/{int:certificate_id}/withdraw",
    response={200: CasOut, **RESPONSES},
    summary="Withdraw an assigned CAS, with your reason. Final",
    description="Only an assigned CAS can be withdrawn. The allocation unit it used is not "
    "returned.",
)
@api_requires(Permission.CAS_MANAGE)
def cas_withdraw(
    request: ApiRequest, certificate_id: CasId, payload: CertificateWithdrawIn
) -> CasOut:
    certificate = _own(request, certificate_id)
    services.certificate_withdraw(
        actor=request.auth,
        certificate=certificate,
        version=payload.version,
        reason=payload.reason,
        ip=client_ip(request),
    )
    return _fresh(request, certificate)


@router.post(
    "/cas/{int:certificate_id}/transfer",
    response={200: CasOut, **RESPONSES},
    summary="Give a CAS to another user of your organisation (Level 1 users only)",
    description="The user you name owns it from now on: a Level 2 user sees only the CAS they own.",
)
@api_requires(Permission.CAS_TRANSFER)
def cas_transfer(
    request: ApiRequest, certificate_id: CasId, payload: CertificateTransferIn
) -> CasOut:
    certificate = _own(request, certificate_id)
    transfer(request, certificate, payload)
    return _fresh(request, certificate)


@router.get(
    "/cas/{int:certificate_id}/history",
    response={200: CertificateEventPage, **RESPONSES},
    summary="A CAS's status and activity history, oldest first",
)
@api_requires(Permission.CAS_MANAGE)
def cas_history(
    request: ApiRequest, certificate_id: CasId, query: Query[CertificateHistoryQuery]
) -> CertificateEventPage:
    certificate = _own(request, certificate_id)
    items, info = paginate(selectors.certificate_history(certificate), query.page, query.page_size)
    return CertificateEventPage(
        items=[history_out(e, for_home_office=False) for e in items], page=info
    )


@router.get(
    "/cas/{int:certificate_id}/print.pdf",
    response=RESPONSES,
    summary="A CAS as a PDF, drafts included",
    description="Every section, the note and the history, on A4. Each print is recorded on the "
    "licence's audit trail.",
    openapi_extra=file_answer("The CAS as a PDF.", "application/pdf"),
)
@api_requires(Permission.CAS_MANAGE)
def cas_print(request: ApiRequest, certificate_id: CasId) -> HttpResponse:
    certificate = _own(request, certificate_id)
    pdf = printing.certificate_print(
        actor=request.auth, certificate=certificate, ip=client_ip(request)
    )
    return pdf_response(pdf, certificate)
