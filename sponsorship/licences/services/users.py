"""Level 1 users manage the users of their licence (DOMAIN.md "Actors")."""

import secrets
import string
import unicodedata
from dataclasses import asdict, dataclass

from django.db import transaction

from sponsorship.accounts.models import User, UserLevel, UserStatus
from sponsorship.accounts.services import temporary_password
from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError, NotFound, NotPermitted

from ..models import LicenceRequest, RequestKind, SettledWorkerException, Sponsor
from ..selectors import sponsor_of
from ._common import authorising_officer_email, claim_version, notify

_USER_ID_CHARACTERS = frozenset(string.ascii_uppercase + string.digits)
# Letters with no accent to strip, so NFKD leaves them alone.
_UNDECOMPOSED = str.maketrans({"Ł": "L", "Ø": "O", "Đ": "D", "Æ": "AE", "Œ": "OE", "Þ": "TH"})
# Amending these on a Level 1 user's own account needs a caseworker's approval.
APPROVED_FIELDS = ("given_names", "family_name", "email")
# Statuses that hold on to an e-mail address: a new user may not share it.
_ADDRESS_HOLDING = (UserStatus.ACTIVE, UserStatus.REQUESTED)


@dataclass(frozen=True)
class UserDetails:
    given_names: str
    family_name: str
    email: str
    job_title: str
    phone: str
    work_address_line_1: str
    work_town: str
    work_postcode: str
    is_settled_worker: bool


def _details_of(user: User) -> UserDetails:
    return UserDetails(
        **{field: getattr(user, field) for field in UserDetails.__dataclass_fields__}
    )


FIELD_LABELS = {
    "given_names": "given names",
    "family_name": "family name",
    "email": "e-mail address",
    "job_title": "job title",
    "phone": "phone number",
    "work_address_line_1": "work address",
    "work_town": "work town",
    "work_postcode": "work postcode",
    "is_settled_worker": "settled worker status",
}


def _labels(fields: dict[str, object]) -> list[str]:
    return [FIELD_LABELS[f] for f in fields]


def _ensure_email_free(email: str, *, except_user_id: int | None = None) -> None:
    """DOMAIN.md: e-mail addresses are personal; no two active users share one."""
    taken = User.objects.filter(email__iexact=email.strip(), status__in=_ADDRESS_HOLDING)
    if except_user_id is not None:
        taken = taken.exclude(pk=except_user_id)
    if taken.exists():
        raise ApplicationError(
            "This e-mail address is already used by another user. Each user needs their own "
            "personal work e-mail address, not a shared mailbox.",
            field="email",
        )


def _new_user_id(details: UserDetails) -> str:
    """Initial and family name in capitals plus digits, like the original: ZHARTLEY1."""
    # Plain A-Z and digits only, so anyone can type it: Seán Ó Súilleabháin is SOSUILLE.
    name = details.given_names[:1] + details.family_name
    name = unicodedata.normalize("NFKD", name.upper().translate(_UNDECOMPOSED))
    stem = "".join(c for c in name if c in _USER_ID_CHARACTERS)
    stem = (stem or "USER")[:8].ljust(5, "X")
    for _ in range(50):
        candidate = f"{stem}{secrets.randbelow(90) + 1}"
        if not User.objects.filter(username=candidate).exists():
            return candidate
    return f"{stem[:4]}{secrets.randbelow(10**8):08d}"


def _settled_level_1_remains(sponsor: Sponsor, *, without_user_id: int) -> bool:
    """DOMAIN.md "Actors": at least one active Level 1 user must be a settled worker, unless
    the licence has one of the exceptions."""
    if sponsor.settled_worker_exception != SettledWorkerException.NONE:
        return True
    return (
        User.objects.filter(
            sponsor=sponsor,
            level=UserLevel.LEVEL_1,
            status=UserStatus.ACTIVE,
            is_settled_worker=True,
        )
        .exclude(pk=without_user_id)
        .exists()
    )


def _user_of_sponsor(actor: User, user_id: int) -> User:
    user = User.objects.select_for_update().filter(pk=user_id, sponsor=sponsor_of(actor)).first()
    if user is None:
        raise NotFound("There is no such user.")
    return user


def _create(details: UserDetails, sponsor: Sponsor, level: str, status: str) -> User:
    return User.objects.create_user(
        username=_new_user_id(details),
        password=None,
        sponsor=sponsor,
        level=level,
        status=status,
        must_change_password=True,
        **asdict(details),
    )


