"""Writes of hub usage: a month pulled from a cluster's Prometheus, or imported from a
CSV. Every answer is read before anything is written; then, in one transaction, the
month's figures replace what was stored for those hubs (never added to), and the
memory byte-hours replace the cluster's cost weights for the month.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partnerops.core import audit
from partnerops.core.actors import user_or_none
from partnerops.core.errors import DomainError
from partnerops.core.locks import transaction_lock
from partnerops.core.updates import assign_fields
from partnerops.costs.rules import DEFAULT_SHARED_VALUES
from partnerops.costs.services import usage_weights_replace
from partnerops.hubs.models import Hub
from partnerops.usage.audit_actions import UsageAction
from partnerops.usage.models import (
    Cluster,
    ExcludedUser,
    HubUsage,
    PrometheusAuth,
    UsagePull,
    UsageSource,
)
from partnerops.usage.prometheus import (
    Connection,
    PrometheusError,
    Sample,
    instant_query,
    month_query,
)

CLUSTER_FIELDS = (
    "name",
    "prometheus_url",
    "auth",
    "username",
    "secret",
    "verify_tls",
    "timeout_seconds",
    "namespace_label",
    "user_label",
    "active_users_query",
    "server_hours_query",
    "memory_query",
)
# An uploaded usage CSV larger than this is refused before it is read.
MAX_CSV_BYTES = 20 * 1024 * 1024


class UsageError(DomainError):
    """A pull or import that changed nothing, and why, naming the cluster and query or
    the file, row and column."""

    status_code = 422


class PrometheusUnavailable(UsageError):
    """The cluster's Prometheus failed us (down, slow, refusing, answering nonsense)."""

    status_code = 502


# Months ------------------------------------------------------------------------------


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """The month's first instant and the next month's, in UTC (Prometheus's clock)."""
    try:
        year, number = int(month[:4]), int(month[5:7])
        if len(month) != 7 or month[4] != "-" or not 1 <= number <= 12:
            raise ValueError
    except ValueError:
        raise UsageError(f"{month!r} is not a month; write it as YYYY-MM, e.g. 2026-10.") from None
    start = dt.datetime(year, number, 1, tzinfo=dt.UTC)
    days = calendar.monthrange(year, number)[1]
    return start, start + dt.timedelta(days=days)


def previous_month(day: dt.date) -> str:
    first = day.replace(day=1) - dt.timedelta(days=1)
    return f"{first:%Y-%m}"


# Clusters ----------------------------------------------------------------------------


def _validate_cluster(cluster: Cluster) -> None:
    cluster.full_clean()
    if cluster.auth != PrometheusAuth.NONE and not cluster.secret:
        raise ValidationError({"secret": "Give the token or password this authentication needs."})
    if cluster.auth == PrometheusAuth.BASIC and not cluster.username:
        raise ValidationError({"username": "Basic authentication needs a user name."})
    if "{range}" not in cluster.active_users_query:
        raise ValidationError(
            {
                "active_users_query": "The query counts over the month: write {range} where its length goes."
            }
        )


@transaction.atomic
def cluster_create(*, actor: Any, **values: Any) -> Cluster:
    cluster = Cluster()
    assign_fields(cluster, allowed=CLUSTER_FIELDS, values=values)
    _validate_cluster(cluster)
    cluster.save()
    audit.record_create(actor=actor, instance=cluster)
    return cluster


@transaction.atomic
def cluster_update(*, actor: Any, cluster: Cluster, **values: Any) -> Cluster:
    """Changes the given fields; a blank secret keeps the stored one (it is never shown,
    so a form cannot send it back)."""
    if not values.get("secret", "x"):
        values.pop("secret")
    before = audit.stored_snapshot(cluster, CLUSTER_FIELDS)
    assign_fields(cluster, allowed=CLUSTER_FIELDS, values=values)
    _validate_cluster(cluster)
    cluster.save()
    audit.record_update(actor=actor, instance=cluster, before=before)
    return cluster


@transaction.atomic
def excluded_user_add(
    *, actor: Any, username: str, cluster: Cluster | None = None, reason: str = ""
) -> ExcludedUser:
    name = username.strip()
    if not name:
        raise ValidationError({"username": "Give the user name that should never count."})
    if ExcludedUser.objects.filter(username__iexact=name, cluster=cluster).exists():
        where = f"on {cluster}" if cluster else "on every cluster"
        raise ValidationError({"username": f"{name} is already excluded {where}."})
    excluded = ExcludedUser(username=name, cluster=cluster, reason=reason.strip())
    excluded.full_clean(validate_constraints=False)
    excluded.save()
    audit.record_create(actor=actor, instance=excluded)
    return excluded


