"""Sponsored workers and students made the way the service makes them: a certificate (or CAS)
assigned, then marked used by the Home Office, which puts them on the register."""

from datetime import date
from typing import Any

from sponsorship.accounts.tests.factories import CaseworkerFactory
from sponsorship.certificates.services import certificate_mark_used
from sponsorship.certificates.tests.factories import assigned_cas, assigned_certificate

from ..models import Worker


def sponsored_worker(owner: Any, *, start_date: date | None = None, **fields: Any) -> Worker:
    """A worker on the register, owned by `owner`; `fields` as for the certificate factory."""
    if start_date is not None:
        fields["start_date"] = start_date
    certificate = assigned_certificate(owner, **fields)
    caseworker: Any = CaseworkerFactory()
    certificate_mark_used(actor=caseworker, certificate=certificate, ip=None)
    return Worker.objects.select_related("certificate", "sponsor").get(certificate=certificate)


def sponsored_student(
    owner: Any, *, course_start_date: date | None = date(2026, 9, 14), **fields: Any
) -> Worker:
    """A student on the register, owned by `owner` (whose sponsor needs the Student route);
    `fields` as for the CAS factory. By default the course started on Monday 14 September 2026
    in Scotland (Aberdeen) and runs to Friday 10 September 2027."""
    fields.setdefault("course_end_date", date(2027, 9, 10))
    certificate = assigned_cas(owner, course_start_date=course_start_date, **fields)
    caseworker: Any = CaseworkerFactory()
    certificate_mark_used(actor=caseworker, certificate=certificate, ip=None)
    return Worker.objects.select_related("certificate", "sponsor").get(certificate=certificate)
