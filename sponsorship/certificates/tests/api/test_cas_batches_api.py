"""Batches of CAS through the API (/api/v1/cas-batches): start one, add drafts for a list of
students (optionally based on a CAS), link and unlink drafts, assign the ready ones until the
allocation runs out, hand it over. Never a batch of certificates of sponsorship; another
sponsor's is not found; Level 2 users work on their own; a suspended licence is refused."""

import pytest

from sponsorship.api.tests.api_client import assert_error
from sponsorship.certificates.models import (
    Batch,
    BatchKind,
    Certificate,
    CertificateKind,
    CertificateStatus,
)
from sponsorship.certificates.services import batch_create, batch_link
from sponsorship.certificates.tests.factories import assigned_cas, complete_cas, complete_draft
from sponsorship.licences.models import Allocation, LicenceStatus, Rating, Route
from sponsorship.licences.tests.api.support import Api, query_count, token_for
from sponsorship.licences.tests.factories import AllocationFactory
from sponsorship.licences.tests.web.support import rate

BASE = "/api/v1/cas-batches"
ALLOCATION_MESSAGE = (
    "You have insufficient remaining allocation for Student. Request an increase to your "
    "allocation."
)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture
def students(sponsor):
    rate(sponsor, Route.STUDENT, Rating.A)
    return sponsor


@pytest.fixture
def api(level1, students):
    return Api(token_for(level1))


def cas_batch(user, name="MSc Marine Biology, January 2027") -> Batch:
    return batch_create(
        actor=user,
        kind=BatchKind.BATCH,
        name=name,
        certificate_kind=CertificateKind.CAS,
        ip=None,
    )


def test_a_batch_is_made_filled_and_assigned_up_to_the_allocation(api, level1, students):
    allocation = AllocationFactory(sponsor=students, route=Route.STUDENT, limit=1)
    made = api.post_json(BASE, {"name": "MSc Data Science 2027"})
    assert made.status_code == 201, made.content
    batch = made.json()
    assert (batch["kind"], batch["name"], batch["owner"], batch["certificates"]) == (
        "BATCH",
        "MSc Data Science 2027",
        "LEVELONE1",
        [],
    )
    assert Batch.objects.get().certificate_kind == CertificateKind.CAS

    added = api.post_json(
        f"{BASE}/{batch['id']}/drafts", {"family_names": ["Okafor"], "route": "STUDENT"}
    )
    assert added.status_code == 201, added.content
    [empty] = added.json()["certificates"]
    assert (empty["family_name"], empty["route"], empty["status"]) == ("Okafor", "STUDENT", "DRAFT")

    ready = [complete_cas(level1, student_id=f"S-{n}", passport_number=f"P{n}") for n in range(2)]
    for draft in ready:
        linked = api.post_json(f"{BASE}/{batch['id']}/link", {"certificate_id": draft.pk})
        assert linked.status_code == 200, linked.content
    version = linked.json()["version"]

    outcome = api.post_json(f"{BASE}/{batch['id']}/assign", {"version": version})
    assert outcome.status_code == 200, outcome.content
    body = outcome.json()
    assert [c["id"] for c in body["assigned"]] == [ready[0].pk]
    assert len(body["assigned"][0]["number"]) == 14
    refused = {r["certificate_id"]: r["reasons"] for r in body["refused"]}
    assert "Enter the course title" in refused[empty["id"]]
    assert refused[ready[1].pk] == [ALLOCATION_MESSAGE]
    assert Allocation.objects.get(pk=allocation.pk).used == 1

    unlinked = api.post_json(f"{BASE}/{batch['id']}/unlink", {"certificate_id": empty["id"]})
    assert unlinked.status_code == 200
    assert empty["id"] not in [c["id"] for c in unlinked.json()["certificates"]]


def test_drafts_based_on_a_cas_copy_the_course_not_the_student(api, level1):
    source = assigned_cas(level1)
    batch = cas_batch(level1)
    added = api.post_json(
        f"{BASE}/{batch.pk}/drafts", {"family_names": ["Okafor", "Silva"], "based_on_id": source.pk}
    )
    assert added.status_code == 201, added.content
    copies = Certificate.objects.filter(batch=batch).select_related("cas")
    assert {(c.family_name, c.cas.course_title, c.passport_number) for c in copies} == {
        ("Okafor", "MSc Marine Biology", ""),
        ("Silva", "MSc Marine Biology", ""),
    }


