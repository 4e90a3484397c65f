"""The services of pre-stored work addresses: identifiers, checks, changes that never reach a
certificate, retiring, stale edits and the audit trail."""

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import WorkAddress
from sponsorship.certificates.selectors import work_address_list_for_user
from sponsorship.certificates.services import addresses as services_addresses
from sponsorship.certificates.services import certificate_update
from sponsorship.certificates.services.addresses import (
    work_address_add,
    work_address_change,
    work_address_retire,
)
from sponsorship.core.errors import ApplicationError, Conflict, NotFound, StaleEdit
from sponsorship.licences.models import Nation

from .factories import WorkAddressFactory, complete_draft

LEEDS = {
    "name": "Leeds office",
    "line_1": "2 Park Row",
    "line_2": "",
    "town": "Leeds",
    "postcode": "LS1 5HD",
    "nation": Nation.ENGLAND,
}


def add(actor, **changes):
    return work_address_add(actor=actor, ip="192.0.2.1", **{**LEEDS, **changes})


def change(actor, address, version=None, **changes):
    current = {field: getattr(address, field) for field in LEEDS}
    return work_address_change(
        actor=actor,
        address=address,
        version=address.version if version is None else version,
        ip=None,
        **{**current, **changes},
    )


def errors_of(raised) -> dict[str, str]:
    return dict(raised.value.errors)


# ---------------------------------------------------------------- identifiers


def test_identifiers_follow_on_for_each_sponsor_and_are_independent_between_sponsors(
    level1, other_level1
):
    assert [add(level1).identifier for _ in range(3)] == ["WA0001", "WA0002", "WA0003"]
    assert add(other_level1).identifier == "WA0001"
    assert add(level1).identifier == "WA0004"


def test_the_identifier_follows_the_highest_number_even_past_four_digits(level1):
    WorkAddressFactory(sponsor=level1.sponsor, created_by=level1, identifier="WA9999")
    assert add(level1).identifier == "WA10000"
    assert add(level1).identifier == "WA10001"


def test_a_retired_address_keeps_its_number_taken(level1):
    first = add(level1)
    work_address_retire(actor=level1, address=first, version=first.version, ip=None)
    assert add(level1).identifier == "WA0002"


def test_an_identifier_taken_at_the_same_moment_is_retried_with_the_next(level1, monkeypatch):
    add(level1)
    real = services_addresses._next_identifier
    # The first try computes the number another user has just taken, as in a race.
    answers = iter(["WA0001"])
    monkeypatch.setattr(
        services_addresses, "_next_identifier", lambda sponsor: next(answers, None) or real(sponsor)
    )
    address = add(level1, name="Second")
    assert address.identifier == "WA0002"
    assert WorkAddress.objects.filter(sponsor=level1.sponsor).count() == 2
    assert AuditEvent.objects.filter(verb=AuditVerb.WORK_ADDRESS_ADDED).count() == 2


def test_an_identifier_clash_that_never_clears_is_a_conflict_and_saves_nothing(level1, monkeypatch):
    add(level1)
    monkeypatch.setattr(services_addresses, "_next_identifier", lambda sponsor: "WA0001")
    with pytest.raises(Conflict) as raised:
        add(level1, name="Second")
    assert "Try again" in raised.value.message
    assert WorkAddress.objects.count() == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.WORK_ADDRESS_ADDED).count() == 1


# ---------------------------------------------------------------- adding


def test_adding_stores_the_address_tidied_and_audits_it(level1):
    address = add(
        level1, name="  Leeds   office ", line_1=" 2  Park Row", postcode="ls15hd", nation="SCT"
    )
    address.refresh_from_db()
    assert address.sponsor == level1.sponsor
    assert address.created_by == level1
    assert (address.name, address.line_1, address.postcode, address.nation) == (
        "Leeds office",
        "2 Park Row",
        "LS1 5HD",
        Nation.SCOTLAND,
    )
    assert address.retired_at is None
    event = AuditEvent.objects.get(verb=AuditVerb.WORK_ADDRESS_ADDED)
    assert event.actor == level1
    assert event.sponsor == level1.sponsor
    assert event.target_id == str(address.pk)
    assert event.payload["identifier"] == "WA0001"
    assert event.ip_address == "192.0.2.1"


