"""View guards: every page names the capability it needs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from partnerops.core.roles import Capability, has_capability

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def requires(
    read: Capability, *, write: Capability | None = None
) -> Callable[[ViewFunc], ViewFunc]:
    """Allow safe methods with ``read`` and other methods with ``write`` (default: ``read``)."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            needed = read if request.method in ("GET", "HEAD", "OPTIONS") else (write or read)
            if not has_capability(request.user, needed):
                raise PermissionDenied(f"Your role does not allow this ({needed.value}).")
            return view(request, *args, **kwargs)

        guarded.required_capabilities = (read, write or read)  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorator


def ensure_capability(user: Any, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied(f"Your role does not allow this ({capability.value}).")
