"""Django permissions follow our roles: an Administrator holds every permission.

Without this, an administrator who is not a superuser would see third-party
admin pages (the login-attempt log, for instance) refused.
"""

from __future__ import annotations

from typing import Any

from partnerops.core.roles import Role, user_roles


class RoleBackend:
    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None  # Authentication is ModelBackend's job.

    def get_user(self, user_id: Any) -> None:
        return None

    def has_perm(self, user: Any, perm: str, obj: Any = None) -> bool:
        return Role.ADMINISTRATOR in user_roles(user)

    def has_module_perms(self, user: Any, app_label: str) -> bool:
        return Role.ADMINISTRATOR in user_roles(user)
