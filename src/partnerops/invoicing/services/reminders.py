"""Overdue reminders, sent by tick after the due date at the configured days."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from partnerops.core.profile import get_profile
from partnerops.invoicing.models import (
    Invoice,
)
from partnerops.invoicing.services._common import S
from partnerops.invoicing.services.payments import balance
from partnerops.outbox.services import email_queue
from partnerops.outbox.templating import render_named


def overdue_reminders_send(today: dt.date) -> list[Invoice]:
    """One reminder per threshold passed (configurable days after the due date), the
    latest one only when catching up; paid or voided invoices get none."""
    reminded = []
    thresholds = sorted(settings.INVOICE_OVERDUE_REMINDER_DAYS, reverse=True)
    overdue = Invoice.objects.filter(state=S.ISSUED, due_on__lt=today).select_related(
        "organization", "engagement"
    )
    profile = get_profile()
    for invoice in overdue:
        assert invoice.due_on is not None
        late = (today - invoice.due_on).days
        passed = next((days for days in thresholds if late >= days), None)
        if passed is None or not invoice.bill_to_email:
            continue
        email = render_named(
            "invoice-overdue",
            {
                "number": invoice.number,
                "month": invoice.month,
                "currency": invoice.currency,
                "balance": f"{balance(invoice):,.2f}",
                "due_on": f"{invoice.due_on:%Y-%m-%d}",
                "payment_instructions": settings.INVOICE_PAYMENT_INSTRUCTIONS,
                "fiscal_sponsor": profile.fiscal_sponsor_name,
            },
        )
        email_row = email_queue(
            key=f"invoice-overdue:{invoice.pk}:{passed}",
            to=[invoice.bill_to_email],
            cc=[profile.operations_email],
            from_email=profile.operations_email,
            engagement=invoice.engagement,
            subject=email.subject,
            body=email.body,
            html_body=email.html_body,
        )
        if email_row is not None:
            reminded.append(invoice)
    return reminded
