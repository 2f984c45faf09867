"""The agreement's states and the table of allowed transitions."""

from __future__ import annotations

from partnerops.contracts.models import AgreementKind, AgreementState
from partnerops.core.errors import TransitionNotAllowed
from partnerops.core.transitions import Transitions

S = AgreementState

AGREEMENT_MOVES = Transitions(
    S,
    {
        # A tier confirmed by email is executed by the confirmation itself.
        S.DRAFT: frozenset({S.NEGOTIATING, S.READY_TO_SIGN, S.EXECUTED, S.ENDED}),
        S.NEGOTIATING: frozenset({S.READY_TO_SIGN, S.ENDED}),
        S.READY_TO_SIGN: frozenset({S.OUT_FOR_SIGNATURE, S.NEGOTIATING, S.ENDED}),
        S.OUT_FOR_SIGNATURE: frozenset({S.EXECUTED, S.NEGOTIATING, S.ENDED}),
        # Executed becomes active on the start date (partnerops tick) or by hand.
        S.EXECUTED: frozenset({S.ACTIVE, S.ENDED}),
        S.ACTIVE: frozenset({S.ENDED}),
        S.ENDED: frozenset(),
    },
    none_left="nothing (it has ended)",
)


def check_agreement_move(*, kind: str, current: str, requested: str) -> None:
    prefix = f"Cannot move the agreement from {S(current).label} to {S(requested).label}"
    if requested == current:
        raise TransitionNotAllowed(f"{prefix}: it is already {S(current).label}.")
    AGREEMENT_MOVES.check(current, requested, refused=prefix)
    if current == S.DRAFT and requested == S.EXECUTED and kind != AgreementKind.EMAIL_CONFIRMATION:
        raise TransitionNotAllowed(
            f"{prefix}: only a tier confirmed by email is executed from a draft; "
            "a contract or sub-award is signed first (ready to sign, out for signature)."
        )
