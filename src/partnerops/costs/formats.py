"""Provider billing exports: recognising them, and reading them with DuckDB.

Each format turns a file into one relation with the same columns, aggregated
in DuckDB by what the attribution rules need (month, currency, account,
service, kind of charge, hub label, cluster label); only those groups reach
Python. Amounts are DECIMAL(38, 9) from the moment they are read.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

AMOUNT = "DECIMAL(38, 9)"
NORMALIZED_COLUMNS = (
    "month",
    "currency",
    "account",
    "service",
    "category",
    "hub_label",
    "cluster_label",
    "gross",
    "credits",
    "effective",  # FOCUS EffectiveCost (amortised, after discounts); NULL elsewhere
)


class ExportError(ValueError):
    """A file that is not a billing export we know, or is damaged; the message says where."""


# Detection reads one line (a CSV header, a first JSON record) and never more than this:
# a file that is one 2 GB line must not become a 2 GB string (issue 17).
FIRST_LINE_LIMIT = 1 << 20


def _first_line(handle: Any, path: Path, what: str) -> str:
    line = str(handle.readline(FIRST_LINE_LIMIT + 1))
    if len(line) > FIRST_LINE_LIMIT:
        raise ExportError(
            f"{path}: {what} is longer than {FIRST_LINE_LIMIT:,} characters; "
            "this is not a billing export."
        )
    return line


def _q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _s(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _tag_key_forms(key: str) -> list[str]:
    """How a tag key may be spelled in an AWS export: as set, with CUR 2.0's user_
    prefix, and with the characters CUR cannot keep replaced by underscores."""
    flat = re.sub(r"[^A-Za-z0-9]", "_", key)
    forms = [key, f"user_{key}", f"user:{key}", f"user_{flat}", flat]
    return list(dict.fromkeys(forms))


def _json_path(key: str) -> str:
    return '$."' + key.replace('"', '\\"') + '"'


def _coalesce(expressions: list[str]) -> str:
    if not expressions:
        return "NULL"
    return expressions[0] if len(expressions) == 1 else f"COALESCE({', '.join(expressions)})"


@dataclass(frozen=True)
class Schema:
    columns: dict[str, str]  # name -> DuckDB type (VARCHAR for text formats)
    kind: str  # csv, json, parquet
    # The keys of a Parquet tag map, when known: only those spellings are looked up.
    map_keys: frozenset[str] | None = None

    def has(self, *names: str) -> bool:
        return all(name in self.columns for name in names)

    def first(self, *names: str) -> str | None:
        return next((name for name in names if name in self.columns), None)


@dataclass(frozen=True)
class Format:
    key: str
    provider: str
    description: str
    matches: Callable[[Schema], bool]
    relation: Callable[[str, Schema, tuple[str, ...], tuple[str, ...]], str]
    # A format every cloud writes (FOCUS) says whose bill it is in the file itself.
    provider_of: Callable[[duckdb.DuckDBPyConnection, str, Schema], str] | None = None


def _csv(path: str, amount_columns: list[str], schema: Schema | None = None) -> str:
    """Read with the columns detection already found: no second sniffing pass, text
    stays text, amounts parse straight to decimals (a bad one names its line)."""
    if schema is None:
        types = ", ".join(f"{_s(column)}: {_s(AMOUNT)}" for column in amount_columns)
        return f"read_csv({_s(path)}, header = true, auto_detect = true, types = {{{types}}})"
    columns = ", ".join(
        f"{_s(name)}: {_s(AMOUNT if name in amount_columns else 'VARCHAR')}"
        for name in schema.columns
    )
    return (
        f"read_csv({_s(path)}, header = true, auto_detect = false, delim = ',', quote = '\"', "
        f"escape = '\"', columns = {{{columns}}})"
    )


def _month_from_text(expression: str) -> str:
    """'YYYY-MM…', 'YYYYMM', 'MM/DD/YYYY', 'October 2026' -> 'YYYY-MM'."""
    text = f"trim(CAST({expression} AS VARCHAR))"
    parsed = (
        f"coalesce(try_strptime({text}, '%Y-%m-%d'), try_strptime(left({text}, 10), '%Y-%m-%d'), "
        f"try_strptime({text}, '%m/%d/%Y'), try_strptime({text}, '%Y-%m'), try_strptime({text}, '%Y%m'), "
        f"try_strptime({text}, '%B %Y'), try_strptime({text}, '%b %Y'))"
    )
    return f"strftime({parsed}, '%Y-%m')"


# GCP Cloud Billing export (BigQuery standard or detailed; JSON lines, Parquet, CSV) ----

GCP_JSON_COLUMNS = {
    "billing_account_id": "VARCHAR",
    "invoice": "STRUCT(month VARCHAR)",
    "cost_type": "VARCHAR",
    "service": "STRUCT(id VARCHAR, description VARCHAR)",
    "project": "STRUCT(id VARCHAR, name VARCHAR, labels STRUCT(key VARCHAR, value VARCHAR)[])",
    "labels": "STRUCT(key VARCHAR, value VARCHAR)[]",
    "cost": AMOUNT,
    "currency": "VARCHAR",
    "credits": f"STRUCT(name VARCHAR, amount {AMOUNT}, type VARCHAR)[]",
}
GCP_CATEGORY = (
    "CASE lower(coalesce({cost_type}, 'regular')) WHEN 'regular' THEN 'usage' WHEN 'tax' THEN 'tax' "
    "WHEN 'adjustment' THEN 'adjustment' WHEN 'rounding error' THEN 'rounding' WHEN 'rounding_error' THEN 'rounding' "
    "ELSE 'other' END"
)


def _gcp_label(list_expression: str, keys: tuple[str, ...]) -> str:
    """The value of the first of ``keys`` present, in the keys' order of preference."""
    return _coalesce(
        [
            f"list_extract(list_filter({list_expression}, lambda l: l.key = {_s(key)}), 1).value"
            for key in keys
        ]
    )