@transaction.atomic
def excluded_user_remove(*, actor: Any, excluded: ExcludedUser) -> None:
    audit.record_delete(actor=actor, instance=excluded)
    excluded.delete()


def excluded_names(cluster: Cluster | None) -> frozenset[str]:
    """The names that never count on the cluster (its own and every cluster's), folded."""
    rows = ExcludedUser.objects.filter(Q(cluster=None) | Q(cluster=cluster))
    return frozenset(name.casefold() for name in rows.values_list("username", flat=True))


# Counting ----------------------------------------------------------------------------


@dataclass
class HubFigures:
    hub: Hub
    active_users: int = 0
    excluded_users: int = 0
    server_hours: Decimal | None = None
    memory_byte_hours: Decimal | None = None


@dataclass
class PullResult:
    month: str
    cluster: str
    source: str
    hubs: list[HubFigures]
    excluded: int
    partial_month: bool = False
    unknown_namespaces: list[str] = field(default_factory=list)
    weights: dict[str, Decimal] = field(default_factory=dict)
    pull: UsagePull | None = None

    @property
    def active_users(self) -> int:
        return sum(item.active_users for item in self.hubs)


def _cluster_hubs(cluster: Cluster, start: dt.date) -> list[Hub]:
    """The cluster's hubs (by the hubs' cluster field) not decommissioned before the month."""
    return list(
        Hub.objects.filter(cluster=cluster.name)
        .exclude(decommissioned_on__lt=start)
        .order_by("name")
    )


def _in_month(figures: list[HubFigures], end: dt.date) -> list[HubFigures]:
    """A hub requested after the month has a row only if it had users then (an imported
    hub's request date may be later than its history)."""
    return [
        item
        for item in figures
        if item.hub.requested_on < end or item.active_users or item.memory_byte_hours
    ]


def _namespace_index(hubs: Iterable[Hub]) -> dict[str, Hub]:
    """Namespace -> hub: the hub's name, then the names it had (its old namespace still
    carries its users after a rename). A current name wins over a former one."""
    index: dict[str, Hub] = {}
    for hub in hubs:
        for former in hub.former_names or []:
            index.setdefault(former, hub)
    for hub in hubs:
        index[hub.name] = hub
    return index


def _per_user(samples: list[Sample], cluster: Cluster, query: str) -> dict[str, dict[str, Decimal]]:
    """namespace -> user -> value, from series labelled by namespace and user."""
    values: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for sample in samples:
        namespace = sample.labels.get(cluster.namespace_label)
        user = sample.labels.get(cluster.user_label)
        if namespace is None or user is None:
            raise PrometheusError(
                f"cluster {cluster.name}, query {query!r}: a series lacks the label "
                f"{cluster.namespace_label if namespace is None else cluster.user_label!r} "
                f"({sample.labels}); the query must keep it (by ({cluster.namespace_label}, "
                f"{cluster.user_label}))."
            )
        values[namespace][user] = values[namespace].get(user, Decimal(0)) + sample.value
    return values


def _per_namespace(samples: list[Sample], cluster: Cluster, query: str) -> dict[str, Decimal]:
    values: dict[str, Decimal] = defaultdict(Decimal)
    for sample in samples:
        namespace = sample.labels.get(cluster.namespace_label)
        if namespace is None:
            raise PrometheusError(
                f"cluster {cluster.name}, query {query!r}: a series lacks the label "
                f"{cluster.namespace_label!r} ({sample.labels})."
            )
        values[namespace] += sample.value
    return dict(values)


def count_usage(
    *,
    hubs: list[Hub],
    users: dict[str, dict[str, Decimal]],
    hours: dict[str, dict[str, Decimal]] | None,
    memory: dict[str, Decimal] | None,
    excluded: frozenset[str],
) -> tuple[list[HubFigures], int, list[str]]:
    """Per hub: distinct users with a server (a value above zero) who are not excluded,
    their server-hours, the namespace's memory byte-hours. Also the distinct excluded
    names seen, and the namespaces with users that are no hub of the cluster."""
    index = _namespace_index(hubs)
    figures = {hub.pk: HubFigures(hub) for hub in hubs}
    excluded_seen: set[str] = set()
    unknown: set[str] = set()
    for namespace, by_user in users.items():
        hub = index.get(namespace)
        active = {user for user, value in by_user.items() if value > 0}
        dropped = {user for user in active if user.casefold() in excluded}
        excluded_seen |= {user.casefold() for user in dropped}
        if hub is None:
            if active - dropped:
                unknown.add(namespace)
            continue
        item = figures[hub.pk]
        item.active_users += len(active - dropped)
        item.excluded_users += len(dropped)
        if hours is not None:
            counted = (
                value
                for user, value in hours.get(namespace, {}).items()
                if user.casefold() not in excluded
            )
            item.server_hours = (item.server_hours or Decimal(0)) + sum(counted, Decimal(0))
    for item in figures.values():
        if hours is not None and item.server_hours is None:
            item.server_hours = Decimal(0)
        if memory is not None:
            names = [item.hub.name, *(item.hub.former_names or [])]
            item.memory_byte_hours = sum(
                (memory[name] for name in names if name in memory and index.get(name) == item.hub),
                Decimal(0),
            )
    return list(figures.values()), len(excluded_seen), sorted(unknown)


