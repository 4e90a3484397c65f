"""A certificate as a PDF, for the sponsor's users and for caseworkers: always a download,
always audited."""

from django.http import HttpResponse

from sponsorship.core.access import requires
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import SignedInRequest

from .. import printing
from ..models import Certificate
from ..selectors import certificate_get_for_user


def pdf_filename(certificate: Certificate) -> str:
    return f"{certificate.number or f'draft-{certificate.pk}'}.pdf"


def pdf_response(pdf: bytes, certificate: Certificate) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(certificate)}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Personal data: never kept by a shared cache or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Permission.CERTIFICATES_MANAGE)
def certificate_print(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """One of the sponsor's certificates, drafts included (a Level 2 user: only their own)."""
    certificate = certificate_get_for_user(user=request.user, certificate_id=certificate_id)
    pdf = printing.certificate_print(
        actor=request.user, certificate=certificate, ip=client_ip(request)
    )
    return pdf_response(pdf, certificate)
