"""API: what a Level 1 user does to manage the licence, calling the services the web pages call:
users, key personnel, changes of circumstances, requests and their questions, PAYE references,
allocations, action plans, Premium and Student Sponsor status."""

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import AfterValidator, BeforeValidator

from sponsorship.accounts.models import User
from sponsorship.accounts.selectors import user_get_for_level_1, user_list_for_sponsor
from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import ERRORS, Error, StrictSchema
from sponsorship.core.errors import ApplicationError, Conflict, NotPermitted
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission, denial
from sponsorship.core.types import ApiRequest
from sponsorship.core.uploads import CheckedUpload, check_uploads

from . import selectors, services
from .api import RouteAllocationOut, route_allocation_fields
from .models import (
    ALLOCATION_KINDS,
    ActionPlan,
    EvidenceFile,
    KeyPerson,
    KeyPersonRole,
    LicenceRequest,
    OrganisationChange,
    PayeReference,
    RequestKind,
    RequestMessage,
    Route,
)
from .services._common import today
from .services.allocations import MAX_UNITS_PER_REQUEST
from .services.status import status_held_since

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


def ensure_allowed(user: User, permission: Permission) -> None:
    """What `api_requires` does, for a permission that depends on the object acted on."""
    refused = denial(user, permission)
    if refused is not None and refused.code:
        raise Conflict(refused.reason, code=refused.code)
    if refused is not None:
        raise NotPermitted(refused.reason)


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


def _request_out(request: LicenceRequest) -> RequestOut:
    return RequestOut(**request_fields(request))


def _own_request_detail(request: ApiRequest, request_id: int) -> RequestDetailOut:
    found = selectors.request_get_for_user(user=request.auth, request_id=request_id)
    return RequestDetailOut(**request_detail_fields(found, for_home_office=False))


def _created_request(request: ApiRequest, created: LicenceRequest) -> Status:
    return Status(201, _own_request_detail(request, created.pk))


# Users

users_router = Router(tags=["Users"])


class UserOut(Schema):
    id: int
    user_id: str
    given_names: str
    family_name: str
    email: str
    job_title: str
    phone: str
    work_address_line_1: str
    work_town: str
    work_postcode: str
    is_settled_worker: bool
    level: str
    status: str
    version: int = Field(description="Send it back with an amendment, to refuse a stale one.")


class UserPage(Schema):
    items: list[UserOut]
    page: PageInfo


def _user_out(user: User) -> UserOut:
    return UserOut(
        id=user.pk,
        user_id=user.username,
        given_names=user.given_names,
        family_name=user.family_name,
        email=user.email,
        job_title=user.job_title,
        phone=user.phone,
        work_address_line_1=user.work_address_line_1,
        work_town=user.work_town,
        work_postcode=user.work_postcode,
        is_settled_worker=user.is_settled_worker,
        level=user.level,
        status=user.status,
        version=user.version,
    )


class UserIn(StrictSchema):
    given_names: Text100
    family_name: Text100
    email: Email = Field(description="Personal work address: no shared mailboxes.")
    job_title: Optional100 = ""
    phone: Optional30 = ""
    work_address_line_1: Optional200 = ""
    work_town: Optional100 = ""
    work_postcode: Optional10 = ""
    is_settled_worker: bool = Field(
        False, description="British or Irish citizen, or settled in the UK."
    )

    def details(self) -> services.UserDetails:
        return services.UserDetails(
            **{**self.model_dump(), "email": checked_email(self.email.strip())}
        )


class UserAmendIn(StrictSchema):
    """Only the fields sent change. A Level 1 user's own name or e-mail needs a caseworker's
    approval; everything else applies at once."""

    version: Count = Field(ge=1, description="The `version` you read the user with.")
    given_names: Text100 | None = None
    family_name: Text100 | None = None
    email: Email | None = None
    job_title: Optional100 | None = None
    phone: Optional30 | None = None
    work_address_line_1: Optional200 | None = None
    work_town: Optional100 | None = None
    work_postcode: Optional10 | None = None
    is_settled_worker: bool | None = None

    def details(self, current: User) -> services.UserDetails:
        sent = {k: v for k, v in self.model_dump(exclude={"version"}).items() if v is not None}
        if "email" in sent:
            sent["email"] = checked_email(sent["email"].strip())
        fields = services.UserDetails.__dataclass_fields__
        return services.UserDetails(**{f: sent.get(f, getattr(current, f)) for f in fields})


