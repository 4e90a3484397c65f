"""Input and output shapes the licence-management API operations share with each other and
with the casework API, and the checks behind them."""

import re
from datetime import date, datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema, Status, UploadedFile
from pydantic import AfterValidator, BeforeValidator

from sponsorship.accounts.models import User
from sponsorship.api.schemas import ERRORS, Error
from sponsorship.core.errors import ApplicationError
from sponsorship.core.types import ApiRequest
from sponsorship.core.uploads import CheckedUpload, check_uploads

from .. import selectors
from ..models import (
    EvidenceFile,
    LicenceRequest,
    RequestMessage,
    Route,
)

# Every operation here can also meet the licence's state (409, with the gate's code).
RESPONSES = {**ERRORS, 409: Error}

# Where the web service serves an evidence file to the people allowed to read it.
EVIDENCE_URL = "/evidence/{id}/"


# Input shapes. Text must not be blank or hold NUL (no database stores it). Each pattern is
# documented in the OpenAPI schema and checked by a validator with the very same expression,
# anchored the same way: no character class whose meaning differs between JavaScript's regular
# expressions and Python's (like \s), so clients and this server agree on what is valid.

# Whitespace for either language: what Python's str.isspace() and JavaScript's \s match.
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = rf"^[^\x00]*[^{_SPACE}\x00][^\x00]*$"
NO_NUL = r"^[^\x00]*$"
EMAIL_SHAPE = r"^[^@\x00-\x20\x7f]+@[^@\x00-\x20\x7f]+$"


def _matching(pattern: str, message: str) -> AfterValidator:
    def check(value: str) -> str:
        if re.fullmatch(pattern, value) is None:
            raise ValueError(message)
        return value.strip()

    return AfterValidator(check)


def _text(max_length: int) -> Any:
    return Field(min_length=1, max_length=max_length, json_schema_extra={"pattern": NOT_BLANK})


def _optional(max_length: int) -> Any:
    return Field(max_length=max_length, json_schema_extra={"pattern": NO_NUL})


_FILLED = _matching(NOT_BLANK, "Enter some text: this cannot be blank.")
_NO_NUL = _matching(NO_NUL, "Remove the NUL character.")
Text10 = Annotated[str, _text(10), _FILLED]
Text40 = Annotated[str, _text(40), _FILLED]
Text100 = Annotated[str, _text(100), _FILLED]
Text200 = Annotated[str, _text(200), _FILLED]
Text2000 = Annotated[str, _text(2000), _FILLED]
Text5000 = Annotated[str, _text(5000), _FILLED]
# Explanations have no 2,000-character cap (the original's cut them short); this bound only
# stops a runaway request.
LongText = Annotated[str, _text(100_000), _FILLED]
Optional10 = Annotated[str, _optional(10), _NO_NUL]
Optional30 = Annotated[str, _optional(30), _NO_NUL]
Optional100 = Annotated[str, _optional(100), _NO_NUL]
Optional200 = Annotated[str, _optional(200), _NO_NUL]
Optional5000 = Annotated[str, _optional(5000), _NO_NUL]
Email = Annotated[
    str,
    Field(min_length=3, max_length=254, json_schema_extra={"pattern": EMAIL_SHAPE}),
    _matching(EMAIL_SHAPE, "Enter an e-mail address, like name@example.org"),
]


def whole(value: object) -> object:
    """JSON Schema counts 5.0 as an integer, so this API does too; 5.5 stays refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Count = Annotated[int, BeforeValidator(whole)]
# Dates and choices arrive as JSON strings: only lax validation turns them into their types.
IsoDate = Annotated[date, Field(strict=False)]
RouteCode = Annotated[Route, Field(strict=False)]


def checked_email(value: str, field: str = "email") -> str:
    """The shape is checked by the schema; Django's own rules are a rule broken (400)."""
    try:
        validate_email(value)
    except DjangoValidationError:
        raise ApplicationError(
            "Enter an e-mail address in the correct format, like name@example.org", field=field
        ) from None
    return value


def checked_files(files: list[UploadedFile] | None) -> list[CheckedUpload]:
    return check_uploads([(f, f.name or "") for f in files or []], field="evidence")


class PageQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=settings.API_PAGE_SIZE_MAX)


