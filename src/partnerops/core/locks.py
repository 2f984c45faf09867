"""Named locks held until the end of the current transaction.

PostgreSQL: a transaction-scoped advisory lock, so two imports or billing runs for
the same key queue instead of interleaving. SQLite: writers are already serialised
(transactions start IMMEDIATE, see settings), so nothing more is needed.
"""

from __future__ import annotations

from django.db import connection


def transaction_lock(name: str) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("transaction_lock() must be called inside a transaction.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])
