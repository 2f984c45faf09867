"""The switch behind the SQLite trigger that keeps audit events from being deleted.

Locked unless a test suite unlocks it to empty its throw-away database; nothing
in the application unlocks it.
"""

from __future__ import annotations

from typing import Any

_state = {"locked": True}


def audit_locked() -> int:
    return 1 if _state["locked"] else 0


def unlock_for_test_database_flush() -> None:
    _state["locked"] = False


def lock() -> None:
    _state["locked"] = True


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """On every new SQLite connection, define partnerops_audit_locked() for the trigger."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("partnerops_audit_locked", 0, audit_locked)
