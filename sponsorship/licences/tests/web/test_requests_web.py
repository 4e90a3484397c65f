"""Your requests: the list (outstanding, then decided), one request with its details, questions,
answers, evidence and outcome; withdrawing and answering."""

from datetime import date

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import (
    EvidenceFile,
    LicenceRequest,
    LicenceStatus,
    OrganisationChange,
    RequestKind,
    RequestMessage,
    RequestStatus,
)
from sponsorship.licences.services import request_ask_for_information, request_decide
from sponsorship.licences.tests.factories import LicenceRequestFactory

from .documents import evidence_for, exe_renamed_pdf, pdf, stored_files
from .support import field_error, queries_for, text


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def change_request(user, **fields):
    values = {
        "kind": RequestKind.ORGANISATION_CHANGE,
        "route": "",
        "number_requested": None,
        "change_type": OrganisationChange.NAME,
        "change_date": date(2026, 10, 1),
        "description": "We are now Harbour View Care Group Ltd.",
        "declaration_name": "Zoë Hartley",
        "declaration_position": "HR Director",
        "declaration_date": date(2026, 10, 5),
        "report_due": date(2026, 10, 29),
        "submitted_by": user,
    }
    values.update(fields)
    return LicenceRequestFactory(**values)


def ask(caseworker, request, question="Send the new certificate of incorporation."):
    return request_ask_for_information(
        caseworker=caseworker, request_id=request.pk, question=question, ip=None
    )


# ---------------------------------------------------------------- the list


def test_the_list_shows_outstanding_requests_then_decided_ones(signed_in, level1, caseworker):
    outstanding = LicenceRequestFactory(submitted_by=level1)
    decided = change_request(level1)
    request_decide(
        caseworker=caseworker,
        request_id=decided.pk,
        outcome=RequestStatus.GRANTED,
        reasons="",
        ip=None,
    )
    client = signed_in(level1)

    first = client.get("/licence/requests/")
    assert first.status_code == 200
    words = text(first)
    assert "Outstanding (1)" in words
    assert "Decided (1)" in words
    assert f"{outstanding.reference} Allocation increase: Skilled Worker" in words
    assert "Submitted" in words
    assert 'govuk-tag govuk-tag--blue">Submitted<' in first.content.decode()
    assert decided.reference not in words

    second = client.get("/licence/requests/?show=decided")
    words = text(second)
    assert f"{decided.reference} Change of circumstances: Name of the organisation" in words
    assert 'govuk-tag govuk-tag--green">Granted<' in second.content.decode()
    assert outstanding.reference not in words


def test_the_list_is_paginated(signed_in, level1):
    for _ in range(30):
        LicenceRequestFactory(submitted_by=level1)
    client = signed_in(level1)
    first = client.get("/licence/requests/")
    assert "Page 1 of 2" in text(first)
    assert text(first).count("Allocation increase: Skilled Worker") == 25
    second = client.get("/licence/requests/?page=2")
    assert text(second).count("Allocation increase: Skilled Worker") == 5


def test_the_list_never_shows_another_sponsors_requests(signed_in, level1, other_level1):
    theirs = LicenceRequestFactory(submitted_by=other_level1)
    client = signed_in(level1)
    for view in ("outstanding", "decided"):
        assert theirs.reference not in text(client.get(f"/licence/requests/?show={view}"))


def test_the_list_queries_do_not_grow_with_requests(signed_in, level1, level2):
    def make(n):
        for i in range(n):
            kind = [
                RequestKind.ALLOCATION_INCREASE,
                RequestKind.ORGANISATION_CHANGE,
                RequestKind.LEVEL_1_USER,
            ][i % 3]
            LicenceRequestFactory(
                submitted_by=level1,
                kind=kind,
                subject_user=level2 if kind == RequestKind.LEVEL_1_USER else None,
                change_type=OrganisationChange.SIZE
                if kind == RequestKind.ORGANISATION_CHANGE
                else "",
            )

    client = signed_in(level1)
    make(3)
    few = queries_for(client, "/licence/requests/")
    make(27)
    many = queries_for(client, "/licence/requests/")
    assert many == few
    assert many <= 12


# ---------------------------------------------------------------- one request