# Output shapes shared with the casework API.


class UserRef(Schema):
    id: int
    user_id: str
    name: str


def user_ref(user: User) -> UserRef:
    return UserRef(id=user.pk, user_id=user.username, name=user.full_name)


def optional_user_ref(user: User | None) -> UserRef | None:
    return user_ref(user) if user is not None else None


class RequestOut(Schema):
    id: int
    reference: str
    kind: str
    kind_name: str
    status: str
    status_name: str
    is_open: bool
    version: int = Field(description="Send it back with a decision, to refuse a stale one.")
    submitted_at: datetime
    submitted_by: UserRef
    decided_at: datetime | None
    reasons: str = Field(description="The Home Office's reasons for the decision.")
    fulfilled_at_once: bool
    subject_user: UserRef | None = Field(
        description="New Level 1 user, or the Level 1 user whose details change."
    )
    key_person_role: str
    details: dict[str, Any] = Field(description="The new details asked for (users, key people).")
    change_type: str
    change_date: date | None
    description: str
    report_due: date | None
    reported_late: bool
    route: str
    number_requested: int | None
    number_granted: int | None


class RequestMessageOut(Schema):
    id: int
    from_home_office: bool
    author: str
    body: str
    created_at: datetime


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    message_id: int | None = Field(description="The answer it came with, if not the request.")
    download_url: str = Field(description="The web address that serves the file.")


class RequestDetailOut(RequestOut):
    messages: list[RequestMessageOut]
    evidence: list[EvidenceOut]


def request_fields(request: LicenceRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "reference": request.reference,
        "kind": request.kind,
        "kind_name": request.get_kind_display(),
        "status": request.status,
        "status_name": request.get_status_display(),
        "is_open": request.is_open,
        "version": request.version,
        "submitted_at": request.submitted_at,
        "submitted_by": user_ref(request.submitted_by),
        "decided_at": request.decided_at,
        "reasons": request.reasons,
        "fulfilled_at_once": request.fulfilled_at_once,
        "subject_user": optional_user_ref(request.subject_user),
        "key_person_role": request.key_person_role,
        "details": request.details,
        "change_type": request.change_type,
        "change_date": request.change_date,
        "description": request.description,
        "report_due": request.report_due,
        "reported_late": request.reported_late,
        "route": request.route,
        "number_requested": request.number_requested,
        "number_granted": request.number_granted,
    }


def message_out(message: RequestMessage, *, for_home_office: bool) -> RequestMessageOut:
    # Sponsors read "Home Office", not which caseworker asked.
    author = (
        "Home Office"
        if message.from_home_office and not for_home_office
        else message.author.full_name
    )
    return RequestMessageOut(
        id=message.pk,
        from_home_office=message.from_home_office,
        author=author,
        body=message.body,
        created_at=message.created_at,
    )


def evidence_out(evidence: EvidenceFile) -> EvidenceOut:
    return EvidenceOut(
        id=evidence.pk,
        name=evidence.original_name,
        content_type=evidence.content_type,
        size=evidence.size,
        sha256=evidence.sha256,
        uploaded_by=evidence.uploaded_by.full_name,
        uploaded_at=evidence.uploaded_at,
        message_id=evidence.message_id,
        download_url=EVIDENCE_URL.format(id=evidence.pk),
    )


def request_detail_fields(request: LicenceRequest, *, for_home_office: bool) -> dict[str, Any]:
    """The request with its questions and answers and the metadata of its evidence (both
    prefetched by the selectors' detail reads)."""
    return {
        **request_fields(request),
        "messages": [
            message_out(m, for_home_office=for_home_office) for m in request.messages.all()
        ],
        "evidence": [evidence_out(e) for e in request.evidence.all()],
    }


def request_out(request: LicenceRequest) -> RequestOut:
    return RequestOut(**request_fields(request))


def own_request_detail(request: ApiRequest, request_id: int) -> RequestDetailOut:
    found = selectors.request_get_for_user(user=request.auth, request_id=request_id)
    return RequestDetailOut(**request_detail_fields(found, for_home_office=False))


def created_request(request: ApiRequest, created: LicenceRequest) -> Status:
    return Status(201, own_request_detail(request, created.pk))
