"""A hub's lifecycle (the Active Hubs table): requested, deploying, running, decommissioned."""

from __future__ import annotations

from partnerops.core.transitions import Transitions
from partnerops.hubs.models import HubState

HUB_MOVES = Transitions(
    HubState,
    {
        HubState.REQUESTED: {HubState.DEPLOYING, HubState.DECOMMISSIONED},
        HubState.DEPLOYING: {HubState.RUNNING, HubState.DECOMMISSIONED},
        HubState.RUNNING: {HubState.DECOMMISSIONED},
        HubState.DECOMMISSIONED: set(),
    },
)

# The date each state records when a hub enters it.
DATE_FIELD = {
    HubState.DEPLOYING: "deploying_since",
    HubState.RUNNING: "running_since",
    HubState.DECOMMISSIONED: "decommissioned_on",
}
