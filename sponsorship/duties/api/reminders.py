"""API: reminders: how early your organisation's reminders go out (Level 1 users change it),
and whether you receive them one by one or as a daily digest."""

from typing import Annotated

from ninja import Field, Router, Schema
from pydantic import BeforeValidator

from sponsorship.api.permissions import api_requires
from sponsorship.api.schemas import StrictSchema
from sponsorship.certificates.api.schemas import LARGEST_ID
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, whole

from .. import selectors, services
from ..models import MAX_ENROLMENT_WINDOW_DAYS, ReminderMode
from ..services.reminders import MAX_EXPIRY_ALERT_DAYS, MAX_LEAD_DAYS
from .schemas import ReminderSettingsOut, settings_out

router = Router(tags=["Reminders"])

# The service stores at most this many of each.
MOST_DAYS = 10

# The bounds come before the validator, or the OpenAPI document would not show them.
LeadDays = Annotated[int, Field(ge=1, le=MAX_LEAD_DAYS), BeforeValidator(whole)]
AlertDays = Annotated[int, Field(ge=1, le=MAX_EXPIRY_ALERT_DAYS), BeforeValidator(whole)]
EnrolmentDays = Annotated[int, Field(ge=1, le=MAX_ENROLMENT_WINDOW_DAYS), BeforeValidator(whole)]
SettingsVersion = Annotated[
    int,
    Field(
        ge=0,
        le=LARGEST_ID,
        description="The `version` you read the settings with (0 while the defaults apply), so "
        "a stale change is refused.",
    ),
    BeforeValidator(whole),
]
ModeCode = Annotated[
    ReminderMode,
    Field(
        strict=False,
        description="IMMEDIATE: an e-mail for each reminder; DIGEST: one e-mail a day listing "
        "them all.",
    ),
]


class ReminderSettingsIn(StrictSchema):
    version: SettingsVersion
    reminder_lead_days: list[LeadDays] = Field(
        min_length=1,
        max_length=MOST_DAYS,
        description=f"Working days before a duty falls due when reminders go out, each from 1 "
        f"to {MAX_LEAD_DAYS}, like [5, 2, 1]. Overdue duties are reminded of every working day.",
    )
    expiry_alert_days: list[AlertDays] = Field(
        min_length=1,
        max_length=MOST_DAYS,
        description=f"Days before a worker's permission expires when alerts go out, each from 1 "
        f"to {MAX_EXPIRY_ALERT_DAYS}, like [90, 60, 30, 14, 7].",
    )
    enrolment_window_days: EnrolmentDays | None = Field(
        None,
        description="For a sponsor of students: the enrolment period, in calendar days after a "
        f"course starts (1 to {MAX_ENROLMENT_WINDOW_DAYS}). A student not recorded as enrolled "
        "by its end must be reported as not enrolled. Left out, it stays as it is.",
    )


class ReminderPreferenceIn(StrictSchema):
    mode: ModeCode


class ReminderPreferenceOut(Schema):
    mode: str = Field(description="IMMEDIATE or DIGEST.")
    mode_name: str


def _days(numbers: list[int]) -> str:
    return ",".join(str(number) for number in numbers)


def _preference(mode: str) -> ReminderPreferenceOut:
    return ReminderPreferenceOut(mode=mode, mode_name=ReminderMode(mode).label)


@router.get(
    "/compliance/reminder-settings",
    response={200: ReminderSettingsOut, **RESPONSES},
    summary="How early your organisation's reminders go out",
)
@api_requires(Permission.COMPLIANCE_VIEW)
def reminder_settings(request: ApiRequest) -> ReminderSettingsOut:
    return settings_out(selectors.compliance_settings_for_user(user=request.auth))


@router.put(
    "/compliance/reminder-settings",
    response={200: ReminderSettingsOut, **RESPONSES},
    summary="Change how early reminders go out (Level 1 users only)",
    description="Reminders go to the duty's owner and every Level 1 user, and overdue ones "
    "also to the Authorising Officer. Each list is kept largest first, without repeats. A "
    "change made since you read the settings is refused (409 `stale_edit`).",
)
@api_requires(Permission.COMPLIANCE_SETTINGS_MANAGE)
def reminder_settings_save(request: ApiRequest, payload: ReminderSettingsIn) -> ReminderSettingsOut:
    services.compliance_settings_save(
        actor=request.auth,
        reminder_lead_days=_days(payload.reminder_lead_days),
        expiry_alert_days=_days(payload.expiry_alert_days),
        version=payload.version,
        ip=client_ip(request),
        enrolment_window_days=payload.enrolment_window_days,
    )
    return settings_out(selectors.compliance_settings_for_user(user=request.auth))


@router.get(
    "/me/reminder-preference",
    response={200: ReminderPreferenceOut, **RESPONSES},
    summary="Whether you receive reminders one by one or as a daily digest",
)
@api_requires(Permission.REMINDER_PREFERENCE_CHOOSE)
def reminder_preference(request: ApiRequest) -> ReminderPreferenceOut:
    return _preference(selectors.reminder_mode_for_user(user=request.auth))


@router.put(
    "/me/reminder-preference",
    response={200: ReminderPreferenceOut, **RESPONSES},
    summary="Choose reminders one by one, or one daily digest",
)
@api_requires(Permission.REMINDER_PREFERENCE_CHOOSE)
def reminder_preference_save(
    request: ApiRequest, payload: ReminderPreferenceIn
) -> ReminderPreferenceOut:
    saved = services.reminder_preference_save(
        actor=request.auth, mode=payload.mode.value, ip=client_ip(request)
    )
    return _preference(saved.mode)
