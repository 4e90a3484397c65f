"""Changes of circumstances and every request's life through the API: report with evidence, list,
read with questions and evidence, withdraw, answer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sponsorship.api.tests.api_client import assert_error
from sponsorship.audit.models import AuditVerb
from sponsorship.licences.models import (
    EvidenceFile,
    LicenceRequest,
    LicenceStatus,
    RequestKind,
    RequestMessage,
    RequestStatus,
)
from sponsorship.licences.tests.factories import LicenceRequestFactory

from .support import events, pdf, query_count, recipients

CHANGE = {
    "change_type": "ADDRESS",
    "change_date": "2026-11-02",
    "description": "Head office moved to 2 Dock Road.",
    "declaration_name": "Zoë Hartley",
    "declaration_position": "HR Director",
}


def ask(request: LicenceRequest, caseworker, question: str = "Send the lease.") -> None:
    from sponsorship.licences.services import request_ask_for_information

    request_ask_for_information(
        caseworker=caseworker, request_id=request.pk, question=question, ip=None
    )


# Changes of circumstances


def test_a_change_of_circumstances_with_evidence(api, level1, sponsor):
    response = api.post_form(
        "/api/v1/change-requests", {**CHANGE, "evidence": [pdf("lease.pdf"), pdf("map.pdf")]}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "ORGANISATION_CHANGE"
    assert body["change_type"] == "ADDRESS"
    assert body["change_date"] == "2026-11-02"
    assert body["report_due"] == "2026-11-30"
    assert body["reported_late"] is False
    assert [e["name"] for e in body["evidence"]] == ["lease.pdf", "map.pdf"]
    first = body["evidence"][0]
    assert first["download_url"] == f"/evidence/{first['id']}/"
    assert first["content_type"] == "application/pdf"
    assert first["uploaded_by"] == "Zoë Hartley"
    stored = EvidenceFile.objects.get(pk=first["id"])
    assert stored.sponsor == sponsor
    assert stored.request_id == body["id"]
    assert stored.file.read().startswith(b"%PDF-")
    assert events(AuditVerb.REQUEST_SUBMITTED)[0].payload == {
        "kind": "ORGANISATION_CHANGE",
        "late": False,
    }
    assert recipients("request_submitted") == [level1.email]


def test_a_change_without_evidence(api):
    response = api.post_form("/api/v1/change-requests", CHANGE)
    assert response.status_code == 201, response.content
    assert response.json()["evidence"] == []


def test_a_change_reported_late_says_so(api):
    response = api.post_form("/api/v1/change-requests", {**CHANGE, "change_date": "2026-09-01"})
    assert response.status_code == 201, response.content
    assert response.json()["reported_late"] is True


def test_a_file_of_the_wrong_type_is_refused(api):
    program = SimpleUploadedFile("lease.pdf", b"MZ\x90\x00 not a pdf")
    response = api.post_form("/api/v1/change-requests", {**CHANGE, "evidence": [program]})
    error = assert_error(response, 400)
    assert error["fields"][0]["field"] == "evidence"
    assert "lease.pdf" in error["fields"][0]["message"]
    assert not LicenceRequest.objects.exists()
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"description": ""}, 422, "description"),
        ({"description": "x" * 100_001}, 422, "description"),
        ({"change_type": "WEATHER"}, 422, "change_type"),
        ({"change_date": "yesterday"}, 422, "change_date"),
        ({"change_date": "2026-11-17"}, 400, "change_date"),
        ({"change_date": "2001-01-01"}, 400, "change_date"),
        ({"declaration_name": "   "}, 422, "declaration_name"),
    ],
)
def test_bad_changes_name_the_field(api, change, status, field):
    error = assert_error(api.post_form("/api/v1/change-requests", {**CHANGE, **change}), status)
    assert [f["field"] for f in error["fields"]] == [field]
    assert not LicenceRequest.objects.exists()


def test_a_missing_field_is_named(api):
    data = {k: v for k, v in CHANGE.items() if k != "declaration_position"}
    error = assert_error(api.post_form("/api/v1/change-requests", data), 422)
    assert error["fields"] == [{"field": "declaration_position", "message": "Field required"}]


# Listing and reading


@pytest.fixture
def mixed_requests(level1, other_level1):
    """One open allocation increase, one decided change, one of another sponsor's."""
    return {
        "open": LicenceRequestFactory(submitted_by=level1),
        "decided": LicenceRequestFactory(
            submitted_by=level1,
            kind=RequestKind.ORGANISATION_CHANGE,
            route="",
            number_requested=None,
            status=RequestStatus.GRANTED,
            decided_at=timezone.now(),
        ),
        "other": LicenceRequestFactory(submitted_by=other_level1),
    }


