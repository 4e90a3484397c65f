"""Batches and Creative Worker groups (DOMAIN.md "Certificate of Sponsorship"): drafts made
together (for a list of people, optionally based on one certificate), linked and unlinked,
assigned together, and handed to another user together.

A batch holds certificates of one kind (`Batch.certificate_kind`): CoS, or CAS for a university
or college preparing its students' CAS together. A batch assigns each ready draft on its own; a
group (Creative Worker certificates only) is all or nothing, because a cast or a band travels
together."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import (
    AllocationExhausted,
    ApplicationError,
    Conflict,
    NotFound,
    NotReady,
    StaleEdit,
)
from sponsorship.licences.models import ROUTE_GROUPS, Route, RouteGroup

from ..checks import allocation_message, assignment_check
from ..models import (
    Batch,
    BatchKind,
    Certificate,
    CertificateAction,
    CertificateKind,
    CertificateStatus,
)
from ..sections import CAS_SECTIONS
from ._common import claim, record
from .assignment import certificate_assign, licence_allows_certificates
from .cas import cas_create
from .drafts import certificate_copy, certificate_create
from .transfer import transfer_recipient

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

MAX_NAMES = 100
# Who the drafts of each kind of batch are for, in messages.
PERSON: dict[str, str] = {CertificateKind.COS: "worker", CertificateKind.CAS: "student"}
# The details table of each kind, read with the drafts to check them.
DETAILS: dict[str, str] = {CertificateKind.COS: "cos", CertificateKind.CAS: "cas"}


def _audit(verb: AuditVerb, actor: "User", batch: Batch, ip: str | None, **payload: object) -> None:
    audit_record(
        verb,
        actor=actor,
        sponsor=batch.sponsor,
        target=Target.of(batch),
        payload=payload,
        ip_address=ip,
    )


def _claim(batch: Batch, version: int | None) -> None:
    rows = Batch.objects.filter(pk=batch.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1):
        raise StaleEdit()
    batch.version = Batch.objects.values_list("version", flat=True).get(pk=batch.pk)


def batch_create(
    *,
    actor: "User",
    kind: str,
    name: str,
    ip: str | None,
    certificate_kind: str = CertificateKind.COS,
) -> Batch:
    """A new, empty batch (of CoS or of CAS) or Creative Worker group, owned by its
    creator."""
    name = name.strip()
    if certificate_kind not in CertificateKind.values:
        raise ApplicationError("Choose certificates of sponsorship or CAS", field="kind")
    if kind not in BatchKind.values:
        raise ApplicationError("Choose a batch or a Creative Worker group", field="kind")
    if not name or len(name) > 100:
        example = "Winter tour 2027" if certificate_kind == CertificateKind.COS else "MSc 2027"
        raise ApplicationError(
            f"Enter a name for it, in up to 100 characters, like '{example}'", field="name"
        )
    sponsor = actor.sponsor
    if sponsor is None:
        raise NotFound("This is for sponsor users only.")
    if kind == BatchKind.GROUP and certificate_kind == CertificateKind.CAS:
        raise ApplicationError(
            "Groups are for Creative Worker certificates only: CAS are prepared in batches",
            field="kind",
        )
    if kind == BatchKind.GROUP and Route.CREATIVE_WORKER not in sponsor.route_codes:
        raise ApplicationError(
            "Groups are for the Creative Worker route, which your licence does not include",
            field="kind",
        )
    with transaction.atomic():
        batch = Batch.objects.create(
            sponsor=sponsor,
            kind=kind,
            certificate_kind=certificate_kind,
            name=name,
            owner=actor,
            created_by=actor,
        )
        _audit(
            AuditVerb.BATCH_CREATED,
            actor,
            batch,
            ip,
            kind=kind,
            certificate_kind=certificate_kind,
            name=name,
        )
    return batch


def _family_names(text: str, person: str = "worker") -> list[str]:
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        raise ApplicationError(
            f"Enter the family name of each {person}, one on each line", field="family_names"
        )
    if len(names) > MAX_NAMES:
        raise ApplicationError(
            f"Add up to {MAX_NAMES} {person}s at a time (you entered {len(names)})",
            field="family_names",
        )
    long = next((n for n in names if len(n) > 100), None)
    if long:
        raise ApplicationError(
            f"'{long[:30]}…' is too long for a family name: 100 characters at most",
            field="family_names",
        )
    return names


def _fits_group(batch: Batch, route: str) -> None:
    if batch.is_group and route != Route.CREATIVE_WORKER:
        raise ApplicationError("A group holds Creative Worker certificates only", field="route")


def _fits_kind(batch: Batch, certificate: Certificate, field: str) -> None:
    """A batch of CAS holds only CAS, and a batch of CoS only CoS."""
    if certificate.kind == batch.certificate_kind:
        return
    if batch.certificate_kind == CertificateKind.CAS:
        raise ApplicationError("This batch holds CAS only: choose a CAS", field=field)
    raise ApplicationError(
        "This batch holds certificates of sponsorship only: choose a certificate", field=field
    )


# Copied into a CAS made "based on" another: the course, where it is studied, the fees and
# ATAS; nothing about the student (DOMAIN.md: a copy is for another person).
_CAS_COPIED_SECTIONS = ("course", "study_address", "atas", "fees")


def _cas_copy(
    *, actor: "User", source: Certificate, family_name: str, ip: str | None
) -> Certificate:
    """A new CAS draft with the course, study address, ATAS and fees of `source`, for another
    student."""
    copied = {
        name: getattr(source.cas, name)
        for section in CAS_SECTIONS
        if section.key in _CAS_COPIED_SECTIONS
        for name in section.fields
    }
    with transaction.atomic():
        certificate = cas_create(
            actor=actor,
            route=source.route,
            values={"family_name": family_name, **copied},
            ip=ip,
        )
        certificate.based_on = source
        certificate.cas.study_address_id = source.cas.study_address_id
        certificate.save(update_fields=["based_on"])
        certificate.cas.save(update_fields=["study_address"])
    return certificate


def _new_draft(
    actor: "User", batch: Batch, name: str, route: str, category: str, ip: str | None
) -> Certificate:
    if batch.certificate_kind == CertificateKind.CAS:
        return cas_create(actor=actor, route=route, values={"family_name": name}, ip=ip)
    return certificate_create(
        actor=actor, route=route, category=category, values={"family_name": name}, ip=ip
    )


def _check_route(batch: Batch, route: str) -> None:
    """Without a CAS to copy, a batch of CAS needs Student or Child Student. (A CoS's route is
    checked by `certificate_create`.)"""
    if (
        batch.certificate_kind == CertificateKind.CAS
        and ROUTE_GROUPS.get(route) != RouteGroup.STUDENT
    ):
        raise ApplicationError(
            "Select Student or Child Student, or give a CAS to base them on", field="route"
        )


def batch_add_drafts(
    *,
    actor: "User",
    batch: Batch,
    family_names: str,
    route: str,
    category: str,
    based_on: Certificate | None,
    ip: str | None,
) -> list[Certificate]:
    """One draft per family name, in the batch. Based on a certificate, each has its job, work
    and PAYE details (a CAS: its course, study address, ATAS and fees); otherwise only the
    route, the category (a CoS) and the name. Never anything about the person copied."""
    names = _family_names(family_names, PERSON[batch.certificate_kind])
    if based_on is not None:
        _fits_kind(batch, based_on, "based_on")
    else:
        _check_route(batch, route)
    _fits_group(batch, based_on.route if based_on else route)
    copy = _cas_copy if batch.certificate_kind == CertificateKind.CAS else certificate_copy
    with transaction.atomic():
        made = []
        for name in names:
            if based_on is not None:
                draft = copy(actor=actor, source=based_on, family_name=name, ip=ip)
            else:
                draft = _new_draft(actor, batch, name, route, category, ip)
            draft.batch = batch
            draft.save(update_fields=["batch"])
            made.append(draft)
        _audit(
            AuditVerb.BATCH_CHANGED,
            actor,
            batch,
            ip,
            added=[c.pk for c in made],
            based_on=based_on and based_on.pk,
        )
    return made


def batch_link(
    *, actor: "User", batch: Batch, certificate: Certificate, ip: str | None
) -> Certificate:
    """Put one of your drafts into the batch or group."""
    _fits_kind(batch, certificate, "certificate_id")
    if not certificate.is_draft:
        raise ApplicationError(
            f"{'CAS' if certificate.kind == CertificateKind.CAS else 'Certificate'} "
            f"{certificate.reference} is already "
            f"{certificate.get_status_display().lower()}: only drafts can be added",
            field="certificate_id",
        )
    if certificate.batch_id not in (None, batch.pk):
        raise ApplicationError(
            f"The draft for {certificate.full_name} is already in another batch or group. "
            "Take it out of that one first",
            field="certificate_id",
        )
    _fits_group(batch, certificate.route)
    with transaction.atomic():
        if not Certificate.objects.filter(
            pk=certificate.pk, status=CertificateStatus.DRAFT, batch__isnull=True
        ).update(batch=batch, version=F("version") + 1):
            raise Conflict("This draft has changed since you opened the page. Try again.")
        certificate.batch = batch
        _audit(AuditVerb.BATCH_CHANGED, actor, batch, ip, linked=certificate.pk)
    return certificate


def batch_unlink(
    *, actor: "User", batch: Batch, certificate: Certificate, ip: str | None
) -> Certificate:
    """Take a draft out of the batch or group; it stays a draft of its own."""
    if certificate.batch_id != batch.pk:
        raise NotFound("That certificate is not in this batch or group.")
    if not certificate.is_draft:
        raise ApplicationError(
            "Assigned certificates stay with the batch they were assigned in",
            field="certificate_id",
        )
    with transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(batch=None, version=F("version") + 1)
        certificate.batch = None
        _audit(AuditVerb.BATCH_CHANGED, actor, batch, ip, unlinked=certificate.pk)
    return certificate


@dataclass
class BatchOutcome:
    """What assigning a batch did to each of its drafts."""

    assigned: list[Certificate] = field(default_factory=list)
    # Each draft left unassigned, with every reason.
    refused: list[tuple[Certificate, list[str]]] = field(default_factory=list)


def _drafts_of(batch: Batch) -> list[Certificate]:
    return list(
        Certificate.objects.filter(batch=batch, status=CertificateStatus.DRAFT)
        .select_related("sponsor", DETAILS[batch.certificate_kind], "defined_request")
        .order_by("pk")
    )


def batch_assign(
    *, actor: "User", batch: Batch, version: int | None, ip: str | None
) -> BatchOutcome:
    """A batch: assign every ready draft, in the order they were made, each in its own
    transaction; once the allocation runs out, the rest are refused with its message.
    A group: assign every draft in one transaction, or none, saying why."""
    drafts = _drafts_of(batch)
    if not drafts:
        raise ApplicationError("There are no drafts to assign in it", field="batch")
    licence_allows_certificates(drafts[0])
    _claim(batch, version)
    outcome = BatchOutcome()
    if batch.is_group:
        _assign_group(actor, batch, drafts, ip, outcome)
    else:
        exhausted = False
        for draft in drafts:
            if exhausted:
                # Still say what each one lacks: it needs that as well as an allocation.
                missing = _field_errors(draft)
                outcome.refused.append((draft, missing or [allocation_message(draft.route)]))
                continue
            try:
                outcome.assigned.append(
                    certificate_assign(actor=actor, certificate=draft, version=None, ip=ip)
                )
            except AllocationExhausted as error:
                exhausted = True
                outcome.refused.append((draft, [error.message]))
            except NotReady as error:
                outcome.refused.append((draft, [message for _, message in error.errors]))
            except Conflict as error:
                outcome.refused.append((draft, [error.message]))
    _audit(
        AuditVerb.BATCH_ASSIGNED,
        actor,
        batch,
        ip,
        assigned=[c.number for c in outcome.assigned],
        refused=[c.pk for c, _ in outcome.refused],
    )
    return outcome


def _field_errors(draft: Certificate) -> list[str]:
    return [f.message for f in assignment_check(draft, timezone.localdate()).errors if f.field]


def _assign_group(
    actor: "User", batch: Batch, drafts: list[Certificate], ip: str | None, outcome: BatchOutcome
) -> None:
    for draft in drafts:
        errors = _field_errors(draft)
        if errors:
            outcome.refused.append((draft, errors))
    if outcome.refused:
        return
    try:
        with transaction.atomic():
            for draft in drafts:
                outcome.assigned.append(
                    certificate_assign(actor=actor, certificate=draft, version=None, ip=ip)
                )
    except AllocationExhausted:
        # Nothing of the group was kept: say so for every member.
        outcome.assigned.clear()
        message = (
            f"The group needs {len(drafts)} certificates and your allocation has fewer left. "
            "None were assigned. Request an increase to your allocation."
        )
        outcome.refused = [(draft, [message]) for draft in drafts]
        for draft in drafts:
            draft.refresh_from_db()


def batch_transfer(
    *, actor: "User", batch: Batch, version: int | None, to_user_id: int | None, ip: str | None
) -> Batch:
    """Give the batch or group, and every certificate in it, to another user."""
    recipient = transfer_recipient(actor, to_user_id)
    if recipient.pk == batch.owner_id:
        raise ApplicationError(f"{recipient.full_name} already owns it", field="to_user")
    with transaction.atomic():
        _claim(batch, version)
        previous = batch.owner
        batch.owner = recipient
        batch.save(update_fields=["owner"])
        text = (
            f"With {batch.get_kind_display().lower()} {batch.name}, from {previous.full_name} "
            f"to {recipient.full_name} ({recipient.username})."
        )
        for certificate in (
            Certificate.objects.filter(batch=batch)
            .exclude(owner=recipient)
            .select_related("sponsor")
        ):
            claim(certificate, None)
            certificate.owner = recipient
            certificate.save(update_fields=["owner"])
            record(
                certificate,
                CertificateAction.TRANSFERRED,
                AuditVerb.CERTIFICATE_TRANSFERRED,
                actor=actor,
                text=text,
                ip=ip,
            )
        _audit(
            AuditVerb.BATCH_TRANSFERRED,
            actor,
            batch,
            ip,
            to=recipient.username,
            previous=previous.username,
        )
    return batch
