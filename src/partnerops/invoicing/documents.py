"""Invoice and credit-note PDFs, rendered from HTML templates by WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from partnerops.core.profile import get_profile
from partnerops.invoicing.models import CreditNote, Invoice


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, and only this needs it.
    from weasyprint import HTML

    html = render_to_string(template, context)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def parties() -> dict[str, Any]:
    profile = get_profile()
    return {
        "issuer_name": profile.fiscal_sponsor_name,
        "on_behalf_of": profile.name,
        "issuer_email": profile.operations_email,
        "payment_instructions": settings.INVOICE_PAYMENT_INSTRUCTIONS,
    }


def invoice_pdf(invoice: Invoice) -> bytes:
    lines = list(invoice.lines.all())
    context = {
        "invoice": invoice,
        "lines": lines,
        "has_statement": any(line.details for line in lines),
        **parties(),
    }
    return render_pdf("invoicing/invoice_pdf.html", context)


def credit_note_pdf(note: CreditNote) -> bytes:
    return render_pdf(
        "invoicing/credit_note_pdf.html", {"note": note, "invoice": note.invoice, **parties()}
    )
