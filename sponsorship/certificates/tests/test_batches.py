"""Batches and Creative Worker groups: drafts made together, linked and unlinked, assigned
together (a batch one by one, a group all or none), handed over together; pages and gates."""

import pytest

from sponsorship.certificates.models import BatchKind, Certificate, CertificateStatus
from sponsorship.certificates.services import (
    batch_add_drafts,
    batch_assign,
    batch_create,
    batch_link,
    batch_transfer,
    batch_unlink,
)
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.core.errors import ApplicationError, NotFound, StaleEdit
from sponsorship.licences.models import Allocation, LicenceStatus, Route, SponsorRoute
from sponsorship.licences.tests.factories import AllocationFactory
from sponsorship.licences.tests.web.support import text

pytestmark = pytest.mark.django_db


def batch_of(user, kind=BatchKind.BATCH, name="Spring intake"):
    return batch_create(actor=user, kind=kind, name=name, ip=None)


@pytest.fixture
def creative(sponsor):
    SponsorRoute.objects.create(sponsor=sponsor, route=Route.CREATIVE_WORKER)
    return AllocationFactory(sponsor=sponsor, route=Route.CREATIVE_WORKER, limit=3)


def creative_draft(owner, **fields):
    return complete_draft(owner, route=Route.CREATIVE_WORKER, skills_charge="", **fields)


def test_a_batch_needs_a_name_and_a_group_needs_the_creative_worker_route(level1):
    with pytest.raises(ApplicationError) as refused:
        batch_of(level1, name="  ")
    assert refused.value.field == "name"
    with pytest.raises(ApplicationError) as refused:
        batch_of(level1, kind=BatchKind.GROUP)
    assert "Creative Worker route, which your licence does not include" in refused.value.message


def test_drafts_added_for_a_list_of_names_based_on_a_certificate(level1):
    batch = batch_of(level1)
    source = assigned_certificate(level1)
    made = batch_add_drafts(
        actor=level1,
        batch=batch,
        family_names="Silva\n\n  Costa  \nPereira",
        route="",
        category="",
        based_on=source,
        ip=None,
    )
    assert [c.family_name for c in made] == ["Silva", "Costa", "Pereira"]
    for draft in made:
        assert draft.batch == batch
        assert draft.cos.soc_code == source.cos.soc_code
        assert draft.passport_number == ""  # the person is not copied


def test_adding_drafts_needs_names(level1):
    with pytest.raises(ApplicationError) as refused:
        batch_add_drafts(
            actor=level1,
            batch=batch_of(level1),
            family_names=" \n ",
            route=Route.SKILLED_WORKER,
            category="EXTENSION",
            based_on=None,
            ip=None,
        )
    assert refused.value.field == "family_names"


def test_a_batch_assigns_the_ready_drafts_and_stops_at_the_end_of_the_allocation(level1, sponsor):
    AllocationFactory(sponsor=sponsor, route=Route.SKILLED_WORKER, limit=2)
    batch = batch_of(level1)
    ready = [complete_draft(level1, passport_number=f"P{n}") for n in range(3)]
    unready = complete_draft(level1, sex="")
    for draft in [*ready[:1], unready, *ready[1:]]:
        batch_link(actor=level1, batch=batch, certificate=draft, ip=None)
    outcome = batch_assign(actor=level1, batch=batch, version=batch.version, ip=None)
    assert [c.pk for c in outcome.assigned] == [ready[0].pk, ready[1].pk]
    refused = {c.pk: reasons for c, reasons in outcome.refused}
    assert refused[unready.pk] == ["Select the worker's sex: female, male or unspecified"]
    assert refused[ready[2].pk] == [
        "You have insufficient remaining allocation for Skilled Worker. Request an increase to "
        "your allocation."
    ]
    assert Certificate.objects.get(pk=ready[2].pk).status == CertificateStatus.DRAFT