def _gcp_select(source: str, hub_keys: tuple[str, ...], cluster_keys: tuple[str, ...]) -> str:
    return f"""
        SELECT
            substr(invoice.month, 1, 4) || '-' || substr(invoice.month, 5, 2) AS month,
            currency,
            coalesce(project.id, '(no project) ' || billing_account_id) AS account,
            coalesce(service.description, service.id, '(no service)') AS service,
            {GCP_CATEGORY.format(cost_type="cost_type")} AS category,
            {_gcp_label("labels", hub_keys)} AS hub_label,
            {_gcp_label("labels", cluster_keys)} AS cluster_label,
            CAST(cost AS {AMOUNT}) AS gross,
            CAST(coalesce(list_sum(list_transform(credits, lambda c: CAST(c.amount AS {AMOUNT}))), 0) AS {AMOUNT}) AS credits,
            CAST(NULL AS {AMOUNT}) AS effective
        FROM {source}"""


def _gcp_json(
    path: str, schema: Schema, hub_keys: tuple[str, ...], cluster_keys: tuple[str, ...]
) -> str:
    columns = ", ".join(f"{_s(name)}: {_s(kind)}" for name, kind in GCP_JSON_COLUMNS.items())
    source = f"read_json({_s(path)}, format = 'newline_delimited', columns = {{{columns}}})"
    return _gcp_select(source, hub_keys, cluster_keys)


def _gcp_parquet(
    path: str, schema: Schema, hub_keys: tuple[str, ...], cluster_keys: tuple[str, ...]
) -> str:
    return _gcp_select(f"read_parquet({_s(path)})", hub_keys, cluster_keys)


