"""The pages of CAS batches under /cas/batches/: start one, add drafts for a list of students
(optionally based on a CAS), add a draft already started, take one out, assign the ready ones
(the allocation message for those it runs out on), and hand it to another user. Kept apart from
the batches of certificates of sponsorship; another sponsor's is not found; Level 2 users work
on their own; a suspended licence is refused."""

import pytest

from sponsorship.accounts.tests.factories import Level1Factory
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
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory
from sponsorship.licences.tests.web.support import field_error, queries_for, rate, text

ALLOCATION_MESSAGE = (
    "You have insufficient remaining allocation for Student. Request an increase to your "
    "allocation."
)


@pytest.fixture
def students(sponsor):
    rate(sponsor, Route.STUDENT, Rating.A)
    return sponsor


@pytest.fixture
def web(signed_in, level1, students):
    return signed_in(level1)


def cas_batch(user, name="MSc Marine Biology, January 2027") -> Batch:
    return batch_create(
        actor=user,
        kind=BatchKind.BATCH,
        name=name,
        certificate_kind=CertificateKind.CAS,
        ip=None,
    )


def test_a_batch_is_started_with_a_name_only(web, level1):
    page = web.get("/cas/batches/new/")
    assert page.status_code == 200
    words = text(page)
    assert "Start a batch of CAS" in words
    assert "Creative Worker group" not in words
    response = web.post("/cas/batches/new/", {"name": "MSc Data Science 2027"})
    batch = Batch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cas/batches/{batch.pk}/"
    assert (batch.certificate_kind, batch.kind, batch.owner) == (
        CertificateKind.CAS,
        BatchKind.BATCH,
        level1,
    )
    assert "Batch 'MSc Data Science 2027' was made." in text(web.get(response["Location"]))
    missing = web.post("/cas/batches/new/", {"name": ""})
    assert missing.status_code == 400
    assert field_error(missing, "name") == "Error: Enter a name for it"


def test_drafts_for_a_list_of_students_then_an_allocation_of_one(web, level1, students):
    """Allocation of 1 with 2 ready drafts in a batch: 1 assigned, 1 refused with the
    allocation message."""
    allocation = AllocationFactory(sponsor=students, route=Route.STUDENT, limit=1)
    batch = cas_batch(level1)
    url = f"/cas/batches/{batch.pk}/"
    page = web.get(url)
    words = text(page)
    assert "Add students" in words
    assert "Family names of the students" in words
    assert "Base them on a CAS (optional)" in words
    assert "What are the certificates for?" not in words

    added = web.post(f"{url}add/", {"family_names": "Okafor\nSilva", "route": Route.STUDENT})
    assert added.status_code == 302
    made = list(Certificate.objects.filter(batch=batch).order_by("pk"))
    assert [(c.family_name, c.kind) for c in made] == [
        ("Okafor", CertificateKind.CAS),
        ("Silva", CertificateKind.CAS),
    ]
    page = web.get(url)
    assert "2 drafts added." in text(page)
    assert f'href="/cas/{made[0].pk}/draft/"' in page.content.decode()

    # Two complete drafts started elsewhere are added; the two empty ones are taken out.
    ready = [complete_cas(level1, student_id=f"S-{n}", passport_number=f"P{n}") for n in range(2)]
    for draft in ready:
        response = web.post(f"{url}link/", {"certificate_id": draft.pk})
        assert response.status_code == 302
    for draft in made:
        response = web.post(f"{url}unlink/{draft.pk}/")
        assert response.status_code == 302
    assert not Certificate.objects.filter(batch=batch, pk__in=[c.pk for c in made]).exists()
    batch.refresh_from_db()

    assigned = web.post(f"{url}assign/", {"version": batch.version})
    words = text(assigned)
    assert assigned.status_code == 200
    assert "1 assigned, 1 not assigned." in words
    assert ALLOCATION_MESSAGE in words
    first, second = (Certificate.objects.get(pk=c.pk) for c in ready)
    assert first.status == CertificateStatus.ASSIGNED and len(first.number) == 14
    assert second.status == CertificateStatus.DRAFT
    html = assigned.content.decode()
    assert f'href="/cas/{first.pk}/"' in html  # the CAS's page
    assert f'href="/cas/{second.pk}/draft/"' in html  # the draft to fix
    assert Allocation.objects.get(pk=allocation.pk).used == 1


def test_drafts_based_on_a_cas_by_its_number(web, level1):
    source = assigned_cas(level1, number="E0000000000042")
    batch = cas_batch(level1)
    response = web.post(
        f"/cas/batches/{batch.pk}/add/", {"family_names": "Okafor", "based_on": "e0000000000042"}
    )
    assert response.status_code == 302
    copy = Certificate.objects.get(batch=batch)
    assert (copy.based_on, copy.cas.course_title, copy.passport_number) == (
        source,
        "MSc Marine Biology",
        "",
    )
    unknown = web.post(
        f"/cas/batches/{batch.pk}/add/", {"family_names": "Silva", "based_on": "E9999999999999"}
    )
    assert unknown.status_code == 400
    assert field_error(unknown, "based_on") == (
        "Error: None of your CAS has the number E9999999999999"
    )


def test_adding_names_what_is_missing(web, level1):
    batch = cas_batch(level1)
    response = web.post(f"/cas/batches/{batch.pk}/add/", {})
    assert response.status_code == 400
    assert field_error(response, "family_names") == (
        "Error: Enter the family name of each student, one on each line"
    )
    assert field_error(response, "route") == (
        "Error: Select Student or Child Student, or give a CAS to base them on"
    )
    assert not Certificate.objects.exists()


