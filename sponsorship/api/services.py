"""Personal API tokens: create (shown once), revoke, and authenticate by hash."""

import hashlib
import hmac
import secrets
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from sponsorship.audit.models import AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.errors import ApplicationError, NotFound

from .models import ApiToken

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

TOKEN_PREFIX = "sms"  # noqa: S105 (a label, not a secret)
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(raw: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough; a slow one would tax every request.
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(
    *, user: "User", name: str, expires_on: date | None, ip: str | None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with the only copy of its secret."""
    name = name.strip()
    if not name:
        raise ApplicationError("Enter a name for the token, like 'HR system'", field="name")
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ApplicationError("The expiry date must be in the future", field="expires_on")
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = (
        timezone.make_aware(datetime.combine(expires_on, time.max))
        if expires_on is not None
        else None
    )
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            sponsor=user.sponsor,
            name=name[:80],
            prefix=prefix,
            key_hash=_hash(raw),
            expires_at=expires_at,
        )
        audit_record(
            AuditVerb.API_TOKEN_CREATED, actor=user, target=Target.of(token), ip_address=ip
        )
    return token, raw


def api_token_revoke(*, user: "User", token_id: int, ip: str | None) -> ApiToken:
    """Revoke one of the user's own tokens; another user's token is not found."""
    with transaction.atomic():
        token = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).first()
        if token is None:
            raise NotFound("There is no such active token.")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            AuditVerb.API_TOKEN_REVOKED, actor=user, target=Target.of(token), ip_address=ip
        )
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The live token matching `raw`, with its user and sponsor, or None."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user", "user__sponsor").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(raw)):
        return None
    user = token.user
    if not (token.is_usable and user.is_active and user.licence_allows_sign_in):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # At most one write a minute per token, not one per request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