def test_a_group_is_assigned_all_together_or_not_at_all(level1, sponsor, creative):
    group = batch_of(level1, kind=BatchKind.GROUP, name="Winter tour")
    members = [creative_draft(level1, passport_number=f"G{n}") for n in range(3)]
    members.append(creative_draft(level1, passport_number="G9", sex=""))
    for draft in members:
        batch_link(actor=level1, batch=group, certificate=draft, ip=None)
    outcome = batch_assign(actor=level1, batch=group, version=group.version, ip=None)
    assert outcome.assigned == []
    assert [c.pk for c, _ in outcome.refused] == [members[3].pk]
    assert not Certificate.objects.filter(batch=group).exclude(status="DRAFT").exists()
    # Complete, but four members against an allocation of three: still none.
    batch_unlink(actor=level1, batch=group, certificate=members[3], ip=None)
    batch_link(
        actor=level1,
        batch=group,
        certificate=creative_draft(level1, passport_number="G8"),
        ip=None,
    )
    group.refresh_from_db()
    group_of_four = batch_assign(actor=level1, batch=group, version=group.version, ip=None)
    assert group_of_four.assigned == []
    assert len(group_of_four.refused) == 4
    assert "None were assigned" in group_of_four.refused[0][1][0]
    assert Allocation.objects.get(pk=creative.pk).used == 0
    # Three fit.
    batch_unlink(actor=level1, batch=group, certificate=members[0], ip=None)
    group.refresh_from_db()
    assigned = batch_assign(actor=level1, batch=group, version=group.version, ip=None)
    assert len(assigned.assigned) == 3 and assigned.refused == []
    assert Allocation.objects.get(pk=creative.pk).used == 3


def test_a_group_takes_creative_worker_certificates_only(level1, creative):
    group = batch_of(level1, kind=BatchKind.GROUP)
    with pytest.raises(ApplicationError) as refused:
        batch_link(actor=level1, batch=group, certificate=complete_draft(level1), ip=None)
    assert refused.value.message == "A group holds Creative Worker certificates only"


def test_only_drafts_not_in_another_batch_can_be_linked(level1):
    first, second = batch_of(level1), batch_of(level1, name="Other")
    draft = complete_draft(level1)
    batch_link(actor=level1, batch=first, certificate=draft, ip=None)
    with pytest.raises(ApplicationError, match="already in another batch"):
        batch_link(actor=level1, batch=second, certificate=draft, ip=None)
    with pytest.raises(ApplicationError, match="only drafts can be added"):
        batch_link(actor=level1, batch=second, certificate=assigned_certificate(level1), ip=None)
    with pytest.raises(NotFound):
        batch_unlink(actor=level1, batch=second, certificate=draft, ip=None)


def test_handing_over_a_batch_hands_over_its_certificates(level1, level2):
    batch = batch_of(level1)
    drafts = [complete_draft(level1), complete_draft(level1)]
    for draft in drafts:
        batch_link(actor=level1, batch=batch, certificate=draft, ip=None)
    batch_transfer(actor=level1, batch=batch, version=batch.version, to_user_id=level2.pk, ip=None)
    assert {c.owner_id for c in Certificate.objects.filter(batch=batch)} == {level2.pk}
    assert drafts[0].events.last().action == "TRANSFERRED"
    with pytest.raises(StaleEdit):
        batch_transfer(actor=level1, batch=batch, version=1, to_user_id=level1.pk, ip=None)


# ---------------------------------------------------------------- pages


