"""Cloud cost import and attribution at 1, 2 and 5 million lines (issue 5).

For each export (GCP JSON lines and Parquet, AWS CUR 2.0 Parquet and CSV.gz) and
size, separate processes, each timed from inside (imports done before the clock
starts) and reporting its own peak resident memory:
  ours   - partnerops.costs.engine.attribute (detect, read, aggregate, hash the
           file, apply the rules, summarise to the cent);
  floor  - DuckDB alone reading the same file and grouping it (see _floor_sql);
  pandas - a straightforward pandas implementation of the same rules.
Run with `make bench` (or `python -m bench.costs [--sizes 1000000,2000000]`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("BENCH_DATA", ROOT / "var" / "bench-data"))
SIZES = (1_000_000, 2_000_000, 5_000_000)
FORMATS = ("gcp-json", "gcp-parquet", "cur2-parquet", "cur2-csv-gz", "focus-parquet")
HUBS = 30
CLUSTERS = ("shared-gke-us", "shared-gke-eu", "shared-eks-us")
DEDICATED = ("ded-alpha", "ded-beta", "ded-gamma", "ded-delta", "ded-epsilon")
PANDAS_TIMEOUT_S = int(os.environ.get("BENCH_PANDAS_TIMEOUT", "420"))
PANDAS_MEMORY_LIMIT = 16 << 30


def _hub(i: int) -> str:
    return f"hub{i:02d}"


def rules_toml() -> str:
    lines = ['hub_label_keys = ["2i2c:hub-name", "k8s-namespace"]']
    for i in range(HUBS):
        cluster = CLUSTERS[i % len(CLUSTERS)]
        lines += ["[[hubs]]", f'name = "{_hub(i)}"', f'community = "Community {i:02d}"', f'cluster = "{cluster}"',
                  'accounts = ["shared-project", "111111111111"]']  # fmt: skip
    for name in DEDICATED:
        lines += ["[[hubs]]", f'name = "{name}"', f'community = "Dedicated {name}"', 'tenancy = "dedicated"',
                  f'accounts = ["{name}"]']  # fmt: skip
    return "\n".join(lines) + "\n"


def usage_csv() -> str:
    rows = ["month,cluster,hub,weight"]
    for month in ("2026-09", "2026-10"):
        for i in range(HUBS):
            rows.append(f"{month},{CLUSTERS[i % len(CLUSTERS)]},{_hub(i)},{(i * 7919) % 1000 + 1}")
        rows.append(f"{month},shared-gke-us,staging,50")
    return "\n".join(rows) + "\n"


# Generating realistic exports with DuckDB ------------------------------------------------

_MIX = "hash(i) % 100"  # which kind of line: tagged 70, support 10, untagged on a cluster 10, no cluster 4, dedicated 6


def _gcp_select(n: int) -> str:
    hub = f"'hub' || lpad(CAST(hash(i * 3) % {HUBS} AS VARCHAR), 2, '0')"
    cluster = f"['shared-gke-us','shared-gke-eu','shared-eks-us'][CAST(hash(i * 3) % {HUBS} % 3 AS INTEGER) + 1]"
    dedicated = "['ded-alpha','ded-beta','ded-gamma','ded-delta','ded-epsilon'][CAST(hash(i * 5) % 5 AS INTEGER) + 1]"
    return f"""
      SELECT
        '01ABCD-EF2345-678901' AS billing_account_id,
        {{'month': CASE WHEN i % 2 = 0 THEN '202609' ELSE '202610' END}} AS invoice,
        CASE WHEN i % 5000 = 0 THEN 'tax' ELSE 'regular' END AS cost_type,
        {{'id': 'SVC' || (hash(i * 7) % 12), 'description': ['Compute Engine','Kubernetes Engine','Cloud Storage',
          'Networking','Cloud Logging','Cloud Monitoring','Artifact Registry','Cloud Filestore','BigQuery',
          'Cloud DNS','Cloud NAT','Persistent Disk'][CAST(hash(i * 7) % 12 AS INTEGER) + 1]}} AS service,
        {{'id': 'SKU' || (hash(i * 11) % 500), 'description': 'sku ' || (hash(i * 11) % 500)}} AS sku,
        TIMESTAMP '2026-09-01' + INTERVAL (i % 5000) MINUTE AS usage_start_time,
        TIMESTAMP '2026-09-01' + INTERVAL (i % 5000 + 60) MINUTE AS usage_end_time,
        {{'id': CASE WHEN {_MIX} >= 94 THEN {dedicated} ELSE 'shared-project' END, 'name': 'project',
          'labels': [{{'key': 'team', 'value': 'hubs'}}]}} AS project,
        CASE WHEN {_MIX} < 70 THEN [{{'key': 'k8s-namespace', 'value': {hub}}}, {{'key': 'goog-k8s-cluster-name', 'value': {cluster}}}]
             WHEN {_MIX} < 80 THEN [{{'key': 'k8s-namespace', 'value': 'support'}}, {{'key': 'goog-k8s-cluster-name', 'value': {cluster}}}]
             WHEN {_MIX} < 90 THEN [{{'key': 'goog-k8s-cluster-name', 'value': {cluster}}}]
             ELSE CAST([] AS STRUCT(key VARCHAR, value VARCHAR)[]) END AS labels,
        {{'region': 'us-central1'}} AS location,
        round((hash(i * 13) % 10000000) / 1000000.0, 6) AS cost,
        'USD' AS currency,
        1.0 AS currency_conversion_rate,
        {{'amount': (hash(i * 17) % 1000) / 10.0, 'unit': 'byte-seconds'}} AS usage,
        CASE WHEN i % 5 = 0 THEN [{{'name': 'Committed use discount', 'amount': -round((hash(i * 19) % 1000000) / 1000000.0, 6), 'type': 'COMMITTED_USAGE_DISCOUNT'}}]
             ELSE CAST([] AS STRUCT(name VARCHAR, amount DOUBLE, type VARCHAR)[]) END AS credits
      FROM range({n}) AS t(i)"""


def _cur2_select(n: int) -> str:
    hub = f"'hub' || lpad(CAST(hash(i * 3) % {HUBS} AS VARCHAR), 2, '0')"
    cluster = f"['shared-gke-us','shared-gke-eu','shared-eks-us'][CAST(hash(i * 3) % {HUBS} % 3 AS INTEGER) + 1]"
    dedicated = "['ded-alpha','ded-beta','ded-gamma','ded-delta','ded-epsilon'][CAST(hash(i * 5) % 5 AS INTEGER) + 1]"
    return f"""
      SELECT
        CASE WHEN i % 2 = 0 THEN TIMESTAMP '2026-09-01' ELSE TIMESTAMP '2026-10-01' END AS bill_billing_period_start_date,
        '999999999999' AS bill_payer_account_id,
        CASE WHEN {_MIX} >= 94 THEN {dedicated} ELSE '111111111111' END AS line_item_usage_account_id,
        CASE WHEN i % 5000 = 0 THEN 'Tax' WHEN i % 5 = 0 THEN 'Credit' ELSE 'Usage' END AS line_item_line_item_type,
        TIMESTAMP '2026-09-01' + INTERVAL (i % 5000) MINUTE AS line_item_usage_start_date,
        ['AmazonEC2','AmazonEKS','AmazonS3','AmazonEFS','AWSDataTransfer','AmazonCloudWatch','AmazonVPC',
         'AmazonRoute53'][CAST(hash(i * 7) % 8 AS INTEGER) + 1] AS line_item_product_code,
        'arn:aws:ec2:us-west-2:111111111111:instance/i-' || (hash(i) % 100000) AS line_item_resource_id,
        CASE WHEN i % 5 = 0 THEN -round((hash(i * 19) % 1000000) / 1000000.0, 6)
             ELSE round((hash(i * 13) % 10000000) / 1000000.0, 6) END AS line_item_unblended_cost,
        CASE WHEN i % 5 = 0 THEN -round((hash(i * 19) % 1000000) / 1000000.0, 6)
             ELSE round((hash(i * 13) % 10000000) / 1000000.0, 6) END AS line_item_net_unblended_cost,
        'USD' AS line_item_currency_code,
        CASE WHEN {_MIX} < 70 THEN MAP {{'user_2i2c_hub_name': {hub}, 'user_alpha_eksctl_io_cluster_name': {cluster}}}
             WHEN {_MIX} < 80 THEN MAP {{'user_2i2c_hub_name': 'support', 'user_alpha_eksctl_io_cluster_name': {cluster}}}
             WHEN {_MIX} < 90 THEN MAP {{'user_alpha_eksctl_io_cluster_name': {cluster}}}
             ELSE MAP {{'user_team': 'hubs'}} END AS resource_tags,
        MAP {{'team': 'hubs'}} AS cost_category
      FROM range({n}) AS t(i)"""


def _focus_select(n: int) -> str:
    """The CUR world as AWS's "FOCUS 1.0 with AWS columns" Parquet: typed period,
    DECIMAL BilledCost, credits as their own lines, Tags a map with user: keys."""
    hub = f"'hub' || lpad(CAST(hash(i * 3) % {HUBS} AS VARCHAR), 2, '0')"
    cluster = f"['shared-gke-us','shared-gke-eu','shared-eks-us'][CAST(hash(i * 3) % {HUBS} % 3 AS INTEGER) + 1]"
    dedicated = "['ded-alpha','ded-beta','ded-gamma','ded-delta','ded-epsilon'][CAST(hash(i * 5) % 5 AS INTEGER) + 1]"
    cost = (
        "CASE WHEN i % 5 = 0 THEN -round((hash(i * 19) % 1000000) / 1000000.0, 6) "
        "ELSE round((hash(i * 13) % 10000000) / 1000000.0, 6) END"
    )
    return f"""
      SELECT
        '999999999999' AS BillingAccountId,
        CASE WHEN {_MIX} >= 94 THEN {dedicated} ELSE '111111111111' END AS SubAccountId,
        CASE WHEN i % 2 = 0 THEN TIMESTAMP '2026-09-01' ELSE TIMESTAMP '2026-10-01' END AS BillingPeriodStart,
        CASE WHEN i % 2 = 0 THEN TIMESTAMP '2026-10-01' ELSE TIMESTAMP '2026-11-01' END AS BillingPeriodEnd,
        TIMESTAMP '2026-09-01' + INTERVAL (i % 5000) MINUTE AS ChargePeriodStart,
        CASE WHEN i % 5000 = 0 THEN 'Tax' WHEN i % 5 = 0 THEN 'Credit' ELSE 'Usage' END AS ChargeCategory,
        CAST(NULL AS VARCHAR) AS ChargeClass,
        CAST({cost} AS DECIMAL(38, 10)) AS BilledCost,
        CAST({cost} AS DECIMAL(38, 10)) AS EffectiveCost,
        'USD' AS BillingCurrency,
        'AWS' AS ProviderName,
        ['Amazon Elastic Compute Cloud','Amazon Elastic Kubernetes Service','Amazon Simple Storage Service',
         'Amazon Elastic File System','AWS Data Transfer','Amazon CloudWatch','Amazon Virtual Private Cloud',
         'Amazon Route 53'][CAST(hash(i * 7) % 8 AS INTEGER) + 1] AS ServiceName,
        'arn:aws:ec2:us-west-2:111111111111:instance/i-' || (hash(i) % 100000) AS ResourceId,
        CASE WHEN {_MIX} < 70 THEN MAP {{'user:2i2c:hub-name': {hub}, 'user:alpha.eksctl.io/cluster-name': {cluster}}}
             WHEN {_MIX} < 80 THEN MAP {{'user:2i2c:hub-name': 'support', 'user:alpha.eksctl.io/cluster-name': {cluster}}}
             WHEN {_MIX} < 90 THEN MAP {{'user:alpha.eksctl.io/cluster-name': {cluster}}}
             ELSE MAP {{'user:team': 'hubs'}} END AS Tags,
        'AmazonEC2' AS x_ServiceCode
      FROM range({n}) AS t(i)"""


def generate(kind: str, n: int) -> Path:
    import duckdb

    DATA.mkdir(parents=True, exist_ok=True)
    suffix = {
        "gcp-json": "json",
        "gcp-parquet": "parquet",
        "cur2-parquet": "parquet",
        "cur2-csv-gz": "csv.gz",
        "focus-parquet": "parquet",
    }[kind]
    path = DATA / f"{kind}-{n}.{suffix}"
    if path.exists():
        return path
    select = (
        _gcp_select(n) if kind.startswith("gcp")
        else _focus_select(n) if kind.startswith("focus") else _cur2_select(n)
    )  # fmt: skip
    options = {
        "gcp-json": "FORMAT JSON", "gcp-parquet": "FORMAT PARQUET", "cur2-parquet": "FORMAT PARQUET",
        "focus-parquet": "FORMAT PARQUET",
        # In CUR 2.0's CSV the map columns are JSON text.
        "cur2-csv-gz": "FORMAT CSV, HEADER, COMPRESSION GZIP",
    }[kind]  # fmt: skip
    if kind == "cur2-csv-gz":
        select = f"SELECT * REPLACE (to_json(resource_tags) AS resource_tags, to_json(cost_category) AS cost_category) FROM ({select})"
    partial = path.with_name(path.name + ".partial")
    duckdb.sql(f"COPY ({select}) TO '{partial}' ({options})")
    partial.rename(path)
    return path


# The three implementations, each run in its own process ---------------------------------


def run_ours(path: Path, rules_path: Path, usage_path: Path) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerops.settings")
    from partnerops.costs.engine import attribute
    from partnerops.costs.rules import load_rules_file, load_usage_csv

    result = attribute([path], load_rules_file(rules_path), load_usage_csv(usage_path))
    summaries = result.summaries()
    return {
        s.month: {"total": str(s.total), "unattributed": str(s.unattributed)} for s in summaries
    }


def _floor_sql(path: Path, *, needed: bool) -> str:
    """DuckDB alone: the bare read-and-group-by, written by hand for this file's layout.

    minimal: month and account, summing cost (the least any import reads);
    needed:  every field the rules use (month, account, service, charge, the hub and
             cluster labels, cost and credits), grouped by them; what the engine adds
             on top is detection, generality (several label keys and spellings),
             hashing the file, the rules and the summaries.
    """
    name = path.name
    if name.startswith("gcp"):
        source = (
            f"read_json('{path}', format = 'newline_delimited', columns = {{'invoice': 'STRUCT(month VARCHAR)', "
            "'project': 'STRUCT(id VARCHAR, labels STRUCT(key VARCHAR, value VARCHAR)[])', "
            "'service': 'STRUCT(description VARCHAR)', 'cost_type': 'VARCHAR', "
            "'labels': 'STRUCT(key VARCHAR, value VARCHAR)[]', 'cost': 'DOUBLE', "
            "'credits': 'STRUCT(amount DOUBLE)[]', 'currency': 'VARCHAR'})"
            if name.endswith(".json")
            else f"read_parquet('{path}')"
        )
        if not needed:
            return f"SELECT invoice.month, project.id, sum(cost) FROM {source} GROUP BY ALL"
        return f"""SELECT invoice.month, currency, project.id, service.description, cost_type,
                list_extract(list_filter(labels, lambda l: l.key = 'k8s-namespace'), 1).value,
                list_extract(list_filter(labels, lambda l: l.key = 'goog-k8s-cluster-name'), 1).value,
                sum(cost), sum(list_sum(list_transform(credits, lambda c: c.amount)))
            FROM {source} GROUP BY ALL"""
    if name.startswith("focus"):
        source = f"read_parquet('{path}')"
        if not needed:
            return f"SELECT BillingPeriodStart, SubAccountId, sum(BilledCost) FROM {source} GROUP BY ALL"
        return f"""SELECT BillingPeriodStart, BillingCurrency, SubAccountId, ServiceName, ChargeCategory,
                ChargeClass, map_extract_value(Tags, 'user:2i2c:hub-name'),
                map_extract_value(Tags, 'user:alpha.eksctl.io/cluster-name'), sum(BilledCost)
            FROM {source} GROUP BY ALL"""
    source = f"read_parquet('{path}')" if name.endswith(".parquet") else f"read_csv('{path}')"
    if not needed:
        return f"SELECT bill_billing_period_start_date, line_item_usage_account_id, sum(line_item_unblended_cost) FROM {source} GROUP BY ALL"
    tag = (
        (lambda key: f"map_extract_value(resource_tags, '{key}')")
        if name.endswith(".parquet")
        else (lambda key: f"json_extract_string(resource_tags, '$.\"{key}\"')")
    )
    return f"""SELECT bill_billing_period_start_date, line_item_currency_code, line_item_usage_account_id,
            line_item_product_code, line_item_line_item_type, {tag("user_2i2c_hub_name")},
            {tag("user_alpha_eksctl_io_cluster_name")}, sum(line_item_unblended_cost)
        FROM {source} GROUP BY ALL"""


def run_floor(path: Path, *, needed: bool) -> dict[str, Any]:
    import duckdb

    return {"groups": len(duckdb.sql(_floor_sql(path, needed=needed)).fetchall())}


def run_pandas(path: Path, rules_path: Path, usage_path: Path) -> dict[str, Any]:
    """What one would write first: load the whole file into a DataFrame, pull labels
    out row by row, apply the rules, group."""
    import tomllib

    import pandas as pd

    rules = tomllib.loads(rules_path.read_text())
    hubs = {hub["name"]: hub for hub in rules["hubs"]}
    dedicated = {
        a: h["name"]
        for h in rules["hubs"]
        if h.get("tenancy") == "dedicated"
        for a in h["accounts"]
    }
    usage = pd.read_csv(usage_path)
    name = path.name
    if name.startswith("gcp"):
        frame = pd.read_json(path, lines=True) if name.endswith(".json") else pd.read_parquet(path)
        frame["month"] = frame["invoice"].map(lambda v: v["month"][:4] + "-" + v["month"][4:])
        frame["account"] = frame["project"].map(lambda v: v["id"] if v is not None else None)

        def label(labels: Any, key: str) -> Any:
            for item in labels if labels is not None else []:
                if item["key"] == key:
                    return item["value"]
            return None

        frame["hub_label"] = frame["labels"].map(lambda v: label(v, "k8s-namespace"))
        frame["cluster_label"] = frame["labels"].map(lambda v: label(v, "goog-k8s-cluster-name"))
        frame["amount"] = frame["cost"] + frame["credits"].map(
            lambda v: sum(c["amount"] for c in v) if v is not None else 0.0
        )
    elif name.startswith("focus"):
        frame = pd.read_parquet(path)
        tags = frame["Tags"].map(lambda v: dict(v) if v is not None else {})
        frame["month"] = frame["BillingPeriodStart"].astype(str).str[:7]
        frame["account"] = frame["SubAccountId"].astype(str)
        frame["hub_label"] = tags.map(lambda t: t.get("user:2i2c:hub-name"))
        frame["cluster_label"] = tags.map(lambda t: t.get("user:alpha.eksctl.io/cluster-name"))
        frame["amount"] = frame["BilledCost"].astype(float)
    else:
        if name.endswith(".parquet"):
            frame = pd.read_parquet(path)
            tags = frame["resource_tags"].map(lambda v: dict(v) if v is not None else {})
        else:
            frame = pd.read_csv(path)
            tags = frame["resource_tags"].map(lambda v: json.loads(v) if isinstance(v, str) else {})
        frame["month"] = frame["bill_billing_period_start_date"].astype(str).str[:7]
        frame["account"] = frame["line_item_usage_account_id"].astype(str)
        frame["hub_label"] = tags.map(lambda t: t.get("user_2i2c_hub_name"))
        frame["cluster_label"] = tags.map(lambda t: t.get("user_alpha_eksctl_io_cluster_name"))
        frame["amount"] = frame["line_item_unblended_cost"]
    frame["hub"] = frame["account"].map(dedicated)
    tagged = frame["hub"].isna() & frame["hub_label"].isin(list(hubs))
    frame.loc[tagged, "hub"] = frame.loc[tagged, "hub_label"]
    untagged = (
        frame["hub"].isna()
        & frame["cluster_label"].notna()
        & (frame["hub_label"].isna() | (frame["hub_label"] == "support"))
    )
    pooled = frame[untagged].groupby(["month", "cluster_label"])["amount"].sum().reset_index()
    split = pooled.merge(usage, left_on=["month", "cluster_label"], right_on=["month", "cluster"])
    split["share"] = (
        split["amount"]
        * split["weight"]
        / split.groupby(["month", "cluster"])["weight"].transform("sum")
    )
    direct = frame[frame["hub"].notna()].groupby(["month", "hub"])["amount"].sum()
    shared = split[split["hub"].isin(list(hubs))].groupby(["month", "hub"])["share"].sum()
    per_hub = direct.add(shared, fill_value=0).round(2)
    totals = frame.groupby("month")["amount"].sum().round(2)
    return {
        month: {"total": f"{totals[month]:.2f}", "hubs": int(per_hub.loc[month].count())}
        for month in totals.index
    }


def _child(implementation: str, path: Path, rules_path: Path, usage_path: Path) -> None:
    if implementation == "pandas":
        resource.setrlimit(resource.RLIMIT_AS, (PANDAS_MEMORY_LIMIT, PANDAS_MEMORY_LIMIT))
        import pandas  # noqa: F401 - imported before the clock starts, as for the others
    else:
        import duckdb  # noqa: F401

        if implementation == "ours":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerops.settings")
            import partnerops.costs.engine  # noqa: F401
    started = time.perf_counter()
    if implementation == "ours":
        result = run_ours(path, rules_path, usage_path)
    elif implementation.startswith("floor"):
        result = run_floor(path, needed=implementation == "floor")
    else:
        result = run_pandas(path, rules_path, usage_path)
    seconds = round(time.perf_counter() - started, 3)
    # Peak resident memory of this process (DuckDB's and Python's alike), in MB.
    peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "result": result}))


def measure(implementation: str, path: Path, rules_path: Path, usage_path: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.costs",
        "--child",
        implementation,
        str(path),
        str(rules_path),
        str(usage_path),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    timeout = PANDAS_TIMEOUT_S if implementation == "pandas" else 1800
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return {"status": f"stopped after {timeout} s"}
    if process.returncode != 0:
        last = (stderr.strip().splitlines() or [f"exit code {process.returncode}, no message"])[-1]
        reason = (
            "out of memory (limit 16 GB)"
            if "MemoryError" in stderr or "bad_alloc" in stderr
            else last[:200]
        )
        return {"status": f"failed: {reason}"}
    report = json.loads(stdout.strip().splitlines()[-1])
    return {
        "status": "ok",
        "seconds": report["seconds"],
        "peak_mb": report["peak_mb"],
        "result": report["result"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=4)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "costs.json"))
    parser.add_argument(
        "--keep-other-formats",
        action="store_true",
        help="keep the output's cases of formats not measured now (add one format's figures)",
    )
    args = parser.parse_args()
    if args.child:
        implementation, path, rules_path, usage_path = args.child
        _child(implementation, Path(path), Path(rules_path), Path(usage_path))
        return
    DATA.mkdir(parents=True, exist_ok=True)
    rules_path, usage_path = DATA / "rules.toml", DATA / "usage.csv"
    rules_path.write_text(rules_toml())
    usage_path.write_text(usage_csv())
    cases: list[dict[str, Any]] = []
    if args.keep_other_formats and Path(args.output).exists():
        measured = set(args.formats.split(","))
        earlier = json.loads(Path(args.output).read_text())
        cases = [
            {"measured_at": earlier.get("measured_at", ""), **case}
            for case in earlier.get("cases", [])
            if case["format"] not in measured
        ]
    for kind in args.formats.split(","):
        for n in (int(size) for size in args.sizes.split(",")):
            started = time.perf_counter()
            path = generate(kind, n)
            print(
                f"{kind} {n:,} lines: {path.stat().st_size / 1e6:,.0f} MB (made in {time.perf_counter() - started:.0f} s)",
                flush=True,
            )
            case: dict[str, Any] = {
                "format": kind,
                "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "lines": n,
                "file_mb": round(path.stat().st_size / 1e6, 1),
            }
            for implementation in ("floor-minimal", "floor", "ours", "pandas"):
                case[implementation] = measure(implementation, path, rules_path, usage_path)
                print(
                    f"  {implementation:7} {json.dumps({k: v for k, v in case[implementation].items() if k != 'result'})}",
                    flush=True,
                )
            ours, floor = case["ours"], case["floor"]
            if ours["status"] == "ok" and floor["status"] == "ok":
                case["ours_vs_floor"] = round(ours["seconds"] / floor["seconds"], 2)
                case["ours_vs_minimal_read"] = round(
                    ours["seconds"] / case["floor-minimal"]["seconds"], 2
                )
                case["ours_seconds_per_million"] = round(ours["seconds"] / (n / 1e6), 2)
            if ours["status"] == "ok" and case["pandas"]["status"] == "ok":
                case["pandas_vs_ours"] = round(case["pandas"]["seconds"] / ours["seconds"], 1)
                same = all(
                    Decimal(ours["result"][m]["total"])
                    == Decimal(case["pandas"]["result"][m]["total"])
                    for m in ours["result"]
                )
                case["totals_agree_with_pandas"] = same
            cases.append(case)
            Path(args.output).write_text(json.dumps(_report(cases), indent=2) + "\n")
    Path(args.output).write_text(json.dumps(_report(cases), indent=2) + "\n")


def _report(cases: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "benchmark": "cloud cost import and attribution",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cases": cases,
    }


if __name__ == "__main__":
    main()
