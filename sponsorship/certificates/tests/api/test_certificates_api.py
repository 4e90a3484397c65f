"""Live certificates through the API: search, read, withdraw, notes, history and transfer, with
who may call each operation."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sponsorship.api.tests.api_client import assert_error
from sponsorship.api.tests.fuzzing import GENERATION_MODES, fuzz_on_certificate
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import Certificate, CertificateStatus
from sponsorship.certificates.services import certificate_mark_used
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.api.support import Api, query_count, token_for

URL = "/api/v1/certificates"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def api_as(db):
    def _api_as(user) -> Api:
        return Api(token_for(user))

    return _api_as


@pytest.fixture
def api(api_as, level1):
    return api_as(level1)


def _call(api, method: str, path: str, body):
    return api.call(method, path, None if body is None else json.dumps(body))


def _numbers(response) -> list[str | None]:
    assert response.status_code == 200, response.content[:800]
    return [item["number"] for item in response.json()["items"]]


# Search


def test_the_list_shows_the_sponsors_certificates_most_recently_changed_first(
    api, level1, level2, other_level1
):
    mine = assigned_certificate(level1, number="C0000000001")
    theirs = assigned_certificate(level2, number="C0000000002")
    assigned_certificate(other_level1, number="C0000000003")
    Certificate.objects.filter(pk=mine.pk).update(updated_at=timezone.now() - timedelta(days=1))
    body = api.get(URL).json()
    assert [item["number"] for item in body["items"]] == [theirs.number, mine.number]
    assert body["page"] == {"page": 1, "page_size": 25, "total_items": 2, "total_pages": 1}
    first = body["items"][0]
    assert first["owner"] == {"id": level2.pk, "user_id": "LEVELTWO1", "name": "Priya Raman"}
    assert first["status"] == "ASSIGNED"
    assert first["status_name"] == "Assigned"
    assert first["passport_number"] == "EP1234567"


def test_a_level_2_user_lists_only_the_certificates_they_own(api_as, level1, level2):
    assigned_certificate(level1, number="C0000000001")
    assigned_certificate(level2, number="C0000000002")
    assert _numbers(api_as(level2).get(URL)) == ["C0000000002"]


def test_search_filters(api, level1, level2, frozen):
    kowalczyk = assigned_certificate(level1, number="C0000000001")
    frozen.shift(timedelta(days=3))
    nowak = assigned_certificate(
        level2,
        number="C0000000002",
        family_name="Nowak",
        given_names="Anna",
        nationality="UKR",
        passport_number="FA9876543",
    )
    complete_draft(level1, family_name="Kowalski")

    assert _numbers(api.get(URL, {"number": "c000 000 0001"})) == [kowalczyk.number]
    assert _numbers(api.get(URL, {"number": "C000000000"})) == []
    assert _numbers(api.get(URL, {"passport": "fa 987 6543"})) == [nowak.number]
    assert _numbers(api.get(URL, {"family_name": "kowal"})) == [None, kowalczyk.number]
    assert _numbers(api.get(URL, {"given_names": "ann"})) == [nowak.number]
    assert _numbers(api.get(URL, {"nationality": "UKR"})) == [nowak.number]
    assert _numbers(api.get(URL, {"status": "DRAFT"})) == [None]
    assert _numbers(api.get(URL, {"owner_id": level2.pk})) == [nowak.number]
    assert _numbers(api.get(URL, {"date_of_birth": "1991-03-14"})) == [
        None,
        nowak.number,
        kowalczyk.number,
    ]
    assert _numbers(api.get(URL, {"assigned_from": "2026-11-17"})) == [nowak.number]
    assert _numbers(api.get(URL, {"assigned_to": "2026-11-16"})) == [kowalczyk.number]
    assert _numbers(api.get(URL, {"family_name": "Nowak", "status": "DRAFT"})) == []


def test_search_never_finds_another_sponsors_certificate(api, other_level1):
    theirs = assigned_certificate(other_level1, number="C0000000009")
    assert _numbers(api.get(URL, {"number": theirs.number})) == []
    assert _numbers(api.get(URL, {"passport": theirs.passport_number})) == []


def test_a_bad_filter_is_refused_by_name(api):
    response = api.get(URL, {"status": "LOST", "date_of_birth": "14/03/1991"})
    error = assert_error(response, 422)
    assert {f["field"] for f in error["fields"]} == {"status", "date_of_birth"}


def test_the_list_pages(api, level1):
    for n in range(3):
        assigned_certificate(level1, number=f"C000000000{n}")
    body = api.get(URL, {"page": 2, "page_size": 2}).json()
    assert len(body["items"]) == 1
    assert body["page"] == {"page": 2, "page_size": 2, "total_items": 3, "total_pages": 2}


def test_the_lists_query_count_does_not_grow_with_its_rows(api, level1, level2):
    for _ in range(3):
        complete_draft(level1)
    few = query_count(lambda: api.get(URL, {"page_size": 100}))
    for n in range(27):
        complete_draft(level2 if n % 2 else level1)
    many = query_count(lambda: api.get(URL, {"page_size": 100}))
    assert api.get(URL, {"page_size": 100}).json()["page"]["total_items"] == 30
    assert few == many


# One certificate


def test_a_certificate_shows_every_field_by_section_with_its_charges(api, level1):
    certificate = assigned_certificate(level1, number="C0000000001")
    Certificate.objects.filter(pk=certificate.pk).update(
        fee_pence=52_500, skills_charge_pence=330_000
    )
    body = api.get(f"{URL}/{certificate.pk}").json()
    assert body["number"] == "C0000000001"
    assert body["status"] == "ASSIGNED"
    assert body["use_by"] == "2027-02-15"
    assert (body["fee_pence"], body["skills_charge_pence"], body["total_pence"]) == (
        52_500,
        330_000,
        382_500,
    )
    assert body["category"] == "CHANGE_OF_EMPLOYMENT"
    assert body["outcome"] == ""
    personal = body["sections"]["personal"]
    assert personal["title"] == "Personal information"
    assert personal["status"] == "Completed"
    assert personal["values"]["given_names"] == "Łukasz Marek"
    assert personal["values"]["date_of_birth"] == "1991-03-14"
    assert personal["values"]["sex"] == "M"
    employment = body["sections"]["employment"]["values"]
    assert employment["salary_amount"] == "55000.00"
    assert employment["maintenance_certified"] is True
    assert body["sections"]["agent"]["status"] == "Optional"
    assert body["sections"]["paye"]["values"]["paye_reason"] == (
        "Paid through the payroll of the parent company."
    )


def test_an_unknown_certificate_is_not_found(api):
    assert_error(api.get(f"{URL}/999999"), 404, "not_found")


# Withdraw and notes


def test_withdraw_needs_a_reason(api, level1):
    certificate = assigned_certificate(level1)
    response = api.post_json(
        f"{URL}/{certificate.pk}/withdraw", {"version": certificate.version, "reason": "  "}
    )
    assert assert_error(response, 400)["fields"] == [
        {"field": "reason", "message": "Enter the reason you are withdrawing this certificate"}
    ]
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.ASSIGNED


def test_only_an_assigned_certificate_can_be_withdrawn(api, level1):
    draft = complete_draft(level1)
    response = api.post_json(f"{URL}/{draft.pk}/withdraw", {"version": 1, "reason": "No."})
    assert_error(response, 409, "invalid_transition")
    assert Certificate.objects.get(pk=draft.pk).status == CertificateStatus.DRAFT


def test_a_stale_withdrawal_is_refused(api, level1):
    certificate = assigned_certificate(level1)
    response = api.post_json(
        f"{URL}/{certificate.pk}/withdraw", {"version": certificate.version + 1, "reason": "No."}
    )
    assert_error(response, 409, "stale_edit")
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.ASSIGNED


def test_a_note_is_saved_and_every_version_kept_in_the_history(api, level1):
    certificate = assigned_certificate(level1)
    url = f"{URL}/{certificate.pk}"
    first = api.put_json(f"{url}/note", {"version": 1, "note": "Start date moved."})
    assert first.status_code == 200, first.content[:800]
    assert first.json()["sponsor_note"] == "Start date moved."
    second = api.put_json(f"{url}/note", {"version": 2, "note": "Start date confirmed."})
    assert second.json()["sponsor_note"] == "Start date confirmed."
    history = api.get(f"{url}/history").json()["items"]
    assert [(e["action"], e["text"]) for e in history] == [
        ("NOTE_ADDED", "Start date moved."),
        ("NOTE_AMENDED", "Start date confirmed."),
    ]
    assert AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_NOTE_SAVED).count() == 2


def test_a_note_cannot_be_blank_or_added_to_a_draft(api, level1):
    certificate = assigned_certificate(level1)
    blank = api.put_json(f"{URL}/{certificate.pk}/note", {"version": 1, "note": " "})
    assert assert_error(blank, 400)["fields"] == [{"field": "note", "message": "Enter the note"}]
    draft = complete_draft(level1)
    on_draft = api.put_json(f"{URL}/{draft.pk}/note", {"version": 1, "note": "Hello."})
    assert_error(on_draft, 409, "invalid_transition")
    assert Certificate.objects.get(pk=draft.pk).sponsor_note == ""


def test_the_history_names_the_home_office_not_the_caseworker(api, level1, caseworker):
    certificate = assigned_certificate(level1)
    certificate_mark_used(actor=caseworker, certificate=certificate, ip=None)
    history = api.get(f"{URL}/{certificate.pk}/history").json()["items"]
    assert [(e["action"], e["status"], e["by"]) for e in history] == [
        ("USED", "USED", "Home Office")
    ]


# Transfer


def test_a_level_1_user_transfers_a_certificate_to_a_level_2_user(api, api_as, level1, level2):
    certificate = assigned_certificate(level1)
    assert_error(api_as(level2).get(f"{URL}/{certificate.pk}"), 404)
    response = api.post_json(
        f"{URL}/{certificate.pk}/transfer", {"version": 1, "to_user_id": level2.pk}
    )
    assert response.status_code == 200, response.content[:800]
    assert response.json()["owner"]["user_id"] == "LEVELTWO1"
    assert api_as(level2).get(f"{URL}/{certificate.pk}").status_code == 200
    history = api.get(f"{URL}/{certificate.pk}/history").json()["items"]
    assert history[-1]["text"] == ("From Zoë Hartley (LEVELONE1) to Priya Raman (LEVELTWO1).")


def test_a_certificate_cannot_be_transferred_to_another_sponsors_user(api, level1, other_level1):
    certificate = assigned_certificate(level1)
    response = api.post_json(
        f"{URL}/{certificate.pk}/transfer", {"version": 1, "to_user_id": other_level1.pk}
    )
    assert assert_error(response, 400)["fields"] == [
        {"field": "to_user_id", "message": "Select an active user of your organisation"}
    ]
    assert Certificate.objects.get(pk=certificate.pk).owner == level1


def test_a_level_2_user_may_not_transfer_even_their_own(api_as, level1, level2):
    certificate = assigned_certificate(level2)
    response = api_as(level2).post_json(
        f"{URL}/{certificate.pk}/transfer", {"version": 1, "to_user_id": level1.pk}
    )
    assert_error(response, 403, "not_permitted")
    assert Certificate.objects.get(pk=certificate.pk).owner == level2


def test_a_stale_transfer_is_refused(api, level1, level2):
    certificate = assigned_certificate(level1)
    response = api.post_json(
        f"{URL}/{certificate.pk}/transfer", {"version": 5, "to_user_id": level2.pk}
    )
    assert_error(response, 409, "stale_edit")
    assert Certificate.objects.get(pk=certificate.pk).owner == level1


# Who may call: every operation of this router, on an assigned certificate.

OPERATIONS = [
    ("GET", "", None),
    ("GET", "/history", None),
    ("POST", "/withdraw", {"version": 1, "reason": "The worker declined."}),
    ("PUT", "/note", {"version": 1, "note": "Start date moved."}),
    ("POST", "/transfer", {"version": 1, "to_user_id": None}),
]
IDS = [f"{method} {suffix or '/'}" for method, suffix, _ in OPERATIONS]


def _body(body, recipient):
    if body and "to_user_id" in body:
        return {**body, "to_user_id": recipient.pk}
    return body


def _unchanged(certificate: Certificate) -> None:
    stored = Certificate.objects.get(pk=certificate.pk)
    assert (stored.status, stored.version, stored.owner_id, stored.sponsor_note) == (
        CertificateStatus.ASSIGNED,
        1,
        certificate.owner_id,
        "",
    )


@pytest.mark.parametrize(("method", "suffix", "body"), OPERATIONS, ids=IDS)
def test_another_sponsors_certificate_is_not_found(
    api_as, level1, level2, other_level1, method, suffix, body
):
    certificate = assigned_certificate(level1)
    response = _call(
        api_as(other_level1), method, f"{URL}/{certificate.pk}{suffix}", _body(body, level2)
    )
    assert_error(response, 404, "not_found")
    _unchanged(certificate)


@pytest.mark.parametrize(("method", "suffix", "body"), OPERATIONS[:4], ids=IDS[:4])
def test_a_level_2_user_cannot_find_a_certificate_they_do_not_own(
    api_as, level1, level2, method, suffix, body
):
    certificate = assigned_certificate(level1)
    response = _call(api_as(level2), method, f"{URL}/{certificate.pk}{suffix}", body)
    assert_error(response, 404, "not_found")
    _unchanged(certificate)


@pytest.mark.parametrize(("method", "suffix", "body"), OPERATIONS, ids=IDS)
def test_a_suspended_licence_refuses_every_operation(
    api, sponsor, level1, level2, method, suffix, body
):
    certificate = assigned_certificate(level1)
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    response = _call(api, method, f"{URL}/{certificate.pk}{suffix}", _body(body, level2))
    error = assert_error(response, 409, "licence_suspended")
    assert error["message"] == "Not available while your licence is suspended."
    _unchanged(certificate)


def test_a_suspended_licence_cannot_search(api, sponsor, level1):
    assigned_certificate(level1)
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert_error(api.get(URL), 409, "licence_suspended")


@pytest.mark.parametrize(("method", "suffix", "body"), OPERATIONS, ids=IDS)
def test_a_caseworker_token_cannot_call_sponsor_operations(
    api_as, level1, level2, caseworker, method, suffix, body
):
    certificate = assigned_certificate(level1)
    response = _call(
        api_as(caseworker), method, f"{URL}/{certificate.pk}{suffix}", _body(body, level2)
    )
    assert_error(response, 403, "not_permitted")
    _unchanged(certificate)


def test_a_caseworker_token_cannot_search_sponsors_certificates(api_as, caseworker):
    assert_error(api_as(caseworker).get(URL), 403, "not_permitted")


def test_an_edit_moves_the_certificate_to_the_top_of_the_list(api, level1, frozen):
    older = complete_draft(level1, family_name="Older")
    frozen.shift(timedelta(hours=1))
    complete_draft(level1, family_name="Newer")
    frozen.shift(timedelta(hours=1))
    assert api.patch_json(f"{URL}/{older.pk}", {"version": 1, "job_title": "Chef"}).status_code == (
        200
    )
    body = api.get(f"{URL}/{older.pk}").json()
    assert datetime.fromisoformat(body["updated_at"]) == datetime(
        2026, 11, 16, 12, 0, tzinfo=LONDON
    )
    assert [c["family_name"] for c in api.get(URL).json()["items"]] == ["Older", "Newer"]


# Fuzzing the operations on a real assigned certificate, from the API's own document: whatever an HR
# system sends that the document allows, the answer is one the document describes, never a
# server error, and a refused change saves nothing.


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/certificates"),
        ("GET", "/api/v1/certificates/{certificate_id}"),
        ("GET", "/api/v1/certificates/{certificate_id}/history"),
        ("POST", "/api/v1/certificates/{certificate_id}/withdraw"),
        ("PUT", "/api/v1/certificates/{certificate_id}/note"),
        ("POST", "/api/v1/certificates/{certificate_id}/transfer"),
    ],
)
@pytest.mark.parametrize("mode", GENERATION_MODES)
def test_fuzzed_requests_on_a_real_certificate_get_documented_answers(
    wsgi_app, level1, level2, method, path, mode
):
    def live_values(body, current):
        if "version" in body:
            body["version"] = current.version
        if "to_user_id" in body:
            body["to_user_id"] = level2.pk if current.owner_id == level1.pk else level1.pk

    fuzz_on_certificate(
        wsgi_app,
        method,
        path,
        mode,
        token=token_for(level1),
        certificate_id=assigned_certificate(level1).pk,
        fill_body=live_values,
    )
