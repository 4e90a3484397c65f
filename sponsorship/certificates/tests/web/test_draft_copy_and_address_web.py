"""Copying a certificate whose PAYE reference has since been deleted, and typing over an
address picked from the stored work addresses."""

from sponsorship.certificates.models import Certificate
from sponsorship.certificates.tests.factories import (
    PayeFactory,
    WorkAddressFactory,
    assigned_certificate,
    complete_draft,
)
from sponsorship.licences.models import PayeReference


def test_a_certificate_whose_paye_reference_was_deleted_can_still_be_copied(
    signed_in, level1, sponsor
):
    PayeFactory(sponsor=sponsor, added_by=level1, reference="123/AB45678")
    source = assigned_certificate(
        level1, number="C0000000005", paye_reference="123/AB45678", paye_reason=""
    )
    PayeReference.objects.all().delete()
    response = signed_in(level1).post(f"/certificates/{source.pk}/copy/", {"family_name": "Silva"})
    assert response.status_code == 302
    assert Certificate.objects.filter(family_name="Silva").exists()


def test_typing_another_address_forgets_the_stored_one_it_came_from(signed_in, level1, sponsor):
    stored = WorkAddressFactory(sponsor=sponsor, created_by=level1)
    draft = complete_draft(level1)
    web = signed_in(level1)
    url = f"/certificates/{draft.pk}/draft/work_address/"
    assert (
        web.post(url, {"work_address_id": str(stored.pk), "version": draft.version}).status_code
        == 302
    )
    draft = Certificate.objects.select_related("cos").get(pk=draft.pk)
    assert draft.cos.work_address_id == stored.pk
    typed = {
        "work_address_line_1": "9 Other Road",
        "work_town": "York",
        "work_postcode": "YO1 1AA",
        "work_nation": "ENG",
        "version": draft.version,
    }
    assert web.post(url, typed).status_code == 302
    draft = Certificate.objects.select_related("cos").get(pk=draft.pk)
    assert draft.cos.work_address_line_1 == "9 Other Road"
    assert draft.cos.work_address_id is None
