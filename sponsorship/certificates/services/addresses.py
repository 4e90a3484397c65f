"""Every write to the sponsor's pre-stored work addresses: add, change, retire. A certificate
keeps its own copy of the address it was given, so none of these ever changes a certificate."""

import re
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Length
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError, Conflict, NotFound, StaleEdit
from sponsorship.licences.models import POSTCODE, Nation, normalise_postcode
from sponsorship.licences.selectors import sponsor_of

from ..models import WorkAddress

if TYPE_CHECKING:
    from sponsorship.accounts.models import User
    from sponsorship.licences.models import Sponsor

IDENTIFIER_PREFIX = "WA"
IDENTIFIER_DIGITS = 4
_IDENTIFIER = re.compile(rf"^{IDENTIFIER_PREFIX}(\d+)$")
# Two users adding an address at the same moment may both compute the same next number; the
# unique constraint refuses the second, which takes the number after. A few tries is plenty.
_IDENTIFIER_ATTEMPTS = 5

# The fields a user writes, with the longest each may be and what to call it in a message.
_TEXT_FIELDS: dict[str, tuple[int, str]] = {
    "name": (100, "The name"),
    "line_1": (200, "Address line 1"),
    "line_2": (200, "Address line 2"),
    "town": (100, "The town or city"),
}
_REQUIRED: dict[str, str] = {
    "line_1": "Enter address line 1 of the work address, usually the building and street",
    "town": "Enter the town or city of the work address",
    "postcode": "Enter the postcode of the work address",
    "nation": "Select which part of the UK the work address is in",
}
POSTCODE_INVALID = "Enter a real UK postcode for the work address, like SW1A 2AA"
NATION_INVALID = "Select England, Wales, Scotland or Northern Ireland"
NUL_CHARACTER = "Remove the NUL character: it cannot be stored"


def _postcode(value: str) -> str:
    """`sw1a2aa` becomes `SW1A 2AA`; raises ApplicationError when it is not a UK postcode."""
    compact = normalise_postcode(value)
    if not POSTCODE.match(compact):
        raise ApplicationError(POSTCODE_INVALID, field="postcode")
    return f"{compact[:-3]} {compact[-3:]}"


def _cleaned(
    *, name: str, line_1: str, line_2: str, town: str, postcode: str, nation: str
) -> dict[str, str]:
    """The values as stored; raises ApplicationError naming every field that is wrong, so a
    form can show them all at once."""
    given = {
        "name": name,
        "line_1": line_1,
        "line_2": line_2,
        "town": town,
        "postcode": postcode,
        "nation": nation,
    }
    cleaned: dict[str, str] = {}
    errors: list[tuple[str, str]] = []
    for field, raw in given.items():
        value = " ".join(str(raw or "").split())
        if "\x00" in value:
            errors.append((field, NUL_CHARACTER))
            continue
        if not value and field in _REQUIRED:
            errors.append((field, _REQUIRED[field]))
            continue
        if field in _TEXT_FIELDS:
            longest, label = _TEXT_FIELDS[field]
            if len(value) > longest:
                errors.append((field, f"{label} must be {longest} characters or fewer"))
                continue
        if field == "postcode":
            try:
                value = _postcode(value)
            except ApplicationError as error:
                errors.append((field, error.message))
                continue
        if field == "nation" and value not in Nation.values:
            errors.append((field, NATION_INVALID))
            continue
        cleaned[field] = value
    if errors:
        raise ApplicationError(errors[0][1], field=errors[0][0], errors=errors)
    return cleaned


def _next_identifier(sponsor: "Sponsor") -> str:
    """WA followed by the number after the sponsor's highest (at least 4 digits: WA0001)."""
    # Longest first, then highest: WA10000 comes after WA9999 though it sorts before it.
    highest = (
        WorkAddress.objects.filter(sponsor=sponsor, identifier__regex=r"^WA[0-9]+$")
        .order_by(Length("identifier").desc(), "-identifier")
        .values_list("identifier", flat=True)
        .first()
    )
    found = _IDENTIFIER.match(highest or "")
    number = int(found.group(1)) + 1 if found else 1
    return f"{IDENTIFIER_PREFIX}{number:0{IDENTIFIER_DIGITS}d}"


