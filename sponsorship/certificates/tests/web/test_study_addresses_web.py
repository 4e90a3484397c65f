"""The study address pages under /cas/study-addresses/: list, add, change and retire, for Level 1
users of a licence with the Student route. A CAS keeps its own copy of the address it was given,
so changing or retiring one never changes it."""

import re

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import AddressPurpose, Certificate, WorkAddress
from sponsorship.certificates.services import cas_update, certificate_assign
from sponsorship.certificates.tests.factories import (
    StudyAddressFactory,
    WorkAddressFactory,
    complete_cas,
)
from sponsorship.licences.models import LicenceStatus, Nation, Rating, Route
from sponsorship.licences.tests.factories import AllocationFactory
from sponsorship.licences.tests.web.support import field_error, queries_for, rate, text

LIST = "/cas/study-addresses/"
ADD = "/cas/study-addresses/add/"

FILLED = {
    "name": "King's Buildings",
    "line_1": "Mayfield Road",
    "line_2": "",
    "town": "Edinburgh",
    "postcode": "eh9 3jl",
    "nation": "SCT",
}


def change_url(address) -> str:
    return f"/cas/study-addresses/{address.pk}/change/"


def retire_url(address) -> str:
    return f"/cas/study-addresses/{address.pk}/retire/"


def error_summary(response) -> list[str]:
    body = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    assert summary, "no error summary"
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    ]


@pytest.fixture
def students(sponsor):
    rate(sponsor, Route.STUDENT, Rating.A)
    return sponsor


@pytest.fixture
def web(signed_in, level1, students):
    return signed_in(level1)


@pytest.fixture
def address(level1, students):
    return StudyAddressFactory(
        sponsor=students,
        created_by=level1,
        identifier="SA0001",
        name="Main campus",
        line_1="University Avenue",
        town="Aberdeen",
        postcode="AB24 3FX",
        nation=Nation.SCOTLAND,
    )


# ---------------------------------------------------------------- who may use the pages


def test_the_pages_render_for_level1(web, address):
    for url in (LIST, ADD, change_url(address), retire_url(address)):
        assert web.get(url).status_code == 200, url


def test_level2_is_refused_everywhere_and_nothing_changes(signed_in, level2, address):
    client = signed_in(level2)
    for url in (LIST, ADD, change_url(address), retire_url(address)):
        assert client.get(url).status_code == 403, url
    assert client.post(ADD, FILLED).status_code == 403
    assert client.post(change_url(address), {**FILLED, "version": 1}).status_code == 403
    assert client.post(retire_url(address), {"version": 1}).status_code == 403
    address.refresh_from_db()
    assert (address.line_1, address.retired_at) == ("University Avenue", None)
    assert WorkAddress.objects.count() == 1


def test_a_licence_without_the_student_route_has_no_study_addresses(signed_in, level1):
    assert signed_in(level1).get(LIST).status_code == 403


def test_another_sponsors_address_is_not_found(web, other_level1):
    theirs = StudyAddressFactory(
        sponsor=other_level1.sponsor, created_by=other_level1, identifier="SA0001", line_1="Theirs"
    )
    assert web.get(change_url(theirs)).status_code == 404
    assert web.post(change_url(theirs), {**FILLED, "version": 1}).status_code == 404
    assert web.get(retire_url(theirs)).status_code == 404
    assert web.post(retire_url(theirs), {"version": 1}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.line_1, theirs.retired_at) == ("Theirs", None)
    assert "Theirs" not in text(web.get(LIST))


def test_a_work_address_is_not_a_study_address(web, level1, students):
    work = WorkAddressFactory(sponsor=students, created_by=level1, line_1="The Office")
    assert web.get(change_url(work)).status_code == 404
    assert web.post(retire_url(work), {"version": 1}).status_code == 404
    assert "The Office" not in text(web.get(LIST))
    work.refresh_from_db()
    assert work.retired_at is None


def test_a_suspended_licence_still_keeps_its_study_addresses(web, students, address):
    """Suspension blocks CAS (DOMAIN.md), not the sponsor's own records
    (STUDY_ADDRESSES_MANAGE has no suspension gate)."""
    students.status = LicenceStatus.SUSPENDED
    students.save()
    assert web.get(LIST).status_code == 200
    assert web.post(ADD, FILLED).status_code == 302


# ---------------------------------------------------------------- the list


def test_the_list_shows_study_addresses_only(web, level1, address, students):
    StudyAddressFactory(
        sponsor=students,
        created_by=level1,
        identifier="SA0002",
        name="",
        line_1="Old Campus",
        town="Dundee",
        postcode="DD1 4HN",
        nation=Nation.SCOTLAND,
        retired_at="2026-10-01T09:00:00Z",
    )
    WorkAddressFactory(sponsor=students, created_by=level1, line_1="The Office")
    page = text(web.get(LIST))
    assert "Study addresses" in page
    assert "Add a study address" in page
    assert "SA0001 Main campus University Avenue, Aberdeen, AB24 3FX Scotland In use" in page
    assert "SA0002 None Old Campus, Dundee, DD1 4HN Scotland Retired" in page
    assert "Change SA0001" in page and "Retire SA0001" in page
    assert "Change SA0002" not in page
    assert "never changes a CAS that already has it" in page
    assert "The Office" not in page
    # And the work addresses page never shows a study address.
    rate(students, Route.SKILLED_WORKER, Rating.A)
    assert "University Avenue" not in text(web.get("/work-addresses/"))


