"""An invoice's life after the run, one module per concern: confirmation of delivery,
issue (with void and re-issue), payments and credit notes, manual charges, overdue
reminders. Callers use ``from partnerops.invoicing import services``.

    draft -> awaiting_confirmation -> confirmed -> issued -> paid
                  |  ^ (return to draft)             \\-> void (keeps its number)
                  v  |
               questioned
"""

from partnerops.invoicing.services.charges import add_manual_charge, remove_manual_charge
from partnerops.invoicing.services.confirmation import (
    confirm_delivery,
    confirmation_link,
    confirming_senders,
    open_confirmation,
    raise_question,
    record_email_confirmation,
    request_confirmation,
    request_confirmations,
    return_to_draft,
)
from partnerops.invoicing.services.issue import finalise, finalise_confirmed, reissue, void
from partnerops.invoicing.services.payments import (
    balance,
    credited,
    issue_credit_note,
    paid,
    record_payment,
)
from partnerops.invoicing.services.reminders import send_overdue_reminders

__all__ = [
    "add_manual_charge",
    "balance",
    "confirm_delivery",
    "confirmation_link",
    "confirming_senders",
    "credited",
    "finalise",
    "finalise_confirmed",
    "issue_credit_note",
    "open_confirmation",
    "paid",
    "raise_question",
    "record_email_confirmation",
    "record_payment",
    "reissue",
    "remove_manual_charge",
    "request_confirmation",
    "request_confirmations",
    "return_to_draft",
    "send_overdue_reminders",
    "void",
]
