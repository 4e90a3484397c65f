"""API: certificate drafts: create, change, delete, check before assignment, assign, copy."""

from django.utils import timezone
from ninja import Query, Router, Status

from sponsorship.api.permissions import api_requires
from sponsorship.core.errors import InvalidTransition
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES

from .. import selectors, services
from ..checks import assignment_check
from ..models import Certificate
from .certificates import router as certificates_router
from .schemas import (
    AssignmentCheckOut,
    CertificateCopyIn,
    CertificateId,
    CertificateOut,
    CertificateVersionIn,
    DraftCreateIn,
    DraftUpdateIn,
    DraftVersionQuery,
    certificate_out,
    check_out,
    values_of,
)

router = Router(tags=["Certificate drafts"])
# Django serves each path from one router only (the first mounted), so the operations on paths
# the certificates router also serves are added to that router, under this router's tag.
shared_paths = certificates_router
TAGS = ["Certificate drafts"]

DRAFT_FIELDS = frozenset({"route", "category"})


def _own(request: ApiRequest, certificate_id: int) -> Certificate:
    """The caller's certificate: another sponsor's, or a Level 2 user's not-owned one, is not
    found."""
    return selectors.certificate_get_for_user(user=request.auth, certificate_id=certificate_id)


def _fresh(request: ApiRequest, certificate: Certificate) -> CertificateOut:
    return certificate_out(_own(request, certificate.pk))


@shared_paths.post(
    "/certificates",
    response={201: CertificateOut, **RESPONSES},
    tags=TAGS,
    summary="Create a certificate draft",
    description="A family name, the route and what the certificate is for are enough to save a "
    "draft; send any other fields too. Every field that is wrong is listed in the error's "
    "`fields`, and nothing is saved.",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def draft_create(request: ApiRequest, payload: DraftCreateIn) -> Status:
    created = services.certificate_create(
        actor=request.auth,
        route=payload.route.value,
        category=payload.category.value,
        values=values_of(payload, leave_out=DRAFT_FIELDS),
        ip=client_ip(request),
    )
    return Status(201, _fresh(request, created))


@shared_paths.patch(
    "/certificates/{int:certificate_id}",
    tags=TAGS,
    response={200: CertificateOut, **RESPONSES},
    summary="Change a draft's fields",
    description="Send the `version` you read it with and only the fields to change. The route "
    "and what the certificate is for may change too; `work_address_id` copies one of your work "
    "addresses into the main work address.",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def draft_update(
    request: ApiRequest, certificate_id: CertificateId, payload: DraftUpdateIn
) -> CertificateOut:
    certificate = _own(request, certificate_id)
    services.certificate_update(
        actor=request.auth,
        certificate=certificate,
        version=payload.version,
        values=values_of(payload, leave_out=frozenset({"version"})),
        ip=client_ip(request),
    )
    return _fresh(request, certificate)


@shared_paths.delete(
    "/certificates/{int:certificate_id}",
    tags=TAGS,
    response={204: None, **RESPONSES},
    summary="Delete a draft for good",
    description="Only a draft can be deleted; an assigned certificate can be withdrawn instead.",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def draft_delete(
    request: ApiRequest, certificate_id: CertificateId, query: Query[DraftVersionQuery]
) -> Status:
    certificate = _own(request, certificate_id)
    services.certificate_delete(
        actor=request.auth, certificate=certificate, version=query.version, ip=client_ip(request)
    )
    return Status(204, None)


@router.get(
    "/certificates/{int:certificate_id}/check",
    response={200: AssignmentCheckOut, **RESPONSES},
    summary="Check a draft before assigning it",
    description="Everything that stops it being assigned today (`errors`, each naming its "
    "field), what is worth reading first (`warnings`), the Skilled Worker salary check, the "
    "charges and the allocation left.",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def draft_check(request: ApiRequest, certificate_id: CertificateId) -> AssignmentCheckOut:
    certificate = _own(request, certificate_id)
    if not certificate.is_draft:
        raise InvalidTransition(
            f"Certificate {certificate.reference} is "
            f"{certificate.get_status_display().lower()}: only a draft is checked before "
            "assignment."
        )
    return check_out(assignment_check(certificate, timezone.localdate()))


@router.post(
    "/certificates/{int:certificate_id}/assign",
    response={200: CertificateOut, **RESPONSES},
    summary="Assign a draft: it gets its number and uses one unit of the allocation",
    description="Refused with 409 `not_ready` listing every field to fix, "
    "`allocation_exhausted` when the route's allocation is used up, or `stale_edit` when the "
    "draft changed since you read it. The answer has the number, the use-by date and the "
    "charges.",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def draft_assign(
    request: ApiRequest, certificate_id: CertificateId, payload: CertificateVersionIn
) -> CertificateOut:
    certificate = _own(request, certificate_id)
    services.certificate_assign(
        actor=request.auth, certificate=certificate, version=payload.version, ip=client_ip(request)
    )
    return _fresh(request, certificate)


@router.post(
    "/certificates/{int:certificate_id}/copy",
    response={201: CertificateOut, **RESPONSES},
    summary="Start a new draft based on this certificate, for another worker",
    description="The new draft has this certificate's job, work, agent and PAYE details and "
    "the family name you send; the worker's other personal details start empty.",
)
@api_requires(Permission.CERTIFICATES_MANAGE)
def draft_copy(
    request: ApiRequest, certificate_id: CertificateId, payload: CertificateCopyIn
) -> Status:
    source = _own(request, certificate_id)
    created = services.certificate_copy(
        actor=request.auth, source=source, family_name=payload.family_name, ip=client_ip(request)
    )
    return Status(201, _fresh(request, created))
