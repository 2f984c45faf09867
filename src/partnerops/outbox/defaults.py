"""The emails PartnerOps writes itself (invoices, reminders, check-ins, notifications),
as templates administrators can override in the admin (Email templates, same key).

Each is rendered in the sandbox with the plain values its sender documents here; a
deleted or missing row falls back to the text below, so no email ever goes unwritten.
"""

from __future__ import annotations

# key: (name, documented variables, subject, body)
SYSTEM_TEMPLATES: dict[str, tuple[str, str, str, str]] = {
    "invoice-confirmation": (
        "Invoice: please confirm delivery",
        "contact_name, our_name, fiscal_sponsor, partner, month, currency, lines (each .description, .amount), "
        "total, link, link_days",
        "Please confirm {{ our_name }}'s service for {{ month }}",
        "Hello {{ contact_name }},\n\n"
        "Before {{ fiscal_sponsor }} invoices {{ partner }} for {{ month }}, please confirm that the service was "
        "delivered as expected:\n\n"
        "{% for line in lines %}  {{ line.description }}: {{ currency }} {{ line.amount }}\n{% endfor %}"
        "  Total: {{ currency }} {{ total }}\n\n"
        "Confirm, or ask a question, here (the link works once, for {{ link_days }} days):\n"
        "{{ link }}\n\n{{ our_name }}'s Partnerships Team",
    ),
    "invoice-issued": (
        "Invoice: issued",
        "number, our_name, fiscal_sponsor, partner, month, currency, total, due_on, payment_instructions",
        "Invoice {{ number }} from {{ fiscal_sponsor }} for {{ our_name }}, {{ month }}",
        "Hello,\n\nPlease find attached invoice {{ number }} for {{ our_name }}'s service to {{ partner }} in "
        "{{ month }}: {{ currency }} {{ total }}, due by {{ due_on }}.\n\n{{ payment_instructions }}\n\n"
        "{{ fiscal_sponsor }}",
    ),
    "credit-note-issued": (
        "Invoice: credit note",
        "number, invoice_number, currency, amount, reason, fiscal_sponsor",
        "Credit note {{ number }} for invoice {{ invoice_number }}",
        "Hello,\n\nPlease find attached credit note {{ number }} ({{ currency }} {{ amount }}) for invoice "
        "{{ invoice_number }}: {{ reason }}\n\n{{ fiscal_sponsor }}",
    ),
    "invoice-overdue": (
        "Invoice: overdue reminder",
        "number, month, currency, balance, due_on, payment_instructions, fiscal_sponsor",
        "Reminder: invoice {{ number }} was due on {{ due_on }}",
        "Hello,\n\nOur records show {{ currency }} {{ balance }} still open on invoice {{ number }} ({{ month }}), "
        "due on {{ due_on }}. If you have paid, thank you and please ignore this reminder.\n\n"
        "{{ payment_instructions }}\n\n{{ fiscal_sponsor }}",
    ),
    "satisfaction-check-in": (
        "Satisfaction check-in",
        "contact_name, our_name, link, link_days",
        "How is your {{ our_name }} service going?",
        "Hello {{ contact_name }},\n\nHow likely are you to recommend {{ our_name }}'s service to a colleague? "
        "Two questions, one minute:\n\n{{ link }}\n\nThe link works once and for {{ link_days }} days.\n\n"
        "{{ our_name }}'s Partnerships Team",
    ),
    "billing-run-summary": (
        "Billing run summary (to the fiscal sponsor)",
        "our_name, month, communities, summary",
        "{{ our_name }}: invoices for {{ month }} ({{ communities }} communities)",
        "{{ summary }}",
    ),
    "team-notification": (
        "Notification to a team member",
        "subject, body, url (a link into PartnerOps, or empty)",
        "{{ subject }}",
        "{{ body }}{% if url %}\n\n{{ url }}{% endif %}",
    ),
}
