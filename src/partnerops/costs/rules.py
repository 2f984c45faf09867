"""Attribution rules: which community a billing line belongs to.

The same rules come from the app's hub records (``rules_from_hubs``) or, for use
without the app, from a TOML file (``load_rules_file``; format in docs/costs.md).
"""

from __future__ import annotations

import csv
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

DEFAULT_HUB_LABEL_KEYS = (
    "2i2c:hub-name",
    "k8s-namespace",
    "kubernetes.io/created-for/pvc/namespace",
)
DEFAULT_CLUSTER_LABEL_KEYS = (
    "goog-k8s-cluster-name",
    "2i2c.org/cluster-name",
    "alpha.eksctl.io/cluster-name",
)
# Namespaces that serve every hub of a cluster: pooled with its untagged cost.
DEFAULT_SHARED_VALUES = ("support", "kube-system")


class RulesError(ValueError):
    """A rules or usage file that cannot be used; the message names the file and place."""


@dataclass(frozen=True)
class HubRule:
    name: str
    community: str
    cluster: str = ""
    accounts: tuple[str, ...] = ()
    dedicated: bool = False
    # Label key -> value marking this hub's resources; empty: any hub label key = name.
    labels: tuple[tuple[str, str], ...] = ()
    community_id: int | None = None
    hub_id: int | None = None
    # Names the hub had before: a label equal to one of them is still this hub's.
    former_names: tuple[str, ...] = ()

    def label_values(self, cluster_keys: Iterable[str]) -> list[str]:
        """The label values marking this hub: its explicit labels (except those naming
        its cluster), else its name and former names (also its namespaces in usage)."""
        skip = set(cluster_keys)
        explicit = [value for key, value in self.labels if key not in skip]
        return explicit or [self.name, *self.former_names]

    @property
    def identity(self) -> tuple[int, str]:
        """What keys a hub's amounts: its id in the app, its name in a rules file."""
        return (self.hub_id or 0, "" if self.hub_id else self.name)


@dataclass
class Rules:
    hubs: list[HubRule] = field(default_factory=list)
    hub_label_keys: tuple[str, ...] = DEFAULT_HUB_LABEL_KEYS
    cluster_label_keys: tuple[str, ...] = DEFAULT_CLUSTER_LABEL_KEYS
    shared_values: tuple[str, ...] = DEFAULT_SHARED_VALUES

    def dedicated_accounts(self) -> dict[str, HubRule]:
        return {account: hub for hub in self.hubs if hub.dedicated for account in hub.accounts}

    def label_values(self) -> dict[str, HubRule]:
        """Hub label value -> hub, for the shared hubs."""
        values: dict[str, HubRule] = {}
        former: dict[str, HubRule] = {}
        for hub in self.hubs:
            if hub.dedicated:
                continue
            # A hub's labels may also name its cluster; that one marks the cluster, not the hub.
            for value in hub.label_values(self.cluster_label_keys):
                if value in hub.former_names:
                    former.setdefault(value, hub)
                else:
                    values[value] = hub
        # A name a hub no longer has yields to a hub that has it now.
        return {**former, **values}

    def cluster_hubs(self) -> dict[str, list[HubRule]]:
        clusters: dict[str, list[HubRule]] = defaultdict(list)
        for hub in self.hubs:
            if hub.cluster and not hub.dedicated:
                clusters[hub.cluster].append(hub)
        return dict(clusters)

    def label_keys(self) -> tuple[str, ...]:
        """Every key that marks a hub: the configured ones and those the hubs name."""
        keys = list(self.hub_label_keys)
        for hub in self.hubs:
            for key, _ in hub.labels:
                if key not in keys:
                    keys.append(key)
        return tuple(keys)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RulesError(f"{where}: expected a string or a list of strings, got {value!r}.")
    return tuple(value)


