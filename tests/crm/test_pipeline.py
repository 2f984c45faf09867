"""The transition table: allowed moves, refused moves, and their messages."""

from __future__ import annotations

from itertools import pairwise

import pytest

from partnerops.core.errors import TransitionNotAllowed
from partnerops.crm.states import (
    PHASE_STATUSES,
    Phase,
    State,
    Status,
    allowed_targets,
    board_target,
    check_move,
)

P, S = Phase, Status
VALID_STATES = [
    State(phase, status) for phase in Phase for status in Status if status in PHASE_STATUSES[phase]
]

# The lifecycle of seeds 003 and 004, step by step.
LIFECYCLE = [
    State(P.LEAD, S.ACTIVE_LEAD),
    State(P.QUALIFIED_LEAD, S.ACTIVE_LEAD),
    State(P.PROSPECT, S.ACTIVE_LEAD),
    State(P.PROSPECT, S.NEEDS_ADMIN),
    State(P.PARTNER, S.NEEDS_ADMIN),
    State(P.PARTNER, S.ACTIVE_SERVICE),
    State(P.PARTNER, S.INACTIVE_SERVICE),
    State(P.CLOSED, S.INACTIVE_SERVICE),
]


@pytest.mark.parametrize(("current", "requested"), list(pairwise(LIFECYCLE)))
def test_the_seed_lifecycle_is_allowed(current: State, requested: State) -> None:
    check_move(current, requested)


@pytest.mark.parametrize(
    ("current", "requested", "reason"),
    [
        (
            State(P.LEAD, S.ACTIVE_LEAD),
            State(P.PROSPECT, S.ACTIVE_LEAD),
            "next phases are Qualified Lead, Closed",
        ),
        (State(P.LEAD, S.ACTIVE_LEAD), State(P.PARTNER, S.NEEDS_ADMIN), "next phases"),
        (
            State(P.CLOSED, S.INACTIVE_LEAD),
            State(P.PROSPECT, S.ACTIVE_LEAD),
            "next phases are Lead",
        ),
        (
            State(P.PARTNER, S.ACTIVE_SERVICE),
            State(P.PROSPECT, S.ACTIVE_LEAD),
            "next phases are Closed",
        ),
        (
            State(P.LEAD, S.ACTIVE_LEAD),
            State(P.LEAD, S.ACTIVE_SERVICE),
            "not a status of the Lead phase",
        ),
        (State(P.PARTNER, S.NEEDS_ADMIN), State(P.CLOSED, S.INACTIVE_LEAD), "status can change to"),
        (
            State(P.PARTNER, S.INACTIVE_SERVICE),
            State(P.PARTNER, S.NEEDS_ADMIN),
            "status can change to Active Service",
        ),
        (State(P.LEAD, S.ACTIVE_LEAD), State(P.LEAD, S.ACTIVE_LEAD), "already there"),
    ],
)
def test_forbidden_moves_name_both_states(current: State, requested: State, reason: str) -> None:
    with pytest.raises(TransitionNotAllowed) as refused:
        check_move(current, requested)
    message = refused.value.message
    assert f"Cannot move from {current} to {requested}" in message
    assert reason in message


@pytest.mark.parametrize("current", VALID_STATES, ids=str)
def test_every_allowed_target_is_a_valid_state(current: State) -> None:
    for target in allowed_targets(current):
        assert target.status in PHASE_STATUSES[target.phase]
        assert target != current


@pytest.mark.parametrize("current", [s for s in VALID_STATES if s.phase != P.CLOSED], ids=str)
def test_every_open_state_can_be_closed_in_one_or_two_moves(current: State) -> None:
    reachable = {target for target in allowed_targets(current)}
    two_moves = {second for first in reachable for second in allowed_targets(first)}
    assert any(state.phase == P.CLOSED for state in reachable | two_moves), current


def test_board_target_keeps_the_status_that_fits_and_defaults_otherwise() -> None:
    assert board_target(State(P.LEAD, S.WAITING), P.QUALIFIED_LEAD) == State(
        P.QUALIFIED_LEAD, S.WAITING
    )
    assert board_target(State(P.PROSPECT, S.ACTIVE_LEAD), P.PARTNER) == State(
        P.PARTNER, S.NEEDS_ADMIN
    )
    assert board_target(State(P.PARTNER, S.ACTIVE_SERVICE), P.CLOSED) == State(
        P.CLOSED, S.INACTIVE_SERVICE
    )
    assert board_target(State(P.LEAD, S.ACTIVE_LEAD), P.CLOSED) == State(P.CLOSED, S.INACTIVE_LEAD)
