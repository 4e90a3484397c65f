"""API: the sponsor's pre-stored work addresses (for certificates of sponsorship) and study
addresses (for CAS): list, add, read, change, retire. Certificates and CAS keep their own copy of
an address, so changing or retiring one never changes them."""

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Query, Router, Schema, Status

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import (
    RESPONSES,
    Count,
    Optional100,
    Optional200,
    PageQuery,
    Text10,
    Text100,
    Text200,
    UserRef,
    user_ref,
)
from sponsorship.licences.models import Nation

from .. import selectors
from ..models import AddressPurpose, WorkAddress
from ..services import addresses as services_addresses

router = Router(tags=["Work addresses"])
STUDY_TAGS = ["Study addresses"]

# Choices arrive as JSON strings: only lax validation turns them into the enum.
NationCode = Annotated[
    Nation,
    Field(
        strict=False,
        description="The part of the UK: its bank holidays count in workers' reporting deadlines.",
    ),
]
StudyNationCode = Annotated[
    Nation,
    Field(
        strict=False,
        description="The part of the UK: its bank holidays count in students' reporting deadlines.",
    ),
]


class WorkAddressOut(Schema):
    id: int
    identifier: str = Field(description="WA followed by at least 4 digits, unique per sponsor.")
    name: str
    line_1: str
    line_2: str
    town: str
    postcode: str
    nation: str
    nation_name: str
    in_use: bool = Field(description="False once retired: no longer offered for certificates.")
    retired_at: datetime | None
    created_at: datetime
    created_by: UserRef
    version: int = Field(description="Send it back to change or retire, to refuse a stale one.")


class StudyAddressOut(WorkAddressOut):
    identifier: str = Field(description="SA followed by at least 4 digits, unique per sponsor.")
    in_use: bool = Field(description="False once retired: no longer offered for CAS.")


class WorkAddressPage(Schema):
    items: list[WorkAddressOut]
    page: PageInfo


class StudyAddressPage(Schema):
    items: list[StudyAddressOut]
    page: PageInfo


class WorkAddressQuery(PageQuery):
    in_use: bool = Field(False, description="true: only the addresses in use, not retired.")


class WorkAddressIn(StrictSchema):
    name: Optional100 = Field("", description="A short name, like 'Leeds office'.")
    line_1: Text200
    line_2: Optional200 = ""
    town: Text100
    postcode: Text10 = Field(description="A UK postcode, like SW1A 2AA.")
    nation: NationCode


class StudyAddressIn(StrictSchema):
    name: Optional100 = Field("", description="A short name, like 'Main campus'.")
    line_1: Text200
    line_2: Optional200 = ""
    town: Text100
    postcode: Text10 = Field(description="A UK postcode, like AB24 3FX.")
    nation: StudyNationCode


class WorkAddressChangeIn(StrictSchema):
    """Only the fields sent change; the identifier never does."""

    version: Count = Field(ge=1, description="The `version` you read the address with.")
    name: Optional100 | None = None
    line_1: Text200 | None = None
    line_2: Optional200 | None = None
    town: Text100 | None = None
    postcode: Text10 | None = None
    nation: NationCode | None = None


class StudyAddressChangeIn(StrictSchema):
    """Only the fields sent change; the identifier never does."""

    version: Count = Field(ge=1, description="The `version` you read the address with.")
    name: Optional100 | None = None
    line_1: Text200 | None = None
    line_2: Optional200 | None = None
    town: Text100 | None = None
    postcode: Text10 | None = None
    nation: StudyNationCode | None = None


class WorkAddressRetireIn(StrictSchema):
    version: Count = Field(ge=1, description="The `version` you read the address with.")


def _fields(address: WorkAddress) -> dict[str, Any]:
    return {
        "id": address.pk,
        "identifier": address.identifier,
        "name": address.name,
        "line_1": address.line_1,
        "line_2": address.line_2,
        "town": address.town,
        "postcode": address.postcode,
        "nation": address.nation,
        "nation_name": address.get_nation_display(),
        "in_use": address.retired_at is None,
        "retired_at": address.retired_at,
        "created_at": address.created_at,
        "created_by": user_ref(address.created_by),
        "version": address.version,
    }


def _address_out(address: WorkAddress) -> WorkAddressOut:
    return WorkAddressOut(**_fields(address))


def _study_address_out(address: WorkAddress) -> StudyAddressOut:
    return StudyAddressOut(**_fields(address))


def _list(
    request: ApiRequest, query: WorkAddressQuery, purpose: str
) -> tuple[list[WorkAddress], PageInfo]:
    rows = selectors.work_address_list_for_user(
        user=request.auth, in_use_only=query.in_use, purpose=purpose
    )
    return paginate(rows.select_related("created_by"), query.page, query.page_size)


def _add(request: ApiRequest, payload: WorkAddressIn | StudyAddressIn, purpose: str) -> WorkAddress:
    return services_addresses.work_address_add(
        actor=request.auth,
        name=payload.name,
        line_1=payload.line_1,
        line_2=payload.line_2,
        town=payload.town,
        postcode=payload.postcode,
        nation=payload.nation.value,
        purpose=purpose,
        ip=client_ip(request),
    )


def _get(request: ApiRequest, address_id: int, purpose: str) -> WorkAddress:
    return selectors.work_address_get_for_user(
        user=request.auth, address_id=address_id, purpose=purpose
    )


