"""Attribution: billing exports in, each community's monthly cloud spend out, to the cent.

DuckDB reads and aggregates every file (see ``formats``); the rules run in Python
on the aggregated groups with exact decimals. The same engine serves the app
(rules from the hubs table) and the command line (rules from a file).
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from partnerops.core.money import allocate, largest_remainder, round_cents
from partnerops.costs.formats import AMOUNT, ExportError, detect
from partnerops.costs.rules import HubRule, Rules, UsageWeights

DEDICATED, LABEL, SHARED, UNATTRIBUTED = (
    "dedicated account",
    "hub label",
    "shared cluster",
    "unattributed",
)
ZERO = Decimal(0)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    format: str
    provider: str
    checksum: str
    lines: int
    months: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """Lines of one file with the same month, currency, account, service, charge and labels."""

    file: str
    month: str
    currency: str
    account: str
    service: str
    category: str
    hub_label: str | None
    cluster_label: str | None
    gross: Decimal
    credits: Decimal
    lines: int
    # FOCUS EffectiveCost (amortised commitments, after discounts), shown beside the
    # billed amount; None where the export has no such figure.
    effective: Decimal | None = None

    @property
    def amount(self) -> Decimal:
        """Cost after credits."""
        return self.gross + self.credits


@dataclass(frozen=True)
class Share:
    """A part of a group given to one hub (or to nobody), and why."""

    group: Group
    amount: Decimal
    rule: str
    hub: HubRule | None = None
    reason: str = ""

    @property
    def community(self) -> str | None:
        return self.hub.community if self.hub else None


@dataclass
class CommunityAmount:
    community: str
    hub: str
    amount: Decimal  # rounded to the cent, largest remainder within the month and currency
    exact: Decimal
    hub_id: int | None = None  # in the app; a rules file's hubs have names only
    community_id: int | None = None


@dataclass
class AccountReconciliation:
    account: str
    total: Decimal
    attributed: Decimal
    unattributed: Decimal


@dataclass
class MonthSummary:
    month: str
    currency: str
    total: Decimal
    exact_total: Decimal
    unattributed: Decimal
    communities: list[CommunityAmount] = field(default_factory=list)
    accounts: list[AccountReconciliation] = field(default_factory=list)
    credits: Decimal = ZERO
    tax: Decimal = ZERO
    adjustments: Decimal = ZERO
    # The FOCUS EffectiveCost of the lines that have one, and what they billed.
    effective: Decimal | None = None
    effective_billed: Decimal | None = None

    @property
    def attributed(self) -> Decimal:
        return sum((item.amount for item in self.communities), ZERO)


@dataclass(frozen=True)
class Duplicate:
    """A file given twice in one import (the same bytes): read once, counted once."""

    name: str
    same_as: str


@dataclass(frozen=True)
class ReadLimits:
    """What reading one import may take: bytes a file may hold once unpacked, and
    DuckDB's memory (beyond which it spills to disk, or fails, but never takes the host)."""

    max_file_bytes: int = 50_000_000_000
    memory: str = "2GB"


@dataclass
class Attribution:
    files: list[SourceFile]
    shares: list[Share]
    duplicates: list[Duplicate] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)  # what the rules read, kept by the app

    def months(self) -> list[str]:
        return sorted({share.group.month for share in self.shares})

    def summaries(self) -> list[MonthSummary]:
        return summarize(self.shares)


# Reading -------------------------------------------------------------------------------


DEFLATE_MAX_RATIO = 1032


class _Unpacked:
    """Counts what a gzip file unpacks to, member after member, without keeping it."""

    def __init__(self) -> None:
        self.total = 0
        self._inflater = zlib.decompressobj(wbits=31)
        self.readable = True

    def feed(self, data: bytes) -> None:
        while data and self.readable:
            try:
                self.total += len(self._inflater.decompress(data, 1 << 20))
            except zlib.error:  # damaged: DuckDB says where when it reads the file
                self.readable = False
                return
            if self._inflater.eof:
                data = self._inflater.unused_data
                self._inflater = zlib.decompressobj(wbits=31)
            else:
                data = self._inflater.unconsumed_tail


@dataclass
class _Scan:
    """The parallel pass over a file: its checksum and, for gzip, whether it unpacks to
    more than the limit (then DuckDB's read is interrupted)."""

    checksum: str = ""
    too_large: bool = False


