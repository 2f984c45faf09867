"""Server time of the pipeline board and list at 10,000 engagements.

Run through `make bench` (which runs every benchmark on SQLite and PostgreSQL).
One process per database, because settings are read once at start-up.
Usage: python -m bench.pipeline OUTPUT.json  (DATABASE_URL chooses the database)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ENGAGEMENTS = 10_000
ORGANIZATIONS = 1_000
WARMUP = 3
REPEATS = 40


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerops.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    # Production settings (DEBUG off) serve hashed static files from a manifest.
    call_command("collectstatic", verbosity=0, interactive=False)


def _populate() -> Any:
    """10,000 engagements over 1,000 organizations, every phase and status, and a viewer."""
    from django.utils import timezone

    from partnerops.core.roles import Role
    from partnerops.crm.models import Engagement, Organization
    from partnerops.crm.states import PHASE_STATUSES, Phase
    from tests.factories import UserFactory

    user = UserFactory(username="bench", roles=[Role.PARTNERSHIPS])
    organizations = Organization.objects.bulk_create(
        [Organization(name=f"Bench Community {i:04d}") for i in range(ORGANIZATIONS)]
    )
    states = [(phase, status) for phase in Phase for status in sorted(PHASE_STATUSES[phase])]
    now = timezone.now()
    Engagement.objects.bulk_create(
        [
            Engagement(
                organization=organizations[i % ORGANIZATIONS],
                title=f"Hub service {i}",
                phase=states[i % len(states)][0],
                status=states[i % len(states)][1],
                close_reason="Benchmark" if states[i % len(states)][0] == Phase.CLOSED else "",
                follow_up_on=now.date() + dt.timedelta(days=i % 90),
                owner=user,
                expected_value=1000 + i,
                phase_since=now - dt.timedelta(days=i % 500),
            )
            for i in range(ENGAGEMENTS)
        ],
        batch_size=1000,
    )
    return user


class QueryCounter:
    """Counts SQL statements; an execute wrapper survives the per-request reconnects."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def _measure(client: Any, url: str) -> dict[str, Any]:
    from django.db import connection

    for _ in range(WARMUP):
        assert client.get(url).status_code == 200
    timings = []
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        response = client.get(url)
    assert response.status_code == 200
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    return {
        "url": url,
        "queries": counter.count,
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "max_ms": round(timings[-1], 2),
        "bytes": len(response.content),
    }


def main(output: Path) -> None:
    _setup_django()
    from django.db import connection
    from django.test import Client

    started = time.perf_counter()
    user = _populate()
    populate_s = round(time.perf_counter() - started, 2)
    client = Client()
    client.force_login(user)
    cases = {
        "board": "/board/",
        "board, filtered by status": "/board/?status=active_lead",
        "list, page 1": "/engagements/",
        "list, sorted by value, page 100": "/engagements/?sort=-value&page=100",
        "list, searched": "/engagements/?q=Community%2009",
    }
    results = {name: _measure(client, url) for name, url in cases.items()}
    report = {
        "benchmark": "pipeline pages",
        "database": connection.vendor,
        "engagements": ENGAGEMENTS,
        "organizations": ORGANIZATIONS,
        "repeats": REPEATS,
        "populate_seconds": populate_s,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "results": results,
    }
    output.write_text(json.dumps(report, indent=2) + "\n")
    for name, result in results.items():
        print(
            f"  {connection.vendor:10} {name:34} median {result['median_ms']:8.2f} ms"
            f"  p95 {result['p95_ms']:8.2f} ms  {result['queries']} queries"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