class UserAmended(Schema):
    user: UserOut
    approval_requested: bool = Field(
        description="True when some changes wait for a caseworker's approval (see `request`)."
    )
    request: RequestOut | None


@users_router.get("/users", response={200: UserPage, **RESPONSES}, summary="Your licence's users")
@api_requires(Permission.USERS_MANAGE)
def users(request: ApiRequest, query: Query[PageQuery]) -> UserPage:
    sponsor = selectors.sponsor_of(request.auth)
    items, info = paginate(
        user_list_for_sponsor(sponsor_id=sponsor.pk), query.page, query.page_size
    )
    return UserPage(items=[_user_out(u) for u in items], page=info)


@users_router.get("/users/{int:user_id}", response={200: UserOut, **RESPONSES}, summary="One user")
@api_requires(Permission.USERS_MANAGE)
def user(request: ApiRequest, user_id: int) -> UserOut:
    return _user_out(user_get_for_level_1(user=request.auth, user_id=user_id))


@users_router.post(
    "/users/level-1-requests",
    response={201: RequestDetailOut, **RESPONSES},
    summary="Request a new Level 1 user: they wait, as Requested, for a caseworker",
)
@api_requires(Permission.USERS_MANAGE)
def user_level_1_request(request: ApiRequest, payload: UserIn) -> Status:
    created = services.user_request_level_1(
        actor=request.auth, details=payload.details(), ip=client_ip(request)
    )
    return _created_request(request, created)


@users_router.post(
    "/users/level-2",
    response={201: UserOut, **RESPONSES},
    summary="Create a Level 2 user: active at once, their temporary password e-mailed to them",
)
@api_requires(Permission.USERS_MANAGE)
def user_level_2_create(request: ApiRequest, payload: UserIn) -> Status:
    created = services.user_create_level_2(
        actor=request.auth, details=payload.details(), ip=client_ip(request)
    )
    return Status(201, _user_out(user_get_for_level_1(user=request.auth, user_id=created.pk)))


@users_router.patch(
    "/users/{int:user_id}",
    response={200: UserAmended, **RESPONSES},
    summary="Amend your own details or a Level 2 user's",
)
@api_requires(Permission.USERS_MANAGE)
def user_amend(request: ApiRequest, user_id: int, payload: UserAmendIn) -> UserAmended:
    current = user_get_for_level_1(user=request.auth, user_id=user_id)
    approval = services.user_amend(
        actor=request.auth,
        user_id=user_id,
        version=payload.version,
        details=payload.details(current),
        ip=client_ip(request),
    )
    return UserAmended(
        user=_user_out(user_get_for_level_1(user=request.auth, user_id=user_id)),
        approval_requested=approval is not None,
        request=_request_out(approval) if approval is not None else None,
    )


@users_router.post(
    "/users/{int:user_id}/deactivate",
    response={200: UserOut, **RESPONSES},
    summary="Deactivate a user. Final: they can never sign in again",
)
@api_requires(Permission.USERS_MANAGE)
def user_deactivate(request: ApiRequest, user_id: int) -> UserOut:
    services.user_deactivate(actor=request.auth, user_id=user_id, ip=client_ip(request))
    return _user_out(user_get_for_level_1(user=request.auth, user_id=user_id))


# Key personnel

key_people_router = Router(tags=["Key personnel"])

ROLES: dict[str, KeyPersonRole] = {
    "authorising-officer": KeyPersonRole.AUTHORISING_OFFICER,
    "key-contact": KeyPersonRole.KEY_CONTACT,
}


class KeyPersonDetailOut(Schema):
    role: str
    role_name: str
    name: str
    given_names: str
    family_name: str
    job_title: str
    email: str
    phone: str
    address_line_1: str
    town: str
    postcode: str
    is_legal_representative: bool