def _scan(path: Path, limit: int, scan: _Scan, interrupt: Callable[[], None]) -> None:
    digest = hashlib.sha256()
    # Deflate packs at most about 1032:1, so a small enough file cannot reach the limit
    # and need not be unpacked twice (counting costs 10-20% on large CSV.gz exports).
    gzip_file = path.name.lower().endswith(".gz")
    unpacked = (
        _Unpacked() if gzip_file and path.stat().st_size * DEFLATE_MAX_RATIO > limit else None
    )
    with path.open("rb") as handle:
        while chunk := handle.read(4 << 20):
            digest.update(chunk)
            if unpacked is not None:
                unpacked.feed(chunk)
                if unpacked.total > limit:
                    scan.too_large = True
                    interrupt()
                    return
    scan.checksum = digest.hexdigest()


def read_groups(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    rules: Rules,
    months: set[str] | None = None,
    limits: ReadLimits = ReadLimits(),
) -> tuple[SourceFile, list[Group]]:
    """Detect the file's format and aggregate it in DuckDB; hash it meanwhile."""
    export_format, schema = detect(connection, path)
    if path.stat().st_size > limits.max_file_bytes:
        raise ExportError(
            f"{path}: larger than the limit for one file ({limits.max_file_bytes:,} bytes)."
        )
    relation = export_format.relation(
        str(path), schema, rules.label_keys(), rules.cluster_label_keys
    )
    month_filter = ""
    if months:
        month_filter = (
            "WHERE month IN ("
            + ", ".join("'" + m.replace("'", "") + "'" for m in sorted(months))
            + ")"
        )
    sql = f"""
        SELECT month, currency, account, service, category, hub_label, cluster_label,
               CAST(sum(gross) AS {AMOUNT}), CAST(sum(credits) AS {AMOUNT}), count(*),
               CAST(sum(effective) AS {AMOUNT})
        FROM ({relation}) {month_filter}
        GROUP BY ALL ORDER BY ALL"""
    scan = _Scan()
    # sha256 and zlib release the GIL: the file is hashed (and a gzip's unpacked size
    # counted) while DuckDB reads it.
    hasher = threading.Thread(
        target=_scan, args=(path, limits.max_file_bytes, scan, connection.interrupt)
    )
    hasher.start()
    try:
        rows = connection.execute(sql).fetchall()
    except duckdb.Error as error:
        hasher.join()
        if scan.too_large:
            raise _too_large(path, limits) from None
        raise ExportError(
            f"{path}: damaged or not a valid {export_format.description}: {_message(error)}"
        ) from None
    hasher.join()
    if scan.too_large:
        raise _too_large(path, limits)
    groups = []
    for (
        month,
        currency,
        account,
        service,
        category,
        hub_label,
        cluster_label,
        gross,
        credits,
        lines,
        effective,
    ) in rows:
        if month is None or len(month) != 7:
            raise ExportError(
                f"{path}: {lines} line(s) have no billing month {_month_column(export_format.key)}."
            )
        if currency is None:
            raise ExportError(f"{path}: {lines} line(s) have no currency.")
        groups.append(
            Group(
                str(path),
                month,
                currency,
                account,
                service,
                category,
                hub_label or None,
                cluster_label or None,
                gross or ZERO,
                credits or ZERO,
                lines,
                effective,
            )
        )
    provider = export_format.provider
    if export_format.provider_of is not None:
        try:
            provider = export_format.provider_of(connection, str(path), schema)
        except duckdb.Error as error:
            raise ExportError(f"{path}: cannot read whose bill it is: {_message(error)}") from None
    source = SourceFile(
        path=path,
        format=export_format.key,
        provider=provider,
        checksum=scan.checksum,
        lines=sum(group.lines for group in groups),
        months=tuple(sorted({group.month for group in groups})),
    )
    return source, groups


def _too_large(path: Path, limits: ReadLimits) -> ExportError:
    return ExportError(
        f"{path}: unpacks to more than the limit for one file ({limits.max_file_bytes:,} bytes)."
    )


def _month_column(format_key: str) -> str:
    return {
        "gcp-billing-json": "(column invoice.month)",
        "gcp-billing-parquet": "(column invoice.month)",
        "gcp-billing-csv": "(column invoice.month)",
        "aws-cur2": "(column bill_billing_period_start_date)",
        "aws-cur-legacy": "(column bill/BillingPeriodStartDate)",
        "azure-cost-export": "(column BillingPeriodStartDate or Date)",
        "gcp-billing-report": "(column Month)",
        "aws-cost-explorer": "(first column)",
        "focus": "(column BillingPeriodStart)",
    }.get(format_key, "")


