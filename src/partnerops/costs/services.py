"""Importing billing exports into the app: atomic, idempotent, replacing restated months."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from partnerops.core import audit
from partnerops.core.actors import user_or_none
from partnerops.core.locks import transaction_lock
from partnerops.costs.engine import (
    Attribution,
    Duplicate,
    Group,
    HubRule,
    MonthSummary,
    ReadLimits,
    Share,
    attribute,
    summarize,
)
from partnerops.costs.formats import ExportError
from partnerops.costs.models import (
    MAX_AMOUNT,
    CostGroup,
    CostImport,
    CostLine,
    UsageWeight,
    fits,
    from_nanos,
    to_nanos,
)
from partnerops.costs.months import ensure_attributed, reattribute, stored_usage
from partnerops.costs.rules import UsageWeights, load_usage_csv, rules_from_hubs


@dataclass
class ImportResult:
    imports: list[CostImport]
    attribution: Attribution
    replaced: dict[str, list[str]]  # source -> months replaced

    @property
    def duplicates(self) -> list[Duplicate]:
        return self.attribution.duplicates

    def duplicate_messages(self) -> list[str]:
        return [
            f"{item.name} is the same file as {item.same_as} (same contents): counted once."
            for item in self.duplicates
        ]


def read_limits() -> ReadLimits:
    return ReadLimits(
        max_file_bytes=settings.COST_MAX_FILE_BYTES, memory=settings.COST_READER_MEMORY
    )


def cost_import(
    *,
    actor: Any,
    paths: list[Path],
    usage_path: Path | None = None,
    source: str | None = None,
    on_file: Callable[[Path], None] | None = None,
    names: dict[Path, str] | None = None,
) -> ImportResult:
    """Read, attribute with the hubs table's rules, then replace the files' months for
    their source in one transaction. Reading happens before the transaction: a bad
    file changes nothing, and the database is not held while DuckDB works. A file given
    twice is counted once; ``names`` are the files' names as uploaded, for messages.
    Without a usage file, the weights stored for the months are used."""
    names = names or {}
    given: UsageWeights | None = (
        load_usage_csv(usage_path, names.get(usage_path)) if usage_path else None
    )
    usage = {**stored_usage(), **(given or {})}
    rules = rules_from_hubs()
    attribution = attribute(paths, rules, usage, on_file=on_file, names=names, limits=read_limits())
    usage_checksum = _file_checksum(usage_path) if usage_path else ""
    return _store(
        actor=actor,
        attribution=attribution,
        source=source,
        usage=given,
        usage_checksum=usage_checksum,
        label_keys=list(rules.label_keys()),
    )


def _file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def _store(
    *,
    actor: Any,
    attribution: Attribution,
    source: str | None,
    usage: UsageWeights | None,
    usage_checksum: str,
    label_keys: list[str],
) -> ImportResult:
    sources = {file.path: source or file.provider for file in attribution.files}
    replaced: dict[str, set[str]] = defaultdict(set)
    for file in attribution.files:
        replaced[sources[file.path]].update(file.months)
    months = {month for values in replaced.values() for month in values}
    months |= {month for month, _ in (usage or {})}
    for month in sorted(months):
        transaction_lock(f"costs-month:{month}")
    for name in sorted(replaced):
        transaction_lock(f"costs:{name}")
        CostGroup.objects.filter(source=name, month__in=replaced[name]).delete()
        CostLine.objects.filter(source=name, month__in=replaced[name]).delete()
    imports = {}
    for file in attribution.files:
        imports[str(file.path)] = CostImport.objects.create(
            source=sources[file.path],
            file_name=file.path.name,
            checksum=file.checksum,
            format=file.format,
            provider=file.provider,
            months=list(file.months),
            lines=file.lines,
            usage_checksum=usage_checksum,
            imported_by=user_or_none(actor),
            label_keys=label_keys,
        )
    CostGroup.objects.bulk_create(_groups(attribution.groups, imports), batch_size=2000)
    if usage:
        _store_usage(usage, usage_checksum)
    for month in sorted(months):
        reattribute(month)
    _mark_superseded()
    for cost_import_row in imports.values():
        audit.record_create(
            actor=actor,
            instance=cost_import_row,
            message=f"replaced {', '.join(cost_import_row.months)}",
        )
    return ImportResult(
        list(imports.values()),
        attribution,
        {name: sorted(months) for name, months in replaced.items()},
    )


def _groups(groups: list[Group], imports: dict[str, CostImport]) -> list[CostGroup]:
    rows = []
    for group in groups:
        cost_import_row = imports[group.file]
        for what, value in (("amount", group.gross), ("credits", group.credits)):
            if not fits(value):
                raise ExportError(
                    f"{cost_import_row.file_name}: the {what} of {group.month}, account {group.account}, "
                    f"service {group.service} is {group.currency} {value:,}, beyond the largest amount "
                    f"PartnerOps stores exactly ({MAX_AMOUNT:,}); nothing was imported."
                )
        rows.append(
            CostGroup(
                cost_import=cost_import_row,
                source=cost_import_row.source,
                month=group.month,
                currency=group.currency,
                account=group.account[:200],
                service=group.service[:200],
                category=group.category,
                hub_label=(group.hub_label or "")[:300],
                cluster_label=(group.cluster_label or "")[:300],
                gross_nanos=to_nanos(group.gross),
                credits_nanos=to_nanos(group.credits),
                lines=group.lines,
                effective_nanos=None if group.effective is None else to_nanos(group.effective),
            )
        )
    return rows


def _store_usage(usage: UsageWeights, checksum: str) -> None:
    """The file's weights replace those stored for each (month, cluster) it has."""
    for month, cluster in usage:
        UsageWeight.objects.filter(month=month, cluster=cluster).delete()
    UsageWeight.objects.bulk_create(
        [
            UsageWeight(
                month=month,
                cluster=cluster,
                namespace=namespace,
                weight=str(weight),
                checksum=checksum,
            )
            for (month, cluster), weights in sorted(usage.items())
            for namespace, weight in sorted(weights.items())
        ],
        batch_size=2000,
    )


