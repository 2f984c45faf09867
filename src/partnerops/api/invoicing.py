"""API v1: billing runs, invoices with their actions, payments, credit notes, exports."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from partnerops.api.auth import can_manage_billing, can_view_invoices
from partnerops.api.schemas import Id, Input, Pages
from partnerops.core.files import download
from partnerops.core.uploads import read_upload, upload_name
from partnerops.invoicing import exports, services, statement
from partnerops.invoicing.models import (
    BillingRun,
    CreditNote,
    Invoice,
    InvoiceState,
    LineKind,
    ManualCharge,
    Payment,
)
from partnerops.invoicing.plan import MonthError, parse_month
from partnerops.invoicing.run import billing_run
from partnerops.invoicing.unbilled import month_billing

billing = Router(tags=["invoicing"])
invoices = Router(tags=["invoicing"])


def _month(month: str) -> str:
    try:
        parse_month(month)
    except MonthError as error:
        raise HttpError(422, str(error)) from None
    return month


class BillingRunIn(Input):
    month: str = Field(..., examples=["2026-10"])


class BillingRunOut(Schema):
    id: int
    month: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    created: int
    refreshed: int
    unchanged: int
    removed: int
    past_draft: int
    blocked: list[dict[str, Any]]
    summary: str


class MonthIn(Input):
    month: str
    issued_on: dt.date | None = None


class LineOut(Schema):
    position: int
    kind: LineKind
    description: str
    quantity: Decimal
    unit_amount: Decimal
    amount: Decimal
    account_code: str
    hub_id: int | None
    agreement_id: int | None


class PaymentOut(Schema):
    id: int
    amount: Decimal
    received_on: dt.date
    reference: str


class CreditNoteOut(Schema):
    id: int
    invoice_id: int
    number: str
    issued_on: dt.date
    amount: Decimal
    reason: str
    account_code: str


class InvoiceOut(Schema):
    id: int
    organization_id: int
    organization_name: str = Field(..., alias="organization.name")
    month: str
    state: InvoiceState
    currency: str
    total: Decimal
    number: str
    issued_on: dt.date | None
    due_on: dt.date | None
    confirmation_required: bool
    confirmation_requested_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    confirmation_source: str
    question: str
    reissue_of_id: int | None
    lines: list[LineOut]
    payments: list[PaymentOut]
    credit_notes: list[CreditNoteOut]
    balance: Decimal

    @staticmethod
    def resolve_lines(obj: Invoice) -> Any:
        return list(obj.lines.all())

    @staticmethod
    def resolve_payments(obj: Invoice) -> Any:
        return list(obj.payments.all())

    @staticmethod
    def resolve_credit_notes(obj: Invoice) -> Any:
        return list(obj.credit_notes.all())

    @staticmethod
    def resolve_balance(obj: Invoice) -> Decimal:
        return services.balance(obj)


class InvoiceFilters(Schema):
    month: str | None = None
    state: InvoiceState | None = None
    organization_id: Id | None = None


class PaymentIn(Input):
    amount: Decimal = Field(..., gt=0, decimal_places=2)
    received_on: dt.date
    reference: str = ""


class CreditNoteIn(Input):
    amount: Decimal = Field(..., gt=0, decimal_places=2)
    reason: str = Field(..., min_length=1)
    issued_on: dt.date | None = None


class VoidIn(Input):
    reason: str = Field(..., min_length=1)


class FinaliseIn(Input):
    issued_on: dt.date | None = None


class ChargeIn(Input):
    kind: LineKind = LineKind.ADJUSTMENT
    description: str = Field(..., min_length=1, max_length=300)
    quantity: Decimal = Field(Decimal(1), decimal_places=4)
    unit_amount: Decimal = Field(..., decimal_places=2)
    account_code: str = ""


class ChargeOut(Schema):
    id: int
    organization_id: int
    month: str
    kind: LineKind
    description: str
    quantity: Decimal
    unit_amount: Decimal
    account_code: str


def _invoice(invoice_id: int) -> Invoice:
    return get_object_or_404(Invoice.objects.select_related("organization"), pk=invoice_id)


# Billing runs -----------------------------------------------------------------------------


@billing.post("/runs", response={201: BillingRunOut}, auth=can_manage_billing)
def start_billing_run(request: HttpRequest, payload: BillingRunIn) -> Reply[BillingRun]:
    """Build or refresh the month's drafts (idempotent); blocked communities are listed."""
    return Reply(201, billing_run(actor=request.user, month=_month(payload.month)))


