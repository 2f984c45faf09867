"""The attribution as JSON, CSV or a table."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from partnerops.core import csv_cells
from partnerops.costs.engine import Attribution, CommunityAmount, MonthSummary, SourceFile


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _community_dict(item: CommunityAmount) -> dict[str, Any]:
    """A rules file's hubs have names only; the app's also have ids (what keys them)."""
    ids = {"community_id": item.community_id, "hub_id": item.hub_id} if item.hub_id else {}
    return {"community": item.community, "hub": item.hub, **ids, "amount": _money(item.amount)}


def summary_dict(summary: MonthSummary) -> dict[str, Any]:
    return {
        "month": summary.month,
        "currency": summary.currency,
        "total": _money(summary.total),
        "attributed": _money(summary.attributed),
        "unattributed": _money(summary.unattributed),
        "communities": [_community_dict(item) for item in summary.communities],
        "credits": _money(summary.credits),
        "tax": _money(summary.tax),
        "adjustments": _money(summary.adjustments),
        **(
            {
                "effective_cost": _money(summary.effective),
                "effective_cost_of_billed": _money(summary.effective_billed or Decimal(0)),
            }
            if summary.effective is not None
            else {}
        ),
        "accounts": [
            {
                "account": a.account,
                "total": _money(a.total),
                "attributed": _money(a.attributed),
                "unattributed": _money(a.unattributed),
            }
            for a in summary.accounts
        ],
    }


def file_dict(file: SourceFile) -> dict[str, Any]:
    return {
        "file": str(file.path),
        "format": file.format,
        "sha256": file.checksum,
        "lines": file.lines,
        "months": list(file.months),
    }


def to_json(attribution: Attribution, summaries: list[MonthSummary]) -> str:
    return json.dumps(
        {
            "files": [file_dict(f) for f in attribution.files],
            "months": [summary_dict(s) for s in summaries],
        },
        indent=2,
    )


def to_csv(summaries: list[MonthSummary]) -> str:
    buffer = io.StringIO()
    writer = csv_cells.writer(buffer)
    writer.writerow(["month", "currency", "community", "hub", "amount"])
    for summary in summaries:
        for item in summary.communities:
            writer.writerow(
                [summary.month, summary.currency, item.community, item.hub, _money(item.amount)]
            )
        writer.writerow(
            [summary.month, summary.currency, "(unattributed)", "", _money(summary.unattributed)]
        )
        writer.writerow([summary.month, summary.currency, "(total)", "", _money(summary.total)])
    return buffer.getvalue()


def print_tables(console: Console, summaries: list[MonthSummary]) -> None:
    for summary in summaries:
        table = Table(title=f"{summary.month} ({summary.currency})", show_footer=True)
        table.add_column("Community", footer="Total")
        table.add_column("Hub")
        table.add_column("Amount", justify="right", footer=_money(summary.total))
        for item in summary.communities:
            table.add_row(item.community, item.hub, _money(item.amount))
        table.add_row("(unattributed)", "", _money(summary.unattributed), style="yellow")
        console.print(table)
        reconciliation = Table(title="Reconciliation by account")
        for column in ("Account", "Total", "Attributed", "Unattributed"):
            reconciliation.add_column(column, justify="left" if column == "Account" else "right")
        for account in summary.accounts:
            reconciliation.add_row(
                account.account,
                _money(account.total),
                _money(account.attributed),
                _money(account.unattributed),
            )
        console.print(reconciliation)
        console.print(
            f"credits {_money(summary.credits)}  tax {_money(summary.tax)}  adjustments {_money(summary.adjustments)}\n"
        )
