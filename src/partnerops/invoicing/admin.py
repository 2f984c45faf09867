"""Invoicing in the admin: read-only. Money moves through the services (numbering,
audit, emails); the admin is for looking, never for editing an invoice."""

from __future__ import annotations

from django.contrib import admin

from partnerops.core.admin import ReadOnlyAdmin
from partnerops.invoicing.models import (
    BillingRun,
    ConfirmationRequest,
    CreditNote,
    Invoice,
    InvoiceLine,
    ManualCharge,
    NumberSequence,
    Payment,
)


class InvoiceLineInline(admin.TabularInline[InvoiceLine, Invoice]):
    model = InvoiceLine
    extra = 0
    can_delete = False
    readonly_fields = (
        "position",
        "kind",
        "description",
        "quantity",
        "unit_amount",
        "amount",
        "account_code",
    )
    fields = readonly_fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "month",
        "state",
        "number",
        "currency",
        "total",
        "issued_on",
        "due_on",
    )
    list_filter = ("state", "month")
    search_fields = ("organization__name", "number")
    inlines = (InvoiceLineInline,)


@admin.register(BillingRun)
class BillingRunAdmin(ReadOnlyAdmin):
    list_display = ("month", "started_at", "created", "refreshed", "unchanged", "removed")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("invoice", "amount", "received_on", "reference")


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ("number", "invoice", "amount", "issued_on")


for model in (ManualCharge, ConfirmationRequest, NumberSequence):
    admin.site.register(model, ReadOnlyAdmin)
