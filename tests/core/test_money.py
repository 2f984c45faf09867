"""apportion: parts rounded to add up to a total rounded elsewhere (the statement's rows
to the invoice line)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from partnerops.core.money import CENT, apportion

D = Decimal
amounts = st.decimals(
    min_value=-1000, max_value=1000, places=9, allow_nan=False, allow_infinity=False
)


def test_the_missing_cent_goes_to_the_largest_remainder_and_a_cent_too_many_comes_back() -> None:
    parts = {"compute": D("9.005"), "shared": D("2.000"), "network": D("0.666")}
    assert apportion(parts, D("11.67")) == {
        "compute": D("9.00"),
        "shared": D("2.00"),
        "network": D("0.67"),
    }
    # The hub's line was rounded down among the month's hubs: one cent comes back from
    # the part closest to its floor.
    assert apportion(parts, D("11.66")) == {
        "compute": D("9.00"),
        "shared": D("2.00"),
        "network": D("0.66"),
    }
    assert apportion(parts, D("11.65")) == {
        "compute": D("9.00"),
        "shared": D("1.99"),
        "network": D("0.66"),
    }
    assert apportion({}, D("0")) == {}


@given(st.lists(amounts, min_size=1, max_size=12), st.integers(min_value=-3, max_value=3))
def test_parts_always_add_up_to_the_total(values: list[Decimal], offset: int) -> None:
    parts = dict(enumerate(values))
    total = sum(values, D(0)).quantize(CENT) + offset * CENT
    rounded = apportion(parts, total)
    assert sum(rounded.values(), D(0)) == total
    assert all(value == value.quantize(CENT) for value in rounded.values())
    # No part moves more than the cents it takes to reach the total, plus its own rounding.
    spread = abs(offset) // len(values) + 2
    assert all(abs(rounded[key] - parts[key]) <= spread * CENT for key in parts)
