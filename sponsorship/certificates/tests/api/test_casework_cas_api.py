"""The Home Office's certificate operations through the casework API on a CAS: found by its number
or the student's passport number among every sponsor's CoS and CAS, read with its CAS fields
(`kind` CAS), marked used, its application's outcome recorded, cancelled; never a sponsor's
draft, never by a sponsor's token."""

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.api.tests.fuzzing import GENERATION_MODES, fuzz_on_certificate
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import Certificate, CertificateStatus
from sponsorship.certificates.services import certificate_assign, certificate_mark_used
from sponsorship.certificates.tests.factories import (
    assigned_cas,
    assigned_certificate,
    complete_cas,
)
from sponsorship.licences.models import LicenceStatus, Route
from sponsorship.licences.tests.api.support import Api, query_count, token_for
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory

URL = "/api/v1/casework/certificates"


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def sponsor(db):
    return SponsorFactory(name="Harbour View College", routes=[Route.SKILLED_WORKER, Route.STUDENT])


@pytest.fixture
def other_sponsor(db):
    return SponsorFactory(name="Other College", routes=[Route.STUDENT])


@pytest.fixture
def api_as(db):
    def _api_as(user) -> Api:
        return Api(token_for(user))

    return _api_as


@pytest.fixture
def casework_api(api_as, caseworker):
    return api_as(caseworker)


@pytest.fixture
def cas(other_level1):
    return assigned_cas(other_level1, number="E4K7M2P9Q3R8T6")


def _stored(certificate: Certificate) -> Certificate:
    return Certificate.objects.get(pk=certificate.pk)


# Finding


def test_find_a_cas_by_its_number_or_passport_across_sponsors(casework_api, cas, level1):
    cos = assigned_certificate(level1, number="C0000000001")
    by_number = casework_api.get(URL, {"number": "e4k7 m2p9 q3r8 t6"}).json()
    assert [c["id"] for c in by_number["items"]] == [cas.pk]
    assert by_number["items"][0]["sponsor"]["name"] == "Other College"
    by_passport = casework_api.get(URL, {"passport": "EP1234567", "page_size": 10}).json()
    assert sorted(c["id"] for c in by_passport["items"]) == sorted([cas.pk, cos.pk])


def test_find_never_finds_a_cas_draft(casework_api, level1):
    complete_cas(level1, passport_number="DRAFT1234")
    assert casework_api.get(URL, {"passport": "DRAFT1234"}).json()["items"] == []


def test_finds_query_count_does_not_grow_with_cas_rows(casework_api, level1, other_level1):
    for _ in range(3):
        assigned_cas(level1)
    few = query_count(lambda: casework_api.get(URL, {"passport": "EP1234567"}))
    for n in range(27):
        assigned_cas(other_level1 if n % 2 else level1)
    many = query_count(lambda: casework_api.get(URL, {"passport": "EP1234567", "page_size": 100}))
    assert few == many


# Reading


def test_a_caseworker_reads_a_cas_with_its_cas_fields_and_sponsor(casework_api, cas, other_level1):
    response = casework_api.get(f"{URL}/{cas.pk}")
    assert response.status_code == 200, response.content[:800]
    body = response.json()
    assert body["kind"] == "CAS"
    assert body["number"] == "E4K7M2P9Q3R8T6"
    assert body["route"] == "STUDENT"
    assert body["student_id"] == "S2026-0042"
    assert body["course_title"] == "MSc Marine Biology"
    assert body["course_start_date"] == "2027-01-18"
    assert body["sponsor"]["licence_number"] == other_level1.sponsor.licence_number
    sections = body["sections"]
    assert sections["course"]["values"]["academic_level"] == "RQF7"
    assert sections["study_address"]["values"]["study_town"] == "Aberdeen"
    assert sections["english"]["values"]["selt_provider"] == "IELTS"
    assert sections["fees"]["values"]["course_fees_first_year"] == "24500.00"
    assert "category" not in body


def test_a_cos_is_still_read_with_its_cos_fields(casework_api, level1):
    cos = assigned_certificate(level1, number="C0000000001")
    body = casework_api.get(f"{URL}/{cos.pk}").json()
    assert body["kind"] == "COS"
    assert body["sections"]["employment"]["values"]["job_title"] == "Software developer"


def test_an_obsolete_cas_names_the_one_that_replaced_it(casework_api, level1, sponsor):
    AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=5, used=0)
    older = assigned_cas(level1, number="E0000000000001")
    newer = complete_cas(level1)
    certificate_assign(actor=level1, certificate=newer, version=newer.version, ip=None)
    body = casework_api.get(f"{URL}/{older.pk}").json()
    assert body["status"] == "OBSOLETE"
    assert (body["superseded_by_id"], body["superseded_by_number"]) == (newer.pk, newer.number)