def _gcp_csv(
    path: str, schema: Schema, hub_keys: tuple[str, ...], cluster_keys: tuple[str, ...]
) -> str:
    """BigQuery query results saved as CSV: nested fields flattened (``invoice.month``
    or ``invoice_month``), repeated ones as JSON text."""

    def column(*names: str) -> str:
        found = schema.first(*names)
        return f"CAST({_q(found)} AS VARCHAR)" if found else "NULL"

    label_type = '\'[{"key":"VARCHAR","value":"VARCHAR"}]\''
    labels = schema.first("labels")
    labels_list = f"from_json(nullif({_q(labels)}, ''), {label_type})" if labels else "NULL"
    project_labels = schema.first("project.labels", "project_labels")
    project_list = (
        f"from_json(nullif({_q(project_labels)}, ''), {label_type})" if project_labels else "NULL"
    )
    credits = schema.first("credits")
    credit_type = '\'[{"amount":"DOUBLE"}]\''
    credits_sum = (
        f"coalesce(list_sum(list_transform(from_json(nullif({_q(credits)}, ''), {credit_type}), "
        f"lambda c: CAST(c.amount AS {AMOUNT}))), 0)"
        if credits
        else "0"
    )
    month = column("invoice.month", "invoice_month")
    cluster_sources = [_gcp_label(labels_list, cluster_keys)] if labels else []
    if project_labels:
        cluster_sources.append(_gcp_label(project_list, cluster_keys))
    return f"""
        SELECT
            substr(replace({month}, '-', ''), 1, 4) || '-' || substr(replace({month}, '-', ''), 5, 2) AS month,
            {column("currency")} AS currency,
            coalesce({column("project.id", "project_id")}, '(no project) ' || {column("billing_account_id")}) AS account,
            coalesce({column("service.description", "service_description")}, {column("service.id", "service_id")}, '(no service)') AS service,
            {GCP_CATEGORY.format(cost_type=column("cost_type"))} AS category,
            {_gcp_label(labels_list, hub_keys) if labels else "NULL"} AS hub_label,
            {_coalesce(cluster_sources)} AS cluster_label,
            CAST({_q("cost")} AS {AMOUNT}) AS gross,
            CAST({credits_sum} AS {AMOUNT}) AS credits,
            CAST(NULL AS {AMOUNT}) AS effective
        FROM {_csv(path, ["cost"], schema)}"""


# AWS Cost and Usage Report 2.0 (Data Exports) and legacy CUR --------------------------

AWS_CATEGORY = (
    "CASE {type} WHEN 'Tax' THEN 'tax' WHEN 'Credit' THEN 'credit' WHEN 'Refund' THEN 'adjustment' "
    "WHEN 'Fee' THEN 'fee' WHEN 'RIFee' THEN 'fee' ELSE 'usage' END"
)


def _aws_tag(schema: Schema, keys: tuple[str, ...], *, map_column: str | None) -> str:
    expressions: list[str] = []
    for key in keys:
        for form in _tag_key_forms(key):
            if schema.map_keys is not None and form not in schema.map_keys:
                continue  # this spelling is in no line of the file
            if map_column and schema.columns.get(map_column, "").upper().startswith("MAP"):
                expressions.append(f"map_extract_value({_q(map_column)}, {_s(form)})")
            elif map_column:
                expressions.append(
                    f"json_extract_string(nullif({_q(map_column)}, ''), {_s(_json_path(form))})"
                )
        for column in (
            f"resourceTags/user:{key}",
            f"resource_tags_user_{re.sub(r'[^A-Za-z0-9]', '_', key)}",
        ):
            if column in schema.columns:
                expressions.append(f"nullif(CAST({_q(column)} AS VARCHAR), '')")
    return _coalesce(expressions)


def _aws(
    path: str, schema: Schema, hub_keys: tuple[str, ...], cluster_keys: tuple[str, ...]
) -> str:
    legacy = schema.has("lineItem/UnblendedCost")

    def column(cur2: str, legacy_name: str) -> str:
        name = legacy_name if legacy else cur2
        return _q(name) if name in schema.columns else "NULL"

    cost_column = "lineItem/UnblendedCost" if legacy else "line_item_unblended_cost"
    source = (
        f"read_parquet({_s(path)})"
        if schema.kind == "parquet"
        else _csv(path, [cost_column], schema)
    )
    tags = None if legacy else "resource_tags"
    line_type = column("line_item_line_item_type", "lineItem/LineItemType")
    return f"""
        SELECT
            left(CAST({column("bill_billing_period_start_date", "bill/BillingPeriodStartDate")} AS VARCHAR), 7) AS month,
            coalesce(CAST({column("line_item_currency_code", "lineItem/CurrencyCode")} AS VARCHAR), 'USD') AS currency,
            coalesce(CAST({column("line_item_usage_account_id", "lineItem/UsageAccountId")} AS VARCHAR), '(no account)') AS account,
            coalesce(CAST({column("line_item_product_code", "lineItem/ProductCode")} AS VARCHAR), '(no service)') AS service,
            {AWS_CATEGORY.format(type=line_type)} AS category,
            {_aws_tag(schema, hub_keys, map_column=tags)} AS hub_label,
            {_aws_tag(schema, cluster_keys, map_column=tags)} AS cluster_label,
            CAST({_q(cost_column)} AS {AMOUNT}) AS gross,
            CAST(0 AS {AMOUNT}) AS credits,
            CAST(NULL AS {AMOUNT}) AS effective
        FROM {source}"""