def key_person_out(person: KeyPerson) -> KeyPersonDetailOut:
    return KeyPersonDetailOut(
        role=person.role,
        role_name=person.get_role_display(),
        name=person.full_name,
        given_names=person.given_names,
        family_name=person.family_name,
        job_title=person.job_title,
        email=person.email,
        phone=person.phone,
        address_line_1=person.address_line_1,
        town=person.town,
        postcode=person.postcode,
        is_legal_representative=person.is_legal_representative,
    )


class KeyPersonChangeIn(StrictSchema):
    given_names: Text100
    family_name: Text100
    job_title: Optional100 = ""
    email: Email
    phone: Optional30 = ""
    address_line_1: Optional200 = ""
    town: Optional100 = ""
    postcode: Optional10 = ""
    is_legal_representative: bool = Field(
        False, description="A Key Contact may be a legal representative; the AO may not."
    )
    change_date: IsoDate = Field(description="When the change happened: today or earlier.")
    replace: bool = Field(
        description="True for a new person in the role, false to amend the current one's details."
    )

    def details(self) -> services.KeyPersonDetails:
        sent = self.model_dump(exclude={"change_date", "replace"})
        return services.KeyPersonDetails(**{**sent, "email": checked_email(self.email.strip())})


@key_people_router.get(
    "/key-people",
    response={200: list[KeyPersonDetailOut], **RESPONSES},
    summary="The Authorising Officer and the Key Contact",
)
@api_requires(Permission.KEY_PEOPLE_CHANGE)
def key_people(request: ApiRequest) -> list[KeyPersonDetailOut]:
    sponsor = selectors.sponsor_get_for_user(user=request.auth)
    return [key_person_out(p) for p in sponsor.key_people.all()]


@key_people_router.post(
    "/key-people/{role}/changes",
    response={201: RequestDetailOut, **RESPONSES},
    summary="Change the Authorising Officer or Key Contact: applied at once when the licence "
    "qualifies (then `status` is GRANTED), otherwise decided by a caseworker",
)
@api_requires(Permission.KEY_PEOPLE_CHANGE)
def key_person_change(
    request: ApiRequest,
    role: Literal["authorising-officer", "key-contact"],
    payload: KeyPersonChangeIn,
) -> Status:
    created = services.key_person_change(
        actor=request.auth,
        role=ROLES[role],
        details=payload.details(),
        change_date=payload.change_date,
        replace=payload.replace,
        ip=client_ip(request),
    )
    return _created_request(request, created)


# Changes of circumstances and every request's life: list, read, withdraw, answer

requests_router = Router(tags=["Requests"])


class ChangeRequestIn(StrictSchema):
    change_type: Annotated[OrganisationChange, Field(strict=False)] = Field(
        description="What changed."
    )
    change_date: IsoDate = Field(description="When the change happened: today or earlier.")
    description: Text2000
    declaration_name: Text200 = Field(description="Your full name, declaring this is true.")
    declaration_position: Text200


class AnswerIn(StrictSchema):
    body: Text5000 = Field(description="Your answer to the caseworker's question.")


class RequestQuery(PageQuery):
    open: bool | None = Field(None, description="true: outstanding only; false: decided only.")
    kind: RequestKind | None = None


class RequestPage(Schema):
    items: list[RequestOut]
    page: PageInfo


