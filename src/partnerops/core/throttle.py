"""Failed sign-ins and token attempts, throttled per username and address, and per
address across usernames (issue 17, item 11).

django-axes counts failures for each of its lockout parameters (here: username with
address, and address alone) and compares the largest count with one limit. An address
shared by a team (an office, a VPN) makes many honest mistakes across usernames, so its
own limit is higher: the address's count is scaled to the per-username limit before
the comparison, which gives each parameter its own limit with axes' own machinery.
"""

from __future__ import annotations

import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.http import HttpRequest

# Token attempts are counted under this name: a bad token is not a username.
TOKEN_USERNAME = "(API token)"  # noqa: S105 - a label, not a secret


class ThrottlingHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # One count per lockout parameter, in AXES_LOCKOUT_PARAMETERS' order.
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        if len(counts) < 2:
            return max(counts, default=0)
        scaled = math.floor(
            counts[1] * settings.AXES_FAILURE_LIMIT / settings.LOGIN_ADDRESS_FAILURE_LIMIT
        )
        return max(counts[0], scaled)


def token_attempts_locked(request: HttpRequest) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"username": TOKEN_USERNAME}))


def token_attempt_failed(request: HttpRequest) -> None:
    """Count a request whose bearer token matched no active token, as axes counts a
    failed sign-in (so it also counts toward its address's limit)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": TOKEN_USERNAME}, request=request
    )
