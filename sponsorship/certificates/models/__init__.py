from .addresses import WorkAddress
from .batches import Batch, BatchKind
from .certificates import (
    FINAL_OUTCOMES,
    LIVE_STATUSES,
    ApplicationOutcome,
    Certificate,
    CertificateKind,
    CertificateStatus,
    CosCategory,
    CosDetails,
    SalaryOption,
    SalaryPeriod,
    Sex,
    SkillsCharge,
    name_key,
    normalise_reference,
)
from .history import CertificateAction, CertificateEvent

__all__ = [
    "FINAL_OUTCOMES",
    "LIVE_STATUSES",
    "ApplicationOutcome",
    "Batch",
    "BatchKind",
    "Certificate",
    "CertificateAction",
    "CertificateEvent",
    "CertificateKind",
    "CertificateStatus",
    "CosCategory",
    "CosDetails",
    "SalaryOption",
    "SalaryPeriod",
    "Sex",
    "SkillsCharge",
    "WorkAddress",
    "name_key",
    "normalise_reference",
]