def test_the_list_says_when_there_are_none(web):
    assert "You have not added any study addresses yet." in text(web.get(LIST))


def test_the_list_is_paginated_with_a_fixed_number_of_queries(web, level1, students):
    def addresses(count):
        WorkAddress.objects.all().delete()
        for n in range(1, count + 1):
            StudyAddressFactory(sponsor=students, created_by=level1, identifier=f"SA{n:04d}")

    addresses(3)
    few = queries_for(web, LIST)
    addresses(30)
    many = queries_for(web, LIST)
    assert few == many
    first = text(web.get(LIST))
    assert "SA0025" in first and "SA0026" not in first and "Page 1 of 2" in first


# ---------------------------------------------------------------- add, change, retire


def test_adding_a_study_address(web, level1):
    page = text(web.get(ADD))
    assert "It gets the next identifier, like SA0001" in page
    assert "reporting deadlines of students studying here" in page
    response = web.post(ADD, FILLED)
    assert response.status_code == 302
    assert response["Location"] == LIST
    saved = WorkAddress.objects.get()
    assert (saved.identifier, saved.purpose, saved.postcode, saved.created_by) == (
        "SA0001",
        AddressPurpose.STUDY,
        "EH9 3JL",
        level1,
    )
    assert "Study address SA0001 was added." in text(web.get(LIST))
    assert AuditEvent.objects.get(verb=AuditVerb.STUDY_ADDRESS_ADDED).actor == level1


def test_every_missing_field_is_named_in_a_students_words(web):
    response = web.post(ADD, {"name": "Only a name"})
    assert response.status_code == 400
    assert error_summary(response) == [
        "Enter address line 1 of the study address, usually the building and street",
        "Enter the town or city of the study address",
        "Enter the postcode of the study address",
        "Select which part of the UK the study address is in",
    ]
    for field in ("line_1", "town", "postcode", "nation"):
        assert f'href="#id_{field}"' in response.content.decode()
    bad = web.post(ADD, {**FILLED, "postcode": "EH9"})
    assert field_error(bad, "postcode") == (
        "Error: Enter a real UK postcode for the study address, like SW1A 2AA"
    )
    assert not WorkAddress.objects.exists()


def test_changing_keeps_the_identifier(web, level1, address):
    form = web.get(change_url(address))
    assert 'value="University Avenue"' in form.content.decode()
    assert "CAS that already have this address keep the address they were given" in text(form)
    response = web.post(change_url(address), {**FILLED, "version": 1})
    assert response.status_code == 302
    address.refresh_from_db()
    assert (address.identifier, address.line_1, address.version) == ("SA0001", "Mayfield Road", 2)
    assert "Study address SA0001 was saved. CAS that already have this address keep" in text(
        web.get(LIST)
    )
    assert AuditEvent.objects.get(verb=AuditVerb.STUDY_ADDRESS_CHANGED).actor == level1


def test_a_stale_change_is_refused(web, address):
    web.post(change_url(address), {**FILLED, "version": 1})
    response = web.post(change_url(address), {**FILLED, "line_1": "Second tab", "version": 1})
    assert response.status_code == 409
    assert error_summary(response) == [
        "Someone changed this since you opened it. Reload the page, check the details and try "
        "again."
    ]
    address.refresh_from_db()
    assert address.line_1 == "Mayfield Road"


def test_retiring_a_study_address(web, level1, address):
    page = text(web.get(retire_url(address)))
    assert "Retire study address SA0001?" in page
    assert "CAS that already have this address keep their own copy of it" in page
    assert "You will no longer be able to choose it for new CAS" in page
    response = web.post(retire_url(address), {"version": 1})
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.retired_at is not None
    assert "Study address SA0001 was retired." in text(web.get(LIST))
    assert AuditEvent.objects.get(verb=AuditVerb.STUDY_ADDRESS_RETIRED).actor == level1
    again = web.get(change_url(address))
    assert again.status_code == 409
    assert "Study address SA0001 is retired, so you can no longer change it." in text(again)


def test_editing_or_retiring_never_changes_an_assigned_cas(web, level1, address, students):
    AllocationFactory(sponsor=students, route=Route.STUDENT, limit=1)
    draft = complete_cas(level1)
    cas_update(
        actor=level1,
        certificate=draft,
        version=draft.version,
        values={"study_address_id": address.pk},
        ip=None,
    )
    assigned = certificate_assign(actor=level1, certificate=draft, version=None, ip=None)

    assert web.post(change_url(address), {**FILLED, "version": 1}).status_code == 302
    assert web.post(retire_url(address), {"version": 2}).status_code == 302

    cas = Certificate.objects.select_related("cas").get(pk=assigned.pk).cas
    assert (cas.study_address_line_1, cas.study_town, cas.study_postcode) == (
        "University Avenue",
        "Aberdeen",
        "AB24 3FX",
    )
    # And a retired address is no longer offered on a draft.
    fresh = complete_cas(level1, student_id="S-2")
    page = text(web.get(f"/cas/{fresh.pk}/draft/study_address/"))
    assert "Mayfield Road" not in page and "Choose one of your study addresses" not in page