def test_requests_lists_yours_newest_first(api, mixed_requests):
    body = api.get("/api/v1/requests").json()
    assert [r["id"] for r in body["items"]] == [
        mixed_requests["decided"].pk,
        mixed_requests["open"].pk,
    ]
    assert body["page"]["total_items"] == 2
    first = body["items"][1]
    assert first["kind"] == "ALLOCATION_INCREASE"
    assert first["is_open"] is True
    assert first["number_requested"] == 5
    assert first["reference"] == f"R{mixed_requests['open'].pk:08d}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"open": "true"}, ["open"]),
        ({"open": "false"}, ["decided"]),
        ({"kind": "ORGANISATION_CHANGE"}, ["decided"]),
        ({"kind": "ALLOCATION_INCREASE", "open": "false"}, []),
    ],
)
def test_requests_filter(api, mixed_requests, query, expected):
    body = api.get("/api/v1/requests", query).json()
    assert [r["id"] for r in body["items"]] == [mixed_requests[n].pk for n in expected]


def test_requests_refuse_an_unknown_kind(api):
    error = assert_error(api.get("/api/v1/requests", {"kind": "PIZZA"}), 422)
    assert error["fields"][0]["field"] == "kind"


def test_requests_list_queries_do_not_grow_with_the_rows(api, level1):
    def call():
        return api.get("/api/v1/requests", {"page_size": 100})

    LicenceRequestFactory.create_batch(3, submitted_by=level1)
    few = query_count(call)
    LicenceRequestFactory.create_batch(27, submitted_by=level1)
    assert query_count(call) == few


def test_a_request_with_its_questions_and_evidence(api, level1, caseworker):
    created = api.post_form("/api/v1/change-requests", {**CHANGE, "evidence": [pdf()]}).json()
    ask(LicenceRequest.objects.get(pk=created["id"]), caseworker)
    body = api.get(f"/api/v1/requests/{created['id']}").json()
    assert body["status"] == "INFO_REQUESTED"
    assert [(m["from_home_office"], m["author"], m["body"]) for m in body["messages"]] == [
        (True, "Home Office", "Send the lease.")
    ]
    assert [e["name"] for e in body["evidence"]] == ["evidence.pdf"]


def test_another_sponsors_request_is_not_found(api, mixed_requests, caseworker):
    other = mixed_requests["other"]
    ask(other, caseworker)
    assert_error(api.get(f"/api/v1/requests/{other.pk}"), 404, "not_found")
    assert_error(api.post(f"/api/v1/requests/{other.pk}/withdraw"), 404, "not_found")
    response = api.post_form(f"/api/v1/requests/{other.pk}/answer", {"body": "Here it is."})
    assert_error(response, 404, "not_found")
    other.refresh_from_db()
    assert other.status == RequestStatus.INFO_REQUESTED


# Withdrawing


def test_withdrawing_a_request(api, level1, mixed_requests):
    request = mixed_requests["open"]
    response = api.post(f"/api/v1/requests/{request.pk}/withdraw")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "WITHDRAWN"
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert request.decided_at is not None
    assert [e.actor for e in events(AuditVerb.REQUEST_WITHDRAWN)] == [level1]


def test_a_decided_request_cannot_be_withdrawn(api, mixed_requests):
    response = api.post(f"/api/v1/requests/{mixed_requests['decided'].pk}/withdraw")
    assert_error(response, 409, "invalid_transition")


@pytest.mark.parametrize(
    ("status", "code"),
    [(LicenceStatus.SUSPENDED, "licence_suspended"), (LicenceStatus.DORMANT, "licence_dormant")],
)
def test_an_allocation_request_is_not_withdrawn_while_the_licence_blocks_allocations(
    api, sponsor, mixed_requests, status, code
):
    sponsor.status = status
    sponsor.save()
    assert_error(api.post(f"/api/v1/requests/{mixed_requests['open'].pk}/withdraw"), 409, code)
    mixed_requests["open"].refresh_from_db()
    assert mixed_requests["open"].status == RequestStatus.SUBMITTED


