from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from partnerops.core.roles import Capability, user_capabilities, user_roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the navigation bar may show this person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can": {}, "user_roles": []}
    capabilities = user_capabilities(user)
    return {
        "can": {capability.value: capability in capabilities for capability in Capability},
        "user_roles": sorted(role.value for role in user_roles(user)),
    }
