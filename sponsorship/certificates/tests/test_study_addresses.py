"""Study addresses, the services: SA identifiers of their own, the same checks as work addresses
in a student's words, the STUDY_ADDRESS audit verbs, and changes that never reach a CAS."""

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import AddressPurpose, Certificate, WorkAddress
from sponsorship.certificates.selectors import work_address_get_for_user
from sponsorship.certificates.services import addresses as services_addresses
from sponsorship.certificates.services import cas_update, certificate_assign
from sponsorship.certificates.services.addresses import (
    work_address_add,
    work_address_change,
    work_address_retire,
)
from sponsorship.certificates.tests.factories import StudyAddressFactory, complete_cas
from sponsorship.core.errors import ApplicationError, Conflict, NotFound, StaleEdit
from sponsorship.licences.models import Nation, Rating, Route
from sponsorship.licences.tests.factories import AllocationFactory
from sponsorship.licences.tests.web.support import rate

pytestmark = pytest.mark.django_db

CAMPUS = {
    "name": "King's Buildings",
    "line_1": "Mayfield Road",
    "line_2": "",
    "town": "Edinburgh",
    "postcode": "eh9 3jl",
    "nation": Nation.SCOTLAND,
}


def add(actor, **changes):
    return work_address_add(
        actor=actor, ip="192.0.2.1", purpose=AddressPurpose.STUDY, **{**CAMPUS, **changes}
    )


def change(actor, address, version=None, **changes):
    current = {field: getattr(address, field) for field in CAMPUS}
    return work_address_change(
        actor=actor,
        address=address,
        version=address.version if version is None else version,
        ip=None,
        **{**current, **changes},
    )


def test_study_addresses_are_numbered_apart_from_work_addresses(level1, other_level1):
    work = work_address_add(actor=level1, ip=None, **{**CAMPUS, "name": "Office"})
    first, second = add(level1), add(level1)
    assert work.identifier == "WA0001"
    assert (first.identifier, second.identifier) == ("SA0001", "SA0002")
    assert (first.purpose, work.purpose) == (AddressPurpose.STUDY, AddressPurpose.WORK)
    assert work_address_add(actor=level1, ip=None, **CAMPUS).identifier == "WA0002"
    assert add(other_level1).identifier == "SA0001"


def test_the_identifier_follows_the_highest_study_number(level1):
    StudyAddressFactory(sponsor=level1.sponsor, created_by=level1, identifier="SA9999")
    assert add(level1).identifier == "SA10000"


def test_an_identifier_taken_at_the_same_moment_is_retried(level1, monkeypatch):
    add(level1)
    real = services_addresses._next_study_identifier
    answers = iter(["SA0001"])
    monkeypatch.setattr(
        services_addresses,
        "_next_study_identifier",
        lambda sponsor: next(answers, None) or real(sponsor),
    )
    assert add(level1).identifier == "SA0002"


def test_adding_stores_the_address_tidied_and_audits_it(level1):
    address = add(level1, line_1="  Mayfield   Road ")
    assert (address.line_1, address.postcode, address.created_by) == (
        "Mayfield Road",
        "EH9 3JL",
        level1,
    )
    event = AuditEvent.objects.get(verb=AuditVerb.STUDY_ADDRESS_ADDED)
    assert (event.actor, event.payload["identifier"], event.ip_address) == (
        level1,
        "SA0001",
        "192.0.2.1",
    )
    assert not AuditEvent.objects.filter(verb=AuditVerb.WORK_ADDRESS_ADDED).exists()


def test_every_wrong_field_is_named_for_a_study_address(level1):
    with pytest.raises(ApplicationError) as refused:
        add(level1, line_1="", town="", postcode="EH9", nation="XX")
    assert dict(refused.value.errors) == {
        "line_1": "Enter address line 1 of the study address, usually the building and street",
        "town": "Enter the town or city of the study address",
        "postcode": "Enter a real UK postcode for the study address, like SW1A 2AA",
        "nation": "Select England, Wales, Scotland or Northern Ireland",
    }
    assert not WorkAddress.objects.exists()


def test_changing_and_retiring_are_audited_with_the_study_verbs(level1):
    address = add(level1)
    changed = change(level1, address, town="Edinburgh City")
    assert (changed.town, changed.version, changed.identifier) == ("Edinburgh City", 2, "SA0001")
    event = AuditEvent.objects.get(verb=AuditVerb.STUDY_ADDRESS_CHANGED)
    assert event.payload["changes"] == {"town": {"from": "Edinburgh", "to": "Edinburgh City"}}
    retired = work_address_retire(actor=level1, address=changed, version=2, ip=None)
    assert retired.retired_at is not None
    assert AuditEvent.objects.filter(verb=AuditVerb.STUDY_ADDRESS_RETIRED).count() == 1
    assert not AuditEvent.objects.filter(
        verb__in=[AuditVerb.WORK_ADDRESS_CHANGED, AuditVerb.WORK_ADDRESS_RETIRED]
    ).exists()


def test_a_retired_or_stale_address_is_refused(level1):
    address = add(level1)
    with pytest.raises(StaleEdit):
        change(level1, address, version=7, town="Leith")
    work_address_retire(actor=level1, address=address, version=1, ip=None)
    address.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        change(level1, address, town="Leith")
    assert refused.value.code == "study_address_retired"
    assert refused.value.message == (
        "Study address SA0001 is retired, so it can no longer be changed. Add a new study "
        "address instead."
    )
    with pytest.raises(Conflict, match="Study address SA0001 is already retired"):
        work_address_retire(actor=level1, address=address, version=address.version, ip=None)


def test_another_sponsors_study_address_is_not_found(level1, other_level1):
    theirs = add(other_level1)
    with pytest.raises(NotFound, match="There is no such study address"):
        work_address_get_for_user(user=level1, address_id=theirs.pk, purpose=AddressPurpose.STUDY)
    with pytest.raises(NotFound):
        change(level1, theirs, town="Mine")
    # Nor is a study address a work address.
    mine = add(level1)
    with pytest.raises(NotFound, match="There is no such work address"):
        work_address_get_for_user(user=level1, address_id=mine.pk)


def test_editing_or_retiring_never_changes_an_assigned_cas(level1, sponsor):
    """The CAS keeps the address it was given when it was assigned."""
    rate(sponsor, Route.STUDENT, Rating.A)
    AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=2)
    address = add(level1)
    draft = complete_cas(level1)
    cas_update(
        actor=level1,
        certificate=draft,
        version=draft.version,
        values={"study_address_id": address.pk},
        ip=None,
    )
    assigned = certificate_assign(actor=level1, certificate=draft, version=None, ip=None)
    # A draft that has it too keeps its copy.
    other = complete_cas(level1, student_id="S-2", passport_number="P2")
    cas_update(
        actor=level1,
        certificate=other,
        version=other.version,
        values={"study_address_id": address.pk},
        ip=None,
    )

    change(
        level1,
        address,
        line_1="Peter Guthrie Tait Road",
        town="Edinburgh",
        postcode="EH9 3FD",
        nation=Nation.SCOTLAND,
    )
    address.refresh_from_db()
    work_address_retire(actor=level1, address=address, version=address.version, ip=None)

    for certificate in (assigned, other):
        cas = Certificate.objects.select_related("cas").get(pk=certificate.pk).cas
        assert (cas.study_address_line_1, cas.study_postcode, cas.study_nation) == (
            "Mayfield Road",
            "EH9 3JL",
            Nation.SCOTLAND,
        )
