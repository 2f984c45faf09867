"""API authentication and authorisation in one step, before the body is read.

A request is authenticated by a personal token (``Authorization: Bearer po_…``)
or by the browser session (with Django's CSRF check on writes); then the
operation's capability is checked, so a role that may not write gets 403 even
when its request body is also wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthorizationError, HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from partnerops.api import problems
from partnerops.core.roles import Capability, has_capability
from partnerops.core.throttle import token_attempt_failed, token_attempts_locked
from partnerops.core.tokens import api_token_authenticate

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CapabilityAuth(HttpBearer):
    """Authenticated, and holding at least one of ``capabilities``."""

    def __init__(self, *capabilities: Capability) -> None:
        super().__init__()
        self.capabilities = capabilities

    def __call__(self, request: HttpRequest) -> Any:
        user = (
            self._token_user(request)
            if "Authorization" in request.headers
            else self._session_user(request)
        )
        if user is None:
            return None
        if not any(has_capability(user, capability) for capability in self.capabilities):
            needed = " or ".join(capability.value for capability in self.capabilities)
            raise AuthorizationError(message=f"Your role does not allow this ({needed}).")
        request.user = user
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(token)
        return api_token.user if api_token else None

    def _token_user(self, request: HttpRequest) -> Any:
        if token_attempts_locked(request):
            raise HttpError(
                429, "Too many failed token attempts from your address: try again later."
            )
        user = super().__call__(request)
        if user is None:
            token_attempt_failed(request)
        return user

    @staticmethod
    def _session_user(request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in _SAFE_METHODS and check_csrf(request) is not None:
            raise AuthorizationError(message="CSRF check failed: send the X-CSRFToken header.")
        return user


can_view_pipeline = CapabilityAuth(Capability.VIEW_PIPELINE)
can_change_pipeline = CapabilityAuth(Capability.CHANGE_PIPELINE)
can_change_price_book = CapabilityAuth(Capability.CHANGE_PRICE_BOOK)
can_change_agreements = CapabilityAuth(Capability.CHANGE_AGREEMENTS)
can_change_hubs = CapabilityAuth(Capability.CHANGE_HUBS)


# Moving an agreement needs one of these; which one the target state needs is
# checked in the operation, once the body is read.
can_move_agreements = CapabilityAuth(Capability.CHANGE_AGREEMENTS, Capability.SIGN_AGREEMENTS)
can_import_costs = CapabilityAuth(Capability.IMPORT_COSTS)
can_view_invoices = CapabilityAuth(Capability.VIEW_INVOICES)
can_manage_billing = CapabilityAuth(Capability.MANAGE_BILLING)
can_view_compensation = CapabilityAuth(Capability.VIEW_COMPENSATION)
can_manage_team = CapabilityAuth(Capability.MANAGE_TEAM)
can_manage_grants = CapabilityAuth(Capability.MANAGE_GRANTS)


def signed_in_or_token(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the OpenAPI description and the docs page: a personal token is as good as the
    browser session (issue 18: API clients and generators must read the description).
    A bad token gets 401 problem+json; a browser without a session, the sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "Authorization" not in request.headers:
            return login_required(view)(request, *args, **kwargs)
        try:
            user = can_view_pipeline(request)
        except AuthorizationError as refused:
            return problems.problem(request, 403, str(refused))
        except HttpError as refused:
            return problems.problem(request, refused.status_code, str(refused))
        if user is None:
            return problems.problem(request, 401, "A valid personal token is needed.")
        return view(request, *args, **kwargs)

    return wrapper
