"""Reads of hub usage for the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from partnerops.costs.models import UsageWeight
from partnerops.hubs.models import Hub
from partnerops.usage.models import Cluster, HubUsage


def hub_history(hub: Hub, months: int = 24) -> list[HubUsage]:
    """The hub's last ``months`` months of usage, oldest first."""
    rows = list(hub.usage_months.select_related("pull").order_by("-month")[:months])
    return rows[::-1]


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    x: int
    height: int
    y: int


def bars(values: list[tuple[str, Decimal]], *, height: int = 120, width: int = 28) -> list[Bar]:
    """Bar positions for a small SVG chart: heights scaled to the largest value."""
    top = max((value for _, value in values), default=Decimal(0)) or Decimal(1)
    result = []
    for index, (label, value) in enumerate(values):
        scaled = int(value * height / top)
        result.append(Bar(label, value, index * (width + 6), scaled, height - scaled))
    return result


@dataclass(frozen=True)
class WeightRow:
    month: str
    namespace: str
    hub: Hub | None
    weight: Decimal
    share: Decimal  # percent of the month's total on the cluster
    source: str

    @property
    def gib_hours(self) -> Decimal:
        return (self.weight / 2**30).quantize(Decimal("0.1"))


def cluster_weights(cluster: Cluster) -> list[WeightRow]:
    """The cluster's usage weights (memory byte-hours) per month and namespace, with each
    namespace's share of the month: what the shared cost is split by."""
    hubs = {hub.name: hub for hub in Hub.objects.filter(cluster=cluster.name)}
    for hub in list(hubs.values()):
        for former in hub.former_names or []:
            hubs.setdefault(former, hub)
    rows = list(UsageWeight.objects.filter(cluster=cluster.name).order_by("-month", "namespace"))
    totals: dict[str, Decimal] = {}
    for row in rows:
        totals[row.month] = totals.get(row.month, Decimal(0)) + Decimal(row.weight)
    return [
        WeightRow(
            row.month,
            row.namespace,
            hubs.get(row.namespace),
            Decimal(row.weight),
            (Decimal(row.weight) * 100 / totals[row.month]).quantize(Decimal("0.01"))
            if totals[row.month]
            else Decimal(0),
            "Prometheus pull" if row.checksum.startswith("prometheus") else "usage file",
        )
        for row in rows
    ]
