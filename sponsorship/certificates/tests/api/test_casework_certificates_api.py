"""The Home Office's certificate operations through the casework API: find any sponsor's
certificate, mark it used, record the outcome of the application, cancel it; and the line
between sponsor and caseworker tokens."""

import json

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.api.tests.fuzzing import GENERATION_MODES, fuzz_on_certificate
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import Certificate, CertificateStatus
from sponsorship.certificates.services import certificate_mark_used
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.api.support import Api, query_count, token_for

URL = "/api/v1/casework/certificates"


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def api_as(db):
    def _api_as(user) -> Api:
        return Api(token_for(user))

    return _api_as


@pytest.fixture
def casework_api(api_as, caseworker):
    return api_as(caseworker)


def _call(api, method: str, path: str, body):
    return api.call(method, path, None if body is None else json.dumps(body))


def _stored(certificate: Certificate) -> Certificate:
    return Certificate.objects.get(pk=certificate.pk)


def _used(certificate: Certificate, caseworker) -> Certificate:
    return certificate_mark_used(actor=caseworker, certificate=certificate, ip=None)


# Finding


def test_find_by_number_or_passport_across_sponsors(casework_api, level1, other_level1):
    ours = assigned_certificate(level1, number="C0000000001")
    theirs = assigned_certificate(other_level1, number="C0000000002", passport_number="FA123")
    by_number = casework_api.get(URL, {"number": "c000 000 0002"}).json()
    assert [c["id"] for c in by_number["items"]] == [theirs.pk]
    assert by_number["items"][0]["sponsor"]["name"] == "Other Sponsor Ltd"
    by_passport = casework_api.get(URL, {"passport": "ep1234567"}).json()
    assert [c["id"] for c in by_passport["items"]] == [ours.pk]
    both = casework_api.get(URL, {"number": "C0000000001", "passport": "FA123"}).json()
    assert both["items"] == []


def test_find_matches_exactly_and_never_finds_drafts(casework_api, level1):
    assigned_certificate(level1, number="C0000000001")
    complete_draft(level1, passport_number="DRAFT1234")
    assert casework_api.get(URL, {"number": "C000000000"}).json()["items"] == []
    assert casework_api.get(URL, {"passport": "EP123"}).json()["items"] == []
    assert casework_api.get(URL, {"passport": "DRAFT1234"}).json()["items"] == []


def test_find_needs_a_number_or_a_passport(casework_api):
    error = assert_error(casework_api.get(URL, {"number": "  "}), 400)
    assert error["fields"] == [
        {
            "field": "number",
            "message": "Enter a certificate number or a passport number to search for",
        }
    ]


def test_finds_query_count_does_not_grow_with_its_rows(casework_api, level1, other_level1):
    for _ in range(3):
        assigned_certificate(level1)
    few = query_count(lambda: casework_api.get(URL, {"passport": "EP1234567"}))
    for n in range(27):
        assigned_certificate(other_level1 if n % 2 else level1)
    many = query_count(lambda: casework_api.get(URL, {"passport": "EP1234567", "page_size": 100}))
    assert (
        len(casework_api.get(URL, {"passport": "EP1234567", "page_size": 100}).json()["items"])
        == 30
    )
    assert few == many


def test_a_caseworker_reads_any_certificate_with_its_sponsor(casework_api, other_level1):
    certificate = assigned_certificate(other_level1, number="C0000000002")
    body = casework_api.get(f"{URL}/{certificate.pk}").json()
    assert body["number"] == "C0000000002"
    assert body["sponsor"]["licence_number"] == other_level1.sponsor.licence_number
    assert body["sections"]["personal"]["values"]["family_name"] == "Kowalczyk"


def test_an_unknown_certificate_is_not_found(casework_api):
    assert_error(casework_api.get(f"{URL}/999999"), 404, "not_found")
    assert_error(casework_api.post_json(f"{URL}/999999/used", {}), 404, "not_found")


# Acting on a certificate


