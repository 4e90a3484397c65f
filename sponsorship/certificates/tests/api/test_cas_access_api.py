"""Who may call each CAS operation: another sponsor's CAS is not found, a Level 2 user finds only
the CAS they own, a suspended or dormant licence refuses with its code, a licence without the
Student route and a caseworker's token are refused, and a refused call changes nothing."""

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.certificates.models import Certificate, CertificateStatus
from sponsorship.certificates.tests.factories import assigned_cas, complete_cas
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.factories import SponsorFactory

from .cas_api_support import URL, call, client_for, student_allocation, teach_students


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture(autouse=True)
def _students(sponsor, other_sponsor):
    teach_students(sponsor, other_sponsor)
    student_allocation(sponsor)


# Every operation on one CAS, on a CAS in the state it works on: a draft or an assigned CAS.
ON_DRAFT = [
    ("GET", "", None),
    ("PATCH", "", {"version": 1, "course_title": "MSc Ecology"}),
    ("DELETE", "?version=1", None),
    ("GET", "/check", None),
    ("POST", "/assign", {"version": 1}),
    ("GET", "/history", None),
    ("GET", "/print.pdf", None),
]
ON_ASSIGNED = [
    ("GET", "", None),
    ("PATCH", "/fees", {"version": 1, "course_fees_paid": "6000"}),
    ("PUT", "/note", {"version": 1, "note": "Arrives in January."}),
    ("POST", "/withdraw", {"version": 1, "reason": "The student deferred."}),
    ("POST", "/transfer", {"version": 1, "to_user_id": None}),
    ("GET", "/history", None),
    ("GET", "/print.pdf", None),
]
OPERATIONS = [("draft", *op) for op in ON_DRAFT] + [("assigned", *op) for op in ON_ASSIGNED]
IDS = [f"{state} {method} {suffix or '/'}" for state, method, suffix, _ in OPERATIONS]
# What transfer is refused for a Level 2 user whatever they own (403): not among these.
LEVEL_2_OPERATIONS = [op for op in OPERATIONS if op[2] != "/transfer"]
LEVEL_2_IDS = [i for i in IDS if "/transfer" not in i]


def _cas(state: str, owner):
    return complete_cas(owner) if state == "draft" else assigned_cas(owner)


def _body(body, recipient):
    if body and "to_user_id" in body:
        return {**body, "to_user_id": recipient.pk}
    return body


def _unchanged(cas: Certificate) -> None:
    """As it was made: same status and version, same owner, no note, same course and fees."""
    saved = Certificate.objects.select_related("cas").get(pk=cas.pk)
    assert (saved.status, saved.version, saved.owner_id, saved.sponsor_note) == (
        cas.status,
        1,
        cas.owner_id,
        "",
    )
    assert (saved.cas.course_title, saved.cas.course_fees_paid) == (
        cas.cas.course_title,
        cas.cas.course_fees_paid,
    )
    assert saved.number == cas.number


@pytest.mark.parametrize(("state", "method", "suffix", "body"), OPERATIONS, ids=IDS)
def test_another_sponsors_cas_is_not_found(
    level1, level2, other_level1, state, method, suffix, body
):
    cas = _cas(state, level1)
    response = call(
        client_for(other_level1), method, f"{URL}/{cas.pk}{suffix}", _body(body, level2)
    )
    assert_error(response, 404, "not_found")
    _unchanged(cas)


@pytest.mark.parametrize(("state", "method", "suffix", "body"), LEVEL_2_OPERATIONS, ids=LEVEL_2_IDS)
def test_a_level_2_user_cannot_find_a_cas_they_do_not_own(
    level1, level2, state, method, suffix, body
):
    cas = _cas(state, level1)
    response = call(client_for(level2), method, f"{URL}/{cas.pk}{suffix}", body)
    assert_error(response, 404, "not_found")
    _unchanged(cas)