@pytest.mark.parametrize("postcode", ["LS1", "12345", "SW1A 1A", "ZZZZ ZZZ", "SW1A-1AA", "90210"])
def test_a_postcode_that_is_not_a_uk_postcode_is_refused(level1, postcode):
    with pytest.raises(ApplicationError) as raised:
        add(level1, postcode=postcode)
    assert errors_of(raised) == {
        "postcode": "Enter a real UK postcode for the work address, like SW1A 2AA"
    }
    assert not WorkAddress.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.WORK_ADDRESS_ADDED).exists()


@pytest.mark.parametrize("postcode", ["sw1a 1aa", "M1 1AE", "bt71nn", "EH8 9YL", "CF10 5AL"])
def test_real_postcodes_are_accepted_in_capitals_with_one_space(level1, postcode):
    stored = add(level1, postcode=postcode).postcode
    assert stored == stored.upper()
    assert stored.replace(" ", "") == postcode.replace(" ", "").upper()
    assert stored[-4] == " "


def test_every_missing_field_is_named_at_once(level1):
    with pytest.raises(ApplicationError) as raised:
        add(level1, name="", line_1="  ", town="", postcode="", nation="")
    assert errors_of(raised) == {
        "line_1": "Enter address line 1 of the work address, usually the building and street",
        "town": "Enter the town or city of the work address",
        "postcode": "Enter the postcode of the work address",
        "nation": "Select which part of the UK the work address is in",
    }
    assert not WorkAddress.objects.exists()


def test_too_long_values_and_an_unknown_part_of_the_uk_are_named(level1):
    with pytest.raises(ApplicationError) as raised:
        add(level1, name="N" * 101, line_1="L" * 201, line_2="M" * 201, town="T" * 101, nation="X")
    assert errors_of(raised) == {
        "name": "The name must be 100 characters or fewer",
        "line_1": "Address line 1 must be 200 characters or fewer",
        "line_2": "Address line 2 must be 200 characters or fewer",
        "town": "The town or city must be 100 characters or fewer",
        "nation": "Select England, Wales, Scotland or Northern Ireland",
    }
    assert not WorkAddress.objects.exists()


def test_a_nul_character_is_refused_not_stored(level1):
    with pytest.raises(ApplicationError) as raised:
        add(level1, town="Lee\x00ds")
    assert errors_of(raised) == {"town": "Remove the NUL character: it cannot be stored"}


def test_a_caseworker_has_no_work_addresses_to_add_to(caseworker):
    with pytest.raises(NotFound):
        add(caseworker)


# ---------------------------------------------------------------- changing


def test_a_change_keeps_the_identifier_and_is_audited_with_what_changed(level1):
    address = add(level1)
    changed = change(level1, address, line_1="3 Park Row", postcode="ls1 5hf")
    changed.refresh_from_db()
    assert changed.identifier == "WA0001"
    assert (changed.line_1, changed.postcode, changed.version) == ("3 Park Row", "LS1 5HF", 2)
    event = AuditEvent.objects.get(verb=AuditVerb.WORK_ADDRESS_CHANGED)
    assert event.actor == level1
    assert event.payload["changes"] == {
        "line_1": {"from": "2 Park Row", "to": "3 Park Row"},
        "postcode": {"from": "LS1 5HD", "to": "LS1 5HF"},
    }


def test_a_change_never_reaches_a_certificate_that_copied_the_address(level1, level2):
    address = add(level1)
    draft = complete_draft(level2)
    draft = certificate_update(
        actor=level2,
        certificate=draft,
        version=draft.version,
        values={"work_address_id": address.pk},
        ip=None,
    )
    draft.cos.refresh_from_db()
    assert draft.cos.work_address_line_1 == "2 Park Row"

    change(level1, address, line_1="99 Other Street", town="York", postcode="YO1 7HH")

    draft.cos.refresh_from_db()
    assert draft.cos.work_address_id == address.pk
    assert (draft.cos.work_address_line_1, draft.cos.work_town, draft.cos.work_postcode) == (
        "2 Park Row",
        "Leeds",
        "LS1 5HD",
    )


