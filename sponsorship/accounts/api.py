"""API: who am I."""

from ninja import Router, Schema

from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import ERRORS
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest

router = Router(tags=["Account"])


class SponsorRef(Schema):
    name: str
    licence_number: str


class Me(Schema):
    user_id: str
    given_names: str
    family_name: str
    email: str
    level: str
    sponsor: SponsorRef | None


@router.get("/me", response={200: Me, **ERRORS}, summary="The user the token acts as")
@api_requires(Permission.HOME_VIEW)
def me(request: ApiRequest) -> Me:
    user = request.auth
    return Me(
        user_id=user.username,
        given_names=user.given_names,
        family_name=user.family_name,
        email=user.email,
        level=user.level,
        sponsor=SponsorRef(name=user.sponsor.name, licence_number=user.sponsor.licence_number)
        if user.sponsor
        else None,
    )
