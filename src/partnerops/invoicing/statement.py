"""The itemised cloud cost statement that goes with an invoice (issue 15).

One section per cloud line: the services and accounts behind the amount (compute,
storage, networking, Kubernetes, other), a shared cluster's share with the community's
usage weight and the cluster total it was taken from, credits, and the rules in plain
words. Rendered from what the line stores, so its totals are the line's, to the cent,
and an issued invoice's statement never changes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

from partnerops.core import csv_cells
from partnerops.invoicing import documents
from partnerops.invoicing.models import Invoice, InvoiceLine, LineKind


@dataclass(frozen=True)
class HubStatement:
    line: InvoiceLine
    details: dict[str, Any]

    @property
    def total(self) -> Decimal:
        return Decimal(self.details.get("total", "0"))

    def explanation(self) -> list[str]:
        words = [f"{rule[0].upper()}{rule[1:]}." for rule in self.details.get("rules", [])]
        shared = self.details.get("shared")
        if shared:
            words.append(
                f"Cluster {shared['cluster']}'s shared cost this month was "
                f"{self.details['currency']} {shared['cluster_total']}; this hub's share is "
                f"{shared['share_percent']}% (its usage weight {shared['weight']} of "
                f"{shared['cluster_weight']} for the cluster)."
            )
        words.append(
            "Amounts are the providers' billed cost after credits, passed through at cost; "
            "parts are rounded to the cent so that they add up to the invoice line."
        )
        return words


def hub_statements(invoice: Invoice) -> list[HubStatement]:
    lines = invoice.lines.filter(kind=LineKind.CLOUD_COSTS).order_by("position")
    return [HubStatement(line, line.details) for line in lines if line.details]


def has_statement(invoice: Invoice) -> bool:
    return bool(hub_statements(invoice))


def statement_name(invoice: Invoice, extension: str) -> str:
    return f"cloud-statement-{invoice.number or invoice.pk}.{extension}"


def statement_csv(invoice: Invoice) -> bytes:
    buffer = io.StringIO()
    writer = csv_cells.writer(buffer)
    writer.writerow(["invoice", "month", "line", "hub", "kind", "account", "service", "rule",
                     "currency", "amount", "credits_included"])  # fmt: skip
    for item in hub_statements(invoice):
        hub = item.line.hub.name if item.line.hub else ""
        for row in item.details.get("rows", []):
            writer.writerow([invoice.number or f"draft {invoice.pk}", invoice.month, item.line.position,
                             hub, row["kind"], row["account"], row["service"], row["rule"],
                             item.details["currency"], row["amount"], row["credits"]])  # fmt: skip
    return buffer.getvalue().encode()


def statement_pdf(invoice: Invoice) -> bytes:
    context = {"invoice": invoice, "statements": hub_statements(invoice), **documents.parties()}
    return documents.render_pdf("invoicing/statement_pdf.html", context)


def statement_response(invoice: Invoice, extension: str) -> HttpResponse:
    """The statement as a download, ``pdf`` or ``csv``: for the pages and the API alike."""
    if extension == "csv":
        response = HttpResponse(statement_csv(invoice), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(statement_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{statement_name(invoice, extension)}"'
    return response
