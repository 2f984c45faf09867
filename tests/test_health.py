"""/healthz and /readyz for load balancers and monitors (issue 18)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from partnerops.outbox.services import email_queue
from partnerops.tick import run

pytestmark = pytest.mark.django_db


def _ready() -> tuple[int, dict[str, Any]]:
    response = Client().get("/readyz")
    return response.status_code, response.json()


def test_health_answers_without_signing_in() -> None:
    response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_ready_once_tick_has_run_and_not_when_it_stopped(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False)
    status, body = _ready()
    assert status == 503 and body["checks"]["tick"] == {
        "ok": False,
        "detail": "partnerops tick has never run",
    }
    assert body["checks"]["database"] == {"ok": True} and body["checks"]["migrations"] == {
        "ok": True
    }
    run(timezone.localdate())
    assert _ready() == (
        200,
        {
            "status": "ready",
            "checks": {name: {"ok": True} for name in ("database", "migrations", "outbox", "tick")},
        },
    )
    time_machine.move_to(dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC), tick=False)
    status, body = _ready()
    assert status == 503
    assert body["checks"]["tick"]["detail"] == "partnerops tick last ran 27 hours ago"


def test_an_outbox_nobody_sends_is_not_ready(time_machine: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False)
    run(timezone.localdate())
    email_queue(
        key="stuck", to=["a@example.org"], from_email="b@example.org", subject="s", body="b"
    )
    assert _ready()[0] == 200  # just queued: the worker has time
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, 45, tzinfo=dt.UTC), tick=False)
    status, body = _ready()
    assert status == 503
    assert body["checks"]["outbox"]["detail"].startswith("1 email(s) due for more than 30 minutes")
