"""A grant's states (issue 11): prospecting -> drafting -> submitted -> awarded /
declined / withdrawn; awarded -> active -> closed. Withdrawing is possible until a
decision; each move records its date."""

from __future__ import annotations

from partnerops.core.transitions import Transitions
from partnerops.grants.models import GrantState

S = GrantState
GRANT_MOVES = Transitions(
    GrantState,
    {
        S.PROSPECTING: {S.DRAFTING, S.WITHDRAWN},
        S.DRAFTING: {S.SUBMITTED, S.WITHDRAWN},
        S.SUBMITTED: {S.AWARDED, S.DECLINED, S.WITHDRAWN},
        S.AWARDED: {S.ACTIVE},
        S.DECLINED: set(),
        S.WITHDRAWN: set(),
        S.ACTIVE: {S.CLOSED},
        S.CLOSED: set(),
    },
)

# The date a move records, when the grant has none yet.
DATE_FIELD = {
    S.SUBMITTED: "submitted_on",
    S.AWARDED: "decision_on",
    S.DECLINED: "decision_on",
    S.ACTIVE: "award_start_on",
    S.CLOSED: "award_end_on",
}
DECIDED = (S.AWARDED, S.DECLINED, S.ACTIVE, S.CLOSED)
WON = (S.AWARDED, S.ACTIVE, S.CLOSED)
PENDING = (S.PROSPECTING, S.DRAFTING, S.SUBMITTED)
