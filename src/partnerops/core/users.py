"""People who sign in, and their roles: the services behind `partnerops users` (issue 18).

Every change is audited like any other write. A user has one role (its group); an
administrator cannot remove the last active administrator, so PartnerOps is never
left without one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from partnerops.core import audit
from partnerops.core.bootstrap import ensure_roles
from partnerops.core.errors import DomainError
from partnerops.core.roles import Role


@dataclass(frozen=True)
class NewUser:
    user: Any
    password: str  # shown once, never stored in clear


def _role(name: str) -> Role:
    try:
        return Role(name)
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise DomainError(f"{name!r} is not a role; the roles are {choices}.") from None


def _active_administrators() -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR.value)
        .distinct()
    )


@transaction.atomic
def user_create(*, actor: Any, username: str, role: str, email: str = "") -> NewUser:
    """A user with one role and a random password (to change at first sign-in)."""
    chosen = _role(role)
    ensure_roles()
    model = get_user_model()
    user = model(username=username.strip(), email=email.strip())
    user.full_clean(exclude=["password"])
    password = secrets.token_urlsafe(12)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=chosen.value)])
    audit.record_create(actor=actor, instance=user, message=f"role {chosen.value}")
    return NewUser(user, password)


def _locked(username: str) -> Any:
    model = get_user_model()
    user = model.objects.select_for_update().filter(username=username).first()
    if user is None:
        raise DomainError(f"There is no user {username!r}.")
    return user


def _keep_an_administrator(user: Any) -> None:
    if not _active_administrators().exclude(pk=user.pk).exists():
        raise DomainError(
            f"{user.username} is the last active administrator: make someone else one first."
        )


@transaction.atomic
def user_set_role(*, actor: Any, username: str, role: str) -> Any:
    chosen = _role(role)
    ensure_roles()
    user = _locked(username)
    before = sorted(user.groups.values_list("name", flat=True))
    if Role.ADMINISTRATOR.value in before and chosen != Role.ADMINISTRATOR:
        _keep_an_administrator(user)
    user.groups.set([Group.objects.get(name=chosen.value)])
    audit.record(
        actor=actor,
        instance=user,
        action=audit.AuditAction.UPDATE,
        changes={"role": {"old": ", ".join(before), "new": chosen.value}},
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: Any, username: str) -> Any:
    """Signing in stops; the person's history (audit, notes) stays with their name."""
    user = _locked(username)
    if not user.is_active:
        raise DomainError(f"{username} is already deactivated.")
    if user.groups.filter(name=Role.ADMINISTRATOR.value).exists():
        _keep_an_administrator(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    # Their personal tokens stop working with them.
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record_update(actor=actor, instance=user, before={"is_active": True})
    return user
