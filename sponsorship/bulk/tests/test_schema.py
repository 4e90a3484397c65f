"""The published schema: served to anyone at a stable address, and in step with what the
service reads from each record (elements.py) and with the CAS's own choices."""

from lxml import etree  # type: ignore[import-untyped]

from sponsorship.certificates.models import AcademicLevel, CefrLevel, CertificateStatus, Sex
from sponsorship.duties.kinds import REPORT_FIELDS, STUDENT_EVENT_KINDS, EventKind
from sponsorship.licences.models import Nation

from ..elements import ANSWERS, APPLICANT, EVENT_TYPES, FEE_UPDATE, GRADUATE, STUDENT_ACTIVITY
from ..xmlfiles import SCHEMA_FILE, SCHEMA_PATH, SHAPES

XS = {"xs": "http://www.w3.org/2001/XMLSchema"}
SCHEMA = etree.parse(str(SCHEMA_FILE))


def declared(type_name: str) -> dict[str, bool]:
    """The elements of a record type: name -> required."""
    elements = SCHEMA.findall(f"xs:complexType[@name='{type_name}']/xs:all/xs:element", XS)
    return {e.get("name"): e.get("minOccurs", "1") != "0" for e in elements}


def enumeration(type_name: str) -> list[str]:
    return [
        e.get("value")
        for e in SCHEMA.findall(
            f"xs:simpleType[@name='{type_name}']/xs:restriction/xs:enumeration", XS
        )
    ]


def test_the_schema_is_served_to_anyone_as_xml(client):
    response = client.get(SCHEMA_PATH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == SCHEMA_FILE.read_bytes()
    assert etree.XMLSchema(etree.fromstring(response.content)) is not None


def test_each_record_type_has_the_elements_the_service_reads():
    for type_name, elements in (
        ("ApplicantType", APPLICANT),
        ("FeeUpdateType", FEE_UPDATE),
        ("StudentActivityType", STUDENT_ACTIVITY),
        ("GraduateType", GRADUATE),
    ):
        assert declared(type_name) == {e.name: e.required for e in elements}, type_name


def test_each_kind_of_file_has_its_root_file_id_and_record_element():
    for shape in SHAPES.values():
        root = SCHEMA.find(f"xs:element[@name='{shape.root}']", XS)
        sequence = root.findall("xs:complexType/xs:sequence/xs:element", XS)
        assert sequence[0].get("name") == shape.file_id
        assert sequence[1].get("ref") == shape.record
        assert SCHEMA.find(f"xs:element[@name='{shape.record}']", XS) is not None


def test_the_choices_are_the_cas_choices():
    by_name = {e.name: e for e in APPLICANT}
    assert (
        enumeration("AcademicLevelType")
        == AcademicLevel.values
        == list(by_name["AcademicLevel"].choices)
    )
    assert enumeration("CefrLevelType") == CefrLevel.values
    assert enumeration("SexType") == Sex.values
    assert enumeration("NationType") == Nation.values
    exported = [s for s in CertificateStatus.values if s != CertificateStatus.DRAFT]
    assert enumeration("CasStatusType") == exported


def test_a_bulk_report_asks_what_the_report_forms_ask():
    assert enumeration("StudentEventType") == list(EVENT_TYPES)
    reportable = [k for k in STUDENT_EVENT_KINDS if k != EventKind.GRADUATED]
    assert list(EVENT_TYPES) == [k.value for k in reportable]
    questions = {f.name for kind in STUDENT_EVENT_KINDS for f in REPORT_FIELDS[kind]}
    assert questions == {e.field for e in ANSWERS}
    assert [f.name for f in REPORT_FIELDS[EventKind.GRADUATED]] == ["qualification"]


def test_the_documentation_names_every_element():
    from django.conf import settings

    documentation = (settings.BASE_DIR / "docs" / "bulk-xml.md").read_text(encoding="utf-8")
    for elements in (APPLICANT, FEE_UPDATE, STUDENT_ACTIVITY, GRADUATE):
        for element in elements:
            assert f"`{element.name}`" in documentation, element.name
    for shape in SHAPES.values():
        assert f"`{shape.root}`" in documentation
        assert f"`{shape.file_id}`" in documentation
