"""The work address pages: list, add, change and retire, for Level 1 users only."""

import re

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import WorkAddress
from sponsorship.certificates.services import certificate_update
from sponsorship.certificates.tests.factories import WorkAddressFactory, complete_draft
from sponsorship.licences.models import LicenceStatus, Nation, Route
from sponsorship.licences.tests.factories import SponsorFactory
from sponsorship.licences.tests.web.support import field_error, queries_for, text

LIST = "/work-addresses/"
ADD = "/work-addresses/add/"

FILLED = {
    "name": "Leeds office",
    "line_1": "2 Park Row",
    "line_2": "Floor 3",
    "town": "Leeds",
    "postcode": "ls1 5hd",
    "nation": "ENG",
}


def change_url(address) -> str:
    return f"/work-addresses/{address.pk}/change/"


def retire_url(address) -> str:
    return f"/work-addresses/{address.pk}/retire/"


def error_summary(response) -> list[str]:
    body = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    assert summary, "no error summary"
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    ]


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


@pytest.fixture
def address(level1):
    return WorkAddressFactory(
        sponsor=level1.sponsor,
        created_by=level1,
        identifier="WA0001",
        name="Head office",
        line_1="1 High Street",
        town="London",
        postcode="SW1A 1AA",
        nation=Nation.ENGLAND,
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
    assert (address.line_1, address.retired_at) == ("1 High Street", None)
    assert WorkAddress.objects.count() == 1


def test_a_caseworker_is_refused(signed_in, caseworker):
    assert signed_in(caseworker).get(LIST).status_code == 403


def test_another_sponsors_address_is_not_found(web, other_level1):
    theirs = WorkAddressFactory(
        sponsor=other_level1.sponsor, created_by=other_level1, identifier="WA0001", line_1="Theirs"
    )
    assert web.get(change_url(theirs)).status_code == 404
    assert web.post(change_url(theirs), {**FILLED, "version": 1}).status_code == 404
    assert web.get(retire_url(theirs)).status_code == 404
    assert web.post(retire_url(theirs), {"version": 1}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.line_1, theirs.retired_at) == ("Theirs", None)
    assert "Theirs" not in text(web.get(LIST))


def test_a_licence_without_a_worker_route_has_no_work_addresses(db, signed_in):
    from sponsorship.accounts.tests.factories import Level1Factory

    students_only = SponsorFactory(routes=[Route.STUDENT])
    client = signed_in(Level1Factory(sponsor=students_only))
    assert client.get(LIST).status_code == 403


def test_a_suspended_licence_still_keeps_its_addresses(web, sponsor, address):
    """DOMAIN.md lists what suspension blocks: certificates, not the sponsor's own records
    (Permission.WORK_ADDRESSES_MANAGE has no suspension gate)."""
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert web.get(LIST).status_code == 200
    assert web.post(ADD, FILLED).status_code == 302


# ---------------------------------------------------------------- the list


def test_the_list_shows_each_address_and_its_status(web, level1, address):
    WorkAddressFactory(
        sponsor=level1.sponsor,
        created_by=level1,
        identifier="WA0002",
        name="",
        line_1="5 Rose Street",
        line_2="Unit 4",
        town="Edinburgh",
        postcode="EH2 2PR",
        nation=Nation.SCOTLAND,
        retired_at="2026-10-01T09:00:00Z",
    )
    page = text(web.get(LIST))
    assert "Add a work address" in page
    assert "WA0001 Head office 1 High Street, London, SW1A 1AA England In use" in page
    assert "WA0002 None 5 Rose Street, Unit 4, Edinburgh, EH2 2PR Scotland Retired" in page
    assert "Change WA0001" in page and "Retire WA0001" in page
    assert "Change WA0002" not in page and "Retire WA0002" not in page
    assert "Retired on 1 Oct 2026" in page


def test_the_list_says_when_there_are_none(web):
    assert "You have not added any work addresses yet." in text(web.get(LIST))


def test_the_list_is_paginated(web, level1):
    for n in range(1, 28):
        WorkAddressFactory(sponsor=level1.sponsor, created_by=level1, identifier=f"WA{n:04d}")
    first = text(web.get(LIST))
    assert "WA0025" in first and "WA0026" not in first
    assert "Page 1 of 2" in first
    second = text(web.get(LIST + "?page=2"))
    assert "WA0026" in second and "WA0027" in second and "WA0001" not in second


def test_the_lists_queries_do_not_grow_with_its_rows(web, level1):
    def addresses(count):
        WorkAddress.objects.all().delete()
        for n in range(1, count + 1):
            WorkAddressFactory(sponsor=level1.sponsor, created_by=level1, identifier=f"WA{n:04d}")

    addresses(3)
    few = queries_for(web, LIST)
    addresses(30)
    many = queries_for(web, LIST)
    assert few == many


# ---------------------------------------------------------------- adding


def test_adding_an_address(web, level1):
    response = web.post(ADD, FILLED)
    assert response.status_code == 302
    assert response["Location"] == LIST
    saved = WorkAddress.objects.get()
    assert (saved.identifier, saved.postcode, saved.line_2, saved.created_by) == (
        "WA0001",
        "LS1 5HD",
        "Floor 3",
        level1,
    )
    assert "Work address WA0001 was added." in text(web.get(LIST))
    event = AuditEvent.objects.get(verb=AuditVerb.WORK_ADDRESS_ADDED)
    assert (event.actor, event.target_id) == (level1, str(saved.pk))


def test_the_next_address_gets_the_next_identifier(web, address):
    web.post(ADD, FILLED)
    assert WorkAddress.objects.order_by("pk").last().identifier == "WA0002"


def test_an_invalid_postcode_is_shown_on_its_field(web):
    response = web.post(ADD, {**FILLED, "postcode": "LS1"})
    assert response.status_code == 400
    assert field_error(response, "postcode") == (
        "Error: Enter a real UK postcode for the work address, like SW1A 2AA"
    )
    assert error_summary(response) == [
        "Enter a real UK postcode for the work address, like SW1A 2AA"
    ]
    assert 'href="#id_postcode"' in response.content.decode()
    # What was typed stays, to be corrected.
    assert 'value="2 Park Row"' in response.content.decode()
    assert not WorkAddress.objects.exists()


def test_every_missing_field_is_in_the_error_summary_linking_to_it(web):
    response = web.post(ADD, {"name": "Only a name"})
    assert response.status_code == 400
    assert error_summary(response) == [
        "Enter address line 1 of the work address, usually the building and street",
        "Enter the town or city of the work address",
        "Enter the postcode of the work address",
        "Select which part of the UK the work address is in",
    ]
    body = response.content.decode()
    for field in ("line_1", "town", "postcode", "nation"):
        assert f'href="#id_{field}"' in body
        assert field_error(response, field)
    assert "(error)" in text(response)
    assert not WorkAddress.objects.exists()


def test_a_made_up_part_of_the_uk_is_refused(web):
    response = web.post(ADD, {**FILLED, "nation": "XYZ"})
    assert response.status_code == 400
    assert field_error(response, "nation") == (
        "Error: Select England, Wales, Scotland or Northern Ireland"
    )
    assert not WorkAddress.objects.exists()


def test_every_input_has_a_label(web):
    body = web.get(ADD).content.decode()
    for field in ("name", "line_1", "line_2", "town", "postcode", "nation"):
        assert re.search(rf'<label class="govuk-label[^"]*" for="id_{field}">', body), field
    assert "Which part of the UK is it in?" in text(web.get(ADD))


# ---------------------------------------------------------------- changing


def test_the_change_form_is_filled_in_and_saving_keeps_the_identifier(web, level1, address):
    form = web.get(change_url(address)).content.decode()
    assert 'value="1 High Street"' in form
    assert 'name="version" value="1"' in form
    assert "keep the address they were given" in text(web.get(change_url(address)))

    response = web.post(change_url(address), {**FILLED, "version": 1})

    assert response.status_code == 302
    address.refresh_from_db()
    assert (address.identifier, address.line_1, address.postcode, address.version) == (
        "WA0001",
        "2 Park Row",
        "LS1 5HD",
        2,
    )
    assert "Work address WA0001 was saved." in text(web.get(LIST))
    assert AuditEvent.objects.get(verb=AuditVerb.WORK_ADDRESS_CHANGED).actor == level1


def test_a_change_does_not_touch_a_certificate_that_has_the_address(web, level2, address):
    draft = complete_draft(level2)
    certificate_update(
        actor=level2,
        certificate=draft,
        version=draft.version,
        values={"work_address_id": address.pk},
        ip=None,
    )
    web.post(change_url(address), {**FILLED, "version": 1})
    draft.cos.refresh_from_db()
    assert (draft.cos.work_address_line_1, draft.cos.work_postcode) == ("1 High Street", "SW1A 1AA")


def test_a_stale_change_is_refused_with_a_reload_message(web, address):
    web.post(change_url(address), {**FILLED, "version": 1})
    response = web.post(change_url(address), {**FILLED, "line_1": "Second tab", "version": 1})
    assert response.status_code == 409
    assert error_summary(response) == [
        "Someone changed this since you opened it. Reload the page, check the details and try "
        "again."
    ]
    address.refresh_from_db()
    assert address.line_1 == "2 Park Row"


def test_a_change_with_errors_shows_them_and_saves_nothing(web, address):
    response = web.post(change_url(address), {**FILLED, "town": "", "version": 1})
    assert response.status_code == 400
    assert field_error(response, "town") == "Error: Enter the town or city of the work address"
    address.refresh_from_db()
    assert (address.town, address.version) == ("London", 1)


def test_a_change_without_its_version_is_refused(web, address):
    response = web.post(change_url(address), FILLED)
    assert response.status_code == 400
    assert error_summary(response) == ["Reload the page and try again"]
    address.refresh_from_db()
    assert address.line_1 == "1 High Street"


def test_a_retired_address_cannot_be_changed(web, address):
    address.retired_at = "2026-10-01T09:00:00Z"
    address.save()
    response = web.get(change_url(address))
    assert response.status_code == 409
    assert "Work address WA0001 is retired, so you can no longer change it." in text(response)
    assert web.post(change_url(address), {**FILLED, "version": 1}).status_code == 409
    address.refresh_from_db()
    assert address.line_1 == "1 High Street"


# ---------------------------------------------------------------- retiring


def test_the_retire_page_says_certificates_keep_their_copy(web, address):
    page = text(web.get(retire_url(address)))
    assert "Retire work address WA0001?" in page
    assert "Certificates that already have this address keep their own copy of it" in page
    assert "You will no longer be able to choose it for new certificates" in page


def test_retiring_an_address(web, level1, address):
    response = web.post(retire_url(address), {"version": 1})
    assert response.status_code == 302
    assert response["Location"] == LIST
    address.refresh_from_db()
    assert address.retired_at is not None
    page = text(web.get(LIST))
    assert "Work address WA0001 was retired." in page
    assert "WA0001 Head office 1 High Street, London, SW1A 1AA England Retired" in page
    assert AuditEvent.objects.get(verb=AuditVerb.WORK_ADDRESS_RETIRED).actor == level1


def test_retiring_twice_is_refused(web, address):
    web.post(retire_url(address), {"version": 1})
    response = web.post(retire_url(address), {"version": 2})
    assert response.status_code == 409
    assert "Work address WA0001 is retired" in text(response)
    assert web.get(retire_url(address)).status_code == 409
    assert AuditEvent.objects.filter(verb=AuditVerb.WORK_ADDRESS_RETIRED).count() == 1


def test_a_stale_retire_is_refused(web, address):
    web.post(change_url(address), {**FILLED, "version": 1})
    response = web.post(retire_url(address), {"version": 1})
    assert response.status_code == 409
    assert "Someone changed this since you opened it." in text(response)
    address.refresh_from_db()
    assert address.retired_at is None


def test_a_retire_without_its_version_is_refused(web, address):
    response = web.post(retire_url(address), {})
    assert response.status_code == 400
    assert error_summary(response) == ["Reload the page and try again"]
    address.refresh_from_db()
    assert address.retired_at is None