def work_address_add(
    *,
    actor: "User",
    name: str,
    line_1: str,
    line_2: str,
    town: str,
    postcode: str,
    nation: str,
    ip: str | None,
) -> WorkAddress:
    """A new work address with the sponsor's next identifier; raises ApplicationError naming
    each field that is wrong."""
    sponsor = sponsor_of(actor)
    cleaned = _cleaned(
        name=name, line_1=line_1, line_2=line_2, town=town, postcode=postcode, nation=nation
    )
    for _ in range(_IDENTIFIER_ATTEMPTS):
        identifier = _next_identifier(sponsor)
        try:
            with transaction.atomic():
                address = WorkAddress.objects.create(
                    sponsor=sponsor, identifier=identifier, created_by=actor, **cleaned
                )
                audit_record(
                    AuditVerb.WORK_ADDRESS_ADDED,
                    actor=actor,
                    sponsor=sponsor,
                    target=Target.of(address),
                    payload={"identifier": identifier, **cleaned},
                    ip_address=ip,
                )
        except IntegrityError:
            # Only a clash on the identifier is worth another try.
            if not WorkAddress.objects.filter(sponsor=sponsor, identifier=identifier).exists():
                raise
            continue
        return address
    raise Conflict(
        "Other work addresses were being added at the same moment. Try again.",
        code="identifier_busy",
    )


def _current(actor: "User", address: WorkAddress) -> WorkAddress:
    """The address as stored now, locked where the database can; NotFound for another
    sponsor's."""
    current = (
        WorkAddress.objects.select_for_update()
        .filter(pk=address.pk, sponsor=sponsor_of(actor))
        .first()
    )
    if current is None:
        raise NotFound("There is no such work address.")
    return current


def _claim(current: WorkAddress, version: int, **values: Any) -> None:
    """Write `values` and the next version, or raise StaleEdit when someone changed or retired
    the address since `version` was read. The conditional update is the guard: SQLite ignores
    the row lock."""
    updated = WorkAddress.objects.filter(
        pk=current.pk, version=version, retired_at__isnull=True
    ).update(version=F("version") + 1, **values)
    if not updated:
        raise StaleEdit()
    current.refresh_from_db()


def work_address_change(
    *,
    actor: "User",
    address: WorkAddress,
    version: int,
    name: str,
    line_1: str,
    line_2: str,
    town: str,
    postcode: str,
    nation: str,
    ip: str | None,
) -> WorkAddress:
    """Change an address in use; its identifier stays, and certificates that copied it keep
    their copy. Raises Conflict when it is retired, StaleEdit when `version` is not current."""
    with transaction.atomic():
        current = _current(actor, address)
        if current.retired_at is not None:
            raise Conflict(
                f"Work address {current.identifier} is retired, so it can no longer be changed. "
                "Add a new work address instead.",
                code="work_address_retired",
            )
        if current.version != version:
            raise StaleEdit()
        cleaned = _cleaned(
            name=name, line_1=line_1, line_2=line_2, town=town, postcode=postcode, nation=nation
        )
        changes = {
            field: {"from": getattr(current, field), "to": value}
            for field, value in cleaned.items()
            if getattr(current, field) != value
        }
        if not changes:
            return current
        _claim(current, version, **cleaned)
        audit_record(
            AuditVerb.WORK_ADDRESS_CHANGED,
            actor=actor,
            sponsor=sponsor_of(actor),
            target=Target.of(current),
            payload={"identifier": current.identifier, "changes": changes},
            ip_address=ip,
        )
    return current


def work_address_retire(
    *, actor: "User", address: WorkAddress, version: int, ip: str | None
) -> WorkAddress:
    """Stop offering an address for new certificates; those that copied it keep their copy.
    Raises Conflict when it is already retired, StaleEdit when `version` is not current."""
    with transaction.atomic():
        current = _current(actor, address)
        if current.retired_at is not None:
            raise Conflict(
                f"Work address {current.identifier} is already retired.",
                code="work_address_retired",
            )
        if current.version != version:
            raise StaleEdit()
        _claim(current, version, retired_at=timezone.now())
        audit_record(
            AuditVerb.WORK_ADDRESS_RETIRED,
            actor=actor,
            sponsor=sponsor_of(actor),
            target=Target.of(current),
            payload={"identifier": current.identifier},
            ip_address=ip,
        )
    return current