def test_the_batch_pages_make_fill_and_assign_a_batch(signed_in, level1, allocation):
    client = signed_in(level1)
    made = client.post("/certificates/batches/new/", {"name": "Spring intake", "kind": "BATCH"})
    assert made.status_code == 302
    batch_url = made["Location"]
    ready = complete_draft(level1)
    response = client.post(f"{batch_url}link/", {"certificate_id": ready.pk})
    assert response.status_code == 302
    client.post(
        f"{batch_url}add/",
        {"family_names": "Costa", "route": "SKILLED_WORKER", "category": "EXTENSION"},
    )
    page = text(client.get(batch_url))
    assert "Draft" in page and "Costa" in page
    batch = ready.__class__.objects.get(pk=ready.pk).batch
    assigned = client.post(f"{batch_url}assign/", {"version": batch.version})
    words = text(assigned)
    assert "1 assigned, 1 not assigned." in words
    assert "Select the worker's sex" in words


def test_adding_to_a_batch_names_what_is_missing(signed_in, level1):
    batch = batch_of(level1)
    response = signed_in(level1).post(f"/certificates/batches/{batch.pk}/add/", {})
    assert response.status_code == 400
    assert "Enter the family name of each worker, one on each line" in text(response)


def test_a_level_2_user_sees_only_their_own_batches(signed_in, level1, level2):
    theirs = batch_of(level1, name="Level one's batch")
    client = signed_in(level2)
    assert "Level one's batch" not in text(client.get("/certificates/batches/"))
    assert client.get(f"/certificates/batches/{theirs.pk}/").status_code == 404
    assert client.get(f"/certificates/batches/{theirs.pk}/transfer/").status_code == 403


def test_another_sponsors_batch_is_not_found(signed_in, level1, other_level1):
    other = batch_of(other_level1)
    assert signed_in(level1).get(f"/certificates/batches/{other.pk}/").status_code == 404


def test_a_suspended_licence_gets_409(signed_in, level1, sponsor):
    batch = batch_of(level1)
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert signed_in(level1).get(f"/certificates/batches/{batch.pk}/").status_code == 409


# ---------------------------------------------------------------- API


@pytest.fixture
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.mark.usefixtures("_no_rate_limit")
def test_the_api_makes_fills_and_assigns_a_batch(level1, allocation):
    from sponsorship.licences.tests.api.support import Api, token_for

    api = Api(token_for(level1))
    made = api.post("/api/v1/batches", {"name": "Spring intake"})
    assert made.status_code == 201, made.json()
    batch = made.json()
    source = assigned_certificate(level1)
    added = api.post(
        f"/api/v1/batches/{batch['id']}/drafts",
        {"family_names": ["Silva", "Costa"], "based_on_id": source.pk},
    )
    assert added.status_code == 201, added.json()
    assert [c["family_name"] for c in added.json()["certificates"]] == ["Silva", "Costa"]
    ready = complete_draft(level1, passport_number="P77")
    linked = api.post(f"/api/v1/batches/{batch['id']}/link", {"certificate_id": ready.pk})
    assert linked.status_code == 200
    outcome = api.post(
        f"/api/v1/batches/{batch['id']}/assign", {"version": linked.json()["version"]}
    )
    body = outcome.json()
    assert [c["id"] for c in body["assigned"]] == [ready.pk]
    assert len(body["refused"]) == 2
    assert "Select the worker's sex: female, male or unspecified" in body["refused"][0]["reasons"]


@pytest.mark.usefixtures("_no_rate_limit")
def test_the_api_keeps_batches_to_their_owners_and_sponsor(level1, level2, other_level1, sponsor):
    from sponsorship.licences.tests.api.support import Api, token_for

    mine = batch_of(level1)
    other = batch_of(other_level1)
    assert Api(token_for(level1)).get(f"/api/v1/batches/{other.pk}").status_code == 404
    level_2 = Api(token_for(level2))
    assert level_2.get(f"/api/v1/batches/{mine.pk}").status_code == 404
    refused = level_2.post(
        f"/api/v1/batches/{mine.pk}/transfer", {"version": mine.version, "to_user_id": level2.pk}
    )
    assert refused.status_code == 403
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    suspended = Api(token_for(level1)).get("/api/v1/batches")
    assert suspended.status_code == 409
    assert suspended.json()["error"]["code"] == "licence_suspended"
