"""What is behind a hub's cloud cost: the statement's parts, hand-checked (issue 15)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from partnerops.costs.services import cost_import
from partnerops.costs.statement import month_hub_costs
from partnerops.hubs.models import Hub

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_shared_hubs_statement_shows_its_share_of_the_cluster(
    hub_table: dict[str, Any], files: dict[str, Path], partnerships_user: Any
) -> None:
    cost_import(actor=partnerships_user, paths=[files["gcp"]], usage_path=files["usage"])
    ocean = Hub.objects.get(name="ocean")
    breakdown = month_hub_costs("2026-10")[(ocean.pk, "USD")].breakdown(D("11.67"))
    # Hand-checked: support 3.000 + untagged networking 0.999 on shared-k8s are pooled;
    # ocean's usage weight is 2 of 3, so 2.666; its labelled compute is 10.005 - 1.000.
    assert breakdown["shared"] == {
        "cluster": "shared-k8s",
        "weight": "2",
        "cluster_weight": "3",
        "share_percent": "66.67",
        "cluster_total": "4.00",
    }
    assert breakdown["kinds"] == [
        {"kind": "Compute", "amount": "11.00"},
        {"kind": "Networking", "amount": "0.67"},
    ]
    assert breakdown["credits"] == "-1.00" and breakdown["total"] == "11.67"
    assert {(row["rule"], row["amount"]) for row in breakdown["rows"]} == {
        ("hub label", "9.00"),
        ("shared cluster", "2.00"),
        ("shared cluster", "0.67"),
    }
