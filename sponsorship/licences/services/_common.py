"""Pieces every licence service uses: notifying the people a change concerns, saving evidence,
refusing stale edits, the working-day clock."""

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from sponsorship.core.errors import NotFound, StaleEdit
from sponsorship.core.uploads import CheckedUpload
from sponsorship.core.workingdays import working_days_between
from sponsorship.notifications.services import email_queue

from ..models import EvidenceFile, KeyPerson, KeyPersonRole, LicenceRequest, Sponsor

if TYPE_CHECKING:
    from sponsorship.accounts.models import User


def authorising_officer_email(sponsor: Sponsor) -> str | None:
    person = KeyPerson.objects.filter(
        sponsor=sponsor, role=KeyPersonRole.AUTHORISING_OFFICER
    ).first()
    return person.email if person else None


def level_1_emails(sponsor: Sponsor) -> list[str]:
    from sponsorship.accounts.models import UserLevel, UserStatus

    return list(
        sponsor.users.filter(level=UserLevel.LEVEL_1, status=UserStatus.ACTIVE).values_list(
            "email", flat=True
        )
    )


def notify(
    sponsor: Sponsor, template: str, context: dict[str, Any], recipients: Iterable[str | None]
) -> None:
    """Queue one e-mail to each distinct address (sent when the transaction commits)."""
    seen: set[str] = set()
    for address in recipients:
        if address and address.casefold() not in seen:
            seen.add(address.casefold())
            email_queue(to=address, template=template, context=context, sponsor=sponsor)


def save_evidence(
    request: LicenceRequest, uploads: list[CheckedUpload], *, by: "User", message: Any = None
) -> list[EvidenceFile]:
    saved: list[EvidenceFile] = []
    written: list[str] = []
    try:
        for upload in uploads:
            evidence = EvidenceFile(
                sponsor=request.sponsor,
                request=request,
                message=message,
                original_name=upload.original_name,
                content_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
                uploaded_by=by,
            )
            # Named before writing, so a write that fails half-way can be cleaned up too.
            target = evidence.file.field.generate_filename(evidence, upload.stored_name)
            written.append(target)
            evidence.file.name = evidence.file.storage.save(target, upload.file)
            written[-1] = evidence.file.name
            evidence.save()
            saved.append(evidence)
    except Exception:
        # The rows roll back with the transaction; the files written so far must go too.
        for name in written:
            default_storage.delete(name)
        raise
    return saved


def claim_version(model: type[models.Model], pk: int, version: int | None, **filters: Any) -> None:
    """Take the row's next version, or raise StaleEdit when someone changed it since `version`
    was read (another tab, another person). `version=None` skips the check."""
    rows = model._default_manager.filter(pk=pk, **filters)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=models.F("version") + 1):
        if not model._default_manager.filter(pk=pk, **filters).exists():
            raise NotFound("There is no such record.")
        raise StaleEdit()


def lock_sponsor(sponsor: Sponsor) -> None:
    """Serialise one sponsor's competing submissions ("only one outstanding request"), inside
    the caller's transaction. SQLite's immediate transactions serialise them anyway."""
    Sponsor.objects.select_for_update().filter(pk=sponsor.pk).first()


def today() -> date:
    return timezone.localdate()


def resume_clock(request: LicenceRequest) -> None:
    """The sponsor has answered (or the request is closed): add the working days it waited for
    them to the paused total, so they never count as the Home Office's waiting."""
    if request.paused_since is not None:
        request.paused_working_days += working_days_between(
            timezone.localdate(request.paused_since), today(), request.sponsor.nation
        )
        request.paused_since = None