# Pulling -----------------------------------------------------------------------------


def connection_for(cluster: Cluster) -> Connection:
    return Connection(
        cluster=cluster.name,
        url=cluster.prometheus_url,
        auth=cluster.auth,
        username=cluster.username,
        secret=cluster.secret,
        verify_tls=cluster.verify_tls,
        timeout_seconds=cluster.timeout_seconds,
    )


def usage_pull(
    *, actor: Any, cluster: Cluster, month: str, now: dt.datetime | None = None
) -> PullResult:
    """Ask the cluster's Prometheus for the month (up to now, for the running month),
    then store it. A failure of any query raises UsageError and changes nothing."""
    start, end = month_bounds(month)
    now = now or timezone.now()
    if start > now:
        raise UsageError(f"{month} has not begun; usage is pulled for past or current months.")
    at = min(end, now)
    if not cluster.prometheus_url:
        raise UsageError(
            f"cluster {cluster.name}: no Prometheus address is set; add one on the cluster's "
            "page, or import the month's usage from a CSV."
        )
    connection = connection_for(cluster)
    queries: dict[str, str] = {}
    try:
        # No one may have started a server yet (early in a month, an idle cluster): an
        # empty answer is zero users. But every cluster requests memory: an empty answer
        # there means the query or the metrics are wrong, and zero weights would send a
        # shared cluster's cost to nobody, so it is an error.
        queries["active_users"] = month_query(cluster.active_users_query, start, at)
        users = _per_user(
            instant_query(connection, queries["active_users"], at, allow_empty=True),
            cluster,
            queries["active_users"],
        )
        hours = None
        if cluster.server_hours_query.strip():
            queries["server_hours"] = month_query(cluster.server_hours_query, start, at)
            hours = _per_user(
                instant_query(connection, queries["server_hours"], at, allow_empty=True),
                cluster,
                queries["server_hours"],
            )
        memory = None
        if cluster.memory_query.strip():
            queries["memory"] = month_query(cluster.memory_query, start, at)
            memory = _per_namespace(
                instant_query(connection, queries["memory"], at), cluster, queries["memory"]
            )
    except PrometheusError as error:
        raise PrometheusUnavailable(str(error)) from None
    hubs = _cluster_hubs(cluster, start.date())
    figures, excluded, unknown = count_usage(
        hubs=hubs, users=users, hours=hours, memory=memory, excluded=excluded_names(cluster)
    )
    figures = _in_month(figures, end.date())
    weights = cost_weights(memory)
    result = PullResult(
        month,
        cluster.name,
        UsageSource.PROMETHEUS,
        figures,
        excluded,
        at < end,
        unknown,
        weights or {},
    )
    result.pull = _store(
        actor=actor,
        result=result,
        cluster=cluster,
        queries=queries,
        weights=weights,
    )
    return result


def cost_weights(memory: dict[str, Decimal] | None) -> dict[str, Decimal] | None:
    """The namespaces' memory as the cluster's cost weights. The shared namespaces
    (support, kube-system) are the overhead every hub needs: they carry no weight, so
    their cost is split among the hubs by the hubs' own (domain facts). Other
    namespaces that are no hub (staging, demo) keep theirs: that share is our cost."""
    if memory is None:
        return None
    return {name: value for name, value in memory.items() if name not in DEFAULT_SHARED_VALUES}


