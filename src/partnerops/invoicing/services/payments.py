"""Payments (partial too) and numbered credit notes; an invoice with nothing owed is paid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnerops.core import audit
from partnerops.core.actors import user_or_none
from partnerops.core.errors import DomainError
from partnerops.core.files import stored_unless_error
from partnerops.core.profile import get_profile
from partnerops.invoicing import documents, numbering
from partnerops.invoicing.audit_actions import InvoicingAction
from partnerops.invoicing.models import (
    CreditNote,
    Invoice,
    LineKind,
    Payment,
)
from partnerops.invoicing.plan import account_code
from partnerops.invoicing.services._common import ZERO, S, locked_invoice, record_state
from partnerops.outbox.services import Attachment, email_queue
from partnerops.outbox.templating import render_named


def credited(invoice: Invoice) -> Decimal:
    return sum((note.amount for note in invoice.credit_notes.all()), ZERO)


def paid(invoice: Invoice) -> Decimal:
    return sum((payment.amount for payment in invoice.payments.all()), ZERO)


def balance(invoice: Invoice) -> Decimal:
    return invoice.total - credited(invoice) - paid(invoice)


def _settle_if_nothing_owed(invoice: Invoice, actor: Any) -> None:
    if invoice.state == S.ISSUED and balance(invoice) <= 0:
        before = invoice.state
        invoice.state, invoice.paid_at = S.PAID, timezone.now()
        invoice.save(update_fields=["state", "paid_at", "updated_at"])
        record_state(actor, invoice, InvoicingAction.PAID, before)


@transaction.atomic
def payment_record(
    *, actor: Any, invoice: Invoice, amount: Decimal, received_on: dt.date, reference: str = ""
) -> Payment:
    """A payment, possibly partial; the invoice is paid when nothing is left to pay."""
    invoice = locked_invoice(invoice)
    if invoice.state != S.ISSUED:
        raise DomainError(
            f"Payments are recorded against issued invoices; {invoice} is {S(invoice.state).label.lower()}."
        )
    if amount <= 0:
        raise ValidationError({"amount": "A payment is more than zero."})
    owed = balance(invoice)
    if amount > owed:
        raise ValidationError(
            {"amount": f"Only {invoice.currency} {owed:,.2f} is left to pay on {invoice.number}."}
        )
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "A payment cannot be received in the future."})
    payment = Payment.objects.create(
        invoice=invoice,
        amount=amount,
        received_on=received_on,
        reference=reference,
        recorded_by=user_or_none(actor),
    )
    audit.record_create(actor=actor, instance=payment)
    _settle_if_nothing_owed(invoice, actor)
    return payment


@transaction.atomic
def credit_note_issue(
    *, actor: Any, invoice: Invoice, amount: Decimal, reason: str, issued_on: dt.date | None = None
) -> CreditNote:
    """A numbered correction; together they never exceed what the invoice still owes."""
    invoice = locked_invoice(invoice)
    if invoice.state not in (S.ISSUED, S.PAID):
        raise DomainError(
            f"Only issued invoices are credited; {invoice} is {S(invoice.state).label.lower()}."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the invoice is credited."})
    available = invoice.total - credited(invoice)
    if amount <= 0 or amount > available:
        raise ValidationError(
            {"amount": f"A credit note for {invoice.number} is between 0.01 and {available:,.2f}."}
        )
    issued_on = issued_on or timezone.localdate()
    number, sequence = numbering.next_number(
        issuer=invoice.issuer, year=issued_on.year, kind="credit_note"
    )
    first_line = invoice.lines.order_by("position").first()
    note = CreditNote.objects.create(
        invoice=invoice,
        issuer=invoice.issuer,
        number=number,
        number_year=issued_on.year,
        number_sequence=sequence,
        issued_on=issued_on,
        reason=reason.strip(),
        amount=amount,
        account_code=first_line.account_code if first_line else account_code(LineKind.ADJUSTMENT),
        created_by=user_or_none(actor),
    )
    pdf = documents.credit_note_pdf(note)
    with stored_unless_error(note.pdf, f"credit-note-{number}.pdf", pdf):
        note.save(update_fields=["pdf"])
        audit.record_create(actor=actor, instance=note)
        _queue_credit_note_email(note, pdf)
        _settle_if_nothing_owed(invoice, actor)
    return note


def _queue_credit_note_email(note: CreditNote, pdf: bytes) -> None:
    invoice, number, amount = note.invoice, note.number, note.amount
    profile = get_profile()
    email = render_named(
        "credit-note-issued",
        {
            "number": number,
            "invoice_number": invoice.number,
            "currency": invoice.currency,
            "amount": f"{amount:,.2f}",
            "reason": note.reason,
            "fiscal_sponsor": profile.fiscal_sponsor_name,
        },
    )
    email_queue(
        key=f"credit-note:{note.pk}",
        to=[invoice.bill_to_email],
        cc=[profile.operations_email],
        from_email=profile.operations_email,
        engagement=invoice.engagement,
        subject=email.subject,
        body=email.body,
        html_body=email.html_body,
        attachments=[Attachment(f"credit-note-{number}.pdf", pdf, "application/pdf")],
    )
