"""Background jobs of record keeping: thin functions django-q2 calls by name."""

from .services import evidence_pack_build


def build_evidence_pack(pack_id: int) -> None:
    # Failures are recorded on the pack by the service, so there is nothing to retry here.
    evidence_pack_build(pack_id=pack_id)
