"""Casework API: the bank holiday calendar of working-day counts, and the Home Office's changes
to the published calendar. The same services as the casework pages."""

from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from sponsorship.api.pagination import PageInfo, paginate
from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.core import services as calendar_services
from sponsorship.core import workingdays
from sponsorship.core.errors import ApplicationError
from sponsorship.core.http import client_ip
from sponsorship.core.models import BankHolidayNation, BankHolidayOverride, OverrideChange
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import (
    RESPONSES,
    IsoDate,
    PageQuery,
    Text100,
    UserRef,
    user_ref,
)

calendar_router = Router(tags=["Casework: bank holidays"])

# A bound on one answer's size; a longer period takes several calls.
LONGEST_PERIOD_YEARS = 5

# Choices arrive as JSON strings: only lax validation turns them into the enums.
NationCode = Annotated[
    BankHolidayNation,
    Field(
        strict=False,
        description="ENG (England), WLS (Wales), SCT (Scotland), NIR (Northern Ireland).",
    ),
]
ChangeCode = Annotated[
    OverrideChange,
    Field(
        strict=False,
        description="ADD: an extra bank holiday on a weekday. REMOVE: a day the published "
        "calendar lists that is a working day after all.",
    ),
]


class BankHolidayQuery(Schema):
    nation: NationCode | None = Field(
        None, description="One part of the UK; every part if left out."
    )
    from_: date | None = Field(None, alias="from", description="The first day; today if left out.")
    to: date | None = Field(
        None, description="The last day; 12 months from the first if left out. At most 5 years."
    )


class BankHolidayOut(Schema):
    day: date
    nation: str
    nation_name: str
    name: str
    source: Literal["calendar", "override"] = Field(
        description="calendar: the published calendar; override: added by the Home Office."
    )
    override_id: int | None


class BankHolidayList(Schema):
    first_day: date
    last_day: date
    items: list[BankHolidayOut]


class OverrideOut(Schema):
    id: int
    day: date
    nation: str
    nation_name: str
    change: str
    change_name: str
    name: str
    created_by: UserRef
    created_at: datetime


class OverridePage(Schema):
    items: list[OverrideOut]
    page: PageInfo


class OverrideIn(StrictSchema):
    day: IsoDate = Field(description="A date from 2000-01-01 to 2100-12-31.")
    nation: NationCode
    change: ChangeCode
    name: Text100 = Field(description="As announced, like Coronation of King Charles III.")


def _override_out(override: BankHolidayOverride) -> OverrideOut:
    return OverrideOut(
        id=override.pk,
        day=override.day,
        nation=override.nation,
        nation_name=override.get_nation_display(),
        change=override.change,
        change_name=override.get_change_display(),
        name=override.name,
        created_by=user_ref(override.created_by),
        created_at=override.created_at,
    )


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year + years, day=28) + timedelta(days=1)


def _period(query: BankHolidayQuery) -> tuple[date, date]:
    start = query.from_ or timezone.localdate()
    end = query.to or min(workingdays.last_of_twelve_months(start), calendar_services.LATEST)
    for field, day in (("from", start), ("to", end)):
        if not calendar_services.EARLIEST <= day <= calendar_services.LATEST:
            raise ApplicationError("Enter a date from 2000-01-01 to 2100-12-31.", field=field)
    if end < start:
        raise ApplicationError("The last day must be on or after the first day.", field="to")
    if end >= _years_after(start, LONGEST_PERIOD_YEARS):
        raise ApplicationError(
            f"Ask for at most {LONGEST_PERIOD_YEARS} years at a time.", field="to"
        )
    return start, end


@calendar_router.get(
    "/bank-holidays",
    response={200: BankHolidayList, **RESPONSES},
    summary="The bank holidays that working-day counts skip, in date order",
    description="Weekdays only: a bank holiday at a weekend changes no count, its substitute "
    "weekday is listed. Days an override cancelled are left out.",
)
@api_requires(Permission.CASEWORK_CALENDAR_MANAGE)
def bank_holidays(request: ApiRequest, query: Query[BankHolidayQuery]) -> BankHolidayList:
    start, end = _period(query)
    nations = [query.nation.value] if query.nation else list(workingdays.NATIONS)
    found = sorted(
        (h for nation in nations for h in workingdays.bank_holidays_between(start, end, nation)),
        key=lambda h: (h.day, workingdays.NATIONS.index(h.nation)),
    )
    return BankHolidayList(
        first_day=start,
        last_day=end,
        items=[
            BankHolidayOut(
                day=h.day,
                nation=h.nation,
                nation_name=workingdays.NATION_NAMES[h.nation],
                name=h.name,
                source="override" if h.override_id else "calendar",
                override_id=h.override_id,
            )
            for h in found
        ],
    )


@calendar_router.get(
    "/bank-holiday-overrides",
    response={200: OverridePage, **RESPONSES},
    summary="The Home Office's changes to the published calendar, the latest day first",
)
@api_requires(Permission.CASEWORK_CALENDAR_MANAGE)
def overrides(request: ApiRequest, query: Query[PageQuery]) -> OverridePage:
    items, info = paginate(
        calendar_services.bank_holiday_override_list(), query.page, query.page_size
    )
    return OverridePage(items=[_override_out(o) for o in items], page=info)


@calendar_router.post(
    "/bank-holiday-overrides",
    response={201: OverrideOut, **RESPONSES},
    summary="Add a bank holiday, or cancel a listed one, in one part of the UK",
    description="Every working-day count made from then on uses it, in every process within "
    "seconds. An added day must be a weekday the calendar does not list; a cancelled one must "
    "be a weekday it lists. One change per day per part of the UK.",
)
@api_requires(Permission.CASEWORK_CALENDAR_MANAGE)
def override_add(request: ApiRequest, payload: OverrideIn) -> Status:
    override = calendar_services.bank_holiday_override_add(
        caseworker=request.auth,
        day=payload.day,
        nation=payload.nation.value,
        change=payload.change.value,
        name=payload.name,
        ip=client_ip(request),
    )
    return Status(201, _override_out(override))


@calendar_router.delete(
    "/bank-holiday-overrides/{int:override_id}",
    response={204: None, **RESPONSES},
    summary="Remove a change: the published calendar applies to that day again",
)
@api_requires(Permission.CASEWORK_CALENDAR_MANAGE)
def override_remove(request: ApiRequest, override_id: int) -> Status:
    calendar_services.bank_holiday_override_remove(
        caseworker=request.auth, override_id=override_id, ip=client_ip(request)
    )
    return Status(204, None)