def test_a_change_request_shows_its_details_evidence_questions_answers_and_outcome(
    signed_in, level1, caseworker
):
    request = change_request(level1)
    first = evidence_for(request, "certificate-of-incorporation.pdf")
    ask(caseworker, request, "The certificate is not signed. Send a signed copy.")
    client = signed_in(level1)
    answer = client.post(
        f"/licence/requests/{request.pk}/answer/",
        {"body": "Here is the signed copy.", "evidence": [pdf("signed.pdf")]},
    )
    assert answer.status_code == 302
    request_decide(
        caseworker=caseworker,
        request_id=request.pk,
        outcome=RequestStatus.REFUSED,
        reasons="The name on the certificate does not match the licence.",
        ip=None,
    )

    response = client.get(f"/licence/requests/{request.pk}/")
    assert response.status_code == 200
    words = text(response)
    assert f"Request {request.reference}" in words
    assert "What changed Name of the organisation" in words
    assert "Date of the change 1 October 2026" in words
    assert "Report by 29 October 2026" in words
    assert "We are now Harbour View Care Group Ltd." in words
    assert "Declared by Zoë Hartley, HR Director on 5 October 2026" in words
    page = response.content.decode()
    assert f'href="/evidence/{first.pk}/"' in page
    signed = EvidenceFile.objects.get(original_name="signed.pdf")
    assert f'href="/evidence/{signed.pk}/"' in page
    asked = words.index("The Home Office asked")
    answered = words.index("Zoë Hartley answered")
    assert asked < words.index("The certificate is not signed.") < answered
    assert answered < words.index("Here is the signed copy.") < words.index("signed.pdf")
    assert "Outcome Refused" in words
    assert "The caseworker's reasons The name on the certificate does not match" in words
    assert "Withdraw this request" not in words


def test_an_allocation_request_shows_route_numbers_and_justification(signed_in, level1, caseworker):
    request = LicenceRequestFactory(submitted_by=level1, number_requested=8)
    request_decide(
        caseworker=caseworker,
        request_id=request.pk,
        outcome=RequestStatus.PARTLY_GRANTED,
        reasons="Five roles are evidenced, not eight.",
        number_granted=5,
        ip=None,
    )
    words = text(signed_in(level1).get(f"/licence/requests/{request.pk}/"))
    assert "Route Skilled Worker" in words
    assert "Certificates requested 8" in words
    assert "Justification Five new care roles from January." in words
    assert "Outcome Partly granted" in words
    assert "Certificates granted 5" in words
    assert "Five roles are evidenced, not eight." in words


@pytest.mark.parametrize("page", ["", "sent/", "withdraw/", "answer/"])
def test_another_sponsors_request_is_not_found(signed_in, level1, other_level1, page):
    theirs = LicenceRequestFactory(submitted_by=other_level1)
    client = signed_in(level1)
    url = f"/licence/requests/{theirs.pk}/{page}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Mine now"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == RequestStatus.SUBMITTED


def test_an_unknown_request_is_not_found(signed_in, level1):
    assert signed_in(level1).get("/licence/requests/999999/").status_code == 404


@pytest.mark.parametrize("page", ["", "sent/", "withdraw/", "answer/"])
def test_level2_cannot_see_or_act_on_requests(signed_in, level1, level2, page):
    request = LicenceRequestFactory(submitted_by=level1)
    client = signed_in(level2)
    assert client.get("/licence/requests/").status_code == 403
    assert client.get(f"/licence/requests/{request.pk}/{page}").status_code == 403
    assert client.post(f"/licence/requests/{request.pk}/{page}").status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_caseworkers_use_their_own_pages(signed_in, level1, caseworker):
    request = LicenceRequestFactory(submitted_by=level1)
    client = signed_in(caseworker)
    assert client.get("/licence/requests/").status_code == 403
    assert client.get(f"/licence/requests/{request.pk}/").status_code == 403


# ---------------------------------------------------------------- withdrawing


def test_withdrawing_asks_for_confirmation_then_works_once(signed_in, level1):
    request = change_request(level1)
    client = signed_in(level1)
    detail = client.get(f"/licence/requests/{request.pk}/").content.decode()
    assert f'href="/licence/requests/{request.pk}/withdraw/"' in detail

    confirm = client.get(f"/licence/requests/{request.pk}/withdraw/")
    assert confirm.status_code == 200
    assert f"Are you sure you want to withdraw request {request.reference}?" in text(confirm)
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED  # looking changes nothing

    done = client.post(f"/licence/requests/{request.pk}/withdraw/", follow=True)
    assert f"You withdrew request {request.reference}." in text(done)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert AuditEvent.objects.filter(verb=AuditVerb.REQUEST_WITHDRAWN).count() == 1
    assert "Withdraw this request" not in text(done)

    again = client.post(f"/licence/requests/{request.pk}/withdraw/")
    assert again.status_code == 409
    assert f"Request {request.reference} is withdrawn: you can no longer withdraw it." in text(
        again
    )
    assert client.get(f"/licence/requests/{request.pk}/withdraw/").status_code == 409
    assert AuditEvent.objects.filter(verb=AuditVerb.REQUEST_WITHDRAWN).count() == 1