@requests_router.post(
    "/change-requests",
    response={201: RequestDetailOut, **RESPONSES},
    summary="Report a change of circumstances, with evidence (multipart/form-data)",
    description="Files go in `evidence` (repeat it for several): PDF, JPG, PNG, Word, Excel or "
    "OpenDocument text. `report_due` and `reported_late` in the answer say whether the change "
    "was reported in time.",
)
@api_requires(Permission.LICENCE_CHANGE_REQUEST)
def change_request_create(
    request: ApiRequest,
    payload: Form[ChangeRequestIn],
    evidence: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status:
    uploads = checked_files(evidence)
    created = services.change_request_submit(
        actor=request.auth,
        change_type=payload.change_type,
        change_date=payload.change_date,
        description=payload.description,
        declaration_name=payload.declaration_name,
        declaration_position=payload.declaration_position,
        evidence=uploads,
        ip=client_ip(request),
    )
    return _created_request(request, created)


@requests_router.get(
    "/requests", response={200: RequestPage, **RESPONSES}, summary="Your requests, newest first"
)
@api_requires(Permission.LICENCE_SERVICES_VIEW)
def requests(request: ApiRequest, query: Query[RequestQuery]) -> RequestPage:
    listing = selectors.request_list_for_user(
        user=request.auth,
        kinds=(query.kind,) if query.kind else (),
        open_only=query.open,
    )
    items, info = paginate(listing, query.page, query.page_size)
    return RequestPage(items=[_request_out(r) for r in items], page=info)


@requests_router.get(
    "/requests/{int:request_id}",
    response={200: RequestDetailOut, **RESPONSES},
    summary="One request, with the Home Office's questions, your answers and the evidence",
)
@api_requires(Permission.LICENCE_SERVICES_VIEW)
def request_detail(request: ApiRequest, request_id: int) -> RequestDetailOut:
    return _own_request_detail(request, request_id)


@requests_router.post(
    "/requests/{int:request_id}/withdraw",
    response={200: RequestDetailOut, **RESPONSES},
    summary="Withdraw an outstanding request. Final",
)
@api_requires(Permission.LICENCE_SERVICES_VIEW)
def request_withdraw(request: ApiRequest, request_id: int) -> RequestDetailOut:
    found = selectors.request_get_for_user(user=request.auth, request_id=request_id)
    if found.kind in ALLOCATION_KINDS:
        ensure_allowed(request.auth, Permission.ALLOCATIONS_REQUEST)
    services.request_withdraw(actor=request.auth, request_id=found.pk, ip=client_ip(request))
    return _own_request_detail(request, found.pk)


@requests_router.post(
    "/requests/{int:request_id}/answer",
    response={200: RequestDetailOut, **RESPONSES},
    summary="Answer the Home Office's question, with evidence (multipart/form-data)",
)
@api_requires(Permission.LICENCE_SERVICES_VIEW)
def request_answer(
    request: ApiRequest,
    request_id: int,
    payload: Form[AnswerIn],
    evidence: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> RequestDetailOut:
    # Scoped first: another sponsor's request is not found, whatever the files.
    found = selectors.request_get_for_user(user=request.auth, request_id=request_id)
    services.request_answer(
        actor=request.auth,
        request_id=found.pk,
        body=payload.body,
        evidence=checked_files(evidence),
        ip=client_ip(request),
    )
    return _own_request_detail(request, found.pk)


# PAYE references

paye_router = Router(tags=["PAYE references"])


class PayeOut(Schema):
    id: int
    reference: str
    added_by: UserRef
    added_at: datetime


class PayePage(Schema):
    items: list[PayeOut]
    page: PageInfo


class PayeIn(StrictSchema):
    reference: Annotated[
        str,
        Field(
            min_length=1,
            max_length=30,
            json_schema_extra={"pattern": NOT_BLANK},
            description="Like 123/AB45678: three digits, a slash, up to 10 letters and digits.",
        ),
    ]


def _paye_out(paye: PayeReference) -> PayeOut:
    return PayeOut(
        id=paye.pk,
        reference=paye.reference,
        added_by=user_ref(paye.added_by),
        added_at=paye.added_at,
    )


@paye_router.get(
    "/paye-references", response={200: PayePage, **RESPONSES}, summary="Your PAYE references"
)
@api_requires(Permission.PAYE_MANAGE)
def paye_references(request: ApiRequest, query: Query[PageQuery]) -> PayePage:
    items, info = paginate(
        selectors.paye_list_for_user(user=request.auth), query.page, query.page_size
    )
    return PayePage(items=[_paye_out(p) for p in items], page=info)


@paye_router.post(
    "/paye-references", response={201: PayeOut, **RESPONSES}, summary="Add a PAYE reference"
)
@api_requires(Permission.PAYE_MANAGE)
def paye_add(request: ApiRequest, payload: PayeIn) -> Status:
    paye = services.paye_add(actor=request.auth, reference=payload.reference, ip=client_ip(request))
    return Status(201, _paye_out(paye))


@paye_router.delete(
    "/paye-references/{int:paye_id}",
    response={204: None, **RESPONSES},
    summary="Delete a PAYE reference",
)
@api_requires(Permission.PAYE_MANAGE)
def paye_delete(request: ApiRequest, paye_id: int) -> Status:
    services.paye_delete(actor=request.auth, paye_id=paye_id, ip=client_ip(request))
    return Status(204, None)


# Allocations

allocations_router = Router(tags=["Allocations"])


class AllocationOut(RouteAllocationOut):
    rating: str
    renewal_available: bool = Field(description="Whether a renewal can be requested today.")
    renewal_unavailable_reason: str | None


class IncreaseIn(StrictSchema):
    route: RouteCode
    number: Count = Field(ge=1, le=MAX_UNITS_PER_REQUEST, description="Certificates to add.")
    justification: Text5000 = Field(
        description="The roles, when you will fill them and why your allocation is not enough."
    )


class RenewalIn(StrictSchema):
    route: RouteCode
    number: Count = Field(ge=1, le=MAX_UNITS_PER_REQUEST, description="Certificates for next year.")
    justification: Optional5000 = ""


@allocations_router.get(
    "/allocations",
    response={200: list[AllocationOut], **RESPONSES},
    summary="Per route: this year's and next year's allocation, and the renewal window",
)
@api_requires(Permission.ALLOCATIONS_REQUEST)
def allocations(request: ApiRequest) -> list[AllocationOut]:
    sponsor = selectors.sponsor_get_for_user(user=request.auth)
    on = today()
    ratings = sponsor.route_ratings
    result = []
    for line in selectors.allocation_summary(sponsor=sponsor, on=on):
        refused = services.renewal_denial(sponsor, line.route, on)
        result.append(
            AllocationOut(
                **route_allocation_fields(line),
                rating=ratings[line.route],
                renewal_available=refused is None,
                renewal_unavailable_reason=refused,
            )
        )
    return result


@allocations_router.post(
    "/allocations/increase-requests",
    response={201: RequestDetailOut, **RESPONSES},
    summary="Ask for more certificates for a route this year",
)
@api_requires(Permission.ALLOCATIONS_REQUEST)
def allocation_increase_request(request: ApiRequest, payload: IncreaseIn) -> Status:
    created = services.allocation_increase_request(
        actor=request.auth,
        route=payload.route,
        number=payload.number,
        justification=payload.justification,
        evidence=[],
        ip=client_ip(request),
    )
    return _created_request(request, created)


@allocations_router.post(
    "/allocations/renewal-requests",
    response={201: RequestDetailOut, **RESPONSES},
    summary="Ask for next year's allocation of a route, inside the renewal window",
)
@api_requires(Permission.ALLOCATIONS_REQUEST)
def allocation_renewal_request(request: ApiRequest, payload: RenewalIn) -> Status:
    created = services.allocation_renewal_request(
        actor=request.auth,
        route=payload.route,
        number=payload.number,
        justification=payload.justification,
        ip=client_ip(request),
    )
    return _created_request(request, created)


# Action plans

action_plans_router = Router(tags=["Action plans"])


class ActionPlanOut(Schema):
    id: int
    route: str
    route_name: str
    steps: str
    fee_pence: int
    payment_due: date
    status: str
    status_name: str
    created_at: datetime
    payment_reference: str
    responded_at: datetime | None
    decline_reason: str


class ActionPlanPage(Schema):
    items: list[ActionPlanOut]
    page: PageInfo


class PaymentIn(StrictSchema):
    payment_reference: Text40 = Field(description="The reference on your payment receipt.")


class DeclineIn(StrictSchema):
    reason: Text5000


def _plan_out(plan: ActionPlan) -> ActionPlanOut:
    return ActionPlanOut(
        id=plan.pk,
        route=plan.route,
        route_name=plan.get_route_display(),
        steps=plan.steps,
        fee_pence=plan.fee_pence,
        payment_due=plan.payment_due,
        status=plan.status,
        status_name=plan.get_status_display(),
        created_at=plan.created_at,
        payment_reference=plan.payment_reference,
        responded_at=plan.responded_at,
        decline_reason=plan.decline_reason,
    )


@action_plans_router.get(
    "/action-plans",
    response={200: ActionPlanPage, **RESPONSES},
    summary="Your action plans, newest first",
)
@api_requires(Permission.ACTION_PLAN_RESPOND)
def action_plans(request: ApiRequest, query: Query[PageQuery]) -> ActionPlanPage:
    listing = selectors.action_plan_list_for_user(user=request.auth)
    items, info = paginate(listing, query.page, query.page_size)
    return ActionPlanPage(items=[_plan_out(p) for p in items], page=info)


@action_plans_router.get(
    "/action-plans/{int:plan_id}",
    response={200: ActionPlanOut, **RESPONSES},
    summary="One action plan",
)
@api_requires(Permission.ACTION_PLAN_RESPOND)
def action_plan(request: ApiRequest, plan_id: int) -> ActionPlanOut:
    return _plan_out(selectors.action_plan_get_for_user(user=request.auth, plan_id=plan_id))


@action_plans_router.post(
    "/action-plans/{int:plan_id}/payment",
    response={200: ActionPlanOut, **RESPONSES},
    summary="Record that the action plan's fee is paid",
)
@api_requires(Permission.ACTION_PLAN_RESPOND)
def action_plan_pay(request: ApiRequest, plan_id: int, payload: PaymentIn) -> ActionPlanOut:
    return _plan_out(
        services.action_plan_pay(
            actor=request.auth,
            plan_id=plan_id,
            payment_reference=payload.payment_reference,
            ip=client_ip(request),
        )
    )


@action_plans_router.post(
    "/action-plans/{int:plan_id}/decline",
    response={200: ActionPlanOut, **RESPONSES},
    summary="Decline the action plan: the Home Office will then consider revoking the licence",
)
@api_requires(Permission.ACTION_PLAN_RESPOND)
def action_plan_decline(request: ApiRequest, plan_id: int, payload: DeclineIn) -> ActionPlanOut:
    return _plan_out(
        services.action_plan_decline(
            actor=request.auth, plan_id=plan_id, reason=payload.reason, ip=client_ip(request)
        )
    )


# Premium and Student Sponsor status

status_router = Router(tags=["Sponsor status"])

STATUS_KINDS: dict[str, RequestKind] = {
    "premium": RequestKind.PREMIUM,
    "student-sponsor-status": RequestKind.STUDENT_SPONSOR_STATUS,
}


class SponsorStatusOut(Schema):
    kind: str = Field(description="premium or student-sponsor-status, as in the apply URL.")
    name: str
    held_since: date | None
    can_apply: bool
    reason: str | None = Field(description="Why you cannot apply now, when you cannot.")


@status_router.get(
    "/sponsor-status",
    response={200: list[SponsorStatusOut], **RESPONSES},
    summary="Premium customer service and Student Sponsor status: held since, or can you apply",
)
@api_requires(Permission.LICENCE_SERVICES_VIEW)
def sponsor_status(request: ApiRequest) -> list[SponsorStatusOut]:
    sponsor = selectors.sponsor_get_for_user(user=request.auth)
    on = today()
    result = []
    for slug, kind in STATUS_KINDS.items():
        refused = services.status_application_denial(sponsor, kind, on)
        result.append(
            SponsorStatusOut(
                kind=slug,
                name=kind.label,
                held_since=status_held_since(sponsor, kind),
                can_apply=refused is None,
                reason=refused,
            )
        )
    return result


@status_router.post(
    "/sponsor-status/{kind}/applications",
    response={201: RequestDetailOut, **RESPONSES},
    summary="Apply for Premium customer service or Student Sponsor status",
)
@api_requires(Permission.SPONSOR_STATUS_APPLY)
def sponsor_status_apply(
    request: ApiRequest, kind: Literal["premium", "student-sponsor-status"]
) -> Status:
    created = services.status_apply(
        actor=request.auth, kind=STATUS_KINDS[kind], ip=client_ip(request)
    )
    return _created_request(request, created)


routers = [
    users_router,
    key_people_router,
    requests_router,
    paye_router,
    allocations_router,
    action_plans_router,
    status_router,
]
