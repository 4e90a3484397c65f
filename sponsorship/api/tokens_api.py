"""API: a Level 1 user's own personal tokens."""

from datetime import date, datetime

from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest

from .permissions import api_requires
from .schemas import ERRORS, StrictSchema
from .selectors import api_token_list_for_user
from .services import api_token_create, api_token_revoke

router = Router(tags=["API tokens"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIn(StrictSchema):
    name: str = Field(min_length=1, max_length=80, json_schema_extra={"pattern": r"\S"})
    # JSON has no date type: an ISO date string ("2027-03-31") is the only way to send one.
    expires_on: date | None = Field(default=None, strict=False)

    @field_validator("name", mode="before")
    @classmethod
    def name_not_blank(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError("Enter a name for the token, like 'HR system'")
        return value


class TokenCreated(Schema):
    token: TokenOut
    secret: str


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="Your API tokens")
@api_requires(Permission.API_TOKEN_MANAGE)
def tokens(request: ApiRequest) -> list[TokenOut]:
    return [TokenOut.from_orm(t) for t in api_token_list_for_user(user=request.auth)]


@router.post(
    "/tokens",
    response={201: TokenCreated, **ERRORS},
    summary="Create a token; its secret is in this response only",
)
@api_requires(Permission.API_TOKEN_MANAGE)
def token_create(request: ApiRequest, payload: TokenIn) -> Status:
    token, secret = api_token_create(
        user=request.auth,
        name=payload.name,
        expires_on=payload.expires_on,
        ip=client_ip(request),
    )
    return Status(201, TokenCreated(token=TokenOut.from_orm(token), secret=secret))


@router.delete("/tokens/{token_id}", response={200: TokenOut, **ERRORS}, summary="Revoke a token")
@api_requires(Permission.API_TOKEN_MANAGE)
def token_revoke(request: ApiRequest, token_id: int) -> TokenOut:
    return TokenOut.from_orm(
        api_token_revoke(user=request.auth, token_id=token_id, ip=client_ip(request))
    )
