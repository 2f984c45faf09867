"""Reads for the invoicing pages and the API: the month's board and turnaround times."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from partnerops.invoicing.models import BillingRun, Invoice, InvoiceState
from partnerops.invoicing.plan import parse_month


def month_invoices(month: str) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(month=month)
        .select_related("organization", "billing_contact")
        .order_by("organization__name", "id")
    )


def latest_run(month: str) -> BillingRun | None:
    return BillingRun.objects.filter(month=month).order_by("-started_at", "-id").first()


@dataclass
class MonthBoard:
    month: str
    invoices: list[Invoice]
    counts: dict[str, int]
    totals: dict[str, Decimal]  # per currency, live invoices
    run: BillingRun | None


def month_board(month: str) -> MonthBoard:
    invoices = list(month_invoices(month))
    counts = Counter(invoice.state for invoice in invoices)
    totals: dict[str, Decimal] = {}
    for invoice in invoices:
        if invoice.state != InvoiceState.VOID:
            totals[invoice.currency] = totals.get(invoice.currency, Decimal(0)) + invoice.total
    return MonthBoard(month, invoices, dict(counts), totals, latest_run(month))


@dataclass
class Turnaround:
    """Days, as medians over the invoices that reached each step (seed 004's cycle)."""

    month: str
    month_end_to_issued: float | None
    issued_to_paid: float | None
    sent_to_confirmed: float | None
    issued: int
    paid: int
    confirmed: int


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def turnaround(month: str) -> Turnaround:
    _, last = parse_month(month)
    invoices = list(Invoice.objects.filter(month=month).exclude(state=InvoiceState.VOID))
    issued = [(i.issued_on - last).days for i in invoices if i.issued_on]
    paid = [(i.paid_at.date() - i.issued_on).days for i in invoices if i.paid_at and i.issued_on]
    confirmed = [
        (i.confirmed_at - i.confirmation_requested_at).total_seconds() / 86400
        for i in invoices
        if i.confirmed_at and i.confirmation_requested_at and i.confirmation_source != "contract"
    ]
    return Turnaround(
        month,
        _median([float(d) for d in issued]),
        _median([float(d) for d in paid]),
        _median(confirmed),
        len(issued),
        len(paid),
        len(confirmed),
    )
