"""Issue 17, item 5: no CSV PartnerOps writes carries a formula."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from partnerops.core.csv_cells import neutralise


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1+A1", "'-1+A1"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"), ("\rx", "'\rx"), ("-12.50", "-12.50"), ("-7", "-7"), (Decimal("-3.10"), Decimal("-3.10")),
        (-4, -4), ("Coastal Ocean", "Coastal Ocean"), ("a=b", "a=b"), ("", ""), (None, None),
    ],
)  # fmt: skip
def test_neutralise(cell: Any, written: Any) -> None:
    assert neutralise(cell) == written