@billing.get("/runs", response=list[BillingRunOut], auth=can_view_invoices)
@paginate(Pages)
def list_billing_runs(request: HttpRequest, month: str | None = None) -> Any:
    runs = BillingRun.objects.all()
    return runs.filter(month=_month(month)) if month else runs


@billing.get("/runs/{run_id}", response=BillingRunOut, auth=can_view_invoices)
def get_billing_run(request: HttpRequest, run_id: Id) -> BillingRun:
    return get_object_or_404(BillingRun, pk=run_id)


@billing.post("/request-confirmations", response=list[InvoiceOut], auth=can_manage_billing)
def request_month_confirmations(request: HttpRequest, payload: MonthIn) -> Any:
    return services.invoices_confirmation_request(actor=request.user, month=_month(payload.month))


@billing.post("/finalise", response=list[InvoiceOut], auth=can_manage_billing)
def finalise_month(request: HttpRequest, payload: MonthIn) -> Any:
    return services.invoices_finalise_confirmed(
        actor=request.user, month=_month(payload.month), issued_on=payload.issued_on
    )


class NotBilledOut(Schema):
    hub_id: int
    hub: str
    community_id: int | None
    community: str
    currency: str
    attributed: str
    billed: str
    not_billed: str
    reason: str
    flag: str


class MonthBillingOut(Schema):
    month: str
    not_billed: list[NotBilledOut]
    totals: dict[str, str]
    unattributed: dict[str, str]


@billing.get("/not-billed", response=MonthBillingOut, auth=can_view_invoices)
def cloud_cost_not_billed(request: HttpRequest, month: str) -> dict[str, Any]:
    """Every cloud cost attributed to a hub in the month that is not on a live invoice
    line, with the reason; and what was attributed to no hub. Amounts per currency."""
    result = month_billing(_month(month))
    return {
        "month": result.month,
        "not_billed": [item.as_json() for item in result.not_billed],
        "totals": {code: f"{amount:.2f}" for code, amount in sorted(result.totals().items())},
        "unattributed": {
            code: f"{amount:.2f}" for code, amount in sorted(result.unattributed.items())
        },
    }