def test_a_cas_history(casework_api, cas, caseworker):
    certificate_mark_used(actor=caseworker, certificate=cas, ip=None)
    items = casework_api.get(f"{URL}/{cas.pk}/history").json()["items"]
    assert (items[-1]["status"], items[-1]["by"]) == ("USED", "Samira Haddad")


# Acting


def test_mark_used_then_rejected_then_cancelled(casework_api, cas, api_as, other_level1):
    response = casework_api.post_json(f"{URL}/{cas.pk}/used", {})
    assert response.status_code == 200, response.content[:800]
    assert (response.json()["kind"], response.json()["status"]) == ("CAS", "USED")
    assert AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_USED).count() == 1
    assert_error(casework_api.post_json(f"{URL}/{cas.pk}/used", {}), 409, "invalid_transition")

    response = casework_api.post_json(f"{URL}/{cas.pk}/outcome", {"outcome": "REJECTED_INVALID"})
    assert response.status_code == 200, response.content[:800]
    assert (response.json()["status"], response.json()["outcome"]) == (
        "ASSIGNED",
        "REJECTED_INVALID",
    )

    response = casework_api.post_json(f"{URL}/{cas.pk}/cancel", {"reason": "Forged transcript."})
    assert response.status_code == 200, response.content[:800]
    assert (response.json()["status"], response.json()["closed_reason"]) == (
        "CANCELLED",
        "Forged transcript.",
    )
    assert _stored(cas).status == CertificateStatus.CANCELLED
    again = casework_api.post_json(f"{URL}/{cas.pk}/cancel", {"reason": "Again."})
    assert_error(again, 409, "invalid_transition")


def test_a_granted_cas_is_final(casework_api, cas, caseworker):
    certificate_mark_used(actor=caseworker, certificate=cas, ip=None)
    response = casework_api.post_json(f"{URL}/{cas.pk}/outcome", {"outcome": "GRANTED"})
    assert (response.json()["status"], response.json()["outcome"]) == ("USED", "GRANTED")
    second = casework_api.post_json(f"{URL}/{cas.pk}/outcome", {"outcome": "REFUSED"})
    assert_error(second, 409, "invalid_transition")


@pytest.mark.parametrize(
    ("suffix", "body"),
    [("/used", {}), ("/outcome", {"outcome": "GRANTED"}), ("/cancel", {"reason": "Fraud."})],
)
def test_an_obsolete_cas_cannot_be_acted_on(casework_api, cas, suffix, body):
    cas.status = CertificateStatus.OBSOLETE
    cas.save()
    assert_error(casework_api.post_json(f"{URL}/{cas.pk}{suffix}", body), 409, "invalid_transition")
    assert _stored(cas).status == CertificateStatus.OBSOLETE


def test_a_cas_draft_is_not_found(casework_api, level1):
    draft = complete_cas(level1)
    assert_error(casework_api.get(f"{URL}/{draft.pk}"), 404, "not_found")
    assert_error(casework_api.post_json(f"{URL}/{draft.pk}/used", {}), 404, "not_found")
    assert _stored(draft).status == CertificateStatus.DRAFT


def test_the_home_office_acts_on_a_suspended_sponsors_cas(casework_api, cas, other_sponsor):
    other_sponsor.status = LicenceStatus.SUSPENDED
    other_sponsor.save()
    assert casework_api.get(f"{URL}/{cas.pk}").status_code == 200
    response = casework_api.post_json(f"{URL}/{cas.pk}/used", {})
    assert response.status_code == 200, response.content[:800]


@pytest.mark.parametrize("who", ["level1", "level2"])
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("GET", "/history", None),
        ("POST", "/used", {}),
        ("POST", "/cancel", {"reason": "Fraud."}),
    ],
)
def test_sponsor_tokens_cannot_call_casework_operations_on_a_cas(
    request, api_as, who, method, suffix, body
):
    user = request.getfixturevalue(who)
    mine = assigned_cas(user)
    api = api_as(user)
    path = f"{URL}/{mine.pk}{suffix}"
    response = api.get(path) if method == "GET" else api.post_json(path, body)
    assert_error(response, 403, "not_permitted")
    assert (_stored(mine).status, _stored(mine).version) == (CertificateStatus.ASSIGNED, 1)


# Fuzzing the read and the actions on a real CAS: every answer is one the document describes.


@pytest.fixture
def used_cas(level1, caseworker):
    return certificate_mark_used(actor=caseworker, certificate=assigned_cas(level1), ip=None)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/casework/certificates/{certificate_id}"),
        ("POST", "/api/v1/casework/certificates/{certificate_id}/outcome"),
        ("POST", "/api/v1/casework/certificates/{certificate_id}/cancel"),
    ],
)
@pytest.mark.parametrize("mode", GENERATION_MODES)
def test_fuzzed_requests_on_a_real_cas_get_documented_answers(
    wsgi_app, caseworker, used_cas, method, path, mode
):
    fuzz_on_certificate(
        wsgi_app, method, path, mode, token=token_for(caseworker), certificate_id=used_cas.pk
    )
