from .addresses import WorkAddress
from .batches import Batch
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
)
from .history import CertificateAction, CertificateEvent

__all__ = [
    "FINAL_OUTCOMES",
    "LIVE_STATUSES",
    "ApplicationOutcome",
    "Batch",
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
]
