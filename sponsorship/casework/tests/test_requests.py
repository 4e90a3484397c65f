"""A request's page and its decision: the details of each kind, the conversation and evidence,
asking for more information, granting, partly granting and refusing, stale decisions."""

import hashlib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from sponsorship.accounts.models import UserStatus
from sponsorship.accounts.tests.journeys import text
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import (
    EvidenceFile,
    KeyPersonRole,
    OrganisationChange,
    RequestKind,
    RequestMessage,
    RequestStatus,
)
from sponsorship.licences.tests.factories import AllocationFactory, LicenceRequestFactory


def decide(client, committed, lr, **data):
    data.setdefault("version", lr.version)
    data.setdefault("reasons", "")
    return committed(lambda: client.post(f"/casework/requests/{lr.pk}/decide/", data))


# ---------------------------------------------------------------- the page, by kind


def test_level_1_request_shows_the_proposed_user(casework, level_1_request):
    response = casework.get(f"/casework/requests/{level_1_request.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert f"New Level 1 user {level_1_request.reference}" in page
    assert "The proposed Level 1 user" in page
    for shown in ("Łukasz", "Nowak", "lnowak@harbour.example.org", "HR manager", "HU1 1AA"):
        assert shown in page
    assert "Zoë Hartley (LEVELONE1)" in page
    assert "Harbour View Care Ltd" in page
    assert "0 of 5 working days" in page
    # Level 1 users cannot be partly granted.
    assert "Partly grant" not in page
    assert 'name="version" value="1"' in page


def test_user_details_request_shows_old_and_new_values(casework, level1):
    lr = LicenceRequestFactory(
        submitted_by=level1,
        kind=RequestKind.USER_DETAILS,
        route="",
        number_requested=None,
        subject_user=level1,
        details={"family_name": "Hartley-Byrne", "email": "zoe.hb@harbour.example.org"},
    )
    page = text(casework.get(f"/casework/requests/{lr.pk}/"))
    assert "Old value" in page
    assert (
        '<td class="govuk-table__cell">Hartley</td><td class="govuk-table__cell">Hartley-Byrne</td>'
        in page
    )
    assert "zoe.hb@harbour.example.org" in page
    assert level1.email in page


def test_key_person_request_shows_the_new_person(casework, level1):
    lr = LicenceRequestFactory(
        submitted_by=level1,
        kind=RequestKind.KEY_PERSON,
        route="",
        number_requested=None,
        key_person_role=KeyPersonRole.AUTHORISING_OFFICER,
        details={
            "given_names": "Grace",
            "family_name": "Adeyemi",
            "job_title": "Managing Director",
            "email": "grace@harbour.example.org",
            "phone": "",
            "address_line_1": "9 Dock Road",
            "town": "Hull",
            "postcode": "HU2 8AA",
            "is_legal_representative": False,
            "replace": True,
        },
        change_type=OrganisationChange.KEY_PERSONNEL,
        change_date=date(2026, 1, 5),
        report_due=date(2026, 2, 2),
        reported_late=True,
    )
    page = text(casework.get(f"/casework/requests/{lr.pk}/"))
    assert "New Authorising Officer" in page
    assert "Replaces the current Authorising Officer" in page
    for shown in ("Grace", "Adeyemi", "Managing Director", "9 Dock Road", "HU2 8AA"):
        assert shown in page
    assert "5 January 2026" in page
    assert "Reported late" in page
    assert "Needs a caseworker's decision" in page


def test_change_of_circumstances_shows_the_change_and_its_deadline(casework, level1):
    lr = LicenceRequestFactory(
        submitted_by=level1,
        kind=RequestKind.ORGANISATION_CHANGE,
        route="",
        number_requested=None,
        change_type=OrganisationChange.ADDRESS,
        change_date=date(2026, 3, 2),
        description="We moved the head office to 4 Marina Way.",
        declaration_name="Zoë Hartley",
        declaration_position="HR Director",
        declaration_date=date(2026, 3, 4),
        report_due=date(2026, 3, 30),
    )
    page = text(casework.get(f"/casework/requests/{lr.pk}/"))
    for shown in (
        "Addresses and sites",
        "2 March 2026",
        "4 Marina Way",
        "Zoë Hartley, HR Director, on 4 March 2026",
        "30 March 2026",
        "reported in time",
    ):
        assert shown in page


def test_allocation_request_shows_this_years_allocation(casework, sponsor, level1):
    AllocationFactory(sponsor=sponsor, limit=20, used=18)
    lr = LicenceRequestFactory(submitted_by=level1, number_requested=6)
    page = text(casework.get(f"/casework/requests/{lr.pk}/"))
    assert "Skilled Worker" in page
    assert "Five new care roles from January." in page
    assert "20 allocated, 18 used, 2 remaining" in page
    assert "Partly grant" in page
    assert "from 1 to 5 (the sponsor asked for 6)" in page


def test_status_application_shows_the_sponsors_standing(casework, sponsor, level1):
    sponsor.premium_since = date(2025, 6, 1)
    sponsor.save(update_fields=["premium_since"])
    lr = LicenceRequestFactory(
        submitted_by=level1,
        kind=RequestKind.STUDENT_SPONSOR_STATUS,
        route="",
        number_requested=None,
    )
    page = text(casework.get(f"/casework/requests/{lr.pk}/"))
    assert "Student Sponsor status" in page
    assert "Since 1 June 2025" in page
    assert "Licence held since" in page


def test_conversation_and_evidence_with_download_links(casework, caseworker, level1):
    lr = LicenceRequestFactory(submitted_by=level1)
    question = RequestMessage.objects.create(
        request=lr,
        sponsor=lr.sponsor,
        author=caseworker,
        from_home_office=True,
        body="Send the job descriptions.",
    )
    answer = RequestMessage.objects.create(
        request=lr,
        sponsor=lr.sponsor,
        author=level1,
        from_home_office=False,
        body="Attached.",
        created_at=question.created_at + timedelta(minutes=5),
    )

    def evidence(name, message=None):
        content = b"%PDF-1.4 test"
        item = EvidenceFile(
            sponsor=lr.sponsor,
            request=lr,
            message=message,
            original_name=name,
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=level1,
        )
        item.file.save(f"{name}.bin", ContentFile(content), save=False)
        item.save()
        return item

    with_request = evidence("business-plan.pdf")
    with_answer = evidence("job-descriptions.pdf", answer)

    page = text(casework.get(f"/casework/requests/{lr.pk}/"))

    assert "Send the job descriptions." in page
    assert "Attached." in page
    assert page.index("Send the job descriptions.") < page.index("Attached.")
    assert "Home Office</strong>: Samira Haddad" in page
    assert "Sponsor</strong>: Zoë Hartley" in page
    assert f'href="/evidence/{with_request.pk}/">business-plan.pdf' in page
    assert f'href="/evidence/{with_answer.pk}/">job-descriptions.pdf' in page


def test_unknown_request_is_not_found(casework, db):
    for url in ("/casework/requests/999999/", "/casework/requests/999999/decided/"):
        assert casework.get(url).status_code == 404
    for url in ("ask", "decide", "assign"):
        assert casework.post(f"/casework/requests/999999/{url}/", {"version": 1}).status_code == 404


# ---------------------------------------------------------------- asking for information


def test_ask_for_information(casework, committed, level_1_request, level1):
    mail.outbox.clear()
    response = committed(
        lambda: casework.post(
            f"/casework/requests/{level_1_request.pk}/ask/",
            {"question": "Send proof of Mr Nowak's employment."},
        )
    )

    assert response.status_code == 302
    level_1_request.refresh_from_db()
    assert level_1_request.status == RequestStatus.INFO_REQUESTED
    assert [m.to for m in mail.outbox] == [[level1.email]]
    assert "Send proof of Mr Nowak's employment." in mail.outbox[0].body
    page = text(casework.get(response["Location"]))
    assert "More information requested" in page
    assert "Send proof of Mr Nowak&#x27;s employment." in page
    assert "The clock is stopped" in page
    assert "has been e-mailed to Zoë Hartley" in page


def test_asking_needs_a_question(casework, level_1_request):
    response = casework.post(f"/casework/requests/{level_1_request.pk}/ask/", {"question": " "})
    assert response.status_code == 200
    assert "Write what the sponsor needs to send" in text(response)
    level_1_request.refresh_from_db()
    assert level_1_request.status == RequestStatus.SUBMITTED


# ---------------------------------------------------------------- deciding


def test_grant_a_level_1_request(casework, committed, caseworker, level_1_request):
    mail.outbox.clear()
    response = decide(casework, committed, level_1_request, outcome="GRANTED")

    assert response.status_code == 302
    assert response["Location"] == f"/casework/requests/{level_1_request.pk}/decided/"
    new_user = level_1_request.subject_user
    new_user.refresh_from_db()
    assert new_user.status == UserStatus.ACTIVE
    to_new_user = [m for m in mail.outbox if m.to == [new_user.email]]
    assert len(to_new_user) == 1
    assert "Temporary password:" in to_new_user[0].body
    assert new_user.username in to_new_user[0].body
    level_1_request.refresh_from_db()
    assert level_1_request.status == RequestStatus.GRANTED
    assert level_1_request.decided_by == caseworker

    page = text(casework.get(response["Location"]))
    assert "Request granted" in page
    assert level_1_request.reference in page
    assert "e-mailed a temporary password" in page


def test_refuse_a_level_1_request(casework, committed, level_1_request, authorising_officer):
    mail.outbox.clear()
    response = decide(
        casework,
        committed,
        level_1_request,
        outcome="REFUSED",
        reasons="Mr Nowak is not employed by the sponsor.",
    )

    assert response.status_code == 302
    level_1_request.subject_user.refresh_from_db()
    assert level_1_request.subject_user.status == UserStatus.REFUSED
    to_ao = [m for m in mail.outbox if m.to == [authorising_officer.email]]
    assert any(
        "Mr Nowak is not employed by the sponsor." in m.body and "refused" in m.subject
        for m in to_ao
    )
    assert "Request refused" in text(casework.get(response["Location"]))


def test_refusing_without_reasons_is_refused_on_the_reasons_field(
    casework, committed, level_1_request
):
    response = decide(casework, committed, level_1_request, outcome="REFUSED", reasons="  ")

    assert response.status_code == 400
    page = text(response)
    assert 'id="id_reasons-error"' in page
    assert "Give the reasons: the sponsor reads them with the decision." in page
    assert 'href="#id_reasons"' in page
    level_1_request.refresh_from_db()
    assert level_1_request.status == RequestStatus.SUBMITTED


def test_partly_grant_an_allocation(casework, committed, sponsor, level1):
    allocation = AllocationFactory(sponsor=sponsor, limit=10)
    lr = LicenceRequestFactory(submitted_by=level1, number_requested=5)

    response = decide(
        casework,
        committed,
        lr,
        outcome="PARTLY_GRANTED",
        number_granted=3,
        reasons="Three of the five roles are evidenced.",
    )

    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.limit == 13
    page = text(casework.get(response["Location"]))
    assert "Request partly granted" in page
    assert "3 of the 5 certificates asked for were granted" in page


def test_a_partial_grant_must_be_fewer_than_asked(casework, committed, sponsor, level1):
    allocation = AllocationFactory(sponsor=sponsor, limit=10)
    lr = LicenceRequestFactory(submitted_by=level1, number_requested=5)
    response = decide(
        casework, committed, lr, outcome="PARTLY_GRANTED", number_granted=5, reasons="All of them."
    )
    assert response.status_code == 400
    assert 'id="id_number_granted-error"' in text(response)
    allocation.refresh_from_db()
    assert allocation.limit == 10


def test_only_allocations_can_be_partly_granted(casework, committed, level_1_request):
    response = decide(
        casework, committed, level_1_request, outcome="PARTLY_GRANTED", reasons="Some."
    )
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    level_1_request.refresh_from_db()
    assert level_1_request.status == RequestStatus.SUBMITTED


def test_a_stale_decision_is_refused(casework, committed, level_1_request):
    stale_version = level_1_request.version
    casework.post(f"/casework/requests/{level_1_request.pk}/ask/", {"question": "Who is Mr Nowak?"})

    response = committed(
        lambda: casework.post(
            f"/casework/requests/{level_1_request.pk}/decide/",
            {"outcome": "GRANTED", "reasons": "", "version": stale_version},
        )
    )

    assert response.status_code == 409
    assert "Someone changed this since you opened it." in text(response)
    level_1_request.refresh_from_db()
    assert level_1_request.status == RequestStatus.INFO_REQUESTED
    assert not AuditEvent.objects.filter(verb=AuditVerb.REQUEST_DECIDED).exists()


def test_a_decided_request_offers_no_forms_and_refuses_a_second_decision(
    casework, committed, level_1_request
):
    decide(casework, committed, level_1_request, outcome="GRANTED")
    page = text(casework.get(f"/casework/requests/{level_1_request.pk}/"))
    assert "Record the decision" not in page
    assert "Send the question" not in page

    response = decide(
        casework,
        committed,
        level_1_request,
        outcome="REFUSED",
        reasons="Changed my mind.",
        version=level_1_request.version + 1,
    )
    assert response.status_code == 409
    assert "This cannot change from granted to refused." in text(response)
    level_1_request.refresh_from_db()
    assert level_1_request.status == RequestStatus.GRANTED


def test_the_confirmation_of_an_open_request_goes_back_to_it(casework, level_1_request):
    response = casework.get(f"/casework/requests/{level_1_request.pk}/decided/")
    assert response["Location"] == f"/casework/requests/{level_1_request.pk}/"


@pytest.mark.parametrize("outcome", ["GRANTED", "REFUSED"])
def test_the_decision_is_audited(casework, committed, caseworker, level_1_request, outcome):
    decide(casework, committed, level_1_request, outcome=outcome, reasons="Checked.")
    event = AuditEvent.objects.get(verb=AuditVerb.REQUEST_DECIDED)
    assert event.actor == caseworker
    assert event.payload["outcome"] == outcome
    assert timezone.now() - event.created_at < timedelta(minutes=1)