def test_a_stale_change_is_refused_and_nothing_is_lost(level1):
    address = add(level1)
    change(level1, address, line_1="From the first tab")
    with pytest.raises(StaleEdit):
        change(level1, address, version=1, line_1="From the second tab")
    address.refresh_from_db()
    assert address.line_1 == "From the first tab"
    assert AuditEvent.objects.filter(verb=AuditVerb.WORK_ADDRESS_CHANGED).count() == 1


def test_a_change_with_wrong_values_saves_nothing(level1):
    address = add(level1)
    with pytest.raises(ApplicationError) as raised:
        change(level1, address, line_1="New line", postcode="nope")
    assert errors_of(raised) == {
        "postcode": "Enter a real UK postcode for the work address, like SW1A 2AA"
    }
    address.refresh_from_db()
    assert (address.line_1, address.version) == ("2 Park Row", 1)


def test_a_change_that_changes_nothing_writes_nothing(level1):
    address = add(level1)
    same = change(level1, address)
    assert same.version == 1
    assert not AuditEvent.objects.filter(verb=AuditVerb.WORK_ADDRESS_CHANGED).exists()


def test_a_retired_address_cannot_be_changed(level1):
    address = add(level1)
    retired = work_address_retire(actor=level1, address=address, version=1, ip=None)
    with pytest.raises(Conflict) as raised:
        change(level1, retired, line_1="New line")
    assert raised.value.code == "work_address_retired"
    assert "WA0001 is retired" in raised.value.message
    retired.refresh_from_db()
    assert retired.line_1 == "2 Park Row"


def test_another_sponsors_address_is_not_found(level1, other_level1):
    theirs = add(other_level1)
    with pytest.raises(NotFound):
        change(level1, theirs, line_1="Mine now")
    with pytest.raises(NotFound):
        work_address_retire(actor=level1, address=theirs, version=theirs.version, ip=None)
    theirs.refresh_from_db()
    assert (theirs.line_1, theirs.retired_at) == ("2 Park Row", None)


# ---------------------------------------------------------------- retiring


def test_retiring_stops_it_being_offered_but_certificates_keep_it(level1, level2):
    kept = add(level1, name="Kept")
    address = add(level1)
    draft = complete_draft(level2)
    certificate_update(
        actor=level2,
        certificate=draft,
        version=draft.version,
        values={"work_address_id": address.pk},
        ip=None,
    )

    retired = work_address_retire(actor=level1, address=address, version=1, ip="192.0.2.9")

    assert retired.retired_at is not None
    assert retired.version == 2
    assert list(work_address_list_for_user(user=level2, in_use_only=True)) == [kept]
    assert set(work_address_list_for_user(user=level2)) == {kept, retired}
    draft.cos.refresh_from_db()
    assert draft.cos.work_address_id == address.pk
    assert draft.cos.work_address_line_1 == "2 Park Row"
    # A new certificate cannot be given it any more.
    other = complete_draft(level2)
    with pytest.raises(ApplicationError) as raised:
        certificate_update(
            actor=level2,
            certificate=other,
            version=other.version,
            values={"work_address_id": address.pk},
            ip=None,
        )
    assert dict(raised.value.errors) == {
        "work_address_id": "Select one of your work addresses in use"
    }
    event = AuditEvent.objects.get(verb=AuditVerb.WORK_ADDRESS_RETIRED)
    assert (event.actor, event.target_id, event.ip_address) == (
        level1,
        str(address.pk),
        "192.0.2.9",
    )


def test_retiring_twice_is_refused(level1):
    address = add(level1)
    retired = work_address_retire(actor=level1, address=address, version=1, ip=None)
    with pytest.raises(Conflict) as raised:
        work_address_retire(actor=level1, address=retired, version=retired.version, ip=None)
    assert raised.value.message == "Work address WA0001 is already retired."
    assert AuditEvent.objects.filter(verb=AuditVerb.WORK_ADDRESS_RETIRED).count() == 1


def test_a_stale_retire_is_refused(level1):
    address = add(level1)
    change(level1, address, line_1="Changed in another tab")
    with pytest.raises(StaleEdit):
        work_address_retire(actor=level1, address=address, version=1, ip=None)
    address.refresh_from_db()
    assert address.retired_at is None
