"""Exact money arithmetic: splitting amounts so that the parts add up to the whole."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)
CENT = Decimal("0.01")


def round_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def largest_remainder(
    parts: Mapping[Key, Decimal], *, quantum: Decimal = CENT
) -> dict[Key, Decimal]:
    """Round every part to ``quantum`` so that they add up exactly to the rounded total.

    Each part is rounded down; the units still missing go, one each, to the parts
    with the largest remainders (ties broken by the parts' order, so the result is
    deterministic). Works for negative parts (credits) too.
    """
    if not parts:
        return {}
    total = sum(parts.values(), Decimal(0)).quantize(quantum, rounding=ROUND_HALF_UP)
    floors = {key: value.quantize(quantum, rounding=ROUND_FLOOR) for key, value in parts.items()}
    missing = int((total - sum(floors.values(), Decimal(0))) / quantum)
    order = sorted(parts, key=lambda key: parts[key] - floors[key], reverse=True)
    # Python's sort is stable: equal remainders keep the parts' given order.
    for key in order[:missing]:
        floors[key] += quantum
    return floors


def allocate(
    amount: Decimal, weights: Mapping[Key, Decimal], *, quantum: Decimal = Decimal("1e-9")
) -> dict[Key, Decimal]:
    """Split ``amount`` in proportion to ``weights``, exact to ``quantum``; the parts sum to ``amount``."""
    total_weight = sum(weights.values(), Decimal(0))
    if total_weight <= 0:
        raise ValueError("Weights must add up to more than zero.")
    shares = {key: amount * weight / total_weight for key, weight in weights.items()}
    return largest_remainder(shares, quantum=quantum)


def apportion(
    parts: Mapping[Key, Decimal], total: Decimal, *, quantum: Decimal = CENT
) -> dict[Key, Decimal]:
    """Round every part to ``quantum`` so that they add up exactly to ``total``, which
    may differ from the parts' own rounded sum by a few quanta (an amount rounded among
    other parts, as a hub's among the month's hubs). Largest remainders get the units
    still missing, smallest give back the units too many; ties go by the parts' order."""
    if not parts:
        return {}
    floors = {key: value.quantize(quantum, rounding=ROUND_FLOOR) for key, value in parts.items()}
    missing = int((total - sum(floors.values(), Decimal(0))) / quantum)
    order = sorted(parts, key=lambda key: parts[key] - floors[key], reverse=True)
    step = quantum if missing >= 0 else -quantum
    if missing < 0:
        order.reverse()
    for index in range(abs(missing)):
        floors[order[index % len(order)]] += step
    return floors
