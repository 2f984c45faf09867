"""Health and readiness for load balancers and monitors (issue 18).

``/healthz``: the process answers. ``/readyz``: the database is reachable, every
migration is applied, the outbox is not stuck (no email due for longer than
``READY_OUTBOX_STUCK_MINUTES``) and ``partnerops tick`` ran within
``READY_TICK_MAX_AGE_HOURS``. Both answer without signing in and say nothing private:
each check's name, whether it passed and, if not, why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from partnerops.core.models import Heartbeat
from partnerops.outbox.models import EmailStatus, OutboundEmail


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return None


def _migrations() -> str | None:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return f"{len(plan)} migration(s) not applied: run partnerops migrate" if plan else None


def _outbox(now: dt.datetime) -> str | None:
    limit = now - dt.timedelta(minutes=settings.READY_OUTBOX_STUCK_MINUTES)
    stuck = OutboundEmail.objects.filter(
        status__in=(EmailStatus.QUEUED, EmailStatus.FAILED), next_attempt_at__lt=limit
    )
    count = stuck.count()
    if count:
        return (
            f"{count} email(s) due for more than {settings.READY_OUTBOX_STUCK_MINUTES} minutes: "
            "is the outbox worker (partnerops outbox --loop) running?"
        )
    return None


def _tick(now: dt.datetime) -> str | None:
    beat = Heartbeat.objects.filter(name="tick").values_list("at", flat=True).first()
    if beat is None:
        return "partnerops tick has never run"
    age = now - beat
    if age > dt.timedelta(hours=settings.READY_TICK_MAX_AGE_HOURS):
        return f"partnerops tick last ran {age.total_seconds() / 3600:.0f} hours ago"
    return None


@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    checks: dict[str, dict[str, Any]] = {}
    try:
        for name, check in (
            ("database", _database),
            ("migrations", _migrations),
            ("outbox", lambda: _outbox(now)),
            ("tick", lambda: _tick(now)),
        ):
            problem = check()
            checks[name] = {"ok": problem is None, **({"detail": problem} if problem else {})}
    except DatabaseError as error:
        # Later checks need the database too: name the failure, not its details.
        checks.setdefault(name, {"ok": False, "detail": f"database error: {type(error).__name__}"})
    ready = len(checks) == 4 and all(item["ok"] for item in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )
