"""An invoice's life (seed 004): drafted, confirmed by the community, issued with its
number, then paid or void. Issued invoices never change; corrections are credit notes."""

from __future__ import annotations

from partnerops.core.transitions import Transitions
from partnerops.invoicing.models import InvoiceState

S = InvoiceState

INVOICE_MOVES = Transitions(
    S,
    {
        S.DRAFT: {S.AWAITING_CONFIRMATION, S.CONFIRMED},
        S.AWAITING_CONFIRMATION: {S.CONFIRMED, S.QUESTIONED, S.DRAFT},
        S.QUESTIONED: {S.CONFIRMED, S.DRAFT, S.AWAITING_CONFIRMATION},
        S.CONFIRMED: {S.ISSUED, S.DRAFT},
        S.ISSUED: {S.PAID, S.VOID},
        S.PAID: set(),
        S.VOID: set(),
    },
    none_left="nothing (it is final)",
)