def usage_weights_replace(
    *, month: str, cluster: str, weights: dict[str, Decimal], checksum: str
) -> None:
    """A cluster's weights for a month, from another source than a usage file (the usage
    app's Prometheus pull): they replace the stored ones, file or pull, as a file's do.
    The month is attributed again with them when it is next read (its fingerprint
    includes the weights). Runs in the caller's transaction."""
    _store_usage({(month, cluster): weights}, checksum)


def cost_lines(shares: list[Share], imports: dict[str, CostImport]) -> list[CostLine]:
    """One row per month x account x service x charge x hub x rule (labels are in the
    groups): the attributed amounts everything else reads."""
    totals: dict[tuple[Any, ...], tuple[Decimal, Decimal, int, Decimal | None]] = {}
    seen: set[int] = set()
    for share in shares:
        group = share.group
        hub = share.hub
        key = (
            group.file,
            group.month,
            group.currency,
            group.account,
            group.service,
            group.category,
            hub.hub_id if hub else None,
            hub.name if hub else "",
            hub.community_id if hub else None,
            hub.community if hub else "",
            share.rule,
            share.reason,
        )
        first_share = id(group) not in seen
        seen.add(id(group))
        credit_share = _part(group.credits, share, first_share)
        effective_share = (
            None if group.effective is None else _part(group.effective, share, first_share)
        )
        amount, credits, count, effective = totals.get(key, (Decimal(0), Decimal(0), 0, None))
        if effective_share is not None:
            effective = (effective or Decimal(0)) + effective_share
        totals[key] = (
            amount + share.amount,
            credits + credit_share,
            count + (group.lines if share.amount == group.amount else 0),
            effective,
        )
    lines = []
    for key, (amount, credits, count, effective) in totals.items():
        _check_storable(key, amount, credits, imports)
        (
            file_key,
            month,
            currency,
            account,
            service,
            category,
            hub_id,
            hub_name,
            community_id,
            community,
            rule,
            reason,
        ) = key
        cost_import_row = imports[file_key]
        lines.append(
            CostLine(
                cost_import=cost_import_row,
                source=cost_import_row.source,
                month=month,
                currency=currency,
                account=account[:200],
                service=service[:200],
                category=category,
                hub_id=hub_id,
                hub_name=hub_name,
                community_id=community_id,
                community_name=community,
                rule=rule,
                reason=reason[:300],
                amount_nanos=to_nanos(amount),
                credits_nanos=to_nanos(credits),
                lines=count,
                effective_nanos=None if effective is None else to_nanos(effective),
            )
        )
    return lines