def test_mark_used(casework_api, level1):
    certificate = assigned_certificate(level1)
    response = casework_api.post_json(f"{URL}/{certificate.pk}/used", {})
    assert response.status_code == 200, response.content[:800]
    body = response.json()
    assert body["status"] == "USED"
    assert body["used_at"] is not None
    assert _stored(certificate).status == CertificateStatus.USED
    assert AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_USED).count() == 1
    again = casework_api.post_json(f"{URL}/{certificate.pk}/used", {})
    assert_error(again, 409, "invalid_transition")


def test_a_sponsors_draft_is_not_found_by_the_home_office(casework_api, level1):
    draft = complete_draft(level1)
    assert casework_api.get(f"{URL}/{draft.pk}").status_code == 404
    assert_error(casework_api.post_json(f"{URL}/{draft.pk}/used", {}), 404, "not_found")
    assert _stored(draft).status == CertificateStatus.DRAFT


def test_a_granted_application_is_final(casework_api, level1, caseworker):
    certificate = _used(assigned_certificate(level1), caseworker)
    response = casework_api.post_json(f"{URL}/{certificate.pk}/outcome", {"outcome": "GRANTED"})
    assert response.status_code == 200, response.content[:800]
    assert (response.json()["status"], response.json()["outcome"]) == ("USED", "GRANTED")
    assert response.json()["outcome_name"] == "Granted"

    second = casework_api.post_json(f"{URL}/{certificate.pk}/outcome", {"outcome": "REFUSED"})
    assert_error(second, 409, "invalid_transition")
    stored = _stored(certificate)
    assert (stored.status, stored.application_outcome) == (CertificateStatus.USED, "GRANTED")


def test_an_application_rejected_as_invalid_makes_the_certificate_assigned_again(
    casework_api, api_as, level1, caseworker
):
    certificate = _used(assigned_certificate(level1), caseworker)
    response = casework_api.post_json(
        f"{URL}/{certificate.pk}/outcome", {"outcome": "REJECTED_INVALID"}
    )
    assert response.status_code == 200, response.content[:800]
    assert (response.json()["status"], response.json()["outcome"]) == (
        "ASSIGNED",
        "REJECTED_INVALID",
    )
    assert _stored(certificate).status == CertificateStatus.ASSIGNED
    # The sponsor sees why, in its history; and it can be relied on again.
    history = api_as(level1).get(f"/api/v1/certificates/{certificate.pk}/history").json()
    assert history["items"][-1]["text"] == (
        "Application rejected as invalid. The certificate can be relied on again."
    )
    assert casework_api.post_json(f"{URL}/{certificate.pk}/used", {}).status_code == 200


def test_an_outcome_must_be_one_of_the_five(casework_api, level1, caseworker):
    certificate = _used(assigned_certificate(level1), caseworker)
    response = casework_api.post_json(f"{URL}/{certificate.pk}/outcome", {"outcome": "LOST"})
    assert [f["field"] for f in assert_error(response, 422)["fields"]] == ["outcome"]
    assert _stored(certificate).application_outcome == ""


def test_an_outcome_needs_a_used_certificate(casework_api, level1):
    certificate = assigned_certificate(level1)
    response = casework_api.post_json(f"{URL}/{certificate.pk}/outcome", {"outcome": "GRANTED"})
    assert_error(response, 409, "invalid_transition")


def test_cancel_with_a_reason(casework_api, api_as, level1):
    certificate = assigned_certificate(level1)
    response = casework_api.post_json(
        f"{URL}/{certificate.pk}/cancel", {"reason": "Issued on forged documents."}
    )
    assert response.status_code == 200, response.content[:800]
    assert response.json()["status"] == "CANCELLED"
    assert response.json()["closed_reason"] == "Issued on forged documents."
    stored = _stored(certificate)
    assert (stored.status, stored.closed_reason) == (
        CertificateStatus.CANCELLED,
        "Issued on forged documents.",
    )
    history = api_as(level1).get(f"/api/v1/certificates/{certificate.pk}/history").json()
    assert (history["items"][-1]["by"], history["items"][-1]["text"]) == (
        "Home Office",
        "Issued on forged documents.",
    )
    casework_history = casework_api.get(f"{URL}/{certificate.pk}/history").json()
    assert casework_history["items"][-1]["by"] == "Samira Haddad"


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancel_needs_a_reason(casework_api, level1, reason):
    certificate = assigned_certificate(level1)
    response = casework_api.post_json(f"{URL}/{certificate.pk}/cancel", {"reason": reason})
    assert assert_error(response, 400)["fields"] == [
        {"field": "reason", "message": "Enter the reason for cancelling the certificate"}
    ]
    assert _stored(certificate).status == CertificateStatus.ASSIGNED


