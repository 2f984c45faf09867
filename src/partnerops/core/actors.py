"""Who did something: a signed-in person, or the system (tick, the command line, the
demo loader), which writes ``None`` where a model keeps its author."""

from __future__ import annotations

from typing import Any


def user_or_none(actor: Any) -> Any | None:
    """The person behind an action to store on a row, or None when the system acted."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None