def _send_new_password(user: User) -> None:
    password = temporary_password(user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    notify(
        user.sponsor,  # type: ignore[arg-type]
        "new_user",
        {"user": user, "temporary_password": password},
        [user.email],
    )


def user_request_level_1(*, actor: User, details: UserDetails, ip: str | None) -> LicenceRequest:
    """A new Level 1 user waits, as Requested, for a caseworker to approve them."""
    sponsor = sponsor_of(actor)
    with transaction.atomic():
        _ensure_email_free(details.email)
        user = _create(details, sponsor, UserLevel.LEVEL_1, UserStatus.REQUESTED)
        request = LicenceRequest.objects.create(
            sponsor=sponsor,
            kind=RequestKind.LEVEL_1_USER,
            submitted_by=actor,
            subject_user=user,
        )
        audit_record(
            AuditVerb.USER_REQUESTED,
            actor=actor,
            target=Target.of(user),
            payload={"request": request.reference, "user_id": user.username},
            ip_address=ip,
        )
        notify(sponsor, "request_submitted", {"request": request, "user": actor}, [actor.email])
    return request


def user_create_level_2(*, actor: User, details: UserDetails, ip: str | None) -> User:
    """A Level 2 user is active at once; their temporary password is e-mailed to them."""
    sponsor = sponsor_of(actor)
    with transaction.atomic():
        _ensure_email_free(details.email)
        user = _create(details, sponsor, UserLevel.LEVEL_2, UserStatus.ACTIVE)
        _send_new_password(user)
        audit_record(
            AuditVerb.USER_CREATED,
            actor=actor,
            target=Target.of(user),
            payload={"user_id": user.username, "level": user.level},
            ip_address=ip,
        )
    return user


def amend_refusal(actor: User, user: User) -> ApplicationError | None:
    """Why `actor` may not amend `user`: only active users, and only your own details or a
    Level 2 user's. Pages ask it too, to offer only what will be accepted."""
    if user.status != UserStatus.ACTIVE:
        return ApplicationError("Only active users can be amended.", code="user_not_active")
    if user.level == UserLevel.LEVEL_1 and user.pk != actor.pk:
        return NotPermitted(
            "You can amend your own details and Level 2 users' details, not another "
            "Level 1 user's. They can amend their own."
        )
    return None


def deactivate_refusal(actor: User, user: User) -> ApplicationError | None:
    """Why `actor` may not deactivate `user`: never yourself, only active users. (The last
    Level 1 rules need the whole licence: `user_deactivate` checks them.)"""
    if user.pk == actor.pk:
        return ApplicationError(
            "You cannot deactivate yourself. Ask another Level 1 user to do it.",
            code="self_deactivation",
        )
    if user.status != UserStatus.ACTIVE:
        return ApplicationError(
            f"This user is already {user.get_status_display().lower()}.",
            code="user_not_active",
        )
    return None


def user_amend(
    *, actor: User, user_id: int, version: int | None, details: UserDetails, ip: str | None
) -> LicenceRequest | None:
    """Level 2 users' changes and a Level 1 user's own minor changes apply at once. A Level 1
    user's own name or e-mail goes to a caseworker (returned); they stay active meanwhile."""
    with transaction.atomic():
        user = _user_of_sponsor(actor, user_id)
        refused = amend_refusal(actor, user)
        if refused is not None:
            raise refused
        claim_version(User, user.pk, version)
        old = _details_of(user)
        if details.email.casefold() != user.email.casefold():
            _ensure_email_free(details.email, except_user_id=user.pk)
        if (
            user.level == UserLevel.LEVEL_1
            and old.is_settled_worker
            and not details.is_settled_worker
            and not _settled_level_1_remains(sponsor_of(actor), without_user_id=user.pk)
        ):
            raise ApplicationError(
                "At least one Level 1 user must be a settled worker. Request a settled Level 1 "
                "user first.",
                field="is_settled_worker",
            )
        needs_approval = {
            f: getattr(details, f)
            for f in APPROVED_FIELDS
            if user.level == UserLevel.LEVEL_1 and getattr(details, f) != getattr(old, f)
        }
        applied = {
            f: getattr(details, f)
            for f in UserDetails.__dataclass_fields__
            if f not in needs_approval and getattr(details, f) != getattr(old, f)
        }
        for field, value in applied.items():
            setattr(user, field, value)
        if applied:
            user.save(update_fields=list(applied))
            # Tell the person, at the old address too, so a hijacked change is noticed.
            notify(
                sponsor_of(actor),
                "user_details_changed",
                {"user": user, "changed_by": actor, "fields": _labels(applied)},
                [old.email, user.email],
            )
        request = None
        if needs_approval:
            request = LicenceRequest.objects.create(
                sponsor=sponsor_of(actor),
                kind=RequestKind.USER_DETAILS,
                submitted_by=actor,
                subject_user=user,
                details=needs_approval,
            )
            notify(
                sponsor_of(actor),
                "request_submitted",
                {"request": request, "user": actor},
                [actor.email],
            )
        audit_record(
            AuditVerb.USER_AMENDED,
            actor=actor,
            target=Target.of(user),
            payload={
                "applied": sorted(applied),
                "sent_for_approval": sorted(needs_approval),
                "request": request.reference if request else None,
            },
            ip_address=ip,
        )
    return request


def user_deactivate(*, actor: User, user_id: int, ip: str | None) -> User:
    """Deactivation is final. Never yourself; never the last active Level 1 user or the last
    settled one."""
    with transaction.atomic():
        user = _user_of_sponsor(actor, user_id)
        refused = deactivate_refusal(actor, user)
        if refused is not None:
            raise refused
        if user.level == UserLevel.LEVEL_1:
            _ensure_level_1_cover(user)
        user.status = UserStatus.DEACTIVATED_BY_SPONSOR
        user.save(update_fields=["status"])
        audit_record(AuditVerb.USER_DEACTIVATED, actor=actor, target=Target.of(user), ip_address=ip)
        notify(sponsor_of(actor), "user_deactivated", {"user": user}, [user.email])
    return user


def _ensure_level_1_cover(user: User) -> None:
    """Refuses removing `user` when the licence would be left without an active Level 1 user or
    without a settled one."""
    sponsor: Sponsor = user.sponsor  # type: ignore[assignment]
    others = User.objects.filter(
        sponsor=sponsor, level=UserLevel.LEVEL_1, status=UserStatus.ACTIVE
    ).exclude(pk=user.pk)
    if not others.exists():
        raise ApplicationError(
            "This is the licence's only active Level 1 user, and a licence must always have "
            "one. To replace them, request a new Level 1 user first and deactivate this one once "
            "the Home Office has approved the request.",
            code="last_level_1",
        )
    if user.is_settled_worker and not _settled_level_1_remains(sponsor, without_user_id=user.pk):
        raise ApplicationError(
            "This is the licence's only settled Level 1 user, and one is needed. Request a "
            "settled Level 1 user first.",
            code="last_settled_level_1",
        )


def user_deactivate_by_home_office(
    *, caseworker: User, user_id: int, reasons: str, ip: str | None
) -> User:
    """A caseworker's deactivation: final, and not limited by the Level 1 rules."""
    if not reasons.strip():
        raise ApplicationError("Give the reasons for deactivating this user.", field="reasons")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, sponsor__isnull=False).first()
        if user is None:
            raise NotFound("There is no such user.")
        if user.status != UserStatus.ACTIVE:
            raise ApplicationError(f"This user is already {user.get_status_display().lower()}.")
        user.status = UserStatus.DEACTIVATED_BY_HOME_OFFICE
        user.save(update_fields=["status"])
        audit_record(
            AuditVerb.USER_DEACTIVATED,
            actor=caseworker,
            sponsor=user.sponsor,
            target=Target.of(user),
            payload={"reasons": reasons, "by": "Home Office"},
            ip_address=ip,
        )
        notify(
            user.sponsor,  # type: ignore[arg-type]
            "user_deactivated",
            {"user": user, "reasons": reasons},
            [user.email, authorising_officer_email(user.sponsor)],  # type: ignore[arg-type]
        )
    return user