# Azure cost export --------------------------------------------------------------------


def _azure(
    path: str, schema: Schema, hub_keys: tuple[str, ...], cluster_keys: tuple[str, ...]
) -> str:
    # Azure writes Tags as a JSON object; older exports leave out the braces.
    tags = (
        "CASE WHEN trim(coalesce(\"Tags\", '')) = '' THEN NULL WHEN starts_with(trim(\"Tags\"), '{') THEN \"Tags\" "
        "ELSE '{' || \"Tags\" || '}' END"
    )

    def tag(keys: tuple[str, ...]) -> str:
        if not schema.has("Tags"):
            return "NULL"
        return _coalesce([f"json_extract_string({tags}, {_s(_json_path(key))})" for key in keys])

    period = schema.first("BillingPeriodStartDate", "Date")
    assert period is not None
    charge = _q("ChargeType") if schema.has("ChargeType") else "'Usage'"
    return f"""
        SELECT
            {_month_from_text(_q(period))} AS month,
            coalesce(CAST({_q("BillingCurrency") if schema.has("BillingCurrency") else "NULL"} AS VARCHAR), 'USD') AS currency,
            coalesce(CAST({_q("SubscriptionId")} AS VARCHAR), '(no subscription)') AS account,
            coalesce(CAST({_q("MeterCategory") if schema.has("MeterCategory") else "NULL"} AS VARCHAR), '(no service)') AS service,
            CASE lower(CAST({charge} AS VARCHAR)) WHEN 'usage' THEN 'usage' WHEN 'tax' THEN 'tax'
                WHEN 'refund' THEN 'adjustment' ELSE 'other' END AS category,
            {tag(hub_keys)} AS hub_label,
            {tag(cluster_keys)} AS cluster_label,
            CAST({_q("CostInBillingCurrency")} AS {AMOUNT}) AS gross,
            CAST(0 AS {AMOUNT}) AS credits,
            CAST(NULL AS {AMOUNT}) AS effective
        FROM {_csv(path, ["CostInBillingCurrency"], schema)}"""


# FOCUS (FinOps Open Cost and Usage Specification 1.0-1.2): GCP, AWS and Azure ------------

FOCUS_CATEGORY = (
    "CASE WHEN lower(coalesce(CAST({charge_class} AS VARCHAR), '')) = 'correction' THEN 'adjustment' "
    "ELSE CASE lower(coalesce(CAST({category} AS VARCHAR), 'usage')) WHEN 'usage' THEN 'usage' "
    "WHEN 'tax' THEN 'tax' WHEN 'credit' THEN 'credit' WHEN 'adjustment' THEN 'adjustment' "
    "WHEN 'purchase' THEN 'fee' ELSE 'other' END END"
)
# FOCUS names the provider; the source an import replaces is still the cloud's.
FOCUS_PROVIDERS = {
    "google cloud": "gcp",
    "google": "gcp",
    "gcp": "gcp",
    "aws": "aws",
    "amazon web services": "aws",
    "microsoft": "azure",
    "microsoft azure": "azure",
    "azure": "azure",
}


def _focus_source(path: str, schema: Schema) -> str:
    if schema.kind == "parquet":
        return f"read_parquet({_s(path)})"
    return _csv(
        path, [name for name in ("BilledCost", "EffectiveCost") if schema.has(name)], schema
    )


