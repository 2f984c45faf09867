"""Small billing exports in every supported format, written the way providers write them.

One scenario, hand-checked (see test_engine.py): two shared hubs on one cluster,
one dedicated hub, support and untagged cluster cost to split by usage, a label
that matches no hub, tax, a credit, and a second month.
"""

from __future__ import annotations

import csv
import gzip
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from partnerops.costs.formats import GCP_JSON_COLUMNS
from partnerops.costs.rules import HubRule, Rules


@dataclass(frozen=True)
class Line:
    month: str  # YYYY-MM
    account: str | None
    service: str
    cost: str
    labels: dict[str, str] = field(default_factory=dict)
    credit: str | None = None  # GCP: on the line; elsewhere: a separate credit line
    kind: str = "usage"  # usage or tax


NS, CLUSTER = "k8s-namespace", "cluster"  # placeholders, replaced by each provider's keys
SCENARIO = [
    Line(
        "2026-10",
        "shared-project",
        "Compute",
        "10.005",
        {NS: "ocean", CLUSTER: "shared-k8s"},
        credit="-1.000",
    ),
    Line("2026-10", "shared-project", "Compute", "5.001", {NS: "prairie", CLUSTER: "shared-k8s"}),
    Line("2026-10", "shared-project", "Compute", "3.000", {NS: "support", CLUSTER: "shared-k8s"}),
    Line("2026-10", "shared-project", "Networking", "0.999", {CLUSTER: "shared-k8s"}),
    Line("2026-10", "solo-project", "Compute", "7.777", {NS: "anything"}),
    Line("2026-10", "shared-project", "Compute", "1.111", {NS: "staging", CLUSTER: "shared-k8s"}),
    Line("2026-10", None, "Tax", "0.500", kind="tax"),
    Line("2026-11", "shared-project", "Compute", "4.000", {NS: "ocean", CLUSTER: "shared-k8s"}),
]
# Hand-checked: 2026-10 USD
EXPECTED_OCTOBER = {
    "ocean": "11.67",
    "prairie": "6.33",
    "solo": "7.78",
    "unattributed": "1.61",
    "total": "27.39",
}
EXPECTED_OCTOBER_TOTAL = Decimal("27.39")
USAGE_CSV = "month,cluster,hub,weight\n2026-10,shared-k8s,ocean,2\n2026-10,shared-k8s,prairie,1\n"


def scenario_rules() -> Rules:
    return Rules(
        hubs=[
            HubRule(
                "ocean",
                "Coastal Ocean",
                cluster="shared-k8s",
                accounts=("shared-project",),
                labels=((NS, "ocean"),),
            ),
            HubRule(
                "prairie", "Prairie College", cluster="shared-k8s", accounts=("shared-project",)
            ),
            HubRule("solo", "Solo Institute", accounts=("solo-project",), dedicated=True),
        ],
        hub_label_keys=("2i2c:hub-name", NS),
        cluster_label_keys=(
            "goog-k8s-cluster-name",
            "alpha.eksctl.io/cluster-name",
            "2i2c.org/cluster-name",
        ),
    )


def _labels(line: Line, cluster_key: str, key_form: str = "{key}") -> dict[str, str]:
    labels = {}
    for key, value in line.labels.items():
        real = cluster_key if key == CLUSTER else key
        labels[key_form.format(key=real)] = value
    return labels


def gcp_records() -> list[dict[str, object]]:
    records = []
    for line in SCENARIO:
        records.append({
            "billing_account_id": "01ABCD-EF2345-678901",
            "invoice": {"month": line.month.replace("-", "")},
            "cost_type": "tax" if line.kind == "tax" else "regular",
            "service": {"id": line.service[:4].upper(), "description": line.service},
            "sku": {"id": "SKU1", "description": "n1 core"},
            "usage_start_time": f"{line.month}-30T23:00:00Z",
            "project": None if line.account is None else {"id": line.account, "name": line.account, "labels": []},
            "labels": [{"key": k, "value": v} for k, v in _labels(line, "goog-k8s-cluster-name").items()],
            "cost": float(line.cost),
            "currency": "USD",
            "credits": [] if line.credit is None else [{"name": "Free trial", "amount": float(line.credit), "type": "PROMOTION"}],
        })  # fmt: skip
    return records


def write_gcp_json(path: Path) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt") as handle:  # type: ignore[operator]
        for record in gcp_records():
            handle.write(json.dumps(record) + "\n")
    return path


