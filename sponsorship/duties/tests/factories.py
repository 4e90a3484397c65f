"""Sponsored workers made the way the service makes them: a certificate assigned, then marked
used by the Home Office, which puts the worker on the register."""

from datetime import date
from typing import Any

from sponsorship.accounts.tests.factories import CaseworkerFactory
from sponsorship.certificates.services import certificate_mark_used
from sponsorship.certificates.tests.factories import assigned_certificate

from ..models import Worker


def sponsored_worker(owner: Any, *, start_date: date | None = None, **fields: Any) -> Worker:
    """A worker on the register, owned by `owner`; `fields` as for the certificate factory."""
    if start_date is not None:
        fields["start_date"] = start_date
    certificate = assigned_certificate(owner, **fields)
    caseworker: Any = CaseworkerFactory()
    certificate_mark_used(actor=caseworker, certificate=certificate, ip=None)
    return Worker.objects.select_related("certificate", "sponsor").get(certificate=certificate)