def _change(
    request: ApiRequest,
    address_id: int,
    payload: WorkAddressChangeIn | StudyAddressChangeIn,
    purpose: str,
) -> WorkAddress:
    address = _get(request, address_id, purpose)
    sent = payload.model_dump(exclude={"version"}, exclude_none=True)
    return services_addresses.work_address_change(
        actor=request.auth,
        address=address,
        version=payload.version,
        name=sent.get("name", address.name),
        line_1=sent.get("line_1", address.line_1),
        line_2=sent.get("line_2", address.line_2),
        town=sent.get("town", address.town),
        postcode=sent.get("postcode", address.postcode),
        nation=payload.nation.value if payload.nation is not None else address.nation,
        ip=client_ip(request),
    )


def _retire(
    request: ApiRequest, address_id: int, payload: WorkAddressRetireIn, purpose: str
) -> WorkAddress:
    address = _get(request, address_id, purpose)
    return services_addresses.work_address_retire(
        actor=request.auth, address=address, version=payload.version, ip=client_ip(request)
    )


# ---------------------------------------------------------------- work addresses

WORK = AddressPurpose.WORK


@router.get(
    "/work-addresses",
    response={200: WorkAddressPage, **RESPONSES},
    summary="Your work addresses",
)
@api_requires(Permission.WORK_ADDRESSES_MANAGE)
def work_addresses(request: ApiRequest, query: Query[WorkAddressQuery]) -> WorkAddressPage:
    items, info = _list(request, query, WORK)
    return WorkAddressPage(items=[_address_out(a) for a in items], page=info)


@router.post(
    "/work-addresses",
    response={201: WorkAddressOut, **RESPONSES},
    summary="Add a work address: it gets your next identifier, like WA0003",
)
@api_requires(Permission.WORK_ADDRESSES_MANAGE)
def work_address_add(request: ApiRequest, payload: WorkAddressIn) -> Status:
    return Status(201, _address_out(_add(request, payload, WORK)))


@router.get(
    "/work-addresses/{int:address_id}",
    response={200: WorkAddressOut, **RESPONSES},
    summary="One work address",
)
@api_requires(Permission.WORK_ADDRESSES_MANAGE)
def work_address(request: ApiRequest, address_id: int) -> WorkAddressOut:
    return _address_out(_get(request, address_id, WORK))


@router.patch(
    "/work-addresses/{int:address_id}",
    response={200: WorkAddressOut, **RESPONSES},
    summary="Change a work address in use; certificates that have it keep their copy",
)
@api_requires(Permission.WORK_ADDRESSES_MANAGE)
def work_address_change(
    request: ApiRequest, address_id: int, payload: WorkAddressChangeIn
) -> WorkAddressOut:
    return _address_out(_change(request, address_id, payload, WORK))


@router.post(
    "/work-addresses/{int:address_id}/retire",
    response={200: WorkAddressOut, **RESPONSES},
    summary="Retire a work address: no longer offered for new certificates",
)
@api_requires(Permission.WORK_ADDRESSES_MANAGE)
def work_address_retire(
    request: ApiRequest, address_id: int, payload: WorkAddressRetireIn
) -> WorkAddressOut:
    return _address_out(_retire(request, address_id, payload, WORK))


# ---------------------------------------------------------------- study addresses

STUDY = AddressPurpose.STUDY


@router.get(
    "/study-addresses",
    response={200: StudyAddressPage, **RESPONSES},
    summary="Your study addresses",
    tags=STUDY_TAGS,
)
@api_requires(Permission.STUDY_ADDRESSES_MANAGE)
def study_addresses(request: ApiRequest, query: Query[WorkAddressQuery]) -> StudyAddressPage:
    items, info = _list(request, query, STUDY)
    return StudyAddressPage(items=[_study_address_out(a) for a in items], page=info)


@router.post(
    "/study-addresses",
    response={201: StudyAddressOut, **RESPONSES},
    summary="Add a study address: it gets your next identifier, like SA0003",
    tags=STUDY_TAGS,
)
@api_requires(Permission.STUDY_ADDRESSES_MANAGE)
def study_address_add(request: ApiRequest, payload: StudyAddressIn) -> Status:
    return Status(201, _study_address_out(_add(request, payload, STUDY)))


@router.get(
    "/study-addresses/{int:address_id}",
    response={200: StudyAddressOut, **RESPONSES},
    summary="One study address",
    tags=STUDY_TAGS,
)
@api_requires(Permission.STUDY_ADDRESSES_MANAGE)
def study_address(request: ApiRequest, address_id: int) -> StudyAddressOut:
    return _study_address_out(_get(request, address_id, STUDY))


@router.patch(
    "/study-addresses/{int:address_id}",
    response={200: StudyAddressOut, **RESPONSES},
    summary="Change a study address in use; CAS that have it keep their copy",
    tags=STUDY_TAGS,
)
@api_requires(Permission.STUDY_ADDRESSES_MANAGE)
def study_address_change(
    request: ApiRequest, address_id: int, payload: StudyAddressChangeIn
) -> StudyAddressOut:
    return _study_address_out(_change(request, address_id, payload, STUDY))


@router.post(
    "/study-addresses/{int:address_id}/retire",
    response={200: StudyAddressOut, **RESPONSES},
    summary="Retire a study address: no longer offered for new CAS",
    tags=STUDY_TAGS,
)
@api_requires(Permission.STUDY_ADDRESSES_MANAGE)
def study_address_retire(
    request: ApiRequest, address_id: int, payload: WorkAddressRetireIn
) -> StudyAddressOut:
    return _study_address_out(_retire(request, address_id, payload, STUDY))
