"""Personal API tokens: created (shown once), verified by digest, revoked."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from partnerops.core import audit
from partnerops.core.errors import DomainError
from partnerops.core.models import ApiToken

TOKEN_PREFIX = "po_"  # noqa: S105 - a marker, not a secret


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``actor``; return it with the plaintext, which is never stored."""
    name = name.strip()
    if not name:
        raise DomainError("A token needs a name, so that you can tell your tokens apart.")
    secret = secrets.token_urlsafe(32)
    plaintext = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken.objects.create(
        user=actor, name=name[:100], prefix=plaintext[:10], digest=_digest(plaintext)
    )
    audit.record(
        actor=actor,
        instance=token,
        action="create",
        changes={"name": {"old": None, "new": token.name}},
    )
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise DomainError("You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, instance=token, action="revoke")
    return token


def api_token_authenticate(plaintext: str) -> ApiToken | None:
    """The active token matching ``plaintext``, or None. Records when it was last used."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(plaintext), revoked_at__isnull=True, user__is_active=True)
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