def test_a_suspended_licence_cannot_answer_on_an_allocation_request_either(
    api, sponsor, mixed_requests, caseworker
):
    """As on the web: answering on an allocation request is part of requesting allocations."""
    ask(mixed_requests["open"], caseworker)
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    response = api.post_form(
        f"/api/v1/requests/{mixed_requests['open'].pk}/answer", {"body": "Attached."}
    )
    assert_error(response, 409, "licence_suspended")
    mixed_requests["open"].refresh_from_db()
    assert mixed_requests["open"].status == RequestStatus.INFO_REQUESTED


def test_a_suspended_licence_can_still_withdraw_other_requests(api, sponsor, level1):
    change = api.post_form("/api/v1/change-requests", CHANGE).json()
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    response = api.post(f"/api/v1/requests/{change['id']}/withdraw")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "WITHDRAWN"


def test_withdrawing_a_level_1_request_stops_the_requested_user(api):
    from sponsorship.accounts.models import User, UserStatus

    created = api.post_json(
        "/api/v1/users/level-1-requests",
        {"given_names": "Aisha", "family_name": "Bello", "email": "aisha@harbourview.example"},
    ).json()
    api.post(f"/api/v1/requests/{created['id']}/withdraw")
    assert User.objects.get(pk=created["subject_user"]["id"]).status == (
        UserStatus.DEACTIVATED_BY_SPONSOR
    )


# Answering


def test_answering_a_question_with_evidence(api, level1, caseworker, mixed_requests):
    request = mixed_requests["open"]
    request.assigned_to = caseworker
    request.save()
    ask(request, caseworker)
    response = api.post_form(
        f"/api/v1/requests/{request.pk}/answer",
        {"body": "The lease is attached.", "evidence": [pdf("lease.pdf")]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "SUBMITTED"
    answer = body["messages"][-1]
    assert (answer["from_home_office"], answer["author"], answer["body"]) == (
        False,
        "Zoë Hartley",
        "The lease is attached.",
    )
    assert [(e["name"], e["message_id"]) for e in body["evidence"]] == [("lease.pdf", answer["id"])]
    assert RequestMessage.objects.filter(request=request, from_home_office=False).count() == 1
    assert events(AuditVerb.INFO_PROVIDED)[0].payload == {"files": 1}
    assert recipients("request_answered") == [caseworker.email]


def test_answering_when_nothing_was_asked_is_refused(api, mixed_requests):
    response = api.post_form(
        f"/api/v1/requests/{mixed_requests['open'].pk}/answer", {"body": "Unprompted."}
    )
    assert_error(response, 400, "no_question")


def test_an_empty_answer_names_the_field(api, caseworker, mixed_requests):
    ask(mixed_requests["open"], caseworker)
    error = assert_error(
        api.post_form(f"/api/v1/requests/{mixed_requests['open'].pk}/answer", {"body": " "}), 422
    )
    assert error["fields"][0]["field"] == "body"


def test_a_long_description_is_not_cut_at_2000_characters(api):
    long = "The sale completed in stages. " * 200  # 6,000 characters
    response = api.post_form("/api/v1/change-requests", {**CHANGE, "description": long})
    assert response.status_code == 201, response.content
    assert response.json()["description"] == long.strip()


def test_a_change_of_address_carries_the_new_head_office(api, sponsor, caseworker):
    response = api.post_form(
        "/api/v1/change-requests",
        {
            **CHANGE,
            "new_address_line_1": "2 Dock Road",
            "new_town": "Liverpool",
            "new_postcode": "l3 4aa",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["details"] == {
        "address_line_1": "2 Dock Road",
        "town": "Liverpool",
        "postcode": "L3 4AA",
    }


def test_a_new_address_without_its_postcode_is_refused_on_that_field(api):
    response = api.post_form(
        "/api/v1/change-requests",
        {**CHANGE, "new_address_line_1": "2 Dock Road", "new_town": "Liverpool"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "new_postcode"
    assert not LicenceRequest.objects.exists()
