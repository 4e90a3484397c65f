"""Casework API: deactivating and unlocking users."""

from ninja import Router

from sponsorship.accounts import services as account_services
from sponsorship.accounts.selectors import (
    locked_user_ids,
    user_get_for_caseworker,
)
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences import services as licence_services
from sponsorship.licences.api.shapes import (
    RESPONSES,
    Text5000,
)

from .sponsors import CaseworkUserOut, user_out

users_router = Router(tags=["Casework: users"])


class ReasonsIn(StrictSchema):
    reasons: Text5000


def _caseworker_user_out(user_id: int) -> CaseworkUserOut:
    user = user_get_for_caseworker(user_id=user_id)
    return user_out(user, locked=bool(locked_user_ids([user.username])), sponsor=user.sponsor)


@users_router.post(
    "/users/{int:user_id}/deactivate",
    response={200: CaseworkUserOut, **RESPONSES},
    summary="Deactivate a sponsor's user, with reasons. Final",
)
@api_requires(Permission.CASEWORK_USER_DEACTIVATE)
def user_deactivate(request: ApiRequest, user_id: int, payload: ReasonsIn) -> CaseworkUserOut:
    licence_services.user_deactivate_by_home_office(
        caseworker=request.auth, user_id=user_id, reasons=payload.reasons, ip=client_ip(request)
    )
    return _caseworker_user_out(user_id)


@users_router.post(
    "/users/{int:user_id}/unlock",
    response={200: CaseworkUserOut, **RESPONSES},
    summary="Lift a lockout after wrong passwords",
)
@api_requires(Permission.CASEWORK_ACCOUNT_UNLOCK)
def user_unlock(request: ApiRequest, user_id: int) -> CaseworkUserOut:
    user = user_get_for_caseworker(user_id=user_id)
    account_services.account_unlock(caseworker=request.auth, user=user, ip=client_ip(request))
    return _caseworker_user_out(user_id)
