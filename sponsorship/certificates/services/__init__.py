"""Every write to certificates."""

from .assignment import certificate_assign, licence_allows_certificates
from .batches import (
    BatchOutcome,
    batch_add_drafts,
    batch_assign,
    batch_create,
    batch_link,
    batch_transfer,
    batch_unlink,
)
from .cas import cas_create, cas_fees_update, cas_update
from .drafts import (
    EDITABLE_FIELDS,
    certificate_copy,
    certificate_create,
    certificate_delete,
    certificate_update,
    clean_values,
)
from .lifecycle import (
    certificate_cancel,
    certificate_mark_used,
    certificate_note_save,
    certificate_record_outcome,
    certificate_withdraw,
    certificates_cancel_on_revocation,
    certificates_expire,
    reusable,
)
from .transfer import certificate_transfer, transfer_recipient

__all__ = [
    "EDITABLE_FIELDS",
    "BatchOutcome",
    "batch_add_drafts",
    "batch_assign",
    "batch_create",
    "batch_link",
    "batch_transfer",
    "batch_unlink",
    "cas_create",
    "cas_fees_update",
    "cas_update",
    "certificate_assign",
    "certificate_cancel",
    "certificate_copy",
    "certificate_create",
    "certificate_delete",
    "certificate_mark_used",
    "certificate_note_save",
    "certificate_record_outcome",
    "certificate_transfer",
    "certificate_update",
    "certificate_withdraw",
    "certificates_cancel_on_revocation",
    "certificates_expire",
    "clean_values",
    "licence_allows_certificates",
    "reusable",
    "transfer_recipient",
]
