"""One way for services to set the fields a caller gave (the HackSoft styleguide's
``model_update``, without the save: each service validates, saves and audits itself)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def assign_fields(instance: Any, *, allowed: Iterable[str], values: Mapping[str, Any]) -> None:
    """Set ``values`` on ``instance``. A name outside ``allowed`` is a programming error
    (the forms and the API only send known fields): TypeError naming it, nothing set."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(
            f"Unknown fields for {type(instance).__name__}: {', '.join(sorted(unknown))}"
        )
    for name, value in values.items():
        setattr(instance, name, value)
