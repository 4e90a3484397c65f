"""Bulk Export: the sponsor's CAS numbers and statuses as a BulkExport document, valid against
the schema, streamed; filtered by status and assignment date; never a draft, never another
sponsor's; each export on the audit trail."""

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree  # type: ignore[import-untyped]

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import Certificate, CertificateStatus
from sponsorship.certificates.tests.factories import assigned_cas, complete_cas
from sponsorship.core.errors import Conflict
from sponsorship.licences.models import LicenceStatus

from ..documents import export_xml
from ..selectors import bulk_export_rows_for_user
from ..services import bulk_export_record
from ..xmlfiles import NAMESPACE, schema

NS = {"b": NAMESPACE}


def exported(user, **filters) -> etree._Element:
    content = b"".join(
        export_xml(bulk_export_rows_for_user(user=user, **filters), licence_number="T00000001")
    )
    document = etree.fromstring(content)
    assert schema().validate(document), schema().error_log
    return document


def numbers(document) -> list[str]:
    return [cas.findtext("b:CASNumber", namespaces=NS) for cas in document.findall("b:CAS", NS)]


@pytest.fixture
def licence(level1, level2, other_level1):
    """Three CAS of ours (one assigned a week ago, one used, one withdrawn), a draft, and one
    of another sponsor."""
    week_ago = assigned_cas(level1, student_id="S1", passport_number="P1", family_name="Ó Briain")
    Certificate.objects.filter(pk=week_ago.pk).update(
        assigned_at=timezone.now() - timedelta(days=7)
    )
    used = assigned_cas(level2, student_id="S2", passport_number="P2")
    used.status = CertificateStatus.USED
    used.save()
    withdrawn = assigned_cas(level1, student_id="S3", passport_number="P3")
    withdrawn.status = CertificateStatus.WITHDRAWN
    withdrawn.save()
    complete_cas(level1, student_id="S4", passport_number="P4")
    assigned_cas(other_level1)
    return week_ago, used, withdrawn


def test_every_assigned_cas_is_exported_oldest_first(level1, licence):
    week_ago, used, withdrawn = licence
    document = exported(level1)
    assert document.findtext("b:LicenceNumber", namespaces=NS) == "T00000001"
    assert numbers(document) == [week_ago.number, used.number, withdrawn.number]
    first = document.find("b:CAS", NS)
    assert first.findtext("b:ApplicantID", namespaces=NS) == "S1"
    assert first.findtext("b:FamilyName", namespaces=NS) == "Ó Briain"
    assert first.findtext("b:Status", namespaces=NS) == "ASSIGNED"
    assert first.findtext("b:AssignedDate", namespaces=NS) == "2026-11-09"
    assert first.findtext("b:CourseStartDate", namespaces=NS) == "2027-01-18"
    assert first.findtext("b:Route", namespaces=NS) == "STUDENT"


def test_the_export_is_filtered_by_status_and_assignment_date(level1, licence):
    week_ago, used, withdrawn = licence
    assert numbers(exported(level1, statuses=["USED", "WITHDRAWN"])) == [
        used.number,
        withdrawn.number,
    ]
    today = timezone.localdate()
    assert numbers(exported(level1, assigned_from=today)) == [used.number, withdrawn.number]
    assert numbers(exported(level1, assigned_to=today - timedelta(days=1))) == [week_ago.number]


def test_a_superseded_cas_names_the_cas_that_replaced_it(level1):
    older = assigned_cas(level1, student_id="S9", passport_number="P9")
    newer = assigned_cas(level1, student_id="S9", passport_number="P9")
    older.status = CertificateStatus.OBSOLETE
    older.save()
    older.cas.superseded_by = newer
    older.cas.save()
    cas = exported(level1, statuses=["OBSOLETE"]).find("b:CAS", NS)
    assert cas.findtext("b:SupersededBy", namespaces=NS) == newer.number


def test_an_empty_export_is_still_a_valid_document(level1):
    assert numbers(exported(level1)) == []


def test_the_export_is_written_in_pieces(level1, monkeypatch):
    from sponsorship.bulk import documents

    monkeypatch.setattr(documents, "FLUSH_EVERY", 1)
    for n in range(3):
        assigned_cas(level1, student_id=f"S{n}", passport_number=f"P{n}")
    chunks = list(export_xml(bulk_export_rows_for_user(user=level1), licence_number="T1"))
    assert len(chunks) >= 4
    assert numbers(etree.fromstring(b"".join(chunks))) != []


def test_each_export_is_on_the_audit_trail(level1):
    bulk_export_record(
        actor=level1, statuses=["USED"], assigned_from=None, assigned_to=None, ip="192.0.2.1"
    )
    event = AuditEvent.objects.get(verb=AuditVerb.BULK_EXPORT_CREATED)
    assert event.payload["statuses"] == ["USED"]
    assert event.actor == level1


def test_no_export_while_the_licence_is_suspended(level1, sponsor):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    with pytest.raises(Conflict):
        bulk_export_record(actor=level1, statuses=[], assigned_from=None, assigned_to=None, ip=None)
