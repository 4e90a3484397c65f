"""Every write to the sponsor's pre-stored addresses: work addresses (WA0001...) a certificate's
main work address can be copied from, and study addresses (SA0001...) a CAS's main study
address can be copied from. Add, change, retire. A certificate keeps its own copy of the address
it was given, so none of these ever changes a certificate."""

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

from ..models import AddressPurpose, WorkAddress

if TYPE_CHECKING:
    from sponsorship.accounts.models import User
    from sponsorship.licences.models import Sponsor

WORK = AddressPurpose.WORK
# Each purpose's identifiers: the letters, then at least 4 digits (WA0001, SA0001).
IDENTIFIER_PREFIXES: dict[str, str] = {AddressPurpose.WORK: "WA", AddressPurpose.STUDY: "SA"}
IDENTIFIER_DIGITS = 4
# Two users adding an address at the same moment may both compute the same next number; the
# unique constraint refuses the second, which takes the number after. A few tries is plenty.
_IDENTIFIER_ATTEMPTS = 5
# What is written to the audit trail when each kind of address is added, changed or retired.
_VERBS: dict[str, tuple[AuditVerb, AuditVerb, AuditVerb]] = {
    AddressPurpose.WORK: (
        AuditVerb.WORK_ADDRESS_ADDED,
        AuditVerb.WORK_ADDRESS_CHANGED,
        AuditVerb.WORK_ADDRESS_RETIRED,
    ),
    AddressPurpose.STUDY: (
        AuditVerb.STUDY_ADDRESS_ADDED,
        AuditVerb.STUDY_ADDRESS_CHANGED,
        AuditVerb.STUDY_ADDRESS_RETIRED,
    ),
}

# The fields a user writes, with the longest each may be and what to call it in a message.
_TEXT_FIELDS: dict[str, tuple[int, str]] = {
    "name": (100, "The name"),
    "line_1": (200, "Address line 1"),
    "line_2": (200, "Address line 2"),
    "town": (100, "The town or city"),
}
# What to say when a field is missing; `{what}` is "work address" or "study address".
_REQUIRED: dict[str, str] = {
    "line_1": "Enter address line 1 of the {what}, usually the building and street",
    "town": "Enter the town or city of the {what}",
    "postcode": "Enter the postcode of the {what}",
    "nation": "Select which part of the UK the {what} is in",
}
_POSTCODE_INVALID = "Enter a real UK postcode for the {what}, like SW1A 2AA"
POSTCODE_INVALID = _POSTCODE_INVALID.format(what="work address")
NATION_INVALID = "Select England, Wales, Scotland or Northern Ireland"
NUL_CHARACTER = "Remove the NUL character: it cannot be stored"


def _what(purpose: str) -> str:
    """'work address' or 'study address'."""
    return AddressPurpose(purpose).label.lower()


def _postcode(value: str, purpose: str = WORK) -> str:
    """`sw1a2aa` becomes `SW1A 2AA`; raises ApplicationError when it is not a UK postcode."""
    compact = normalise_postcode(value)
    if not POSTCODE.match(compact):
        raise ApplicationError(_POSTCODE_INVALID.format(what=_what(purpose)), field="postcode")
    return f"{compact[:-3]} {compact[-3:]}"


