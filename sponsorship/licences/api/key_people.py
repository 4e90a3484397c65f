"""API: Key personnel: the Authorising Officer and Key Contact, and changing them."""

from typing import Literal

from ninja import Field, Router, Schema, Status

from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest

from .. import selectors, services
from ..models import (
    KeyPerson,
    KeyPersonRole,
)
from .shapes import (
    RESPONSES,
    Email,
    IsoDate,
    Optional10,
    Optional30,
    Optional100,
    Optional200,
    RequestDetailOut,
    Text100,
    checked_email,
    created_request,
)

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
    return created_request(request, created)