def write_gcp_parquet(path: Path) -> Path:
    """As BigQuery exports the table: typed columns, FLOAT64 cost."""
    source = write_gcp_json(path.with_suffix(".source.json"))
    types = {
        **GCP_JSON_COLUMNS,
        "cost": "DOUBLE",
        "credits": "STRUCT(name VARCHAR, amount DOUBLE, type VARCHAR)[]",
    }
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in types.items())
    duckdb.sql(
        f"COPY (SELECT * FROM read_json('{source}', format = 'newline_delimited', columns = {{{columns}}})) "
        f"TO '{path}' (FORMAT PARQUET)"
    )
    source.unlink()
    return path


def write_gcp_csv(path: Path) -> Path:
    """As a BigQuery query saved to CSV: nested fields flattened, repeated ones as JSON."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "billing_account_id",
                "invoice.month",
                "cost_type",
                "service.description",
                "project.id",
                "labels",
                "cost",
                "currency",
                "credits",
            ]
        )
        for record in gcp_records():
            project = record["project"]
            writer.writerow([
                record["billing_account_id"], record["invoice"]["month"], record["cost_type"],  # type: ignore[index]
                record["service"]["description"], project["id"] if project else "",  # type: ignore[index]
                json.dumps(record["labels"]), record["cost"], record["currency"], json.dumps(record["credits"]),
            ])  # fmt: skip
    return path


def _aws_rows() -> list[dict[str, object]]:
    rows = []
    for line in SCENARIO:
        tags = _labels(line, "alpha.eksctl.io/cluster-name", "user_{key}")
        tags = {
            key.replace("-", "_").replace(".", "_").replace("/", "_").replace(":", "_"): value
            for key, value in tags.items()
        }
        base = {
            "bill_billing_period_start_date": f"{line.month}-01T00:00:00Z",
            "bill_payer_account_id": "999999999999",
            "line_item_usage_account_id": line.account or "999999999999",
            "line_item_line_item_type": "Tax" if line.kind == "tax" else "Usage",
            "line_item_product_code": line.service,
            "line_item_unblended_cost": line.cost,
            "line_item_currency_code": "USD",
            "resource_tags": tags,
        }
        rows.append(base)
        if line.credit is not None:
            rows.append(
                {
                    **base,
                    "line_item_line_item_type": "Credit",
                    "line_item_unblended_cost": line.credit,
                }
            )
    # The tax line belongs to no usage account in this scenario; give it its own.
    for row in rows:
        if row["line_item_line_item_type"] == "Tax":
            row["line_item_usage_account_id"] = "(tax)"
    return rows


def write_cur2_csv_gz(path: Path) -> Path:
    rows = _aws_rows()
    with gzip.open(path, "wt", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "resource_tags": json.dumps(row["resource_tags"])})
    return path


def write_cur2_parquet(path: Path) -> Path:
    rows = _aws_rows()
    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE cur (bill_billing_period_start_date TIMESTAMP, bill_payer_account_id VARCHAR, "
        "line_item_usage_account_id VARCHAR, line_item_line_item_type VARCHAR, line_item_product_code VARCHAR, "
        "line_item_unblended_cost DOUBLE, line_item_currency_code VARCHAR, resource_tags MAP(VARCHAR, VARCHAR))"
    )
    for row in rows:
        tags = row["resource_tags"]
        assert isinstance(tags, dict)
        connection.execute(
            "INSERT INTO cur VALUES (?, ?, ?, ?, ?, ?, ?, MAP(?::VARCHAR[], ?::VARCHAR[]))",
            [str(row["bill_billing_period_start_date"]).replace("Z", ""), row["bill_payer_account_id"],
             row["line_item_usage_account_id"], row["line_item_line_item_type"], row["line_item_product_code"],
             float(str(row["line_item_unblended_cost"])), row["line_item_currency_code"], list(tags), list(tags.values())],
        )  # fmt: skip
    connection.execute(f"COPY cur TO '{path}' (FORMAT PARQUET)")
    connection.close()
    return path


def write_legacy_cur_csv(path: Path) -> Path:
    rows = _aws_rows()
    keys = ["k8s-namespace", "alpha.eksctl.io/cluster-name"]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["bill/BillingPeriodStartDate", "lineItem/UsageAccountId", "lineItem/LineItemType",
                         "lineItem/ProductCode", "lineItem/UnblendedCost", "lineItem/CurrencyCode",
                         *(f"resourceTags/user:{key}" for key in keys)])  # fmt: skip
        for row in rows:
            tags = row["resource_tags"]
            assert isinstance(tags, dict)
            flat = {k.removeprefix("user_"): v for k, v in tags.items()}
            writer.writerow([row["bill_billing_period_start_date"], row["line_item_usage_account_id"],
                             row["line_item_line_item_type"], row["line_item_product_code"],
                             row["line_item_unblended_cost"], row["line_item_currency_code"],
                             flat.get("k8s_namespace", ""), flat.get("alpha_eksctl_io_cluster_name", "")])  # fmt: skip
    return path


def write_azure_csv(path: Path) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "BillingPeriodStartDate", "SubscriptionId", "SubscriptionName", "ResourceGroup",
                         "ResourceId", "MeterCategory", "CostInBillingCurrency", "BillingCurrency", "Tags", "ChargeType"])  # fmt: skip
        for line in SCENARIO:
            tags = _labels(line, "2i2c.org/cluster-name")
            # Older exports leave the braces out of Tags.
            tag_text = json.dumps(tags)[1:-1] if line.service == "Networking" else json.dumps(tags)
            rows = [(line.cost, "Usage" if line.kind != "tax" else "Tax")]
            if line.credit:
                rows.append((line.credit, "Refund"))
            for cost, charge in rows:
                writer.writerow([f"{line.month[5:]}/28/{line.month[:4]}", f"{line.month}-01", line.account or "(tax)",
                                 "sub", "rg", "/subscriptions/x", line.service, cost, "USD", tag_text if tags else "", charge])  # fmt: skip
    return path


def _totals_by_month_and_account() -> dict[tuple[str, str], float]:
    """What the simple monthly CSVs hold: cost after credits per month and account."""
    totals: dict[tuple[str, str], float] = {}
    for line in SCENARIO:
        key = (line.month, line.account or "(tax)")
        totals[key] = totals.get(key, 0) + float(line.cost) + float(line.credit or 0)
    return totals


def write_gcp_report_csv(path: Path) -> Path:
    totals = _totals_by_month_and_account()
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Month", "Project name", "Project ID", "Subtotal ($)"])
        for (month, project), amount in sorted(totals.items()):
            writer.writerow([month, project, project, f"{amount:.3f}"])
    return path


def write_cost_explorer_csv(path: Path) -> Path:
    accounts = ["shared-project", "solo-project", "(tax)"]
    totals = _totals_by_month_and_account()
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Linked account", *(f"{a} ({a.upper()})" for a in accounts), "Total costs($)"]
        )
        writer.writerow(["Linked account total", *("0" for _ in accounts), "0"])
        for month in ("2026-10", "2026-11"):
            values = [f"{totals.get((month, a), 0):.3f}" for a in accounts]
            writer.writerow([f"{month}-01", *values, f"{sum(map(float, values)):.3f}"])
    return path


# FOCUS 1.0-1.2, as each cloud exports it ------------------------------------------------

FOCUS_CLOUDS = {
    # provider: (ProviderName, cluster label key, how a tag key is spelled, no-account id)
    "gcp": ("Google Cloud", "goog-k8s-cluster-name", "{key}", "01ABCD-EF2345-678901"),
    "aws": ("AWS", "alpha.eksctl.io/cluster-name", "user:{key}", "(tax)"),
    "azure": ("Microsoft", "2i2c.org/cluster-name", "{key}", "(tax)"),
}
FOCUS_COLUMNS = (
    "BillingAccountId", "BillingAccountName", "SubAccountId", "BillingPeriodStart", "BillingPeriodEnd",
    "ChargePeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription", "BilledCost", "EffectiveCost",
    "ListCost", "BillingCurrency", "ProviderName", "ServiceName", "ServiceCategory", "ResourceId", "Tags",
    "x_ServiceCode",
)  # fmt: skip


def focus_rows(cloud: str) -> list[dict[str, object]]:
    """The scenario as a FOCUS export: credits and tax are lines of their own
    (ChargeCategory), tags a JSON object; Azure writes accounts as resource paths."""
    provider, cluster_key, key_form, no_account = FOCUS_CLOUDS[cloud]
    rows: list[dict[str, object]] = []
    for number, line in enumerate(SCENARIO):
        account = line.account or no_account
        if cloud == "azure":
            account = f"/subscriptions/{account}"
        month_end = "2026-12-01" if line.month == "2026-11" else "2026-11-01"
        base: dict[str, object] = {
            "BillingAccountId": "01ABCD-EF2345-678901", "BillingAccountName": "2i2c",
            "SubAccountId": account if line.account or cloud != "gcp" else None,
            "BillingPeriodStart": f"{line.month}-01T00:00:00Z", "BillingPeriodEnd": f"{month_end}T00:00:00Z",
            "ChargePeriodStart": f"{line.month}-15T00:00:00Z", "ChargeCategory": "Tax" if line.kind == "tax" else "Usage",
            "ChargeClass": None, "ChargeDescription": line.service, "BilledCost": line.cost,
            "EffectiveCost": line.cost, "ListCost": line.cost, "BillingCurrency": "USD", "ProviderName": provider,
            "ServiceName": line.service, "ServiceCategory": "Compute", "ResourceId": f"resource-{number}",
            "Tags": _labels(line, cluster_key, key_form), "x_ServiceCode": line.service[:4],
        }  # fmt: skip
        rows.append(base)
        if line.credit is not None:
            rows.append({**base, "ChargeCategory": "Credit", "BilledCost": line.credit,
                         "EffectiveCost": line.credit, "ChargeDescription": "Free trial"})  # fmt: skip
    return rows


def write_focus_csv(path: Path, cloud: str = "azure") -> Path:
    return write_focus_rows(path, focus_rows(cloud))


def write_focus_rows(path: Path, rows: list[dict[str, object]]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", newline="") as handle:  # type: ignore[operator]
        writer = csv.DictWriter(handle, fieldnames=list(FOCUS_COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "Tags": json.dumps(row["Tags"]) if row["Tags"] else ""})
    return path


def write_focus_parquet(path: Path, cloud: str = "aws", *, tags_as_map: bool = True) -> Path:
    """Typed columns: timestamps, DECIMAL costs, Tags as a map (AWS) or JSON text (GCP)."""
    connection = duckdb.connect()
    tags_type = "MAP(VARCHAR, VARCHAR)" if tags_as_map else "VARCHAR"
    columns = ", ".join(
        f'"{name}" ' + (
            "TIMESTAMP" if name.endswith(("PeriodStart", "PeriodEnd"))
            else "DECIMAL(38, 10)" if name.endswith("Cost")
            else tags_type if name == "Tags" else "VARCHAR"
        )
        for name in FOCUS_COLUMNS
    )  # fmt: skip
    connection.execute(f"CREATE TABLE focus ({columns})")
    for row in focus_rows(cloud):
        values = []
        for name in FOCUS_COLUMNS:
            value = row[name]
            if name.endswith(("PeriodStart", "PeriodEnd")):
                value = str(value).replace("T", " ").replace("Z", "")
            values.append(value)
        tags = row["Tags"]
        assert isinstance(tags, dict)
        tag_sql = "MAP(?::VARCHAR[], ?::VARCHAR[])" if tags_as_map else "?"
        placeholders = ", ".join(tag_sql if name == "Tags" else "?" for name in FOCUS_COLUMNS)
        index = FOCUS_COLUMNS.index("Tags")
        tag_values = (
            [list(tags), list(tags.values())]
            if tags_as_map
            else [json.dumps(tags) if tags else None]
        )
        connection.execute(
            f"INSERT INTO focus VALUES ({placeholders})",
            values[:index] + tag_values + values[index + 1 :],
        )
    connection.execute(f"COPY focus TO '{path}' (FORMAT PARQUET)")
    connection.close()
    return path


def write_focus_gcp_parquet(path: Path) -> Path:
    return write_focus_parquet(path, "gcp", tags_as_map=False)


def write_focus_aws_csv_gz(path: Path) -> Path:
    return write_focus_csv(path, "aws")


WRITERS = {
    "gcp-billing-json": ("gcp.json.gz", write_gcp_json),
    "gcp-billing-parquet": ("gcp.parquet", write_gcp_parquet),
    "gcp-billing-csv": ("gcp-flat.csv", write_gcp_csv),
    "aws-cur2-csv": ("cur2.csv.gz", write_cur2_csv_gz),
    "aws-cur2-parquet": ("cur2.parquet", write_cur2_parquet),
    "aws-cur-legacy": ("cur-legacy.csv", write_legacy_cur_csv),
    "azure-cost-export": ("azure.csv", write_azure_csv),
    "focus-gcp-parquet": ("focus-gcp.parquet", write_focus_gcp_parquet),
    "focus-aws-parquet": ("focus-aws.parquet", write_focus_parquet),
    "focus-aws-csv-gz": ("focus-aws.csv.gz", write_focus_aws_csv_gz),
    "focus-azure-csv": ("focus-azure.csv", write_focus_csv),
}
# The same world in each cloud's native export and in its FOCUS export.
NATIVE_AND_FOCUS = {
    "gcp": ("gcp-billing-json", "focus-gcp-parquet"),
    "aws": ("aws-cur2-parquet", "focus-aws-parquet"),
    "aws-csv": ("aws-cur2-csv", "focus-aws-csv-gz"),
    "azure": ("azure-cost-export", "focus-azure-csv"),
}