def test_a_decided_request_cannot_be_withdrawn(signed_in, level1, caseworker):
    request = LicenceRequestFactory(submitted_by=level1)
    request_decide(
        caseworker=caseworker,
        request_id=request.pk,
        outcome=RequestStatus.GRANTED,
        reasons="",
        ip=None,
    )
    response = signed_in(level1).post(f"/licence/requests/{request.pk}/withdraw/")
    assert response.status_code == 409
    assert "is granted: you can no longer withdraw it" in text(response)


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.DORMANT])
def test_a_suspended_licence_cannot_withdraw_allocation_requests(signed_in, level1, status):
    request = LicenceRequestFactory(submitted_by=level1)
    level1.sponsor.status = status
    level1.sponsor.save()
    client = signed_in(level1)
    response = client.post(f"/licence/requests/{request.pk}/withdraw/")
    assert response.status_code == 409
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    if status == LicenceStatus.SUSPENDED:
        assert "Not available while your licence is suspended." in text(response)
        # The request itself can still be read, with the reason instead of the button.
        detail = client.get(f"/licence/requests/{request.pk}/")
        assert detail.status_code == 200
        assert "Not available while your licence is suspended." in text(detail)
        assert "Withdraw this request" not in text(detail)


def test_a_suspended_licence_can_withdraw_other_requests(signed_in, level1):
    request = change_request(level1)
    level1.sponsor.status = LicenceStatus.SUSPENDED
    level1.sponsor.save()
    response = signed_in(level1).post(f"/licence/requests/{request.pk}/withdraw/")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN


# ---------------------------------------------------------------- answering


def test_answering_puts_the_request_back_to_submitted_and_restarts_the_clock(
    signed_in, level1, caseworker, media
):
    request = change_request(level1)
    ask(caseworker, request)
    client = signed_in(level1)
    detail = text(client.get(f"/licence/requests/{request.pk}/"))
    assert "The Home Office needs more information before it can decide." in detail
    assert "More information requested" in detail

    form = client.get(f"/licence/requests/{request.pk}/answer/")
    assert form.status_code == 200
    assert "Send the new certificate of incorporation." in text(form)
    assert 'enctype="multipart/form-data"' in form.content.decode()

    response = client.post(
        f"/licence/requests/{request.pk}/answer/",
        {"body": "Attached.", "evidence": [pdf("certificate.pdf")]},
        follow=True,
    )
    assert "You answered the Home Office's question." in text(response)
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert request.paused_since is None
    answer = RequestMessage.objects.get(request=request, from_home_office=False)
    assert answer.body == "Attached."
    assert answer.author == level1
    assert [e.original_name for e in answer.evidence.all()] == ["certificate.pdf"]
    assert len(stored_files(media)) == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.INFO_PROVIDED).count() == 1


def test_an_answer_needs_words_and_good_files(signed_in, level1, caseworker, media):
    request = change_request(level1)
    ask(caseworker, request)
    client = signed_in(level1)
    empty = client.post(f"/licence/requests/{request.pk}/answer/", {"body": "  "})
    assert empty.status_code == 400
    assert field_error(empty, "body") == "Error: Enter your answer to the caseworker's question"

    bad = client.post(
        f"/licence/requests/{request.pk}/answer/",
        {"body": "Attached.", "evidence": [exe_renamed_pdf()]},
    )
    assert bad.status_code == 400
    assert "invoice.pdf does not look like a PDF file." in field_error(bad, "evidence")
    request.refresh_from_db()
    assert request.status == RequestStatus.INFO_REQUESTED
    assert not RequestMessage.objects.filter(from_home_office=False).exists()
    assert stored_files(media) == []


def test_there_is_nothing_to_answer_unless_the_home_office_asked(signed_in, level1):
    request = change_request(level1)
    client = signed_in(level1)
    assert "Answer the question" not in text(client.get(f"/licence/requests/{request.pk}/"))
    response = client.post(f"/licence/requests/{request.pk}/answer/", {"body": "Hello"})
    assert response.status_code == 409
    assert "The Home Office has not asked for more information" in text(response)
    assert not RequestMessage.objects.exists()


# ---------------------------------------------------------------- the home page


def test_the_home_page_links_every_new_page(signed_in, level1):
    page = signed_in(level1).get("/home/").content.decode()
    for href, label in (
        ("/licence/changes/new/", "Request changes to licence details"),
        ("/licence/allocations/", "Request or renew allocations"),
        ("/licence/sponsor-status/", "Premium customer service and Student Sponsor status"),
        ("/licence/requests/", "Your requests"),
        ("/licence/action-plans/", "Action plans"),
    ):
        assert f'href="{href}">{label}</a>' in page
    assert page.index(">Premium customer service") < page.index(">Your requests")
    assert page.index(">Your requests") < page.index(">Action plans")


def test_a_suspended_licence_still_links_requests_and_status(signed_in, level1):
    level1.sponsor.status = LicenceStatus.SUSPENDED
    level1.sponsor.save()
    page = signed_in(level1).get("/home/").content.decode()
    assert 'href="/licence/requests/">Your requests</a>' in page
    assert 'href="/licence/sponsor-status/">Premium customer service' in page
    assert "Request or renew allocations<br>" in page
    assert 'href="/licence/allocations/"' not in page
    assert LicenceRequest.objects.count() == 0
