"""What every certificate form is made of: sections of fields, and the fields "mandatory for
assignment" with the words that name each when it is missing. The task list, the check before
assignment, the web forms and the API all read the tables built from these (`cos.py`,
`cas.py`)."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import models

from ..models import CasDetails, Certificate, CertificateKind, CosDetails

CORE_FIELDS = frozenset(f.name for f in Certificate._meta.get_fields())
COS_FIELDS = frozenset(f.name for f in CosDetails._meta.get_fields())
CAS_FIELDS = frozenset(f.name for f in CasDetails._meta.get_fields())

# The table that holds what only one kind of certificate has.
DETAILS_MODEL: dict[str, type[models.Model]] = {
    CertificateKind.COS: CosDetails,
    CertificateKind.CAS: CasDetails,
}


def details_of(certificate: Certificate) -> Any:
    """The certificate's own kind of details: its CoS or its CAS details."""
    return certificate.cos if certificate.kind == CertificateKind.COS else certificate.cas


def model_field(name: str, kind: str = CertificateKind.COS) -> models.Field:
    """The model field behind a field name of the form: on the core or the kind's details."""
    model = Certificate if name in CORE_FIELDS else DETAILS_MODEL[kind]
    return model._meta.get_field(name)  # type: ignore[return-value]


def value_of(certificate: Certificate, name: str) -> Any:
    """A field of the certificate core or of its details, by name."""
    if name in CORE_FIELDS:
        return getattr(certificate, name)
    return getattr(details_of(certificate), name)


def _filled(value: Any) -> bool:
    return value not in (None, "", False)


def _always(certificate: Certificate) -> bool:
    return True


@dataclass(frozen=True)
class Need:
    """A field that must be filled before assignment (when `applies`), and what to say when
    it is not."""

    field: str
    message: str
    applies: Callable[[Certificate], bool] = _always
    # When set, decides whether the need is met (for "one of these" fields).
    met: Callable[[Certificate], bool] | None = None

    def missing(self, certificate: Certificate) -> bool:
        if not self.applies(certificate):
            return False
        if self.met is not None:
            return not self.met(certificate)
        return not _filled(value_of(certificate, self.field))


class SectionStatus(StrEnum):
    COMPLETED = "Completed"
    INCOMPLETE = "Incomplete"
    NOT_STARTED = "Not yet started"
    OPTIONAL = "Optional"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[str, ...]
    needs: tuple[Need, ...] = ()

    def missing(self, certificate: Certificate) -> list[Need]:
        return [need for need in self.needs if need.missing(certificate)]

    def status(self, certificate: Certificate) -> SectionStatus:
        started = any(_filled(value_of(certificate, name)) for name in self.fields)
        if not self.missing(certificate):
            if started or any(need.applies(certificate) for need in self.needs):
                return SectionStatus.COMPLETED
            return SectionStatus.OPTIONAL
        return SectionStatus.INCOMPLETE if started else SectionStatus.NOT_STARTED