def _focus_tag(schema: Schema, keys: tuple[str, ...]) -> str:
    """Tags is a JSON object (CSV, or text in Parquet) or a map; AWS keeps its
    ``user:`` prefix on user tags, so every spelling of a key is looked up."""
    if not schema.has("Tags"):
        return "NULL"
    is_map = schema.columns["Tags"].upper().startswith("MAP")
    expressions = []
    for key in keys:
        for form in _tag_key_forms(key):
            if is_map:
                if schema.map_keys is not None and form not in schema.map_keys:
                    continue
                expressions.append(f"map_extract_value({_q('Tags')}, {_s(form)})")
            else:
                expressions.append(
                    f"json_extract_string(nullif(CAST({_q('Tags')} AS VARCHAR), ''), {_s(_json_path(form))})"
                )
    return _coalesce(expressions)


def _amount_column(schema: Schema, name: str) -> str:
    if not schema.has(name):
        return f"CAST(NULL AS {AMOUNT})"
    if schema.columns[name].upper().startswith("DECIMAL"):
        return _q(name)
    return f"CAST({_q(name)} AS {AMOUNT})"


def _focus(
    path: str, schema: Schema, hub_keys: tuple[str, ...], cluster_keys: tuple[str, ...]
) -> str:
    def column(*names: str) -> str:
        found = schema.first(*names)
        return _q(found) if found else "NULL"

    # Azure writes SubAccountId as a resource path; its native export, the bare id.
    raw = f"CAST(coalesce({column('SubAccountId')}, {column('BillingAccountId')}) AS VARCHAR)"
    account = (
        f"CASE WHEN starts_with({raw}, '/subscriptions/') THEN substr({raw}, 16) ELSE {raw} END"
    )
    # A decimal column is summed exactly at its own scale (rounded to nine decimals per
    # group in read_groups): casting every line first would cost a third of the read.
    gross, effective = (_amount_column(schema, name) for name in ("BilledCost", "EffectiveCost"))
    category = FOCUS_CATEGORY.format(
        charge_class=column("ChargeClass"), category=column("ChargeCategory")
    )
    return f"""
        SELECT
            {_focus_month(schema)} AS month,
            coalesce(CAST({column("BillingCurrency")} AS VARCHAR), 'USD') AS currency,
            coalesce({account}, '(no account)') AS account,
            coalesce(CAST({column("ServiceName")} AS VARCHAR), '(no service)') AS service,
            {category} AS category,
            {_focus_tag(schema, hub_keys)} AS hub_label,
            {_focus_tag(schema, cluster_keys)} AS cluster_label,
            {gross} AS gross,
            CAST(0 AS {AMOUNT}) AS credits,
            {effective} AS effective
        FROM {_focus_source(path, schema)}"""


def _focus_month(schema: Schema) -> str:
    """The invoice month from BillingPeriodStart: a timestamp in Parquet, ISO 8601 text
    in CSV. FOCUS periods start at midnight UTC: the month is read from the instant
    (epoch), never in the host's time zone, where 00:00Z may fall on the day before."""
    kind = schema.columns["BillingPeriodStart"].upper()
    if kind.startswith(("TIMESTAMP", "DATE")):
        return f"strftime(make_timestamp(epoch_us({_q('BillingPeriodStart')})), '%Y-%m')"
    return _month_from_text(_q("BillingPeriodStart"))


def _focus_provider(connection: duckdb.DuckDBPyConnection, path: str, schema: Schema) -> str:
    """Whose bill: FOCUS 1.0-1.1 ProviderName, 1.2 ServiceProviderName (first line)."""
    name = schema.first("ServiceProviderName", "ProviderName", "InvoiceIssuerName")
    if name is None:
        return "focus"
    row = connection.execute(
        f"SELECT CAST({_q(name)} AS VARCHAR) FROM {_focus_source(path, schema)} "
        f"WHERE {_q(name)} IS NOT NULL LIMIT 1"
    ).fetchone()
    text = str(row[0]).strip().lower() if row and row[0] else ""
    return FOCUS_PROVIDERS.get(text, re.sub(r"[^a-z0-9]+", "-", text)[:10] or "focus")


# The simple monthly CSVs people download today ------------------------------------------