def _subject(request: LicenceRequest) -> User:
    user = User.objects.select_for_update().filter(pk=request.subject_user_id or 0).first()
    if user is None:
        raise NotFound("The request has no user.")
    return user


def level_1_request_grant(request: LicenceRequest) -> None:
    """Caseworker granted a Level 1 user: active, temporary password e-mailed."""
    user = _subject(request)
    user.status = UserStatus.ACTIVE
    user.save(update_fields=["status"])
    _send_new_password(user)


def level_1_request_refuse(request: LicenceRequest) -> None:
    """Refused: the letter with reasons goes to the Authorising Officer."""
    User.objects.filter(pk=_subject(request).pk).update(status=UserStatus.REFUSED)
    notify(
        request.sponsor,
        "level_1_refused",
        {"request": request, "user": request.subject_user},
        [authorising_officer_email(request.sponsor)],
    )


def level_1_request_withdraw(request: LicenceRequest) -> None:
    """A withdrawn request leaves the requested user unable ever to sign in."""
    User.objects.filter(pk=_subject(request).pk, status=UserStatus.REQUESTED).update(
        status=UserStatus.DEACTIVATED_BY_SPONSOR
    )


def user_details_grant(request: LicenceRequest) -> None:
    """Apply a Level 1 user's approved name or e-mail change."""
    user = _subject(request)
    changes = {f: v for f, v in request.details.items() if f in APPROVED_FIELDS}
    if "email" in changes:
        _ensure_email_free(changes["email"], except_user_id=user.pk)
    User.objects.filter(pk=user.pk).update(**changes)
