"""What every part of an invoice's life shares: the locked row, the checked move,
the audit record of a change of state."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from partnerops.core import audit
from partnerops.invoicing.models import (
    Invoice,
    InvoiceState,
)
from partnerops.invoicing.states import INVOICE_MOVES

S = InvoiceState
ZERO = Decimal("0.00")


def locked_invoice(invoice: Invoice) -> Invoice:
    """The invoice as stored, locked until the transaction ends (two clicks, one effect)."""
    return Invoice.objects.select_for_update().select_related("organization").get(pk=invoice.pk)


def move(invoice: Invoice, state: str) -> None:
    INVOICE_MOVES.check(
        invoice.state,
        state,
        refused=(
            f"Invoice {invoice.number or '#' + str(invoice.pk)} is {S(invoice.state).label.lower()}; "
            f"it cannot become {S(state).label.lower()}"
        ),
    )
    invoice.state = state


def record_state(actor: Any, invoice: Invoice, action: str, before: str, message: str = "") -> None:
    audit.record(
        actor=actor,
        instance=invoice,
        action=action,
        message=message,
        changes={"state": {"old": before, "new": invoice.state}},
    )