def _message(error: Exception) -> str:
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    return " ".join(lines[:4])


# Rules ---------------------------------------------------------------------------------


def apply_rules(
    groups: Iterable[Group], rules: Rules, usage: UsageWeights | None = None
) -> list[Share]:
    """Each group's amount to hubs, in rule order; what no rule claims stays unattributed."""
    usage = usage or {}
    dedicated = rules.dedicated_accounts()
    by_label = rules.label_values()
    clusters = rules.cluster_hubs()
    shared_values = set(rules.shared_values)
    shares: list[Share] = []
    for group in groups:
        amount = group.amount
        if group.account in dedicated:
            shares.append(Share(group, amount, DEDICATED, dedicated[group.account]))
            continue
        label = group.hub_label
        if label and label not in shared_values:
            hub = by_label.get(label)
            if hub is not None:
                shares.append(Share(group, amount, LABEL, hub))
            else:
                shares.append(
                    Share(
                        group, amount, UNATTRIBUTED, reason=f"label value {label!r} matches no hub"
                    )
                )
            continue
        shares.extend(_split_shared(group, clusters, usage, rules.cluster_label_keys))
    return shares


def _split_shared(
    group: Group,
    clusters: dict[str, list[HubRule]],
    usage: UsageWeights,
    cluster_keys: tuple[str, ...],
) -> list[Share]:
    cluster = group.cluster_label
    hubs = clusters.get(cluster or "")
    if not cluster or not hubs:
        reason = (
            "no hub label and no known cluster"
            if not cluster
            else f"cluster {cluster!r} has no hubs"
        )
        return [Share(group, group.amount, UNATTRIBUTED, reason=reason)]
    accounts = {account for hub in hubs for account in hub.accounts}
    if accounts and group.account not in accounts:
        return [
            Share(
                group,
                group.amount,
                UNATTRIBUTED,
                reason=f"cluster {cluster!r} is not in account {group.account}",
            )
        ]
    weights = usage.get((group.month, cluster))
    if not weights:
        if len(hubs) == 1:
            return [Share(group, group.amount, SHARED, hubs[0])]
        return [
            Share(
                group,
                group.amount,
                UNATTRIBUTED,
                reason=f"no usage weights for cluster {cluster!r} in {group.month}",
            )
        ]
    # Usage is measured per namespace: a hub's label values (its name unless it says).
    by_namespace: dict[str, HubRule] = {}
    for candidate in hubs:
        for value in candidate.label_values(cluster_keys):
            if value not in by_namespace or value not in candidate.former_names:
                by_namespace[value] = candidate
    shares = []
    for name, part in allocate(group.amount, weights).items():
        hub = by_namespace.get(name)
        if hub is None:
            shares.append(
                Share(
                    group, part, UNATTRIBUTED, reason=f"usage of {name!r} on {cluster!r}, not a hub"
                )
            )
        else:
            shares.append(Share(group, part, SHARED, hub))
    return shares


def attribute(
    paths: list[Path],
    rules: Rules | None = None,
    usage: UsageWeights | None = None,
    months: set[str] | None = None,
    on_file: Callable[[Path], None] | None = None,
    *,
    names: dict[Path, str] | None = None,
    limits: ReadLimits = ReadLimits(),
) -> Attribution:
    """Read every file and attribute its lines; without rules everything is unattributed.
    A file given twice (the same path, or the same bytes under another name) is counted
    once and listed in ``duplicates``. Errors name a file as ``names`` has it (what the
    person uploaded), not where it was saved."""
    rules = rules or Rules(hubs=[])
    connection = duckdb.connect(config={"memory_limit": limits.memory})
    files: list[SourceFile] = []
    shares: list[Share] = []
    all_groups: list[Group] = []
    duplicates: list[Duplicate] = []
    seen_paths: dict[Path, str] = {}
    seen_checksums: dict[str, str] = {}
    try:
        for path in paths:
            shown = (names or {}).get(path, str(path))
            same = seen_paths.get(path.resolve())
            if same is None:
                source, groups = _read_named(connection, path, shown, rules, months, limits)
                same = seen_checksums.get(source.checksum)
            if same is not None:
                duplicates.append(Duplicate(shown, same))
            else:
                seen_paths[path.resolve()] = seen_checksums[source.checksum] = shown
                files.append(source)
                all_groups.extend(groups)
                shares.extend(apply_rules(groups, rules, usage))
            if on_file:
                on_file(path)
    finally:
        connection.close()
    return Attribution(files, shares, duplicates, all_groups)


