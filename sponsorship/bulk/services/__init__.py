"""Every write of bulk data transfer."""

from .exports import bulk_export_record
from .process import bulk_file_process
from .receive import Received, bulk_file_receive

__all__ = ["Received", "bulk_export_record", "bulk_file_process", "bulk_file_receive"]