@transaction.atomic
def _store(
    *,
    actor: Any,
    result: PullResult,
    cluster: Cluster | None,
    queries: dict[str, str] | None = None,
    weights: dict[str, Decimal] | None = None,
    file_name: str = "",
    checksum: str = "",
) -> UsagePull:
    # One writer per month: two pulls of the same month cannot interleave their rows.
    transaction_lock(f"usage-month:{result.month}")
    pull = UsagePull.objects.create(
        month=result.month,
        cluster=cluster,
        source=result.source,
        queries=queries or {},
        file_name=file_name,
        checksum=checksum,
        excluded=result.excluded,
        pulled_by=user_or_none(actor),
        partial_month=result.partial_month,
    )
    hub_ids = [item.hub.pk for item in result.hubs]
    HubUsage.objects.filter(month=result.month, hub_id__in=hub_ids).delete()
    HubUsage.objects.bulk_create(
        [
            HubUsage(
                hub=item.hub,
                month=result.month,
                active_users=item.active_users,
                excluded_users=item.excluded_users,
                server_hours=None
                if item.server_hours is None
                else item.server_hours.quantize(Decimal("0.01")),
                memory_byte_hours=""
                if item.memory_byte_hours is None
                else str(item.memory_byte_hours),
                pull=pull,
            )
            for item in result.hubs
        ]
    )
    if weights is not None and cluster is not None:
        usage_weights_replace(
            month=result.month,
            cluster=cluster.name,
            weights=weights,
            checksum=f"prometheus pull {pull.pk}",
        )
    target: Any = cluster if cluster is not None else pull
    action = UsageAction.PULLED if result.source == UsageSource.PROMETHEUS else UsageAction.IMPORTED
    audit.record(
        actor=actor,
        instance=target,
        action=action,
        message=f"{result.month}: {result.active_users} active users on {len(result.hubs)} hubs"
        + (f", {result.excluded} excluded" if result.excluded else "")
        + (f" ({file_name})" if file_name else ""),
    )
    return pull


# CSV ---------------------------------------------------------------------------------


def usage_import_csv(*, actor: Any, content: bytes, file_name: str) -> PullResult:
    """month,hub,active_users[,server_hours] rows (one month per file or several). Every
    row is checked first; any error names the row and column and nothing is stored."""
    if len(content) > MAX_CSV_BYTES:
        raise UsageError(f"{file_name}: larger than {MAX_CSV_BYTES // 2**20} MiB.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{file_name}: is not UTF-8 text.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {name.strip().lower() for name in reader.fieldnames or []}
    if not {"month", "hub", "active_users"} <= columns:
        raise UsageError(
            f"{file_name}: expected the columns month,hub,active_users[,server_hours]; "
            f"found {','.join(reader.fieldnames or []) or 'none'}."
        )
    hubs = {hub.name: hub for hub in Hub.objects.all()}
    for hub in list(hubs.values()):
        for former in hub.former_names or []:
            hubs.setdefault(former, hub)
    months: dict[str, dict[int, HubFigures]] = defaultdict(dict)
    try:
        for number, raw in enumerate(reader, start=2):
            row = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items()}
            if not any(row.values()):
                continue
            _csv_row(row, number, file_name, hubs, months)
    except csv.Error as error:
        raise UsageError(f"{file_name}: cannot be read as CSV ({error}).") from None
    if not months:
        raise UsageError(f"{file_name}: no usage rows.")
    checksum = hashlib.sha256(content).hexdigest()
    results = []
    with transaction.atomic():
        for month, figures in sorted(months.items()):
            result = PullResult(month, "", UsageSource.CSV, list(figures.values()), 0)
            result.pull = _store(
                actor=actor, result=result, cluster=None, file_name=file_name, checksum=checksum
            )
            results.append(result)
    combined = PullResult(
        ", ".join(sorted(months)), "", UsageSource.CSV, [h for r in results for h in r.hubs], 0
    )
    combined.pull = results[-1].pull  # one record per month; the latest month's here
    return combined


def _csv_row(
    row: dict[str, str],
    number: int,
    file_name: str,
    hubs: dict[str, Hub],
    months: dict[str, dict[int, HubFigures]],
) -> None:
    where = f"{file_name}: row {number}"
    month = row.get("month", "")
    try:
        month_bounds(month)
    except UsageError:
        raise UsageError(f"{where}, column month: {month!r} is not a month (YYYY-MM).") from None
    hub = hubs.get(row.get("hub", ""))
    if hub is None:
        raise UsageError(f"{where}, column hub: no hub is named {row.get('hub', '')!r}.")
    text = row.get("active_users", "")
    if not text.isdigit():
        raise UsageError(f"{where}, column active_users: {text!r} is not a whole number of users.")
    hours: Decimal | None = None
    if row.get("server_hours"):
        try:
            hours = Decimal(row["server_hours"])
        except InvalidOperation:
            hours = None
        if hours is None or not hours.is_finite() or hours < 0:
            raise UsageError(
                f"{where}, column server_hours: {row['server_hours']!r} is not a number of hours."
            )
    if hub.pk in months[month]:
        raise UsageError(f"{where}: hub {hub.name} appears twice for {month}.")
    months[month][hub.pk] = HubFigures(hub, int(text), 0, hours)
