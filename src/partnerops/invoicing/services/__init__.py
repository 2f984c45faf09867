"""An invoice's life after the run, one module per concern: confirmation of delivery,
issue (with void and re-issue), payments and credit notes, manual charges, overdue
reminders. Callers use ``from partnerops.invoicing import services``.

    draft -> awaiting_confirmation -> confirmed -> issued -> paid
                  |  ^ (return to draft)             \\-> void (keeps its number)
                  v  |
               questioned
"""

from partnerops.invoicing.services.charges import manual_charge_add, manual_charge_remove
from partnerops.invoicing.services.confirmation import (
    confirmation_link,
    confirming_senders,
    invoice_confirmation_request,
    invoice_delivery_confirm,
    invoice_email_confirmation_record,
    invoice_question_raise,
    invoice_return_to_draft,
    invoices_confirmation_request,
    open_confirmation,
)
from partnerops.invoicing.services.issue import (
    invoice_finalise,
    invoice_reissue,
    invoice_void,
    invoices_finalise_confirmed,
)
from partnerops.invoicing.services.payments import (
    balance,
    credit_note_issue,
    credited,
    paid,
    payment_record,
)
from partnerops.invoicing.services.reminders import overdue_reminders_send

__all__ = [
    "balance",
    "confirmation_link",
    "confirming_senders",
    "credit_note_issue",
    "credited",
    "invoice_confirmation_request",
    "invoice_delivery_confirm",
    "invoice_email_confirmation_record",
    "invoice_finalise",
    "invoice_question_raise",
    "invoice_reissue",
    "invoice_return_to_draft",
    "invoice_void",
    "invoices_confirmation_request",
    "invoices_finalise_confirmed",
    "manual_charge_add",
    "manual_charge_remove",
    "open_confirmation",
    "overdue_reminders_send",
    "paid",
    "payment_record",
]