def _gcp_report(
    path: str, schema: Schema, hub_keys: tuple[str, ...], cluster_keys: tuple[str, ...]
) -> str:
    amount = schema.first("Subtotal ($)", "Subtotal")
    assert amount is not None
    return f"""
        SELECT
            {_month_from_text(_q("Month"))} AS month,
            'USD' AS currency,
            coalesce(CAST({_q("Project ID")} AS VARCHAR), '(no project)') AS account,
            '(all services)' AS service,
            'usage' AS category,
            CAST(NULL AS VARCHAR) AS hub_label,
            CAST(NULL AS VARCHAR) AS cluster_label,
            CAST({_q(amount)} AS {AMOUNT}) AS gross,
            CAST(0 AS {AMOUNT}) AS credits,
            CAST(NULL AS {AMOUNT}) AS effective
        FROM {_csv(path, [amount], schema)}"""


def _aws_cost_explorer(
    path: str, schema: Schema, hub_keys: tuple[str, ...], cluster_keys: tuple[str, ...]
) -> str:
    """Cost Explorer's CSV: one column per linked account, one row per month, plus totals."""
    first = next(iter(schema.columns))
    accounts = [
        name for name in schema.columns if name != first and not name.lower().startswith("total")
    ]
    unpivot = ", ".join(_q(name) for name in accounts)
    types = ", ".join(f"{_s(name)}: {_s(AMOUNT)}" for name in accounts)
    return f"""
        SELECT
            {_month_from_text(_q(first))} AS month,
            'USD' AS currency,
            trim(split_part(account_column, '(', 1)) AS account,
            '(all services)' AS service,
            'usage' AS category,
            CAST(NULL AS VARCHAR) AS hub_label,
            CAST(NULL AS VARCHAR) AS cluster_label,
            CAST(coalesce(amount, 0) AS {AMOUNT}) AS gross,
            CAST(0 AS {AMOUNT}) AS credits,
            CAST(NULL AS {AMOUNT}) AS effective
        FROM (
            UNPIVOT (
                SELECT * FROM read_csv({_s(path)}, header = true, auto_detect = true, types = {{{types}}})
                WHERE try_strptime(left(trim(CAST({_q(first)} AS VARCHAR)), 10), '%Y-%m-%d') IS NOT NULL
            ) ON {unpivot} INTO NAME account_column VALUE amount
        )"""


FORMATS: tuple[Format, ...] = (
    Format(
        "focus",
        "focus",
        "FOCUS 1.0-1.2 cost and usage export from GCP, AWS or Azure, Parquet or CSV "
        "(BilledCost, BillingCurrency, BillingPeriodStart, ChargeCategory, SubAccountId, Tags)",
        lambda s: s.has("BilledCost", "BillingCurrency", "BillingPeriodStart", "ChargeCategory"),
        _focus,
        _focus_provider,
    ),
    Format(
        "gcp-billing-json",
        "gcp",
        "GCP Cloud Billing export, newline-delimited JSON",
        lambda s: s.kind == "json" and s.has("billing_account_id", "cost", "invoice"),
        _gcp_json,
    ),
    Format(
        "gcp-billing-parquet",
        "gcp",
        "GCP Cloud Billing export, Parquet",
        lambda s: s.kind == "parquet" and s.has("billing_account_id", "cost", "invoice"),
        _gcp_parquet,
    ),
    Format(
        "gcp-billing-csv",
        "gcp",
        "GCP Cloud Billing export flattened to CSV (billing_account_id, invoice.month, cost, ...)",
        lambda s: (
            s.kind == "csv"
            and s.has("billing_account_id", "cost")
            and bool(s.first("invoice.month", "invoice_month"))
        ),
        _gcp_csv,
    ),
    Format(
        "aws-cur2",
        "aws",
        "AWS CUR 2.0 (bill_billing_period_start_date, line_item_unblended_cost, resource_tags)",
        lambda s: s.has(
            "bill_billing_period_start_date",
            "line_item_unblended_cost",
            "line_item_usage_account_id",
        ),
        _aws,
    ),
    Format(
        "aws-cur-legacy",
        "aws",
        "AWS legacy CUR (bill/BillingPeriodStartDate, lineItem/UnblendedCost, resourceTags/user:*)",
        lambda s: s.has(
            "bill/BillingPeriodStartDate", "lineItem/UnblendedCost", "lineItem/UsageAccountId"
        ),
        _aws,
    ),
    Format(
        "azure-cost-export",
        "azure",
        "Azure cost export CSV (SubscriptionId, CostInBillingCurrency, Tags, Date)",
        lambda s: (
            s.kind == "csv"
            and s.has("SubscriptionId", "CostInBillingCurrency")
            and bool(s.first("BillingPeriodStartDate", "Date"))
        ),
        _azure,
    ),
    Format(
        "gcp-billing-report",
        "gcp",
        "GCP billing report CSV by project (Month, Project name, Project ID, Subtotal ($))",
        lambda s: (
            s.kind == "csv"
            and s.has("Month", "Project ID")
            and bool(s.first("Subtotal ($)", "Subtotal"))
        ),
        _gcp_report,
    ),
    Format(
        "aws-cost-explorer",
        "aws",
        "AWS Cost Explorer CSV by linked account (first column 'Linked account')",
        lambda s: (
            s.kind == "csv"
            and next(iter(s.columns), "").strip().lower() in ("linked account", "linked account($)")
        ),
        _aws_cost_explorer,
    ),
)


