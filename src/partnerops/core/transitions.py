"""One shape for every state machine: the allowed moves as a table (data), one check,
and one refusal that names the moves the current state allows (django-oscar's status
pipelines, with TransitionNotAllowed as the one exception type).

Each app keeps its table in its own ``states.py``: engagements (phase and status),
agreements, hubs, invoices.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

from django.db import models

from partnerops.core.errors import TransitionNotAllowed

S = TypeVar("S", bound=models.TextChoices)


class Transitions(Generic[S]):
    """The moves allowed from each state of ``states``; every state has a row."""

    def __init__(
        self,
        states: type[S],
        moves: Mapping[S, Iterable[S]],
        *,
        phrase: str = "it can move to",
        none_left: str = "nothing",
    ) -> None:
        missing = [state for state in states if state not in moves]
        if missing:
            raise ValueError(f"{states.__name__}: no row for {', '.join(missing)}")
        self.states = states
        self.moves: dict[S, frozenset[S]] = {
            states(state): frozenset(states(target) for target in targets)
            for state, targets in moves.items()
        }
        self.phrase = phrase
        self.none_left = none_left

    def allowed(self, current: str) -> list[S]:
        """The states reachable from ``current`` in one move, in the states' own order."""
        reachable = self.moves[self.states(current)]
        return [state for state in self.states if state in reachable]

    def allows(self, current: str, requested: str) -> bool:
        return self.states(requested) in self.moves[self.states(current)]

    def check(self, current: str, requested: str, *, refused: str) -> None:
        """Nothing when the move is allowed; else TransitionNotAllowed: ``refused`` (what
        was asked, in the caller's words), then what ``current`` can move to."""
        if self.allows(current, requested):
            return
        names = ", ".join(state.label for state in self.allowed(current)) or self.none_left
        label = self.states(current).label
        raise TransitionNotAllowed(f"{refused}: from {label} {self.phrase} {names}.")
