"""First-run set-up: the role groups and a first administrator."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from partnerops.core import audit
from partnerops.core.roles import Role


def ensure_roles() -> list[Group]:
    """Create the role groups that do not exist yet (idempotent)."""
    return [Group.objects.get_or_create(name=role.value)[0] for role in Role]


@dataclass(frozen=True)
class FirstAdministrator:
    username: str
    password: str


@transaction.atomic
def ensure_first_administrator(
    *, username: str = "admin", email: str = ""
) -> FirstAdministrator | None:
    """Create an administrator with a random password if nobody can administer yet.

    Returns the login once, when created; None when an administrator already exists.
    """
    ensure_roles()
    user_model = get_user_model()
    administrators = user_model.objects.filter(is_active=True).filter(
        is_superuser=True
    ) | user_model.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR.value)
    if administrators.exists():
        return None
    password = secrets.token_urlsafe(12)
    user = user_model.objects.create_user(
        username=username, email=email, password=password, is_staff=True, is_superuser=True
    )
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))
    audit.record_create(actor=None, instance=user, message="first administrator created at set-up")
    return FirstAdministrator(username=username, password=password)
