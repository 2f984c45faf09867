"""Login required everywhere, except where a view says otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponseBase


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's middleware, except for the API, which answers 401 problem+json itself."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SecurityHeadersMiddleware:
    """Headers every page and API answer carries (issue 17, item 10):

    - a Content-Security-Policy: scripts and styles from our own origin only (htmx and
      app.js are static files; no inline script, no <style> element; style attributes
      are allowed, the admin's widgets use them), no plugins, no framing, forms post
      only to us;
    - a Permissions-Policy turning off device features no page uses;
    - ``Cache-Control: no-store`` unless the view chose its own: pages show partners'
      data and signed links carry tokens, so no shared or browser cache keeps them.

    Static files are served by WhiteNoise before this middleware and keep their caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response