def test_a_cancelled_certificate_cannot_be_cancelled_again(casework_api, level1):
    certificate = assigned_certificate(level1)
    casework_api.post_json(f"{URL}/{certificate.pk}/cancel", {"reason": "Fraud."})
    again = casework_api.post_json(f"{URL}/{certificate.pk}/cancel", {"reason": "Fraud."})
    assert_error(again, 409, "invalid_transition")


def test_the_home_office_still_acts_on_a_suspended_sponsors_certificates(
    casework_api, sponsor, level1
):
    # Suspension stops the sponsor using certificates, not the Home Office deciding on them.
    certificate = assigned_certificate(level1)
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert casework_api.get(f"{URL}/{certificate.pk}").status_code == 200
    response = casework_api.post_json(f"{URL}/{certificate.pk}/cancel", {"reason": "Fraud."})
    assert response.status_code == 200, response.content[:800]
    assert _stored(certificate).status == CertificateStatus.CANCELLED


# Who may call


OPERATIONS = [
    ("GET", "", None),
    ("GET", "/history", None),
    ("POST", "/used", {}),
    ("POST", "/outcome", {"outcome": "GRANTED"}),
    ("POST", "/cancel", {"reason": "Fraud."}),
]
IDS = [f"{method} {suffix or '/'}" for method, suffix, _ in OPERATIONS]


@pytest.mark.parametrize("who", ["level1", "level2"])
@pytest.mark.parametrize(("method", "suffix", "body"), OPERATIONS, ids=IDS)
def test_sponsor_tokens_cannot_call_casework_operations(
    request, api_as, level1, who, method, suffix, body
):
    certificate = assigned_certificate(request.getfixturevalue(who))
    response = _call(
        api_as(request.getfixturevalue(who)), method, f"{URL}/{certificate.pk}{suffix}", body
    )
    assert_error(response, 403, "not_permitted")
    stored = _stored(certificate)
    assert (stored.status, stored.version) == (CertificateStatus.ASSIGNED, 1)


def test_sponsor_tokens_cannot_search_every_sponsor(api_as, level1):
    assigned_certificate(level1)
    assert_error(api_as(level1).get(URL, {"passport": "EP1234567"}), 403, "not_permitted")


# Fuzzing the casework operations on a real certificate, from the API's own document: whatever
# a casework system sends that the document allows, the answer is one the document describes,
# never a server error, and a refused change saves nothing.


@pytest.fixture
def caseworker_used(level1, caseworker):
    """A used certificate, so marking used, recording an outcome and cancelling all apply."""
    return _used(assigned_certificate(level1), caseworker)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/casework/certificates"),
        ("GET", "/api/v1/casework/certificates/{certificate_id}"),
        ("GET", "/api/v1/casework/certificates/{certificate_id}/history"),
        ("POST", "/api/v1/casework/certificates/{certificate_id}/used"),
        ("POST", "/api/v1/casework/certificates/{certificate_id}/outcome"),
        ("POST", "/api/v1/casework/certificates/{certificate_id}/cancel"),
    ],
)
@pytest.mark.parametrize("mode", GENERATION_MODES)
def test_fuzzed_requests_on_a_real_certificate_get_documented_answers(
    wsgi_app, level1, caseworker, caseworker_used, method, path, mode
):
    fuzz_on_certificate(
        wsgi_app,
        method,
        path,
        mode,
        token=token_for(caseworker),
        certificate_id=caseworker_used.pk,
    )
