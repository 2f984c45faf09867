"""Accounting exports of issued invoices and credit notes: a generic CSV, and Xero's
sales-invoice import layout (one row per line; a credit note is a negative amount,
which Xero imports as a credit note)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

from django.conf import settings

from partnerops.core import csv_cells
from partnerops.invoicing.models import CreditNote, Invoice, InvoiceState

XERO_COLUMNS = [
    "ContactName",
    "InvoiceNumber",
    "InvoiceDate",
    "DueDate",
    "Description",
    "Quantity",
    "UnitAmount",
    "AccountCode",
    "TaxType",
    "Currency",
]
GENERIC_COLUMNS = [
    "document",
    "number",
    "state",
    "issued_on",
    "due_on",
    "month",
    "community",
    "currency",
    "position",
    "description",
    "account_code",
    "quantity",
    "unit_amount",
    "amount",
    "credits_invoice",
    "reason",
]


def _invoices(start: dt.date, end: dt.date, *, include_void: bool) -> list[Invoice]:
    states = [InvoiceState.ISSUED, InvoiceState.PAID] + (
        [InvoiceState.VOID] if include_void else []
    )
    return list(
        Invoice.objects.filter(state__in=states, issued_on__gte=start, issued_on__lte=end)
        .select_related("organization")
        .prefetch_related("lines")
        .order_by("issued_on", "number_sequence")
    )


def _credit_notes(start: dt.date, end: dt.date) -> list[CreditNote]:
    return list(
        CreditNote.objects.filter(issued_on__gte=start, issued_on__lte=end)
        .select_related("invoice__organization")
        .order_by("issued_on", "number_sequence")
    )


def xero_rows(start: dt.date, end: dt.date) -> Iterator[list[str]]:
    """Voided invoices are left out: void them in Xero by hand if already imported."""
    date = settings.XERO_DATE_FORMAT
    tax = settings.INVOICE_TAX_TYPE
    for invoice in _invoices(start, end, include_void=False):
        assert invoice.issued_on and invoice.due_on
        for line in invoice.lines.all():
            yield [
                invoice.organization.name,
                invoice.number,
                invoice.issued_on.strftime(date),
                invoice.due_on.strftime(date),
                line.description,
                f"{line.quantity.normalize():f}",
                f"{line.unit_amount:.2f}",
                line.account_code,
                tax,
                invoice.currency,
            ]
    for note in _credit_notes(start, end):
        invoice = note.invoice
        yield [
            invoice.organization.name,
            note.number,
            note.issued_on.strftime(date),
            note.issued_on.strftime(date),
            f"Credit for {invoice.number}: {note.reason}",
            "1",
            f"{-note.amount:.2f}",
            note.account_code,
            tax,
            invoice.currency,
        ]


def generic_rows(start: dt.date, end: dt.date) -> Iterator[list[str]]:
    for invoice in _invoices(start, end, include_void=True):
        for line in invoice.lines.all():
            yield [
                "invoice",
                invoice.number,
                invoice.state,
                str(invoice.issued_on),
                str(invoice.due_on),
                invoice.month,
                invoice.organization.name,
                invoice.currency,
                str(line.position),
                line.description,
                line.account_code,
                f"{line.quantity.normalize():f}",
                f"{line.unit_amount:.2f}",
                f"{line.amount:.2f}",
                "",
                "",
            ]
    for note in _credit_notes(start, end):
        invoice = note.invoice
        yield [
            "credit_note",
            note.number,
            "issued",
            str(note.issued_on),
            "",
            invoice.month,
            invoice.organization.name,
            invoice.currency,
            "1",
            f"Credit for {invoice.number}",
            note.account_code,
            "1",
            f"{-note.amount:.2f}",
            f"{-note.amount:.2f}",
            invoice.number,
            note.reason,
        ]


def export_csv(layout: str, start: dt.date, end: dt.date) -> str:
    if layout not in ("xero", "generic"):
        raise ValueError(f"Unknown export layout {layout!r}; choose xero or generic.")
    buffer = io.StringIO()
    writer = csv_cells.writer(buffer, lineterminator="\r\n")
    writer.writerow(XERO_COLUMNS if layout == "xero" else GENERIC_COLUMNS)
    writer.writerows(xero_rows(start, end) if layout == "xero" else generic_rows(start, end))
    return buffer.getvalue()