def test_only_cas_drafts_are_offered_and_accepted(web, level1):
    batch = cas_batch(level1)
    worker = complete_draft(level1, family_name="Worker")
    student = complete_cas(level1, family_name="Student")
    page = text(web.get(f"/cas/batches/{batch.pk}/"))
    assert "Student" in page and "Worker" not in page
    # A certificate of sponsorship is not one of the drafts offered.
    refused = web.post(f"/cas/batches/{batch.pk}/link/", {"certificate_id": worker.pk})
    assert refused.status_code == 400
    assert field_error(refused, "certificate_id") == "Error: Choose a draft"
    assert Certificate.objects.get(pk=worker.pk).batch is None
    assert web.post(
        f"/cas/batches/{batch.pk}/link/", {"certificate_id": student.pk}
    ).status_code == (302)


def test_the_lists_keep_cas_and_cos_batches_apart(web, level1):
    cas_batch(level1, name="CAS intake")
    batch_create(actor=level1, kind=BatchKind.BATCH, name="Workers intake", ip=None)
    cas_page = text(web.get("/cas/batches/"))
    assert "CAS intake" in cas_page and "Workers intake" not in cas_page
    cos_page = text(web.get("/certificates/batches/"))
    assert "Workers intake" in cos_page and "CAS intake" not in cos_page


def test_a_cos_batch_is_not_found_among_cas_batches_nor_the_reverse(web, level1):
    cas = cas_batch(level1)
    cos = batch_create(actor=level1, kind=BatchKind.BATCH, name="Workers", ip=None)
    assert web.get(f"/cas/batches/{cos.pk}/").status_code == 404
    assert web.get(f"/certificates/batches/{cas.pk}/").status_code == 404


def test_the_list_is_paginated_with_a_fixed_number_of_queries(web, level1):
    def batches(count):
        Batch.objects.all().delete()
        for n in range(count):
            cas_batch(level1, name=f"Intake {n:02d}")

    batches(3)
    few = queries_for(web, "/cas/batches/")
    batches(30)
    many = queries_for(web, "/cas/batches/")
    assert few == many
    assert "Page 1 of 2" in text(web.get("/cas/batches/"))


def test_a_batch_is_handed_to_another_user(web, level1, level2):
    batch = cas_batch(level1)
    draft = complete_cas(level1)
    batch_link(actor=level1, batch=batch, certificate=draft, ip=None)
    batch.refresh_from_db()
    page = web.get(f"/cas/batches/{batch.pk}/transfer/")
    assert page.status_code == 200
    assert "every CAS in it" in text(page)
    response = web.post(
        f"/cas/batches/{batch.pk}/transfer/", {"to_user": level2.pk, "version": batch.version}
    )
    assert response.status_code == 302
    assert Certificate.objects.get(pk=draft.pk).owner == level2
    assert "and its CAS were handed over." in text(web.get(response["Location"]))


# ---------------------------------------------------------------- who may see what


def test_another_sponsors_batch_is_not_found(web, level1, students):
    other = SponsorFactory(routes=[Route.STUDENT])
    theirs = cas_batch(Level1Factory(sponsor=other))
    for url in ("", "transfer/"):
        assert web.get(f"/cas/batches/{theirs.pk}/{url}").status_code == 404
    for url in ("add/", "link/", "assign/"):
        assert web.post(f"/cas/batches/{theirs.pk}/{url}", {"version": 1}).status_code == 404
    assert "MSc Marine Biology" not in text(web.get("/cas/batches/"))


def test_a_level_2_user_sees_only_their_own_and_cannot_hand_over(
    signed_in, level1, level2, students
):
    theirs = cas_batch(level1, name="Level one's batch")
    mine = cas_batch(level2, name="My batch")
    client = signed_in(level2)
    words = text(client.get("/cas/batches/"))
    assert "My batch" in words and "Level one's batch" not in words
    assert client.get(f"/cas/batches/{theirs.pk}/").status_code == 404
    assert client.post(f"/cas/batches/{theirs.pk}/assign/", {"version": 1}).status_code == 404
    assert client.get(f"/cas/batches/{mine.pk}/").status_code == 200
    assert "Give it to someone else" not in text(client.get(f"/cas/batches/{mine.pk}/"))
    assert client.get(f"/cas/batches/{mine.pk}/transfer/").status_code == 403


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.DORMANT])
def test_a_suspended_or_dormant_licence_is_refused(web, level1, students, status):
    AllocationFactory(sponsor=students, route=Route.STUDENT, limit=5)
    batch = cas_batch(level1)
    draft = complete_cas(level1)
    batch_link(actor=level1, batch=batch, certificate=draft, ip=None)
    students.status = status
    students.save()
    for url in ("/cas/batches/", "/cas/batches/new/", f"/cas/batches/{batch.pk}/"):
        response = web.get(url)
        assert response.status_code == 409, url
        assert f"Not available while your licence is {status.label.lower()}." in text(response)
    assert web.post(f"/cas/batches/{batch.pk}/assign/", {"version": 2}).status_code == 409
    assert Certificate.objects.get(pk=draft.pk).status == CertificateStatus.DRAFT


def test_a_licence_without_the_student_route_has_no_cas_batches(signed_in, level1):
    assert signed_in(level1).get("/cas/batches/").status_code == 403