def _kind(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".json", ".jsonl", ".ndjson")):
        return "json"
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise ExportError(
        f"{path}: unknown file type; expected .csv, .csv.gz, .json, .jsonl, .ndjson (optionally .gz) or .parquet."
    )


def read_schema(connection: duckdb.DuckDBPyConnection, path: Path) -> Schema:
    kind = _kind(path)
    try:
        if kind == "json":
            opener = gzip.open if path.name.lower().endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as handle:
                first = _first_line(handle, path, "row 1")
            try:
                record = json.loads(first)
            except json.JSONDecodeError as error:
                raise ExportError(
                    f"{path}: row 1 is not JSON ({error.msg}, column {error.colno})."
                ) from None
            if not isinstance(record, dict):
                raise ExportError(f"{path}: row 1 is not a JSON object.")
            return Schema({name: "JSON" for name in record}, kind)
        if kind == "csv":
            # The header line is all detection needs; no sniffing pass over the file.
            opener = gzip.open if path.name.lower().endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
                line = _first_line(handle, path, "the header line")
            try:
                header = next(csv.reader([line]), [])
            except csv.Error as error:
                raise ExportError(
                    f"{path}: the header line cannot be read as CSV ({error})."
                ) from None
            if not header or not any(name.strip() for name in header):
                raise ExportError(f"{path}: row 1 has no column names.")
            return Schema({name: "VARCHAR" for name in header}, kind)
        source = f"read_parquet({_s(str(path))})"
        rows = connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        types = {row[0]: str(row[1]) for row in rows}
        tag_map = next(
            (
                name
                for name in ("resource_tags", "Tags")
                if types.get(name, "").upper().startswith("MAP")
            ),
            None,
        )
        if tag_map:
            # One cheap pass over the tag map's keys (a column of short strings) saves
            # trying every spelling of every label key on every line.
            keys = connection.execute(
                f"SELECT DISTINCT unnest(map_keys({_q(tag_map)})) FROM {source}"
            ).fetchall()
            return Schema(types, kind, frozenset(key for (key,) in keys))
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise ExportError(f"{path}: cannot be read ({error}).") from None
    except duckdb.Error as error:
        raise ExportError(
            f"{path}: cannot be read as {kind.upper()}: {_error_line(error)}"
        ) from None
    return Schema({row[0]: str(row[1]) for row in rows}, kind)


def detect(connection: duckdb.DuckDBPyConnection, path: Path) -> tuple[Format, Schema]:
    schema = read_schema(connection, path)
    for candidate in FORMATS:
        if candidate.matches(schema):
            return candidate, schema
    found = ", ".join(list(schema.columns)[:12]) + (", ..." if len(schema.columns) > 12 else "")
    expected = "\n".join(f"  - {f.description}" for f in FORMATS)
    raise ExportError(
        f"{path}: not a billing export PartnerOps knows. Columns found: {found}. Expected one of:\n{expected}"
    )


def _error_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
