"""The sections of each kind of certificate form, and what assignment needs."""

from ..models import Certificate, CertificateKind
from .base import (
    CAS_FIELDS,
    CORE_FIELDS,
    COS_FIELDS,
    Need,
    Section,
    SectionStatus,
    details_of,
    model_field,
    value_of,
)
from .cas import CAS_SECTIONS, FEE_FIELDS, FEE_NEEDS
from .cos import COS_SECTIONS, SECTIONS_BY_KEY

SECTIONS: dict[str, tuple[Section, ...]] = {
    CertificateKind.COS: COS_SECTIONS,
    CertificateKind.CAS: CAS_SECTIONS,
}


def section_for(kind: str, key: str) -> Section | None:
    return next((section for section in SECTIONS[kind] if section.key == key), None)


def missing_needs(certificate: Certificate) -> list[Need]:
    return [need for section in SECTIONS[certificate.kind] for need in section.missing(certificate)]


__all__ = [
    "CAS_FIELDS",
    "CAS_SECTIONS",
    "CORE_FIELDS",
    "COS_FIELDS",
    "COS_SECTIONS",
    "FEE_FIELDS",
    "FEE_NEEDS",
    "SECTIONS",
    "SECTIONS_BY_KEY",
    "Need",
    "Section",
    "SectionStatus",
    "details_of",
    "missing_needs",
    "model_field",
    "section_for",
    "value_of",
]
