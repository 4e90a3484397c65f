"""API: Users: list, request a Level 1 user, create a Level 2 user, amend, deactivate."""

from ninja import Field, Query, Router, Schema, Status

from sponsorship.accounts.models import User
from sponsorship.accounts.selectors import user_get_for_level_1, user_list_for_sponsor
from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest

from .. import selectors, services
from .shapes import (
    RESPONSES,
    Count,
    Email,
    Optional10,
    Optional30,
    Optional100,
    Optional200,
    PageQuery,
    RequestDetailOut,
    RequestOut,
    Text100,
    checked_email,
    created_request,
    request_out,
)

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
    return created_request(request, created)


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
        request=request_out(approval) if approval is not None else None,
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
