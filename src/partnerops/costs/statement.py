"""What is behind a hub's cloud cost for a month: the itemised statement's content.

Built from the month's attributed lines (one query for every hub), so the invoice line
and its statement come from the same numbers. Plain values only: the breakdown is
stored with the invoice line (frozen when the invoice is issued) and rendered from there.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from partnerops.core.money import apportion
from partnerops.costs.engine import DEDICATED, LABEL, SHARED
from partnerops.costs.models import CostLine, from_nanos
from partnerops.costs.months import stored_usage
from partnerops.costs.rules import DEFAULT_CLUSTER_LABEL_KEYS, HubRule
from partnerops.hubs.models import Hub

ZERO = Decimal(0)
# The kinds of cloud service a community sees on its statement, matched on the
# providers' service names (GCP, AWS product codes and FOCUS names, Azure meter categories).
SERVICE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Kubernetes", re.compile(r"kubernetes|\beks\b|amazoneks|\bgke\b|\baks\b", re.I)),
    ("Compute", re.compile(r"compute|\bec2\b|amazonec2|virtual machine|instance", re.I)),
    (
        "Storage",
        re.compile(r"storage|\bs3\b|amazons3|efs|filestore|disk|backup|snapshot", re.I),
    ),
    (
        "Networking",
        re.compile(
            r"network|data ?transfer|\bnat\b|\bdns\b|\bvpc\b|route ?53|bandwidth|load ?balanc|cdn",
            re.I,
        ),
    ),
)
OTHER = "Other"
KIND_ORDER = ("Compute", "Storage", "Networking", "Kubernetes", OTHER)
RULE_WORDS = {
    DEDICATED: "the hub's own cloud account: all of its cost is the hub's",
    LABEL: "resources labelled with the hub's name: their cost is the hub's",
    SHARED: "the shared cluster's common cost (nodes, support services), split by usage",
}


@functools.cache
def service_kind(service: str) -> str:
    for kind, pattern in SERVICE_KINDS:
        if pattern.search(service):
            return kind
    return OTHER


@dataclass
class HubCosts:
    """The exact (nine-decimal) parts of one hub's month, as read from its lines."""

    hub_id: int
    currency: str
    cluster: str = ""
    namespace_weight: Decimal | None = None
    cluster_weight: Decimal | None = None
    pool: Decimal | None = None  # the cluster's shared cost the hub's share was taken from
    items: dict[tuple[str, str, str, str], list[Decimal]] = field(default_factory=dict)

    def add(
        self, kind: str, account: str, service: str, rule: str, amount: Decimal, credits: Decimal
    ) -> None:
        parts = self.items.setdefault((kind, account, service, rule), [ZERO, ZERO])
        parts[0] += amount
        parts[1] += credits

    def breakdown(self, total: Decimal) -> dict[str, Any]:
        """The statement for an invoice line of ``total``: every part rounded so that
        they add up to it exactly (the line is rounded across the month's hubs)."""
        keys = sorted(
            self.items, key=lambda key: (KIND_ORDER.index(key[0]), key[1], key[2], key[3])
        )
        rounded = apportion({key: self.items[key][0] for key in keys}, total)
        by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
        rows = []
        for key in keys:
            kind, account, service, rule = key
            by_kind[kind] += rounded[key]
            rows.append(
                {
                    "kind": kind,
                    "account": account,
                    "service": service,
                    "rule": rule,
                    "amount": f"{rounded[key]:.2f}",
                    "credits": f"{self.items[key][1]:.2f}",
                }
            )
        shared = None
        if self.pool is not None and self.cluster_weight:
            weight = self.namespace_weight or ZERO
            shared = {
                "cluster": self.cluster,
                "weight": str(weight),
                "cluster_weight": str(self.cluster_weight),
                "share_percent": f"{weight * 100 / self.cluster_weight:.2f}",
                "cluster_total": f"{self.pool:.2f}",
            }
        credits = sum((parts[1] for parts in self.items.values()), ZERO)
        return {
            "currency": self.currency,
            "total": f"{total:.2f}",
            "kinds": [
                {"kind": kind, "amount": f"{by_kind[kind]:.2f}"}
                for kind in KIND_ORDER
                if kind in by_kind
            ],
            "rows": rows,
            "shared": shared,
            "credits": f"{credits:.2f}",
            "rules": sorted({RULE_WORDS[row["rule"]] for row in rows if row["rule"] in RULE_WORDS}),
        }


def month_hub_costs(month: str) -> dict[tuple[int, str], HubCosts]:
    """Every hub's parts for the month, (hub id, currency) -> HubCosts: three queries."""
    lines = CostLine.objects.filter(month=month).values_list(
        "hub_id", "currency", "account", "service", "rule", "reason", "amount_nanos", "credits_nanos",
    )  # fmt: skip
    hubs = {
        pk: (cluster, HubRule(name, "", labels=tuple(labels.items()), former_names=tuple(former)))
        for pk, cluster, name, labels, former in Hub.objects.filter(cost_lines__month=month)
        .distinct()
        .values_list("pk", "cluster", "name", "cost_labels", "former_names")
    }
    result: dict[tuple[int, str], HubCosts] = {}
    pools: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)  # (cluster, currency)
    for hub_id, currency, account, service, rule, reason, nanos, credits in lines:
        amount = from_nanos(nanos)
        cluster = hubs[hub_id][0] if hub_id in hubs else ""
        if hub_id is None:
            found = re.search(r" on '(.+)', not a hub$", reason)  # a non-hub namespace's share
            if found:
                pools[(found.group(1), currency)] += amount
            continue
        costs = result.setdefault((hub_id, currency), HubCosts(hub_id, currency, cluster or ""))
        costs.add(service_kind(service), account, service, rule, amount, from_nanos(credits))
        if rule == SHARED:
            pools[(cluster or "", currency)] += amount
    usage = stored_usage({month})
    for (hub_id, currency), costs in result.items():
        if not any(key[3] == SHARED for key in costs.items):
            continue
        weights = usage.get((month, costs.cluster))
        costs.pool = pools[(costs.cluster, currency)]
        if weights:
            costs.cluster_weight = sum(weights.values(), ZERO)
            names = hubs[hub_id][1].label_values(DEFAULT_CLUSTER_LABEL_KEYS)
            costs.namespace_weight = sum((weights.get(name, ZERO) for name in names), ZERO)
    return result
