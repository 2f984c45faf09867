"""The partner pipeline's states and the table of allowed moves (seeds 003, 004).

An engagement has a phase (how far the relationship has come) and a status
(the leads table's tracking column). Both tables below are data: a move is
allowed only when the phase move, the status move and the target pair are all
listed. Anything else is refused with a message naming both states.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from partnerops.core.errors import TransitionNotAllowed
from partnerops.core.transitions import Transitions


class Phase(models.TextChoices):
    LEAD = "lead", "Lead"
    QUALIFIED_LEAD = "qualified_lead", "Qualified Lead"
    PROSPECT = "prospect", "Prospect"
    PARTNER = "partner", "Partner"
    CLOSED = "closed", "Closed"


class Status(models.TextChoices):
    ACTIVE_LEAD = "active_lead", "Active Lead"
    INACTIVE_LEAD = "inactive_lead", "Inactive Lead"
    WAITING = "waiting", "Waiting"
    NEEDS_ADMIN = "needs_admin", "Needs Admin"
    ACTIVE_SERVICE = "active_service", "Active Service"
    INACTIVE_SERVICE = "inactive_service", "Inactive Service"


PHASE_ORDER: tuple[Phase, ...] = tuple(Phase)

# Which statuses make sense in which phase.
PHASE_STATUSES: dict[Phase, frozenset[Status]] = {
    Phase.LEAD: frozenset({Status.ACTIVE_LEAD, Status.INACTIVE_LEAD, Status.WAITING}),
    Phase.QUALIFIED_LEAD: frozenset({Status.ACTIVE_LEAD, Status.INACTIVE_LEAD, Status.WAITING}),
    # Needs Admin can start in Prospect: a tier confirmed by email before a contract.
    Phase.PROSPECT: frozenset(
        {Status.ACTIVE_LEAD, Status.INACTIVE_LEAD, Status.WAITING, Status.NEEDS_ADMIN}
    ),
    Phase.PARTNER: frozenset(
        {Status.NEEDS_ADMIN, Status.ACTIVE_SERVICE, Status.INACTIVE_SERVICE, Status.WAITING}
    ),
    Phase.CLOSED: frozenset({Status.INACTIVE_LEAD, Status.INACTIVE_SERVICE}),
}

PHASE_MOVES = Transitions(
    Phase,
    {
        # Qualified when a good fit and able to partner (MANIAC-T).
        Phase.LEAD: frozenset({Phase.QUALIFIED_LEAD, Phase.CLOSED}),
        # Prospect on a verbal close; back to Lead when qualification turns out wrong.
        Phase.QUALIFIED_LEAD: frozenset({Phase.PROSPECT, Phase.LEAD, Phase.CLOSED}),
        # Partner at the executed close.
        Phase.PROSPECT: frozenset({Phase.PARTNER, Phase.QUALIFIED_LEAD, Phase.CLOSED}),
        Phase.PARTNER: frozenset({Phase.CLOSED}),
        # A closed lead can be reopened; a former partner comes back as a new engagement.
        Phase.CLOSED: frozenset({Phase.LEAD}),
    },
    phrase="the next phases are",
)

STATUS_MOVES = Transitions(
    Status,
    {
        Status.ACTIVE_LEAD: frozenset({Status.INACTIVE_LEAD, Status.WAITING, Status.NEEDS_ADMIN}),
        Status.INACTIVE_LEAD: frozenset({Status.ACTIVE_LEAD, Status.WAITING}),
        Status.WAITING: frozenset(
            {Status.ACTIVE_LEAD, Status.INACTIVE_LEAD, Status.NEEDS_ADMIN, Status.ACTIVE_SERVICE}
        ),
        Status.NEEDS_ADMIN: frozenset(
            {Status.ACTIVE_SERVICE, Status.ACTIVE_LEAD, Status.WAITING, Status.INACTIVE_SERVICE}
        ),
        Status.ACTIVE_SERVICE: frozenset({Status.INACTIVE_SERVICE, Status.WAITING}),
        Status.INACTIVE_SERVICE: frozenset({Status.ACTIVE_SERVICE}),
    },
    phrase="the status can change to",
)

# The status a card takes when it is moved to a phase column on the board and
# its current status does not belong in that phase.
DEFAULT_STATUS: dict[Phase, Status] = {
    Phase.LEAD: Status.ACTIVE_LEAD,
    Phase.QUALIFIED_LEAD: Status.ACTIVE_LEAD,
    Phase.PROSPECT: Status.ACTIVE_LEAD,
    Phase.PARTNER: Status.NEEDS_ADMIN,
    Phase.CLOSED: Status.INACTIVE_LEAD,
}


@dataclass(frozen=True)
class State:
    phase: Phase
    status: Status

    def __str__(self) -> str:
        return f"{Phase(self.phase).label} / {Status(self.status).label}"


def check_move(current: State, requested: State) -> None:
    """Raise ``TransitionNotAllowed`` unless the tables allow ``current`` -> ``requested``."""
    prefix = f"Cannot move from {current} to {requested}"
    if current == requested:
        raise TransitionNotAllowed(f"{prefix}: the engagement is already there.")
    if requested.status not in PHASE_STATUSES[requested.phase]:
        raise TransitionNotAllowed(
            f"{prefix}: {Status(requested.status).label} is not a status of the "
            f"{Phase(requested.phase).label} phase."
        )
    if requested.phase != current.phase:
        PHASE_MOVES.check(current.phase, requested.phase, refused=prefix)
    if requested.status != current.status:
        STATUS_MOVES.check(current.status, requested.status, refused=prefix)


def board_target(current: State, phase: Phase) -> State:
    """Where a card dropped on ``phase`` goes: keep the status if it fits there."""
    if current.status in PHASE_STATUSES[phase]:
        return State(phase, current.status)
    if phase == Phase.CLOSED and current.status in (Status.ACTIVE_SERVICE, Status.NEEDS_ADMIN):
        return State(phase, Status.INACTIVE_SERVICE)
    return State(phase, DEFAULT_STATUS[phase])


def allowed_targets(current: State) -> list[State]:
    """Every state reachable in one move, in pipeline order (for forms and the API)."""
    targets: list[State] = []
    for phase in PHASE_ORDER:
        for status in Status:
            candidate = State(phase, status)
            try:
                check_move(current, candidate)
            except TransitionNotAllowed:
                continue
            targets.append(candidate)
    return targets
