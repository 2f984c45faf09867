"""Issue (numbered, PDF, sent), invoice_void (keeps its number) and re-issue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnerops.core import audit
from partnerops.core.errors import DomainError
from partnerops.core.files import stored_unless_error
from partnerops.core.profile import get_profile
from partnerops.invoicing import documents, numbering, statement
from partnerops.invoicing.audit_actions import InvoicingAction
from partnerops.invoicing.models import (
    Invoice,
    InvoiceLine,
)
from partnerops.invoicing.plan import parse_month
from partnerops.invoicing.services._common import S, locked_invoice, move, record_state
from partnerops.outbox.services import Attachment, email_queue
from partnerops.outbox.templating import render_named


def _bill_to(invoice: Invoice) -> tuple[str, str]:
    contact = invoice.billing_contact
    organization = invoice.organization
    lines = [contact.name] if contact else []
    lines.append(organization.name)
    if organization.country:
        lines.append(str(organization.country.name))  # type: ignore[attr-defined]
    return "\n".join(lines), contact.email if contact else ""


@transaction.atomic
def invoice_finalise(*, actor: Any, invoice: Invoice, issued_on: dt.date | None = None) -> Invoice:
    """Number (gapless, under a lock), render the PDF and send it to the billing contact."""
    invoice = locked_invoice(invoice)
    before = invoice.state
    move(invoice, S.ISSUED)
    if invoice.billing_contact is None:
        raise DomainError(f"{invoice} has no billing contact to send it to.")
    issued_on = issued_on or timezone.localdate()
    invoice.issuer = settings.INVOICE_ISSUER
    invoice.number, invoice.number_sequence = numbering.next_number(
        issuer=invoice.issuer, year=issued_on.year, kind="invoice"
    )
    invoice.number_year = issued_on.year
    invoice.issued_on, invoice.issued_at = issued_on, timezone.now()
    invoice.due_on = issued_on + dt.timedelta(days=settings.INVOICE_PAYMENT_DAYS)
    invoice.bill_to, invoice.bill_to_email = _bill_to(invoice)
    pdf = documents.invoice_pdf(invoice)
    with stored_unless_error(invoice.pdf, f"invoice-{invoice.number}.pdf", pdf):
        invoice.save()
        record_state(actor, invoice, InvoicingAction.ISSUED, before, f"number {invoice.number}")
        _queue_invoice_email(invoice, pdf)
    return invoice


def invoices_finalise_confirmed(
    *, actor: Any, month: str, issued_on: dt.date | None = None
) -> list[Invoice]:
    """Issue every confirmed invoice of the month, one transaction each."""
    parse_month(month)
    confirmed = Invoice.objects.filter(month=month, state=S.CONFIRMED).order_by(
        "organization__name", "id"
    )
    return [
        invoice_finalise(actor=actor, invoice=invoice, issued_on=issued_on) for invoice in confirmed
    ]


def _queue_invoice_email(invoice: Invoice, pdf: bytes) -> None:
    profile = get_profile()
    assert invoice.due_on is not None
    email = render_named(
        "invoice-issued",
        {
            "number": invoice.number,
            "our_name": profile.name,
            "fiscal_sponsor": profile.fiscal_sponsor_name,
            "partner": invoice.organization.name,
            "month": invoice.month,
            "currency": invoice.currency,
            "total": f"{invoice.total:,.2f}",
            "due_on": f"{invoice.due_on:%Y-%m-%d}",
            "payment_instructions": settings.INVOICE_PAYMENT_INSTRUCTIONS,
        },
    )
    email_queue(
        key=f"invoice-issued:{invoice.pk}:{invoice.number}",
        to=[invoice.bill_to_email],
        cc=[profile.operations_email],
        from_email=profile.operations_email,
        reply_to=[profile.operations_email],
        engagement=invoice.engagement,
        subject=email.subject,
        body=email.body,
        html_body=email.html_body,
        attachments=[
            Attachment(f"invoice-{invoice.number}.pdf", pdf, "application/pdf"),
            *_statement_attachments(invoice),
        ],
    )


def _statement_attachments(invoice: Invoice) -> list[Attachment]:
    """The itemised cloud cost statement goes with each invoice that has cloud lines."""
    if not statement.has_statement(invoice):
        return []
    return [
        Attachment(
            statement.statement_name(invoice, "pdf"),
            statement.statement_pdf(invoice),
            "application/pdf",
        ),
        Attachment(
            statement.statement_name(invoice, "csv"), statement.statement_csv(invoice), "text/csv"
        ),
    ]


@transaction.atomic
def invoice_void(*, actor: Any, invoice: Invoice, reason: str) -> Invoice:
    """Cancel an issued invoice that nobody paid; it keeps its number (no gap)."""
    invoice = locked_invoice(invoice)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the invoice is voided."})
    if invoice.payments.exists():
        raise DomainError(f"{invoice.number} has payments; credit it instead of voiding it.")
    before = invoice.state
    move(invoice, S.VOID)
    invoice.voided_at, invoice.void_reason = timezone.now(), reason.strip()
    invoice.save()
    record_state(actor, invoice, InvoicingAction.VOIDED, before, reason.strip())
    return invoice


@transaction.atomic
def invoice_reissue(*, actor: Any, invoice: Invoice) -> Invoice:
    """A new draft for a voided invoice's community and month, built from today's data."""
    invoice = locked_invoice(invoice)
    if invoice.state != S.VOID:
        raise DomainError(
            f"Only a voided invoice is re-issued; {invoice} is {S(invoice.state).label.lower()}."
        )
    if (
        Invoice.objects.filter(organization=invoice.organization, month=invoice.month)
        .exclude(state=S.VOID)
        .exists()
    ):
        raise DomainError(
            f"{invoice.organization.name} already has a live invoice for {invoice.month}."
        )
    from partnerops.invoicing.plan import plan_month
    from partnerops.invoicing.run import invoice_lines, new_invoice

    plan = plan_month(invoice.month, organization_ids={invoice.organization_id})
    if not plan.drafts:
        reasons = (
            "; ".join(r for blocked in plan.blocked for r in blocked.reasons)
            or "no agreement in service that month"
        )
        raise DomainError(
            f"{invoice.organization.name} cannot be invoiced for {invoice.month}: {reasons}."
        )
    (draft,) = plan.drafts
    new = new_invoice(draft, invoice.month, reissue_of=invoice)
    new.save()
    InvoiceLine.objects.bulk_create(invoice_lines(new, draft))
    audit.record_create(actor=actor, instance=new, message=f"re-issue of {invoice.number}")
    return new
