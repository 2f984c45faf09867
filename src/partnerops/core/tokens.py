"""Personal API tokens: created (shown once), verified by digest, revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partnerops.core import audit
from partnerops.core.errors import DomainError
from partnerops.core.models import ApiToken

TOKEN_PREFIX = "po_"  # noqa: S105 - a marker, not a secret


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: Any, name: str, expires_on: dt.date | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``actor``, working until ``expires_on`` (included) if given;
    return it with the plaintext, which is never stored."""
    name = name.strip()
    if not name:
        raise DomainError("A token needs a name, so that you can tell your tokens apart.")
    if expires_on is not None and expires_on < timezone.localdate():
        raise DomainError("A token cannot expire before today.")
    secret = secrets.token_urlsafe(32)
    plaintext = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        prefix=plaintext[:10],
        digest=_digest(plaintext),
        expires_on=expires_on,
    )
    audit.record(
        actor=actor,
        instance=token,
        action=audit.AuditAction.CREATE,
        changes={
            "name": {"old": None, "new": token.name},
            "expires_on": {"old": None, "new": str(expires_on) if expires_on else None},
        },
    )
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise DomainError("You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, instance=token, action=audit.AuditAction.REVOKE)
    return token


def api_token_authenticate(plaintext: str) -> ApiToken | None:
    """The active token matching ``plaintext``, or None. Records when it was last used."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(plaintext), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write at most once a minute: a busy client should not turn reads into writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