def _part(value: Decimal, share: Share, first_share: bool) -> Decimal:
    """A share's part of a group's credits or effective cost, in proportion to its
    amount; a group whose amount is nil gives it whole to its first share (never to
    each of them)."""
    group = share.group
    if group.amount:
        return (value * share.amount / group.amount).quantize(Decimal("1e-9"))
    return value if first_share else Decimal(0)


def _check_storable(
    key: tuple[Any, ...], amount: Decimal, credits: Decimal, imports: dict[str, CostImport]
) -> None:
    """An amount beyond what is stored exactly is refused by name, before anything is
    written (the transaction rolls back): never an overflow in the database driver."""
    for what, value in (("amount", amount), ("credits", credits)):
        if not fits(value):
            file_path, month, currency, account, service = key[:5]
            raise ExportError(
                f"{imports[file_path].file_name}: the {what} of {month}, account {account}, service {service} "
                f"is {currency} {value:,}, beyond the largest amount PartnerOps stores exactly "
                f"({MAX_AMOUNT:,}); nothing was imported."
            )


def _mark_superseded() -> None:
    live = set(CostLine.objects.values_list("cost_import_id", flat=True).distinct())
    live |= set(CostGroup.objects.values_list("cost_import_id", flat=True).distinct())
    CostImport.objects.exclude(pk__in=live).filter(superseded=False).update(superseded=True)


# Reading back ---------------------------------------------------------------------------


def stored_shares(month: str) -> list[Share]:
    """The stored rows of a month as the engine's shares, to summarise them the same way
    (attributed again first if the hubs changed since). Plain rows, not model instances:
    a month of a large operation has tens of thousands of lines."""
    ensure_attributed(month)
    shares = []
    rows = CostLine.objects.filter(month=month).order_by("id").values_list(
        "source", "currency", "account", "service", "category", "amount_nanos", "credits_nanos",
        "lines", "hub_id", "hub__name", "hub_name", "community_id", "community_name", "rule", "reason",
        "effective_nanos",
    )  # fmt: skip
    for row in rows:
        source, currency, account, service, category, nanos, credit_nanos, count = row[:8]
        hub_id, current_name, hub_name, community_id, community_name, rule, reason = row[8:15]
        amount, credits = from_nanos(nanos), from_nanos(credit_nanos)
        effective = None if row[15] is None else from_nanos(row[15])
        group = Group(source, month, currency, account, service, category, None, None,
                      amount - credits, credits, count, effective)  # fmt: skip
        hub = (
            HubRule(
                current_name or hub_name,
                community_name,
                community_id=community_id,
                hub_id=hub_id,
            )
            if hub_name
            else None
        )
        shares.append(Share(group, amount, rule, hub, reason))
    return shares


def month_report(month: str) -> list[MonthSummary]:
    return summarize(stored_shares(month))


def imported_months() -> list[str]:
    return sorted(set(CostLine.objects.values_list("month", flat=True).distinct()), reverse=True)


UNATTRIBUTED_HUB = "-"


def parse_hub(text: str) -> int | None:
    """A drill-down's hub: a hub's id, or ``-`` for the unattributed rest."""
    if text == UNATTRIBUTED_HUB:
        return None
    if text.isdigit() and len(text) <= 18:
        return int(text)
    raise ValueError(f"hub {text[:40]!r} is not a hub id (or '-' for the unattributed rest).")


def drilldown(month: str, currency: str, hub_id: int | None) -> list[dict[str, Any]]:
    """The accounts, services and rules behind one hub's amount (``hub_id`` None: the
    unattributed rest), exact: one query, amounts as Decimals. By the hub's id: its
    name is a label and may change."""
    ensure_attributed(month)
    lines = CostLine.objects.filter(month=month, currency=currency)
    lines = lines.filter(hub_name="") if hub_id is None else lines.filter(hub_id=hub_id)
    rows = (
        lines.values(
            "account", "service", "category", "rule", "reason", "community_name", "hub_name"
        )
        .annotate(amount_nanos=Sum("amount_nanos"), credits_nanos=Sum("credits_nanos"))
        .order_by("account", "service", "category")
    )
    result = []
    for row in rows:
        fields: dict[str, Any] = dict(row)
        fields["amount"] = from_nanos(fields.pop("amount_nanos"))
        fields["credits"] = from_nanos(fields.pop("credits_nanos"))
        result.append(fields)
    return result
