"""The permission vocabulary, the role matrix and the licence-state gates: the one
place that says who may do what. Views, the API and templates all ask `can()`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


class Permission(StrEnum):
    """`<area>:<resource>:<action>`. Add here first, then to ROLE_MATRIX."""

    HOME_VIEW = "home:page:view"
    ACCOUNT_PASSWORD_CHANGE = "account:password:change"  # noqa: S105 (a permission name)
    ACCOUNT_PASSCODE_MANAGE = "account:passcode:manage"
    MESSAGE_BOARD_VIEW = "licence:messages:view"
    LICENCE_SUMMARY_VIEW = "licence:summary:view"
    LICENCE_SERVICES_VIEW = "licence:services:view"
    WORKERS_MENU_VIEW = "workers:menu:view"
    DEFINED_COS_VIEW = "workers:defined_cos:view"
    STUDENTS_MENU_VIEW = "students:menu:view"
    USERS_MANAGE = "licence:users:manage"
    KEY_PEOPLE_CHANGE = "licence:key_people:change"
    LICENCE_CHANGE_REQUEST = "licence:changes:request"
    PAYE_MANAGE = "licence:paye:manage"
    ACTION_PLAN_RESPOND = "licence:action_plan:respond"
    ALLOCATIONS_REQUEST = "licence:allocations:request"
    SPONSOR_STATUS_APPLY = "licence:sponsor_status:apply"
    CERTIFICATES_MANAGE = "workers:certificates:manage"
    CERTIFICATES_TRANSFER = "workers:certificates:transfer"
    WORK_ADDRESSES_MANAGE = "workers:work_addresses:manage"
    CAS_MANAGE = "students:cas:manage"
    BULK_TRANSFER = "students:bulk:transfer"
    AUDIT_TRAIL_VIEW = "audit:trail:view"
    AUDIT_TRAIL_EXPORT = "audit:trail:export"
    API_TOKEN_MANAGE = "api:token:manage"  # noqa: S105 (a permission name)
    CASEWORK_SPONSOR_VIEW = "casework:sponsor:view"
    CASEWORK_ACCOUNT_UNLOCK = "casework:account:unlock"
    CASEWORK_AUDIT_VIEW = "casework:audit:view"
    CASEWORK_REQUEST_DECIDE = "casework:request:decide"
    CASEWORK_LICENCE_ACT = "casework:licence:act"
    CASEWORK_USER_DEACTIVATE = "casework:user:deactivate"
    CASEWORK_MESSAGE_MANAGE = "casework:message:manage"
    CASEWORK_CERTIFICATE_ACT = "casework:certificate:act"
    CASEWORK_CALENDAR_MANAGE = "casework:calendar:manage"
    CASEWORK_ACTIVITY_VIEW = "casework:activity:view"
    # Reporting duties and compliance (Level 2 users: for the workers they own)
    WORKER_REGISTER_VIEW = "workers:register:view"
    WORKER_EVENTS_RECORD = "workers:events:record"
    ACTIVITY_REPORT = "workers:activity:report"
    WORKER_RECORDS_MANAGE = "workers:records:manage"
    WORKER_RECORDS_DELETE = "workers:records:delete"
    COMPLIANCE_VIEW = "compliance:dashboard:view"
    COMPLIANCE_SETTINGS_MANAGE = "compliance:settings:manage"
    EVIDENCE_PACK_CREATE = "compliance:evidence_pack:create"
    MOCK_AUDIT_VIEW = "compliance:mock_audit:view"
    REMINDER_PREFERENCE_CHOOSE = "account:reminders:choose"
    # Students (Level 2 users: for the CAS and students they own)
    CAS_TRANSFER = "students:cas:transfer"
    STUDY_ADDRESSES_MANAGE = "students:study_addresses:manage"
    STUDENT_REGISTER_VIEW = "students:register:view"
    STUDENT_EVENTS_RECORD = "students:events:record"
    STUDENT_ACTIVITY_REPORT = "students:activity:report"
    # Bulk files that report (student activity, graduates) go on while a licence is suspended;
    # those that create or change CAS need BULK_TRANSFER.
    BULK_REPORT = "students:bulk:report"


class Role(StrEnum):
    LEVEL_1 = "LEVEL_1"
    LEVEL_2 = "LEVEL_2"
    CASEWORKER = "CASEWORKER"


_SPONSOR_COMMON = {
    Permission.HOME_VIEW,
    Permission.ACCOUNT_PASSWORD_CHANGE,
    Permission.ACCOUNT_PASSCODE_MANAGE,
    Permission.WORKERS_MENU_VIEW,
    Permission.STUDENTS_MENU_VIEW,
    Permission.CERTIFICATES_MANAGE,
    Permission.CAS_MANAGE,
    Permission.WORKER_REGISTER_VIEW,
    Permission.WORKER_EVENTS_RECORD,
    Permission.ACTIVITY_REPORT,
    Permission.WORKER_RECORDS_MANAGE,
    Permission.COMPLIANCE_VIEW,
    Permission.REMINDER_PREFERENCE_CHOOSE,
    Permission.STUDENT_REGISTER_VIEW,
    Permission.STUDENT_EVENTS_RECORD,
    Permission.STUDENT_ACTIVITY_REPORT,
}

ROLE_MATRIX: dict[Role, frozenset[Permission]] = {
    Role.LEVEL_1: frozenset(
        _SPONSOR_COMMON
        | {
            Permission.MESSAGE_BOARD_VIEW,
            Permission.LICENCE_SUMMARY_VIEW,
            Permission.LICENCE_SERVICES_VIEW,
            Permission.DEFINED_COS_VIEW,
            Permission.AUDIT_TRAIL_VIEW,
            Permission.AUDIT_TRAIL_EXPORT,
            Permission.API_TOKEN_MANAGE,
            Permission.USERS_MANAGE,
            Permission.KEY_PEOPLE_CHANGE,
            Permission.LICENCE_CHANGE_REQUEST,
            Permission.PAYE_MANAGE,
            Permission.ACTION_PLAN_RESPOND,
            Permission.ALLOCATIONS_REQUEST,
            Permission.SPONSOR_STATUS_APPLY,
            Permission.BULK_TRANSFER,
            Permission.BULK_REPORT,
            Permission.CAS_TRANSFER,
            Permission.STUDY_ADDRESSES_MANAGE,
            Permission.CERTIFICATES_TRANSFER,
            Permission.WORK_ADDRESSES_MANAGE,
            Permission.WORKER_RECORDS_DELETE,
            Permission.COMPLIANCE_SETTINGS_MANAGE,
            Permission.EVIDENCE_PACK_CREATE,
            Permission.MOCK_AUDIT_VIEW,
        }
    ),
    Role.LEVEL_2: frozenset(_SPONSOR_COMMON),
    Role.CASEWORKER: frozenset(
        {
            Permission.ACCOUNT_PASSWORD_CHANGE,
            Permission.ACCOUNT_PASSCODE_MANAGE,
            Permission.CASEWORK_SPONSOR_VIEW,
            Permission.CASEWORK_ACCOUNT_UNLOCK,
            Permission.CASEWORK_AUDIT_VIEW,
            Permission.CASEWORK_REQUEST_DECIDE,
            Permission.CASEWORK_LICENCE_ACT,
            Permission.CASEWORK_USER_DEACTIVATE,
            Permission.CASEWORK_MESSAGE_MANAGE,
            Permission.CASEWORK_CERTIFICATE_ACT,
            Permission.CASEWORK_CALENDAR_MANAGE,
            Permission.CASEWORK_ACTIVITY_VIEW,
            # Casework systems call the casework API with a caseworker's own token.
            Permission.API_TOKEN_MANAGE,
        }
    ),
}


@dataclass(frozen=True)
class Denial:
    """Why an action is refused, in words a user can act on. A hidden denial means the
    function does not apply to this user at all (menus leave it out); otherwise menus show
    it unlinked, with the reason."""

    reason: str
    hidden: bool = False
    # Set when the licence's state is what refuses: the API answers 409 with this code.
    code: str = ""


Gate = Callable[["User"], Denial | None]


def _licence_menu_shown(user: User) -> Denial | None:
    if user.sponsor is not None and user.sponsor.is_dormant:
        return Denial(
            "The licence menu is not available while the licence is dormant.",
            hidden=True,
            code="licence_dormant",
        )
    return None


def _licence_not_suspended(user: User) -> Denial | None:
    """DOMAIN.md "Licence": suspension (and dormancy) blocks allocations, Premium and Student
    Sponsor applications, certificates, bulk fee updates and Defined CoS."""
    if user.sponsor is not None and user.sponsor.blocks_certificates:
        status = user.sponsor.get_status_display().lower()
        return Denial(f"Not available while your licence is {status}.", code=f"licence_{status}")
    return None


def _not_b_rated(user: User) -> Denial | None:
    """DOMAIN.md "Licence": a B-rated sponsor gets no Defined CoS, Premium or Student Sponsor
    status until it is A-rated again."""
    if user.sponsor is not None and user.sponsor.has_b_rated_route:
        return Denial("Not available while your licence has a B rating.", code="licence_b_rated")
    return None


def _not_provisional(user: User) -> Denial | None:
    """DOMAIN.md "Actors": provisional-rated licences cannot manage users themselves."""
    if user.sponsor is not None and user.sponsor.has_provisional_route:
        return Denial(
            "While your licence is provisionally rated you cannot manage users here. "
            "Send a change request to the Home Office instead.",
            code="licence_provisional",
        )
    return None


def _has_worker_route(user: User) -> Denial | None:
    if user.sponsor is None or not user.sponsor.has_worker_route:
        return Denial("Your licence does not include a worker route.", hidden=True)
    return None


def _has_student_route(user: User) -> Denial | None:
    if user.sponsor is None or not user.sponsor.has_student_route:
        return Denial("Your licence does not include the Student route.", hidden=True)
    return None


def _has_skilled_worker_route(user: User) -> Denial | None:
    if user.sponsor is None or not user.sponsor.has_skilled_worker_route:
        return Denial(
            "Defined certificates are only for sponsors of the Skilled Worker route.", hidden=True
        )
    return None


# Licence-state rules composed on top of the role matrix.
STATE_GATES: dict[Permission, tuple[Gate, ...]] = {
    Permission.LICENCE_SUMMARY_VIEW: (_licence_menu_shown,),
    Permission.LICENCE_SERVICES_VIEW: (_licence_menu_shown,),
    Permission.WORKERS_MENU_VIEW: (_has_worker_route,),
    Permission.DEFINED_COS_VIEW: (
        _has_worker_route,
        _has_skilled_worker_route,
        _licence_not_suspended,
        _not_b_rated,
    ),
    Permission.STUDENTS_MENU_VIEW: (_has_student_route,),
    Permission.USERS_MANAGE: (_licence_menu_shown, _not_provisional),
    Permission.KEY_PEOPLE_CHANGE: (_licence_menu_shown,),
    Permission.LICENCE_CHANGE_REQUEST: (_licence_menu_shown,),
    Permission.PAYE_MANAGE: (_licence_menu_shown,),
    Permission.ACTION_PLAN_RESPOND: (_licence_menu_shown,),
    Permission.ALLOCATIONS_REQUEST: (_licence_menu_shown, _licence_not_suspended),
    Permission.SPONSOR_STATUS_APPLY: (_licence_menu_shown, _licence_not_suspended, _not_b_rated),
    Permission.CERTIFICATES_MANAGE: (_has_worker_route, _licence_not_suspended),
    Permission.CERTIFICATES_TRANSFER: (_has_worker_route, _licence_not_suspended),
    Permission.WORK_ADDRESSES_MANAGE: (_has_worker_route,),
    Permission.CAS_MANAGE: (_has_student_route, _licence_not_suspended),
    Permission.BULK_TRANSFER: (_has_student_route, _licence_not_suspended),
    # Reporting duties go on while a licence is suspended, so these are not suspension-gated.
    Permission.WORKER_REGISTER_VIEW: (_has_worker_route,),
    Permission.WORKER_EVENTS_RECORD: (_has_worker_route,),
    Permission.ACTIVITY_REPORT: (_has_worker_route,),
    Permission.WORKER_RECORDS_MANAGE: (_has_worker_route,),
    Permission.WORKER_RECORDS_DELETE: (_has_worker_route,),
    Permission.CAS_TRANSFER: (_has_student_route, _licence_not_suspended),
    Permission.STUDY_ADDRESSES_MANAGE: (_has_student_route,),
    Permission.STUDENT_REGISTER_VIEW: (_has_student_route,),
    Permission.STUDENT_EVENTS_RECORD: (_has_student_route,),
    Permission.STUDENT_ACTIVITY_REPORT: (_has_student_route,),
    Permission.BULK_REPORT: (_has_student_route,),
}

NOT_YOUR_ROLE = Denial("You do not have access to this part of the service.", hidden=True)


def denial(user: Any, permission: Permission) -> Denial | None:
    """Why `user` may not use `permission` now, or None when they may."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOT_YOUR_ROLE
    role = user.role
    if role is None or permission not in ROLE_MATRIX[role]:
        return NOT_YOUR_ROLE
    for gate in STATE_GATES.get(permission, ()):
        refused = gate(user)
        if refused is not None:
            return refused
    return None


def can(user: Any, permission: Permission) -> bool:
    return denial(user, permission) is None


class AccessFor:
    """Template helper: `{% if access.LICENCE_SUMMARY_VIEW %}`."""

    def __init__(self, user: Any):
        self._user = user

    def __getitem__(self, name: str) -> bool:
        return can(self._user, Permission[name])