@billing.get("/export", auth=can_view_invoices)
def accounting_export(
    request: HttpRequest, start: dt.date, end: dt.date, layout: str = "xero"
) -> HttpResponse:
    """CSV of invoices and credit notes issued between ``start`` and ``end``: ``xero`` or ``generic``."""
    if layout not in ("xero", "generic"):
        raise HttpError(422, "layout is xero or generic.")
    response = HttpResponse(
        exports.export_csv(layout, start, end), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="invoices-{layout}-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    return response


# Invoices ------------------------------------------------------------------------------------


@invoices.get("", response=list[InvoiceOut], auth=can_view_invoices)
@paginate(Pages)
def list_invoices(request: HttpRequest, filters: Query[InvoiceFilters]) -> Any:
    rows = Invoice.objects.select_related("organization").prefetch_related(
        "lines", "payments", "credit_notes"
    )
    if filters.month:
        rows = rows.filter(month=_month(filters.month))
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.organization_id:
        rows = rows.filter(organization_id=filters.organization_id)
    return rows.order_by("-month", "organization__name", "id")


@invoices.get("/{invoice_id}", response=InvoiceOut, auth=can_view_invoices)
def get_invoice(request: HttpRequest, invoice_id: Id) -> Invoice:
    return _invoice(invoice_id)


@invoices.get("/{invoice_id}/statement", auth=can_view_invoices)
def invoice_cloud_statement(
    request: HttpRequest, invoice_id: Id, format: str = "pdf"
) -> HttpResponse:
    """The itemised cloud cost statement behind the invoice's cloud lines: ``pdf`` or ``csv``."""
    if format not in ("pdf", "csv"):
        raise HttpError(422, "format is pdf or csv.")
    invoice = _invoice(invoice_id)
    if not statement.has_statement(invoice):
        raise HttpError(404, f"{invoice} has no cloud cost lines.")
    return statement.statement_response(invoice, format)


@invoices.get("/{invoice_id}/pdf", auth=can_view_invoices)
def invoice_pdf(request: HttpRequest, invoice_id: Id) -> FileResponse:
    invoice = _invoice(invoice_id)
    if not invoice.pdf:
        raise HttpError(404, f"{invoice} has no PDF: it has not been issued.")
    return download(invoice.pdf, f"invoice-{invoice.number}.pdf", "application/pdf")


@invoices.post("/{invoice_id}/request-confirmation", response=InvoiceOut, auth=can_manage_billing)
def request_invoice_confirmation(request: HttpRequest, invoice_id: Id) -> Invoice:
    """Send the signed link to the community representative (or confirm by contract)."""
    return services.invoice_confirmation_request(actor=request.user, invoice=_invoice(invoice_id))


@invoices.post("/{invoice_id}/email-confirmation", response=InvoiceOut, auth=can_manage_billing)
def record_email_confirmation(
    request: HttpRequest,
    invoice_id: Id,
    email_file: UploadedFile = File(...),  # noqa: B008 - ninja's way to declare uploads
    sender_confirmed: bool = Form(False),
) -> Invoice:
    """A confirmation received by email: upload the .eml (multipart field ``email_file``).
    An email from someone who is not the community's representative or billing contact
    is refused (422, field ``sender_confirmed``) unless ``sender_confirmed`` is true."""
    content = read_upload(email_file, limit=settings.EMAIL_UPLOAD_MAX_BYTES, field="email_file")
    return services.invoice_email_confirmation_record(
        actor=request.user,
        invoice=_invoice(invoice_id),
        file_name=upload_name(email_file),
        content=content,
        sender_confirmed=sender_confirmed,
    )


@invoices.post("/{invoice_id}/return-to-draft", response=InvoiceOut, auth=can_manage_billing)
def return_invoice_to_draft(request: HttpRequest, invoice_id: Id) -> Invoice:
    return services.invoice_return_to_draft(actor=request.user, invoice=_invoice(invoice_id))


@invoices.post("/{invoice_id}/finalise", response=InvoiceOut, auth=can_manage_billing)
def finalise_invoice(request: HttpRequest, invoice_id: Id, payload: FinaliseIn) -> Invoice:
    """Number, render the PDF and send it to the billing contact."""
    return services.invoice_finalise(
        actor=request.user, invoice=_invoice(invoice_id), issued_on=payload.issued_on
    )


@invoices.post("/{invoice_id}/void", response=InvoiceOut, auth=can_manage_billing)
def void_invoice(request: HttpRequest, invoice_id: Id, payload: VoidIn) -> Invoice:
    return services.invoice_void(
        actor=request.user, invoice=_invoice(invoice_id), reason=payload.reason
    )


@invoices.post("/{invoice_id}/reissue", response={201: InvoiceOut}, auth=can_manage_billing)
def reissue_invoice(request: HttpRequest, invoice_id: Id) -> Reply[Invoice]:
    return Reply(201, services.invoice_reissue(actor=request.user, invoice=_invoice(invoice_id)))


@invoices.post("/{invoice_id}/payments", response={201: PaymentOut}, auth=can_manage_billing)
def record_payment(request: HttpRequest, invoice_id: Id, payload: PaymentIn) -> Reply[Payment]:
    return Reply(
        201,
        services.payment_record(actor=request.user, invoice=_invoice(invoice_id), **payload.dict()),
    )


@invoices.post("/{invoice_id}/credit-notes", response={201: CreditNoteOut}, auth=can_manage_billing)
def issue_credit_note(
    request: HttpRequest, invoice_id: Id, payload: CreditNoteIn
) -> Reply[CreditNote]:
    return Reply(
        201,
        services.credit_note_issue(
            actor=request.user, invoice=_invoice(invoice_id), **payload.dict()
        ),
    )


@invoices.post("/{invoice_id}/charges", response={201: ChargeOut}, auth=can_manage_billing)
def add_charge(request: HttpRequest, invoice_id: Id, payload: ChargeIn) -> Reply[ManualCharge]:
    """A manual line (support hours, usage, adjustment) on the invoice's month; drafts only."""
    invoice = _invoice(invoice_id)
    charge = services.manual_charge_add(
        actor=request.user, organization=invoice.organization, month=invoice.month, **payload.dict()
    )
    return Reply(201, charge)


@invoices.get("/credit-notes/all", response=list[CreditNoteOut], auth=can_view_invoices)
@paginate(Pages)
def list_credit_notes(request: HttpRequest) -> Any:
    return CreditNote.objects.order_by("-issued_on", "-id")


@invoices.get("/credit-notes/{note_id}/pdf", auth=can_view_invoices)
def credit_note_pdf(request: HttpRequest, note_id: Id) -> FileResponse:
    note = get_object_or_404(CreditNote, pk=note_id)
    return download(note.pdf, f"credit-note-{note.number}.pdf", "application/pdf")