def _cleaned(
    *,
    name: str,
    line_1: str,
    line_2: str,
    town: str,
    postcode: str,
    nation: str,
    purpose: str = WORK,
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
            errors.append((field, _REQUIRED[field].format(what=_what(purpose))))
            continue
        if field in _TEXT_FIELDS:
            longest, label = _TEXT_FIELDS[field]
            if len(value) > longest:
                errors.append((field, f"{label} must be {longest} characters or fewer"))
                continue
        if field == "postcode":
            try:
                value = _postcode(value, purpose)
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


def _next_with_prefix(sponsor: "Sponsor", prefix: str) -> str:
    """`prefix` followed by the number after the sponsor's highest of that prefix (at least 4
    digits: WA0001)."""
    # Longest first, then highest: WA10000 comes after WA9999 though it sorts before it.
    highest = (
        WorkAddress.objects.filter(sponsor=sponsor, identifier__regex=rf"^{prefix}[0-9]+$")
        .order_by(Length("identifier").desc(), "-identifier")
        .values_list("identifier", flat=True)
        .first()
    )
    found = re.match(rf"^{prefix}(\d+)$", highest or "")
    number = int(found.group(1)) + 1 if found else 1
    return f"{prefix}{number:0{IDENTIFIER_DIGITS}d}"


def _next_identifier(sponsor: "Sponsor") -> str:
    """The sponsor's next work address identifier: WA0001, WA0002..."""
    return _next_with_prefix(sponsor, IDENTIFIER_PREFIXES[AddressPurpose.WORK])


def _next_study_identifier(sponsor: "Sponsor") -> str:
    """The sponsor's next study address identifier: SA0001, SA0002..."""
    return _next_with_prefix(sponsor, IDENTIFIER_PREFIXES[AddressPurpose.STUDY])


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
    purpose: str = WORK,
) -> WorkAddress:
    """A new work address (or, with purpose STUDY, study address) with the sponsor's next
    identifier; raises ApplicationError naming each field that is wrong."""
    sponsor = sponsor_of(actor)
    cleaned = _cleaned(
        name=name,
        line_1=line_1,
        line_2=line_2,
        town=town,
        postcode=postcode,
        nation=nation,
        purpose=purpose,
    )
    added, _, _ = _VERBS[purpose]
    for _ in range(_IDENTIFIER_ATTEMPTS):
        identifier = (
            _next_study_identifier(sponsor)
            if purpose == AddressPurpose.STUDY
            else _next_identifier(sponsor)
        )
        try:
            with transaction.atomic():
                address = WorkAddress.objects.create(
                    sponsor=sponsor,
                    purpose=purpose,
                    identifier=identifier,
                    created_by=actor,
                    **cleaned,
                )
                audit_record(
                    added,
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
        f"Other {_what(purpose)}es were being added at the same moment. Try again.",
        code="identifier_busy",
    )


def _current(actor: "User", address: WorkAddress) -> WorkAddress:
    """The address as stored now, locked where the database can; NotFound for another
    sponsor's."""
    current = (
        WorkAddress.objects.select_for_update()
        .filter(pk=address.pk, sponsor=sponsor_of(actor), purpose=address.purpose)
        .first()
    )
    if current is None:
        raise NotFound(f"There is no such {_what(address.purpose)}.")
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


def _retired_code(address: WorkAddress) -> str:
    return f"{address.purpose.lower()}_address_retired"


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
    """Change a work or study address in use; its identifier stays, and certificates that
    copied it keep their copy. Raises Conflict when it is retired, StaleEdit when `version` is
    not current."""
    with transaction.atomic():
        current = _current(actor, address)
        what = AddressPurpose(current.purpose).label
        if current.retired_at is not None:
            raise Conflict(
                f"{what} {current.identifier} is retired, so it can no longer be changed. "
                f"Add a new {what.lower()} instead.",
                code=_retired_code(current),
            )
        if current.version != version:
            raise StaleEdit()
        cleaned = _cleaned(
            name=name,
            line_1=line_1,
            line_2=line_2,
            town=town,
            postcode=postcode,
            nation=nation,
            purpose=current.purpose,
        )
        changes = {
            field: {"from": getattr(current, field), "to": value}
            for field, value in cleaned.items()
            if getattr(current, field) != value
        }
        if not changes:
            return current
        _claim(current, version, **cleaned)
        _, changed, _ = _VERBS[current.purpose]
        audit_record(
            changed,
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
    """Stop offering a work or study address for new certificates; those that copied it keep
    their copy. Raises Conflict when it is already retired, StaleEdit when `version` is not
    current."""
    with transaction.atomic():
        current = _current(actor, address)
        if current.retired_at is not None:
            raise Conflict(
                f"{AddressPurpose(current.purpose).label} {current.identifier} is already retired.",
                code=_retired_code(current),
            )
        if current.version != version:
            raise StaleEdit()
        _claim(current, version, retired_at=timezone.now())
        _, _, retired = _VERBS[current.purpose]
        audit_record(
            retired,
            actor=actor,
            sponsor=sponsor_of(actor),
            target=Target.of(current),
            payload={"identifier": current.identifier},
            ip_address=ip,
        )
    return current
