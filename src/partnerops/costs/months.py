"""A month's attribution, always against the hubs table as it is now.

An import keeps what the rules need (``CostGroup``: month, currency, account, service,
charge, hub and cluster labels) and the usage weights. The attributed lines
(``CostLine``) are derived from them: whenever the rules a month was attributed with
differ from the current ones (a hub created, renamed, re-labelled, given an account or
a cluster; new usage weights), the month is attributed again from the database, without
the files, before anything reads it. Issued invoices are never touched: what moved
after issue shows as not billed (``invoicing.unbilled``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import fields
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partnerops.core.locks import transaction_lock
from partnerops.costs.engine import Group, Share, apply_rules
from partnerops.costs.models import (
    CostGroup,
    CostImport,
    CostLine,
    CostMonth,
    UsageWeight,
    from_nanos,
)
from partnerops.costs.rules import Rules, UsageWeights, rules_from_hubs


def stored_usage(months: set[str] | None = None) -> UsageWeights:
    """The stored usage weights, (month, cluster) -> namespace -> weight."""
    rows = UsageWeight.objects.all()
    if months is not None:
        rows = rows.filter(month__in=months)
    weights: UsageWeights = defaultdict(dict)
    for month, cluster, namespace, weight in rows.values_list(
        "month", "cluster", "namespace", "weight"
    ):
        weights[(month, cluster)][namespace] = Decimal(weight)
    return dict(weights)


def fingerprint(month: str, rules: Rules, usage: UsageWeights) -> str:
    """Everything a month's attribution depends on besides its groups."""
    content = {
        # Each hub's fields as plain values (astuple would deep-copy every rule).
        "hubs": sorted(
            repr(tuple(getattr(hub, f.name) for f in fields(hub))) for hub in rules.hubs
        ),
        "hub_label_keys": list(rules.hub_label_keys),
        "cluster_label_keys": list(rules.cluster_label_keys),
        "shared_values": list(rules.shared_values),
        "usage": sorted(
            (cluster, namespace, str(weight))
            for (usage_month, cluster), weights in usage.items()
            if usage_month == month
            for namespace, weight in weights.items()
        ),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def stored_groups(month: str) -> list[Group]:
    """The month's groups as the engine's, each naming its import by id."""
    return [
        Group(
            str(row.cost_import_id),
            row.month,
            row.currency,
            row.account,
            row.service,
            row.category,
            row.hub_label or None,
            row.cluster_label or None,
            from_nanos(row.gross_nanos),
            from_nanos(row.credits_nanos),
            row.lines,
            None if row.effective_nanos is None else from_nanos(row.effective_nanos),
        )
        for row in CostGroup.objects.filter(month=month).order_by("id")
    ]


def reattribute(month: str, rules: Rules | None = None, usage: UsageWeights | None = None) -> int:
    """Attribute the month's stored groups with the current rules; replace its derived
    lines (those of older imports, kept as read, stay). Returns the lines written.
    Callers hold the month's lock inside a transaction."""
    from partnerops.costs.services import cost_lines  # the one place lines are built

    rules = rules if rules is not None else rules_from_hubs()
    usage = usage if usage is not None else stored_usage({month})
    groups = stored_groups(month)
    shares: list[Share] = apply_rules(groups, rules, usage)
    imports = {
        str(row.pk): row
        for row in CostImport.objects.filter(pk__in={int(group.file) for group in groups})
    }
    CostLine.objects.filter(month=month, cost_import__groups_stored=True).delete()
    lines = cost_lines(shares, imports)
    CostLine.objects.bulk_create(lines, batch_size=2000)
    CostMonth.objects.update_or_create(
        month=month,
        defaults={"fingerprint": fingerprint(month, rules, usage), "attributed_at": timezone.now()},
    )
    return len(lines)


def ensure_attributed(month: str) -> bool:
    """Attribute the month again if the rules changed since; True if it was. Cheap when
    nothing changed: the hubs, the month's usage weights and one row."""
    rules = rules_from_hubs()
    usage = stored_usage({month})
    wanted = fingerprint(month, rules, usage)
    stored = CostMonth.objects.filter(month=month).values_list("fingerprint", flat=True).first()
    if stored == wanted:
        return False
    if stored is None and not CostGroup.objects.filter(month=month).exists():
        return False  # nothing imported, or only lines from before groups were kept
    with transaction.atomic():
        transaction_lock(f"costs-month:{month}")
        # Another request may have done it while this one waited for the lock.
        if CostMonth.objects.filter(month=month, fingerprint=wanted).exists():
            return False
        reattribute(month, rules, usage)
    return True


def stale_label_keys(month: str) -> list[str]:
    """Hub label keys the current hubs use that an import of the month did not read:
    labels under them are not in the stored groups; import those files again."""
    needed = rules_from_hubs().label_keys()
    notes = []
    imports = CostImport.objects.filter(
        groups_stored=True, superseded=False, cost_groups__month=month
    ).distinct()
    for row in imports.order_by("id"):
        missing = [key for key in needed if key not in row.label_keys]
        if missing:
            notes.append(
                f"{row.file_name} was read before a hub used the label key(s) "
                f"{', '.join(missing)}: import it again to attribute by them."
            )
    return notes
