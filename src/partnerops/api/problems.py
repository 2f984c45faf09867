"""Errors as RFC 9457 problem details (``application/problem+json``)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from partnerops.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Invalid request",
    429: "Too many requests",
}


def problem(
    request: HttpRequest, status: int, detail: str, *, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, default=str), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="partnerops"'
    return response


def _ninja_validation(request: HttpRequest, exc: Any) -> HttpResponse:
    errors = [
        {
            "field": ".".join(
                str(part) for part in error.get("loc", ()) if part not in ("body", "payload")
            ),
            "message": error.get("msg", "invalid"),
        }
        for error in exc.errors
    ]
    return problem(request, 422, "The request has invalid fields.", errors=errors)


def _django_validation(request: HttpRequest, exc: Any) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": "" if field == "__all__" else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "", "message": message} for message in exc.messages]
    detail = "; ".join(error["message"] for error in errors)
    return problem(request, 422, detail, errors=errors)


def _http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(request, exc.status_code, str(exc))


def _domain_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(request, exc.status_code, exc.message)


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(NinjaValidationError, _ninja_validation)
    api.add_exception_handler(DjangoValidationError, _django_validation)
    api.add_exception_handler(
        AuthenticationError,
        lambda request, exc: problem(
            request, 401, "Sign in, or send 'Authorization: Bearer <token>'."
        ),
    )
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(DomainError, _domain_error)
    api.add_exception_handler(
        Http404, lambda request, exc: problem(request, 404, str(exc) or "Not found.")
    )
    api.add_exception_handler(
        PermissionDenied, lambda request, exc: problem(request, 403, str(exc) or "Forbidden.")
    )


class ProblemResponsesMiddleware:
    """Errors under /api/ that Django or Ninja answered outside our handlers
    (unknown path 404, wrong method 405) become problem+json too."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if (
            request.path_info.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith(
                ("application/problem+json", "application/json")
            )
        ):
            detail = {
                404: "There is no API operation at this address.",
                405: f"{request.method} is not allowed here; allowed: {response.get('Allow', 'none')}.",
            }.get(response.status_code, _TITLES.get(response.status_code, "Error"))
            problem_response = problem(request, response.status_code, detail)
            if "Allow" in response:
                problem_response["Allow"] = response["Allow"]
            return problem_response
        return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 for paths no route matches: problem+json under /api/ (what an API
    client reads, issue 18), the site's page elsewhere."""
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return problem(request, 404, "No API operation at this path; see /api/v1/openapi.json.")
    return page_not_found(request, exception)
