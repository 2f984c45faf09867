"""Two imports of the same month at once end with one copy of it (PostgreSQL)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from partnerops.costs import services
from partnerops.costs.models import CostLine
from partnerops.costs.services import cost_import, month_report
from tests.costs import exports

pytestmark = [
    pytest.mark.usefixtures("live_db"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers; the lock is PostgreSQL's",
    ),
]


def test_concurrent_imports_of_the_same_months_do_not_add_up(
    hub_table: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    paths = [exports.write_gcp_json(tmp_path / f"gcp-{n}.json") for n in range(4)]
    original = services._mark_superseded

    def slow_commit() -> None:
        # Keep each import's transaction open a moment after its inserts, so that
        # without the lock another import's delete would run before this commit.
        time.sleep(0.3)
        original()

    monkeypatch.setattr(services, "_mark_superseded", slow_commit)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(paths))

    def run(path: Path) -> None:
        try:
            barrier.wait()
            cost_import(actor=None, paths=[path])
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    (october,) = month_report("2026-10")
    assert october.total == exports.EXPECTED_OCTOBER_TOTAL
    # Exactly one import's rows survive for each month.
    assert CostLine.objects.filter(month="2026-10").values("cost_import").distinct().count() == 1


def test_without_the_lock_the_race_is_real(
    hub_table: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """The test above can fail: with the lock removed, the imports add up."""
    monkeypatch.setattr(services, "transaction_lock", lambda name: None)
    with pytest.raises(AssertionError):
        test_concurrent_imports_of_the_same_months_do_not_add_up(hub_table, tmp_path, monkeypatch)
