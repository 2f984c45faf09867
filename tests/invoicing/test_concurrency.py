"""Billing runs at once, numbering at once, and a run killed half-way (PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from partnerops.invoicing import run as run_module
from partnerops.invoicing import services
from partnerops.invoicing.models import BillingRun, Invoice, InvoiceLine, InvoiceState
from partnerops.invoicing.run import billing_run
from tests.invoicing.conftest import MONTH, add_costs, make_community, token_for

pytestmark = [
    pytest.mark.usefixtures("live_db"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers; the locks under test are PostgreSQL's",
    ),
]
COMMUNITIES = 6


@pytest.fixture
def communities(partnerships_user: Any) -> list[str]:
    names = [f"Concurrent {n}" for n in range(COMMUNITIES)]
    for n, name in enumerate(names):
        make_community(partnerships_user, name, hub=f"concurrent-{n}")
    add_costs(MONTH, {f"concurrent-{n}": f"{n}.25" for n in range(COMMUNITIES)})
    return names


def _at_once(count: int, work: Callable[[int], Any]) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def target(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as error:  # reported in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _slow_compare(monkeypatch: Any) -> None:
    """Hold each run a moment between reading what exists and writing, so that without
    the lock the runs would all see an empty month."""
    original = run_module._compare

    def slow(*args: Any) -> Any:
        changes = original(*args)
        time.sleep(0.3)
        return changes

    monkeypatch.setattr(run_module, "_compare", slow)


def test_concurrent_runs_of_a_month_make_one_set_of_drafts(
    communities: list[str], monkeypatch: Any
) -> None:
    _slow_compare(monkeypatch)
    errors = _at_once(4, lambda n: billing_run(actor=None, month=MONTH))
    assert errors == []
    assert Invoice.objects.filter(month=MONTH).count() == COMMUNITIES
    for name in communities:
        invoice = Invoice.objects.get(organization__name=name, month=MONTH)
        assert invoice.lines.count() == 2
    runs = BillingRun.objects.filter(month=MONTH).order_by("id")
    assert [run.created for run in runs] == [COMMUNITIES, 0, 0, 0]
    assert [run.unchanged for run in runs] == [0, COMMUNITIES, COMMUNITIES, COMMUNITIES]


def test_without_the_lock_concurrent_runs_collide(communities: list[str], monkeypatch: Any) -> None:
    """The test above can fail: without the lock the runs race (the unique constraint then
    refuses the losers, so even this never double-bills)."""
    _slow_compare(monkeypatch)
    monkeypatch.setattr(run_module, "transaction_lock", lambda name: None)
    errors = _at_once(4, lambda n: billing_run(actor=None, month=MONTH))
    assert errors, "the runs did not collide without the lock"
    assert Invoice.objects.filter(month=MONTH).count() == COMMUNITIES


def test_concurrent_finalisation_numbers_without_gaps_or_repeats(communities: list[str]) -> None:
    billing_run(actor=None, month=MONTH)
    invoices = list(Invoice.objects.filter(month=MONTH).order_by("id"))
    for invoice in invoices:
        services.invoice_delivery_confirm(
            token=token_for(services.invoice_confirmation_request(actor=None, invoice=invoice))
        )
    errors = _at_once(
        len(invoices), lambda n: services.invoice_finalise(actor=None, invoice=invoices[n])
    )
    assert errors == []
    numbers = sorted(Invoice.objects.filter(month=MONTH).values_list("number", flat=True))
    assert numbers == [f"2026-{n:04d}" for n in range(1, COMMUNITIES + 1)]


def _run_command(extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, **(extra_env or {})}
    return subprocess.Popen(  # noqa: S603 - our own console script
        [sys.executable, "-m", "partnerops.cli", "billing", "run", "--month", MONTH],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _wait_for_blocked_insert(table: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s",
                [f'INSERT INTO "{table}"%'],
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.1)
    raise AssertionError(f"the run never reached its insert into {table}")


def test_a_run_killed_half_way_leaves_nothing_and_runs_again(communities: list[str]) -> None:
    """The run is stopped for good (SIGKILL) after inserting the invoices and while
    inserting their lines; then it is run again, and again."""
    blocker = connections.create_connection("default")
    try:
        with blocker.cursor() as cursor:
            cursor.execute("BEGIN")
            # Hold the lines table: the run gets past its invoices and waits here.
            cursor.execute("LOCK TABLE invoicing_invoiceline IN ACCESS EXCLUSIVE MODE")
            process = _run_command()
            try:
                _wait_for_blocked_insert("invoicing_invoiceline")
            finally:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
            cursor.execute("ROLLBACK")
    finally:
        blocker.close()
    assert process.returncode == -signal.SIGKILL
    # The server ends the dead client's transaction: nothing of the run remains.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _activity_of_dead_run():
        time.sleep(0.1)
    assert Invoice.objects.count() == 0 and InvoiceLine.objects.count() == 0
    assert BillingRun.objects.count() == 0
    for expected in ("6 drafted", "6 unchanged"):
        rerun = _run_command()
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err.decode()
        assert expected in out.decode()
    assert Invoice.objects.filter(month=MONTH, state=InvoiceState.DRAFT).count() == COMMUNITIES
    assert InvoiceLine.objects.count() == 2 * COMMUNITIES


def _activity_of_dead_run() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'INSERT INTO \"invoicing_%%' AND pid <> pg_backend_pid()"
        )
        return bool(cursor.fetchone()[0])
