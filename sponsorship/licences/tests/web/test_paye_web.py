"""The licence's PAYE references in the web service: list, add, delete, each audited."""

import pytest

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import LicenceStatus, PayeReference
from sponsorship.licences.tests.factories import PayeReferenceFactory

from .support import field_error, queries_for, text


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


@pytest.fixture
def paye(level1):
    return PayeReferenceFactory(added_by=level1, reference="123/AB45678")


# ---------------------------------------------------------------- who may use the pages


def test_the_pages_render_for_level1(web, paye):
    assert web.get("/licence/paye/").status_code == 200
    assert web.get(f"/licence/paye/{paye.pk}/delete/").status_code == 200


def test_level2_is_refused(signed_in, level2, paye):
    client = signed_in(level2)
    assert client.get("/licence/paye/").status_code == 403
    assert client.post("/licence/paye/", {"reference": "456/ZX1"}).status_code == 403
    assert client.get(f"/licence/paye/{paye.pk}/delete/").status_code == 403
    assert client.post(f"/licence/paye/{paye.pk}/delete/").status_code == 403
    assert PayeReference.objects.count() == 1


def test_a_dormant_licence_is_refused(signed_in, level1, sponsor, paye):
    sponsor.status = LicenceStatus.DORMANT
    sponsor.save()
    client = signed_in(level1)
    assert client.get("/licence/paye/").status_code == 409
    assert client.post(f"/licence/paye/{paye.pk}/delete/").status_code == 409
    assert PayeReference.objects.count() == 1


def test_another_sponsors_paye_reference_is_not_found(web, other_level1):
    theirs = PayeReferenceFactory(added_by=other_level1, reference="999/THEIRS1")
    assert web.get(f"/licence/paye/{theirs.pk}/delete/").status_code == 404
    assert web.post(f"/licence/paye/{theirs.pk}/delete/").status_code == 404
    assert PayeReference.objects.filter(pk=theirs.pk).exists()
    assert "999/THEIRS1" not in web.get("/licence/paye/").content.decode()
    assert not AuditEvent.objects.filter(verb=AuditVerb.PAYE_DELETED).exists()


# ---------------------------------------------------------------- list and add


def test_the_list_shows_each_reference_who_added_it_and_when(web, paye):
    page = text(web.get("/licence/paye/"))
    assert "123/AB45678" in page
    assert "Zoë Hartley (LEVELONE1)" in page
    assert f"{paye.added_at:%-d %b %Y}" in page


def test_adding_a_reference(web, level1):
    response = web.post("/licence/paye/", {"reference": " 120/ab 12345 "})
    assert response.status_code == 302
    assert response["Location"] == "/licence/paye/"
    saved = PayeReference.objects.get()
    assert saved.reference == "120/AB12345"
    assert saved.added_by == level1
    listing = text(web.get("/licence/paye/"))
    assert "PAYE reference 120/AB12345 was added." in listing
    event = AuditEvent.objects.get(verb=AuditVerb.PAYE_ADDED)
    assert event.actor == level1
    assert event.sponsor == level1.sponsor


@pytest.mark.parametrize("reference", ["12/AB45678", "123AB45678", "123/", "abc/12345"])
def test_a_reference_in_the_wrong_format_names_the_format(web, reference):
    response = web.post("/licence/paye/", {"reference": reference})
    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert "Enter a PAYE reference in the format 123/AB45678" in field_error(response, "reference")
    assert not PayeReference.objects.exists()


def test_an_empty_reference_is_refused(web):
    response = web.post("/licence/paye/", {"reference": "  "})
    assert response.status_code == 400
    assert "Enter a PAYE reference, like 123/AB45678" in field_error(response, "reference")


def test_a_reference_already_on_the_list_is_refused(web, paye):
    response = web.post("/licence/paye/", {"reference": "123/ab45678"})
    assert response.status_code == 400
    assert "123/AB45678 is already on your list." in field_error(response, "reference")
    assert PayeReference.objects.count() == 1


def test_another_sponsors_reference_does_not_count_as_a_duplicate(web, other_level1):
    PayeReferenceFactory(added_by=other_level1, reference="123/AB45678")
    assert web.post("/licence/paye/", {"reference": "123/AB45678"}).status_code == 302
    assert PayeReference.objects.count() == 2


# ---------------------------------------------------------------- delete


def test_deleting_asks_first_then_deletes_and_is_audited(web, level1, paye):
    confirm = web.get(f"/licence/paye/{paye.pk}/delete/")
    assert "Delete PAYE reference 123/AB45678?" in text(confirm)
    assert PayeReference.objects.filter(pk=paye.pk).exists()
    response = web.post(f"/licence/paye/{paye.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/licence/paye/"
    assert not PayeReference.objects.filter(pk=paye.pk).exists()
    assert "PAYE reference 123/AB45678 was deleted." in text(web.get("/licence/paye/"))
    event = AuditEvent.objects.get(verb=AuditVerb.PAYE_DELETED)
    assert event.actor == level1
    assert event.payload["reference"] == "123/AB45678"


def test_deleting_a_reference_that_is_gone_is_not_found(web, paye):
    web.post(f"/licence/paye/{paye.pk}/delete/")
    assert web.post(f"/licence/paye/{paye.pk}/delete/").status_code == 404


# ---------------------------------------------------------------- speed


def test_the_list_query_count_does_not_grow_with_references(web, level1, sponsor):
    others = [Level1Factory(sponsor=sponsor) for _ in range(3)]
    for n in range(3):
        PayeReferenceFactory(added_by=others[n % 3], reference=f"100/A{n:05d}")
    few = queries_for(web, "/licence/paye/")
    for n in range(3, 30):
        PayeReferenceFactory(added_by=others[n % 3], reference=f"100/A{n:05d}")
    many = queries_for(web, "/licence/paye/")
    assert many == few
    assert many <= 14