def test_wrong_input_is_named_and_nothing_is_made(api, level1):
    batch = cas_batch(level1)
    error = assert_error(
        api.post_json(f"{BASE}/{batch.pk}/drafts", {"family_names": ["Okafor"]}), 400
    )
    assert error["fields"] == [
        {
            "field": "route",
            "message": "Select Student or Child Student, or give a CAS to base them on",
        }
    ]
    error = assert_error(
        api.post_json(
            f"{BASE}/{batch.pk}/drafts", {"family_names": ["A"], "route": "SKILLED_WORKER"}
        ),
        422,
    )
    assert [f["field"] for f in error["fields"]] == ["route"]
    error = assert_error(
        api.post_json(
            f"{BASE}/{batch.pk}/drafts", {"family_names": ["A"], "category": "EXTENSION"}
        ),
        422,
    )
    assert [f["field"] for f in error["fields"]] == ["category"]
    assert_error(api.post_json(BASE, {"name": "A", "kind": "GROUP"}), 422)
    assert not Certificate.objects.exists()


def test_a_certificate_of_sponsorship_is_not_found_here(api, level1, students):
    rate(students, Route.SKILLED_WORKER, Rating.A)
    cos_batch = batch_create(actor=level1, kind=BatchKind.BATCH, name="Workers", ip=None)
    batch = cas_batch(level1)
    worker = complete_draft(level1)
    assert_error(api.get(f"{BASE}/{cos_batch.pk}"), 404, "not_found")
    assert_error(api.get(f"/api/v1/batches/{batch.pk}"), 404, "not_found")
    assert_error(
        api.post_json(f"{BASE}/{batch.pk}/link", {"certificate_id": worker.pk}), 404, "not_found"
    )
    assert_error(
        api.post_json(
            f"{BASE}/{batch.pk}/drafts", {"family_names": ["Okafor"], "based_on_id": worker.pk}
        ),
        404,
    )
    assert [b["name"] for b in api.get(BASE).json()["items"]] == [batch.name]
    assert Certificate.objects.get(pk=worker.pk).batch is None


def test_the_lists_queries_do_not_grow_with_its_rows(api, level1, level2):
    def call():
        return api.get(BASE, {"page_size": 100})

    for n in range(3):
        cas_batch(level1, name=f"Intake {n}")
    few = query_count(call)
    for n in range(27):
        cas_batch(level2, name=f"Their intake {n}")
    assert query_count(call) == few


def test_handing_over_is_for_level_1(api, level1, level2, students):
    batch = cas_batch(level1)
    draft = complete_cas(level1)
    batch_link(actor=level1, batch=batch, certificate=draft, ip=None)
    batch.refresh_from_db()
    level_2 = Api(token_for(level2))
    assert_error(
        level_2.post_json(
            f"{BASE}/{batch.pk}/transfer", {"version": batch.version, "to_user_id": level2.pk}
        ),
        403,
    )
    moved = api.post_json(
        f"{BASE}/{batch.pk}/transfer", {"version": batch.version, "to_user_id": level2.pk}
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["owner"] == "LEVELTWO1"
    assert Certificate.objects.get(pk=draft.pk).owner == level2
    # Now theirs, the Level 2 user can assign it.
    assert level_2.get(f"{BASE}/{batch.pk}").status_code == 200


def test_batches_are_kept_to_their_owners_and_sponsor(api, level1, level2, other_level1, students):
    mine = cas_batch(level1)
    rate(other_level1.sponsor, Route.STUDENT, Rating.A)
    other = cas_batch(other_level1)
    assert_error(api.get(f"{BASE}/{other.pk}"), 404, "not_found")
    for path, body in (
        ("/drafts", {"family_names": ["A"], "route": "STUDENT"}),
        ("/link", {"certificate_id": 1}),
        ("/unlink", {"certificate_id": 1}),
        ("/assign", {"version": 1}),
        ("/transfer", {"version": 1, "to_user_id": level2.pk}),
    ):
        assert_error(api.post_json(f"{BASE}/{other.pk}{path}", body), 404, "not_found")
    assert not Certificate.objects.exists()
    level_2 = Api(token_for(level2))
    assert_error(level_2.get(f"{BASE}/{mine.pk}"), 404)
    assert_error(level_2.post_json(f"{BASE}/{mine.pk}/assign", {"version": 1}), 404)
    assert level_2.get(BASE).json()["items"] == []


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.DORMANT])
def test_a_suspended_or_dormant_licence_is_refused(api, level1, students, status):
    AllocationFactory(sponsor=students, route=Route.STUDENT, limit=5)
    batch = cas_batch(level1)
    draft = complete_cas(level1)
    batch_link(actor=level1, batch=batch, certificate=draft, ip=None)
    students.status = status
    students.save()
    code = f"licence_{status.label.lower()}"
    assert_error(api.get(BASE), 409, code)
    assert_error(api.post_json(BASE, {"name": "New"}), 409, code)
    assert_error(api.post_json(f"{BASE}/{batch.pk}/assign", {"version": 2}), 409, code)
    assert Certificate.objects.get(pk=draft.pk).status == CertificateStatus.DRAFT


def test_a_licence_without_the_student_route_is_refused(level1):
    assert_error(Api(token_for(level1)).get(BASE), 403)