def load_rules_file(path: Path) -> Rules:
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise RulesError(f"{path}: no such rules file.") from None
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"{path}: not valid TOML ({error}).") from None
    rules = Rules(
        hub_label_keys=_strings(
            data.get("hub_label_keys", list(DEFAULT_HUB_LABEL_KEYS)), f"{path}: hub_label_keys"
        ),
        cluster_label_keys=_strings(
            data.get("cluster_label_keys", list(DEFAULT_CLUSTER_LABEL_KEYS)),
            f"{path}: cluster_label_keys",
        ),
        shared_values=_strings(
            data.get("shared_label_values", list(DEFAULT_SHARED_VALUES)),
            f"{path}: shared_label_values",
        ),
    )
    for index, hub in enumerate(data.get("hubs", []), start=1):
        where = f"{path}: hubs[{index}]"
        if not isinstance(hub, dict):
            raise RulesError(f"{where}: expected a table.")
        missing = [
            key
            for key in ("name", "community")
            if not isinstance(hub.get(key), str) or not hub.get(key)
        ]
        if missing:
            raise RulesError(f"{where}: missing {', '.join(missing)}.")
        tenancy = hub.get("tenancy", "shared")
        if tenancy not in ("shared", "dedicated"):
            raise RulesError(
                f"{where} ({hub['name']}): tenancy must be 'shared' or 'dedicated', not {tenancy!r}."
            )
        accounts = _strings(hub.get("accounts", []), f"{where}: accounts")
        if tenancy == "dedicated" and not accounts:
            raise RulesError(f"{where} ({hub['name']}): a dedicated hub needs its accounts.")
        labels = hub.get("labels", {})
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            raise RulesError(f"{where} ({hub['name']}): labels must be a table of strings.")
        rules.hubs.append(
            HubRule(
                name=hub["name"],
                community=hub["community"],
                cluster=str(hub.get("cluster", "")),
                accounts=accounts,
                dedicated=tenancy == "dedicated",
                labels=tuple(labels.items()),
            )
        )
    return rules


def rules_from_hubs() -> Rules:
    """The rules the app's Active Hubs table implies (every hub: a decommissioned one
    may still have costs in the month it ended)."""
    from partnerops.hubs.models import Hub, Tenancy

    rules = Rules()
    # Plain rows: this runs before every read of a month (months.ensure_attributed).
    rows = Hub.objects.order_by("name").values_list(
        "pk", "name", "community_id", "community__name", "cluster", "cloud_accounts",
        "tenancy", "cost_labels", "former_names",
    )  # fmt: skip
    for pk, name, community_id, community, cluster, accounts, tenancy, labels, former in rows:
        rules.hubs.append(
            HubRule(
                name=name,
                community=community,
                cluster=cluster,
                accounts=tuple(accounts),
                dedicated=tenancy == Tenancy.DEDICATED,
                labels=tuple(labels.items()),
                community_id=community_id,
                hub_id=pk,
                former_names=tuple(former),
            )
        )
    return rules


# Usage weights ------------------------------------------------------------------------

UsageWeights = dict[tuple[str, str], dict[str, Decimal]]  # (month, cluster) -> hub -> weight


def load_usage_csv(path: Path, shown: str | None = None) -> UsageWeights:
    """month,cluster,hub,weight rows (e.g. requested memory byte-hours per namespace).
    Errors name the file as ``shown`` (what the person uploaded), else its path."""
    name = shown or str(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise RulesError(f"{name}: no such usage file.") from None
    with handle:
        try:
            return _usage_rows(csv.DictReader(handle), name)
        except csv.Error as error:  # a field longer than the csv module's limit, a NUL...
            raise RulesError(f"{name}: cannot be read as CSV ({error}).") from None
        except UnicodeDecodeError:
            raise RulesError(f"{name}: is not UTF-8 text.") from None


def _usage_rows(reader: csv.DictReader[str], name: str) -> UsageWeights:
    weights: UsageWeights = defaultdict(dict)
    expected = {"month", "cluster", "hub", "weight"}
    if reader.fieldnames is None or not expected <= set(reader.fieldnames):
        raise RulesError(
            f"{name}: expected the columns month,cluster,hub,weight; found {reader.fieldnames}."
        )
    for row_number, row in enumerate(reader, start=2):
        month = normalize_month(row["month"] or "", f"{name}: row {row_number}, column month")
        try:
            weight = Decimal(row["weight"])
        except (InvalidOperation, TypeError):
            raise RulesError(
                f"{name}: row {row_number}, column weight: {row['weight']!r} is not a number."
            ) from None
        if weight < 0 or not weight.is_finite():
            raise RulesError(
                f"{name}: row {row_number}, column weight: a weight is a finite number, not negative."
            )
        key = (month, row["cluster"])
        weights[key][row["hub"]] = weights[key].get(row["hub"], Decimal(0)) + weight
    return dict(weights)


def normalize_month(text: str, where: str) -> str:
    """'2026-10', '202610' or '2026-10-01' -> '2026-10'."""
    cleaned = text.strip()
    digits = cleaned.replace("-", "")[:6]
    if len(digits) == 6 and digits.isdigit() and 1 <= int(digits[4:]) <= 12:
        return f"{digits[:4]}-{digits[4:]}"
    raise RulesError(f"{where}: {text!r} is not a month (YYYY-MM).")
