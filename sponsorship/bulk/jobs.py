"""Background jobs of bulk data transfer: thin functions django-q2 calls by name."""

from .services import bulk_file_process


def process_bulk_file(bulk_file_id: int, token: str) -> None:
    # Failures are recorded on the file by the service, so there is nothing to retry here.
    bulk_file_process(bulk_file_id=bulk_file_id, token=token)