@pytest.mark.parametrize(("state", "method", "suffix", "body"), LEVEL_2_OPERATIONS, ids=LEVEL_2_IDS)
def test_a_level_2_user_works_on_the_cas_they_own(level2, state, method, suffix, body):
    cas = _cas(state, level2)
    response = call(client_for(level2), method, f"{URL}/{cas.pk}{suffix}", body)
    assert response.status_code in (200, 204), response.content[:800]


@pytest.mark.parametrize(
    ("status", "code"),
    [(LicenceStatus.SUSPENDED, "licence_suspended"), (LicenceStatus.DORMANT, "licence_dormant")],
)
@pytest.mark.parametrize(("state", "method", "suffix", "body"), OPERATIONS, ids=IDS)
def test_a_suspended_or_dormant_licence_refuses_every_operation(
    sponsor, level1, level2, status, code, state, method, suffix, body
):
    cas = _cas(state, level1)
    sponsor.status = status
    sponsor.save()
    response = call(client_for(level1), method, f"{URL}/{cas.pk}{suffix}", _body(body, level2))
    error = assert_error(response, 409, code)
    assert error["message"] == f"Not available while your licence is {status.label.lower()}."
    _unchanged(cas)


@pytest.mark.parametrize(
    ("status", "code"),
    [(LicenceStatus.SUSPENDED, "licence_suspended"), (LicenceStatus.DORMANT, "licence_dormant")],
)
def test_a_suspended_or_dormant_licence_cannot_create_or_search(sponsor, level1, status, code):
    sponsor.status = status
    sponsor.save()
    api = client_for(level1)
    assert_error(api.post_json(URL, {"route": "STUDENT", "family_name": "Nguyễn"}), 409, code)
    for path in (URL, f"{URL}/export.csv", f"{URL}/export.xlsx"):
        assert_error(api.get(path), 409, code)
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(("state", "method", "suffix", "body"), OPERATIONS, ids=IDS)
def test_a_licence_without_the_student_route_is_refused(state, method, suffix, body):
    from sponsorship.accounts.tests.factories import Level1Factory, Level2Factory

    workers_only = SponsorFactory()
    user, other = Level1Factory(sponsor=workers_only), Level2Factory(sponsor=workers_only)
    # A CAS left from before the route was removed from the licence.
    cas = _cas(state, user)
    response = call(client_for(user), method, f"{URL}/{cas.pk}{suffix}", _body(body, other))
    error = assert_error(response, 403, "not_permitted")
    assert error["message"] == "Your licence does not include the Student route."
    _unchanged(cas)


def test_a_licence_without_the_student_route_cannot_create_or_search():
    from sponsorship.accounts.tests.factories import Level1Factory

    api = client_for(Level1Factory(sponsor=SponsorFactory()))
    assert_error(api.post_json(URL, {"route": "STUDENT", "family_name": "Nguyễn"}), 403)
    for path in (URL, f"{URL}/export.csv", f"{URL}/export.xlsx"):
        assert_error(api.get(path), 403, "not_permitted")
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(("state", "method", "suffix", "body"), OPERATIONS, ids=IDS)
def test_a_caseworker_token_cannot_call_sponsor_operations(
    level1, level2, caseworker, state, method, suffix, body
):
    cas = _cas(state, level1)
    response = call(client_for(caseworker), method, f"{URL}/{cas.pk}{suffix}", _body(body, level2))
    assert_error(response, 403, "not_permitted")
    _unchanged(cas)


def test_a_caseworker_token_cannot_create_or_search(caseworker):
    api = client_for(caseworker)
    assert_error(api.post_json(URL, {"route": "STUDENT", "family_name": "Nguyễn"}), 403)
    for path in (URL, f"{URL}/export.csv", f"{URL}/export.xlsx"):
        assert_error(api.get(path), 403, "not_permitted")
    assert not Certificate.objects.exists()


def test_an_unknown_cas_is_not_found(level1):
    assert_error(client_for(level1).get(f"{URL}/999999"), 404, "not_found")
    assert Certificate.objects.filter(status=CertificateStatus.DRAFT).count() == 0
