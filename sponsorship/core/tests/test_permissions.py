"""The role matrix and the licence-state gates, from tables."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from sponsorship.accounts.tests.factories import CaseworkerFactory, Level1Factory, Level2Factory
from sponsorship.core.permissions import (
    NOT_YOUR_ROLE,
    ROLE_MATRIX,
    AccessFor,
    Permission,
    Role,
    can,
    denial,
)
from sponsorship.licences.models import LicenceStatus, Rating, Route
from sponsorship.licences.tests.factories import SponsorFactory

P = Permission
L1, L2, CW = Role.LEVEL_1, Role.LEVEL_2, Role.CASEWORKER

# Who may do what, written out by hand from DOMAIN.md "Actors": a change to ROLE_MATRIX must
# be made here too, on purpose.
EXPECTED_ROLES: dict[Permission, set[Role]] = {
    P.HOME_VIEW: {L1, L2},
    P.ACCOUNT_PASSWORD_CHANGE: {L1, L2, CW},
    P.ACCOUNT_PASSCODE_MANAGE: {L1, L2, CW},
    P.MESSAGE_BOARD_VIEW: {L1},
    P.LICENCE_SUMMARY_VIEW: {L1},
    P.LICENCE_SERVICES_VIEW: {L1},
    P.WORKERS_MENU_VIEW: {L1, L2},
    P.DEFINED_COS_VIEW: {L1},
    P.STUDENTS_MENU_VIEW: {L1, L2},
    P.USERS_MANAGE: {L1},
    P.KEY_PEOPLE_CHANGE: {L1},
    P.LICENCE_CHANGE_REQUEST: {L1},
    P.PAYE_MANAGE: {L1},
    P.ACTION_PLAN_RESPOND: {L1},
    P.ALLOCATIONS_REQUEST: {L1},
    P.SPONSOR_STATUS_APPLY: {L1},
    P.CERTIFICATES_MANAGE: {L1, L2},
    P.CERTIFICATES_TRANSFER: {L1},
    P.WORK_ADDRESSES_MANAGE: {L1},
    P.CAS_MANAGE: {L1, L2},
    P.BULK_TRANSFER: {L1},
    P.BULK_REPORT: {L1},
    P.CAS_TRANSFER: {L1},
    P.STUDY_ADDRESSES_MANAGE: {L1},
    P.STUDENT_REGISTER_VIEW: {L1, L2},
    P.STUDENT_EVENTS_RECORD: {L1, L2},
    P.STUDENT_ACTIVITY_REPORT: {L1, L2},
    P.AUDIT_TRAIL_VIEW: {L1},
    P.AUDIT_TRAIL_EXPORT: {L1},
    P.API_TOKEN_MANAGE: {L1, CW},
    P.CASEWORK_SPONSOR_VIEW: {CW},
    P.CASEWORK_ACCOUNT_UNLOCK: {CW},
    P.CASEWORK_AUDIT_VIEW: {CW},
    P.CASEWORK_REQUEST_DECIDE: {CW},
    P.CASEWORK_LICENCE_ACT: {CW},
    P.CASEWORK_USER_DEACTIVATE: {CW},
    P.CASEWORK_MESSAGE_MANAGE: {CW},
    P.CASEWORK_CERTIFICATE_ACT: {CW},
    P.CASEWORK_CALENDAR_MANAGE: {CW},
    P.CASEWORK_ACTIVITY_VIEW: {CW},
    P.WORKER_REGISTER_VIEW: {L1, L2},
    P.WORKER_EVENTS_RECORD: {L1, L2},
    P.ACTIVITY_REPORT: {L1, L2},
    P.WORKER_RECORDS_MANAGE: {L1, L2},
    P.WORKER_RECORDS_DELETE: {L1},
    P.COMPLIANCE_VIEW: {L1, L2},
    P.COMPLIANCE_SETTINGS_MANAGE: {L1},
    P.EVIDENCE_PACK_CREATE: {L1},
    P.MOCK_AUDIT_VIEW: {L1},
    P.REMINDER_PREFERENCE_CHOOSE: {L1, L2},
}

FACTORIES = {L1: Level1Factory, L2: Level2Factory, CW: CaseworkerFactory}

# Every route group, so no route gate gets in the way of the role matrix.
ALL_GROUPS = [Route.SKILLED_WORKER, Route.CREATIVE_WORKER, Route.STUDENT]


def user_of(role: Role, *, routes=None, status=LicenceStatus.ACTIVE):
    if role == CW:
        return CaseworkerFactory()
    sponsor = SponsorFactory(routes=routes if routes is not None else ALL_GROUPS, status=status)
    return FACTORIES[role](sponsor=sponsor)


def test_every_permission_is_in_the_expected_table():
    assert set(EXPECTED_ROLES) == set(Permission)


def test_every_permission_string_follows_area_resource_action():
    for permission in Permission:
        assert len(permission.value.split(":")) == 3, permission


@pytest.mark.parametrize("permission", list(Permission))
def test_role_matrix_matches_the_table(permission):
    granted = {role for role in Role if permission in ROLE_MATRIX[role]}
    assert granted == EXPECTED_ROLES[permission]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_can_follows_the_role_matrix(role, permission):
    user = user_of(role)
    assert can(user, permission) is (permission in ROLE_MATRIX[role])
    if permission not in ROLE_MATRIX[role]:
        assert denial(user, permission) == NOT_YOUR_ROLE


ALLOWED, BLOCKED, HIDDEN = "allowed", "blocked", "hidden"
ACTIVE, SUSPENDED, DORMANT = LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED, LicenceStatus.DORMANT
SW, CW_ROUTE, ST = [Route.SKILLED_WORKER], [Route.CREATIVE_WORKER], [Route.STUDENT]

# (licence status, routes, role, permission, outcome). BLOCKED: refused with a reason the menu
# shows; HIDDEN: refused and left out of menus altogether (DOMAIN.md "Licence").
STATE_TABLE = [
    # Active: nothing blocked beyond the routes held.
    (ACTIVE, ALL_GROUPS, L1, P.LICENCE_SUMMARY_VIEW, ALLOWED),
    (ACTIVE, ALL_GROUPS, L1, P.ALLOCATIONS_REQUEST, ALLOWED),
    (ACTIVE, ALL_GROUPS, L1, P.SPONSOR_STATUS_APPLY, ALLOWED),
    (ACTIVE, ALL_GROUPS, L1, P.CERTIFICATES_MANAGE, ALLOWED),
    (ACTIVE, ALL_GROUPS, L2, P.CERTIFICATES_MANAGE, ALLOWED),
    (ACTIVE, ALL_GROUPS, L1, P.CAS_MANAGE, ALLOWED),
    (ACTIVE, ALL_GROUPS, L2, P.CAS_MANAGE, ALLOWED),
    (ACTIVE, ALL_GROUPS, L1, P.BULK_TRANSFER, ALLOWED),
    (ACTIVE, ALL_GROUPS, L1, P.DEFINED_COS_VIEW, ALLOWED),
    # Suspended: allocations, Premium / Student Sponsor status, certificates, bulk transfer and
    # Defined CoS are blocked; the licence menu and the message board stay.
    (SUSPENDED, ALL_GROUPS, L1, P.LICENCE_SUMMARY_VIEW, ALLOWED),
    (SUSPENDED, ALL_GROUPS, L1, P.LICENCE_SERVICES_VIEW, ALLOWED),
    (SUSPENDED, ALL_GROUPS, L1, P.MESSAGE_BOARD_VIEW, ALLOWED),
    (SUSPENDED, ALL_GROUPS, L1, P.WORKERS_MENU_VIEW, ALLOWED),
    (SUSPENDED, ALL_GROUPS, L1, P.AUDIT_TRAIL_VIEW, ALLOWED),
    (SUSPENDED, ALL_GROUPS, L1, P.ALLOCATIONS_REQUEST, BLOCKED),
    (SUSPENDED, ALL_GROUPS, L1, P.SPONSOR_STATUS_APPLY, BLOCKED),
    (SUSPENDED, ALL_GROUPS, L1, P.CERTIFICATES_MANAGE, BLOCKED),
    (SUSPENDED, ALL_GROUPS, L2, P.CERTIFICATES_MANAGE, BLOCKED),
    (SUSPENDED, ALL_GROUPS, L1, P.CERTIFICATES_TRANSFER, BLOCKED),
    (SUSPENDED, ALL_GROUPS, L1, P.WORK_ADDRESSES_MANAGE, ALLOWED),
    (SUSPENDED, ALL_GROUPS, L1, P.CAS_MANAGE, BLOCKED),
    (SUSPENDED, ALL_GROUPS, L2, P.CAS_MANAGE, BLOCKED),
    (SUSPENDED, ALL_GROUPS, L1, P.BULK_TRANSFER, BLOCKED),
    (SUSPENDED, ALL_GROUPS, L1, P.BULK_REPORT, ALLOWED),
    (SUSPENDED, ALL_GROUPS, L1, P.CAS_TRANSFER, BLOCKED),
    (SUSPENDED, ALL_GROUPS, L2, P.STUDENT_ACTIVITY_REPORT, ALLOWED),
    (SUSPENDED, ALL_GROUPS, L1, P.STUDY_ADDRESSES_MANAGE, ALLOWED),
    (SUSPENDED, ALL_GROUPS, L1, P.DEFINED_COS_VIEW, BLOCKED),
    # Dormant: as suspended, and the licence menu is hidden.
    (DORMANT, ALL_GROUPS, L1, P.LICENCE_SUMMARY_VIEW, HIDDEN),
    (DORMANT, ALL_GROUPS, L1, P.LICENCE_SERVICES_VIEW, HIDDEN),
    (DORMANT, ALL_GROUPS, L1, P.ALLOCATIONS_REQUEST, HIDDEN),
    (DORMANT, ALL_GROUPS, L1, P.SPONSOR_STATUS_APPLY, HIDDEN),
    (DORMANT, ALL_GROUPS, L1, P.CERTIFICATES_MANAGE, BLOCKED),
    (DORMANT, ALL_GROUPS, L2, P.CAS_MANAGE, BLOCKED),
    (DORMANT, ALL_GROUPS, L1, P.DEFINED_COS_VIEW, BLOCKED),
    (DORMANT, ALL_GROUPS, L1, P.HOME_VIEW, ALLOWED),
    (DORMANT, ALL_GROUPS, L1, P.MESSAGE_BOARD_VIEW, ALLOWED),
    (DORMANT, ALL_GROUPS, L1, P.WORKERS_MENU_VIEW, ALLOWED),
    # Student-only sponsors have no workers menu, no certificates of sponsorship, no Defined CoS.
    (ACTIVE, ST, L1, P.WORKERS_MENU_VIEW, HIDDEN),
    (ACTIVE, ST, L2, P.WORKERS_MENU_VIEW, HIDDEN),
    (ACTIVE, ST, L1, P.CERTIFICATES_MANAGE, HIDDEN),
    (ACTIVE, ST, L1, P.DEFINED_COS_VIEW, HIDDEN),
    (SUSPENDED, ST, L1, P.DEFINED_COS_VIEW, HIDDEN),  # not theirs at all, whatever the status
    (ACTIVE, ST, L1, P.STUDENTS_MENU_VIEW, ALLOWED),
    (ACTIVE, ST, L1, P.CAS_MANAGE, ALLOWED),
    (ACTIVE, [Route.STUDENT, Route.CHILD_STUDENT], L2, P.STUDENTS_MENU_VIEW, ALLOWED),
    # Worker-only sponsors have no students menu, no CAS, no bulk transfer.
    (ACTIVE, SW, L1, P.STUDENTS_MENU_VIEW, HIDDEN),
    (ACTIVE, SW, L2, P.STUDENTS_MENU_VIEW, HIDDEN),
    (ACTIVE, SW, L1, P.CAS_MANAGE, HIDDEN),
    (ACTIVE, SW, L1, P.BULK_TRANSFER, HIDDEN),
    (ACTIVE, SW, L1, P.BULK_REPORT, HIDDEN),
    (ACTIVE, SW, L2, P.STUDENT_REGISTER_VIEW, HIDDEN),
    (ACTIVE, SW, L1, P.STUDY_ADDRESSES_MANAGE, HIDDEN),
    (ACTIVE, CW_ROUTE, L1, P.WORKERS_MENU_VIEW, ALLOWED),
    (ACTIVE, CW_ROUTE, L1, P.CERTIFICATES_MANAGE, ALLOWED),
    # Defined CoS needs the Skilled Worker route, and Level 1.
    (ACTIVE, SW, L1, P.DEFINED_COS_VIEW, ALLOWED),
    (ACTIVE, SW, L2, P.DEFINED_COS_VIEW, HIDDEN),
    (ACTIVE, CW_ROUTE, L1, P.DEFINED_COS_VIEW, HIDDEN),
    (ACTIVE, [Route.GBM_SENIOR_SPECIALIST], L1, P.DEFINED_COS_VIEW, HIDDEN),
    (ACTIVE, [Route.GBM_SENIOR_SPECIALIST], L1, P.WORKERS_MENU_VIEW, ALLOWED),
    (ACTIVE, [Route.SKILLED_WORKER, Route.STUDENT], L1, P.DEFINED_COS_VIEW, ALLOWED),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "routes", "role", "permission", "outcome"), STATE_TABLE)
def test_state_gates(status, routes, role, permission, outcome):
    user = user_of(role, routes=routes, status=status)
    refused = denial(user, permission)
    assert can(user, permission) is (outcome == ALLOWED)
    if outcome == ALLOWED:
        assert refused is None
    else:
        assert refused is not None
        assert refused.reason  # a sentence the user can act on
        assert refused.hidden is (outcome == HIDDEN)


@pytest.mark.django_db
def test_b_rated_skilled_worker_sponsor_has_no_defined_cos():
    user = user_of(L1, routes=SW)
    user.sponsor.routes.update(rating=Rating.B)
    assert can(user, P.DEFINED_COS_VIEW) is False


@pytest.mark.django_db
def test_suspension_says_what_the_status_is():
    user = user_of(L1, status=SUSPENDED)
    assert "suspended" in denial(user, P.CERTIFICATES_MANAGE).reason


@pytest.mark.django_db
def test_dormant_licence_says_why_the_licence_summary_is_hidden():
    user = user_of(L1, status=LicenceStatus.DORMANT)
    assert "dormant" in denial(user, P.LICENCE_SUMMARY_VIEW).reason


@pytest.mark.django_db
def test_student_only_sponsor_is_told_it_has_no_worker_route():
    user = user_of(L1, routes=[Route.STUDENT])
    assert "worker route" in denial(user, P.WORKERS_MENU_VIEW).reason


@pytest.mark.django_db
def test_role_comes_before_state_level2_is_told_it_is_not_their_role():
    user = user_of(L2, status=LicenceStatus.DORMANT)
    assert denial(user, P.LICENCE_SUMMARY_VIEW) == NOT_YOUR_ROLE


@pytest.mark.parametrize("permission", list(Permission))
@pytest.mark.parametrize("nobody", [AnonymousUser(), None], ids=["anonymous", "none"])
def test_anonymous_users_can_do_nothing(nobody, permission):
    assert can(nobody, permission) is False
    assert denial(nobody, permission) == NOT_YOUR_ROLE


@pytest.mark.django_db
def test_templates_ask_the_same_question():
    level2 = user_of(L2)
    access = AccessFor(level2)
    for permission in Permission:
        assert access[permission.name] is can(level2, permission)
    assert AccessFor(AnonymousUser())["HOME_VIEW"] is False


# The same gates, as a user meets them in the web pages.


def test_dormant_licence_summary_page_is_refused_with_the_reason(signed_in, level1):
    level1.sponsor.status = LicenceStatus.DORMANT
    level1.sponsor.save()
    response = signed_in(level1).get("/licence/")
    assert response.status_code == 409  # the licence's state refuses, not the user's level
    assert "not available while the licence is dormant" in response.content.decode()


def test_level2_is_refused_level1_pages(signed_in, level2):
    client = signed_in(level2)
    for url in ("/licence/", "/messages/", "/audit-trail/", "/api-tokens/", "/casework/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You do not have access to this part of the service." in response.content.decode()


def test_caseworker_is_refused_sponsor_pages(signed_in, caseworker):
    client = signed_in(caseworker)
    for url in ("/home/", "/licence/", "/messages/", "/audit-trail/"):
        assert client.get(url).status_code == 403, url


def test_a_caseworker_makes_their_own_api_token_and_calls_the_casework_api(
    signed_in, caseworker, sponsor
):
    """Casework systems use a caseworker's own token; it belongs to no sponsor."""
    client = signed_in(caseworker)
    assert client.get("/api-tokens/").status_code == 200
    response = client.post("/api-tokens/", {"name": "Casework dashboard"})
    assert response.status_code == 200
    secret = re.search(r"sms_[A-Za-z0-9_-]+", response.content.decode())
    assert secret, "the new token is shown once"
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret.group(0)}")
    assert api.get("/api/v1/casework/queues/users").status_code == 200
    assert api.get("/api/v1/licence").status_code == 403  # a sponsor operation


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(client):
    for url in ("/home/", "/licence/", "/messages/", "/audit-trail/", "/casework/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/sign-in/"), url


@pytest.mark.django_db
def test_b_rating_blocks_premium_and_student_sponsor_status_with_the_reason():
    user = user_of(L1, routes=SW)
    user.sponsor.routes.update(rating=Rating.B)
    refused = denial(user, P.SPONSOR_STATUS_APPLY)
    assert refused is not None
    assert "B rating" in refused.reason
    assert not refused.hidden
