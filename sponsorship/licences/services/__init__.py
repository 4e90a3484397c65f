"""Every write about licences, one module per sub-domain; import them from here."""

from .action_plans import action_plan_decline, action_plan_issue, action_plan_pay
from .allocations import (
    allocation_increase_request,
    allocation_lapse_ended,
    allocation_renew_automatically,
    allocation_renewal_request,
    allocation_take,
    renewal_denial,
)
from .decisions import request_ask_for_information, request_assign, request_decide
from .key_people import KeyPersonDetails, fulfils_at_once, key_person_change
from .licence_actions import licence_status_change, route_rating_change, settled_exception_set
from .messages import (
    MessageDraft,
    message_archive,
    message_archive_expired,
    message_edit,
    message_mark_read,
    message_post,
)
from .paye import paye_add, paye_delete
from .requests import change_request_submit, report_due_date, request_answer, request_withdraw
from .status import status_application_denial, status_apply
from .users import (
    UserDetails,
    amend_refusal,
    deactivate_refusal,
    user_amend,
    user_create_level_2,
    user_deactivate,
    user_deactivate_by_home_office,
    user_request_level_1,
)

__all__ = [
    "KeyPersonDetails",
    "MessageDraft",
    "UserDetails",
    "action_plan_decline",
    "action_plan_issue",
    "action_plan_pay",
    "allocation_increase_request",
    "allocation_lapse_ended",
    "allocation_renew_automatically",
    "allocation_renewal_request",
    "allocation_take",
    "amend_refusal",
    "change_request_submit",
    "deactivate_refusal",
    "fulfils_at_once",
    "key_person_change",
    "licence_status_change",
    "message_archive",
    "message_archive_expired",
    "message_edit",
    "message_mark_read",
    "message_post",
    "paye_add",
    "paye_delete",
    "renewal_denial",
    "report_due_date",
    "request_answer",
    "request_ask_for_information",
    "request_assign",
    "request_decide",
    "request_withdraw",
    "route_rating_change",
    "settled_exception_set",
    "status_application_denial",
    "status_apply",
    "user_amend",
    "user_create_level_2",
    "user_deactivate",
    "user_deactivate_by_home_office",
    "user_request_level_1",
]
