"""Issue 16: one transition helper; every state machine's table is one of it."""

from __future__ import annotations

import pytest
from django.db import models

from partnerops.contracts.states import AGREEMENT_MOVES
from partnerops.core.errors import TransitionNotAllowed
from partnerops.core.transitions import Transitions
from partnerops.crm.states import PHASE_MOVES, STATUS_MOVES
from partnerops.hubs.states import HUB_MOVES
from partnerops.invoicing.states import INVOICE_MOVES


class Light(models.TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"


LIGHTS = Transitions(
    Light, {Light.RED: {Light.GREEN}, Light.GREEN: {Light.AMBER}, Light.AMBER: {Light.RED}}
)


def test_the_check_names_what_the_current_state_allows() -> None:
    LIGHTS.check("red", "green", refused="unused")
    with pytest.raises(
        TransitionNotAllowed, match=r"^Cannot go red to amber: from Red it can move to Green\.$"
    ):
        LIGHTS.check("red", "amber", refused="Cannot go red to amber")
    assert LIGHTS.allowed("amber") == [Light.RED] and not LIGHTS.allows("green", "red")


def test_a_table_needs_a_row_for_every_state() -> None:
    with pytest.raises(ValueError, match="Light: no row for amber"):
        Transitions(Light, {Light.RED: set(), Light.GREEN: set()})


def test_a_final_state_says_so() -> None:
    final = Transitions(
        Light,
        {Light.RED: set(), Light.GREEN: set(), Light.AMBER: set()},
        none_left="nothing (final)",
    )
    with pytest.raises(TransitionNotAllowed, match=r"it can move to nothing \(final\)\."):
        final.check("red", "green", refused="x")


def test_every_state_machine_uses_the_helper() -> None:
    for table in (PHASE_MOVES, STATUS_MOVES, AGREEMENT_MOVES, HUB_MOVES, INVOICE_MOVES):
        assert isinstance(table, Transitions)