def _read_named(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    shown: str,
    rules: Rules,
    months: set[str] | None,
    limits: ReadLimits,
) -> tuple[SourceFile, list[Group]]:
    try:
        return read_groups(connection, path, rules, months, limits)
    except ExportError as error:
        raise ExportError(str(error).replace(str(path), shown)) from None


# Summaries ----------------------------------------------------------------------------


def summarize(shares: Iterable[Share]) -> list[MonthSummary]:
    """Per month and currency: the communities' amounts and the unattributed rest,
    rounded with the largest remainder so they add up to the total rounded to the cent;
    each account reconciled the same way."""
    by_month: dict[tuple[str, str], list[Share]] = defaultdict(list)
    for share in shares:
        by_month[(share.group.month, share.group.currency)].append(share)
    summaries = []
    for (month, currency), items in sorted(by_month.items()):
        # Keyed by the hub's identity (its id in the app): a rename changes a label,
        # never which hub an amount belongs to, nor which part gets a rounding cent.
        exact: dict[tuple[int, str] | None, Decimal] = defaultdict(Decimal)
        hubs: dict[tuple[int, str], HubRule] = {}
        for share in items:
            key = share.hub.identity if share.hub else None
            if share.hub is not None:
                hubs.setdefault(share.hub.identity, share.hub)
            exact[key] += share.amount
        exact.setdefault(None, ZERO)

        rounded = largest_remainder(
            dict(sorted(exact.items(), key=lambda item: _rounding_order(item[0], hubs)))
        )
        exact_total = sum(exact.values(), ZERO)
        summary = MonthSummary(
            month=month,
            currency=currency,
            total=round_cents(exact_total),
            exact_total=exact_total,
            unattributed=rounded[None],
            communities=sorted(
                (
                    CommunityAmount(
                        hubs[key].community,
                        hubs[key].name,
                        rounded[key],
                        exact[key],
                        hubs[key].hub_id,
                        hubs[key].community_id,
                    )
                    for key in rounded
                    if key is not None
                ),
                key=lambda item: (item.community, item.hub, item.hub_id or 0),
            ),
        )
        summary.accounts = _reconcile_accounts(items)
        groups = {id(share.group): share.group for share in items}.values()
        summary.credits = round_cents(
            sum((g.credits for g in groups), ZERO)
            + sum((g.gross for g in groups if g.category == "credit"), ZERO)
        )
        summary.tax = round_cents(sum((g.amount for g in groups if g.category == "tax"), ZERO))
        with_effective = [g for g in groups if g.effective is not None]
        if with_effective:
            summary.effective = round_cents(
                sum((g.effective or ZERO for g in with_effective), ZERO)
            )
            summary.effective_billed = round_cents(sum((g.amount for g in with_effective), ZERO))
        summary.adjustments = round_cents(
            sum(
                (
                    g.amount
                    for g in groups
                    if g.category in ("adjustment", "rounding", "fee", "other")
                ),
                ZERO,
            )
        )
        summaries.append(summary)
    return summaries


def _rounding_order(
    key: tuple[int, str] | None, hubs: dict[tuple[int, str], HubRule]
) -> tuple[int, int, str, str]:
    """Ties for a rounding cent go by hub id in the app (stable under renames), by
    community and hub name for a rules file; the unattributed rest comes last."""
    if key is None:
        return (1, 0, "", "")
    return (0, key[0], hubs[key].community if not key[0] else "", key[1])


def _reconcile_accounts(items: list[Share]) -> list[AccountReconciliation]:
    per_account: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: {"attributed": ZERO, "unattributed": ZERO}
    )
    for share in items:
        per_account[share.group.account]["unattributed" if share.hub is None else "attributed"] += (
            share.amount
        )
    result = []
    for account, parts in sorted(per_account.items()):
        rounded = largest_remainder(parts)
        result.append(
            AccountReconciliation(
                account,
                round_cents(sum(parts.values(), ZERO)),
                rounded["attributed"],
                rounded["unattributed"],
            )
        )
    return result
