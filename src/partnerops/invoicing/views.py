"""Pages for the billing run, invoices, confirmation by link, payments and exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnerops.core import audit
from partnerops.core.access import requires
from partnerops.core.errors import DomainError
from partnerops.core.files import download
from partnerops.core.forms import add_service_errors
from partnerops.core.roles import Capability, has_capability
from partnerops.core.signed_links import LinkRefused
from partnerops.core.uploads import read_upload, upload_name
from partnerops.invoicing import exports, selectors, services, statement
from partnerops.invoicing.forms import (
    ConfirmationAnswerForm,
    CreditNoteForm,
    EmailConfirmationForm,
    ExportForm,
    ManualChargeForm,
    MonthForm,
    PaymentForm,
    VoidForm,
)
from partnerops.invoicing.models import CreditNote, Invoice, InvoiceState, ManualCharge
from partnerops.invoicing.plan import MonthError, parse_month
from partnerops.invoicing.run import billing_run
from partnerops.invoicing.unbilled import month_billing

VIEW = Capability.VIEW_INVOICES
MANAGE = Capability.MANAGE_BILLING
Errors = (ValidationError, DomainError)


def _last_month() -> str:
    first = timezone.localdate().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def _month(request: HttpRequest) -> str:
    month = request.GET.get("month") or request.POST.get("month") or _last_month()
    try:
        parse_month(month)
    except MonthError as error:
        raise Http404(str(error)) from None
    return month


def _form_page(
    request: HttpRequest, form: Any, title: str, *, multipart: bool = False
) -> HttpResponse:
    return render(request, "form.html", {"form": form, "title": title, "multipart": multipart})


@requires(VIEW)
def billing(request: HttpRequest) -> HttpResponse:
    """The month: run it, see every community's invoice and who is blocked, act in batches."""
    month = _month(request)
    context = {
        "board": selectors.month_board(month),
        "turnaround": selectors.turnaround(month),
        "not_billed": month_billing(month),
        "month": month,
        "can_manage": has_capability(request.user, MANAGE),
        "states": InvoiceState,
    }
    return render(request, "invoicing/billing.html", context)


def _month_action(request: HttpRequest) -> str:
    form = MonthForm(request.POST)
    if not form.is_valid():
        raise Http404("Write the month as YYYY-MM.")
    month: str = form.cleaned_data["month"]
    return month


@requires(MANAGE)
@require_POST
def billing_run_start(request: HttpRequest) -> HttpResponse:
    month = _month_action(request)
    run = billing_run(actor=request.user, month=month)
    messages.success(
        request,
        f"{month}: {run.created} drafted, {run.refreshed} refreshed, {run.unchanged} unchanged, "
        f"{len(run.blocked)} blocked. The summary went to the operations address.",
    )
    return redirect(f"{_billing_url()}?month={month}")


def _billing_url() -> str:
    from django.urls import reverse

    return reverse("invoicing:billing")


@requires(MANAGE)
@require_POST
def billing_request_confirmations(request: HttpRequest) -> HttpResponse:
    month = _month_action(request)
    done = services.invoices_confirmation_request(actor=request.user, month=month)
    asked = sum(1 for invoice in done if invoice.state == InvoiceState.AWAITING_CONFIRMATION)
    messages.success(
        request, f"{asked} confirmation requests sent; {len(done) - asked} covered by a contract."
    )
    return redirect(f"{_billing_url()}?month={month}")


@requires(MANAGE)
@require_POST
def billing_finalise(request: HttpRequest) -> HttpResponse:
    month = _month_action(request)
    issued = services.invoices_finalise_confirmed(actor=request.user, month=month)
    messages.success(request, f"{len(issued)} invoices issued and sent.")
    return redirect(f"{_billing_url()}?month={month}")


@requires(VIEW)
def invoice_list(request: HttpRequest) -> HttpResponse:
    invoices = Invoice.objects.select_related("organization").order_by(
        "-month", "organization__name", "-id"
    )
    state, query = request.GET.get("state", ""), request.GET.get("q", "").strip()
    if state in InvoiceState.values:
        invoices = invoices.filter(state=state)
    if query:
        invoices = invoices.filter(organization__name__icontains=query) | invoices.filter(
            number__iexact=query
        )
    page = Paginator(invoices, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "invoicing/invoice_list.html",
        {"page": page, "state": state, "q": query, "states": InvoiceState},
    )


@requires(VIEW)
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(
        Invoice.objects.select_related(
            "organization", "engagement", "billing_contact", "representative"
        ),
        pk=pk,
    )
    context = {
        "invoice": invoice,
        "lines": invoice.lines.select_related("hub").order_by("position"),
        "charges": ManualCharge.objects.filter(
            organization=invoice.organization, month=invoice.month
        ),
        "payments": invoice.payments.all(),
        "credit_notes": invoice.credit_notes.all(),
        "requests": invoice.confirmation_requests.all()[:5],
        "balance": services.balance(invoice),
        "can_manage": has_capability(request.user, MANAGE),
        "audit_events": audit.events_for(invoice)[:50],
        "has_statement": statement.has_statement(invoice),
    }
    return render(request, "invoicing/invoice_detail.html", context)


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    invoice = get_object_or_404(Invoice, pk=pk)
    try:
        action(actor=request.user, invoice=invoice)
    except Errors as error:
        messages.error(
            request, error.message if isinstance(error, DomainError) else "; ".join(error.messages)
        )
    else:
        messages.success(request, done)
    return redirect("invoicing:invoice-detail", pk=pk)


@requires(MANAGE)
@require_POST
def invoice_request_confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.invoice_confirmation_request, "Confirmation requested.")


@requires(MANAGE)
@require_POST
def invoice_return_to_draft(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        services.invoice_return_to_draft,
        "Back to draft; the next run refreshes its lines.",
    )


@requires(MANAGE)
@require_POST
def invoice_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, services.invoice_finalise, "Invoice issued and sent to the billing contact."
    )


@requires(MANAGE)
@require_POST
def invoice_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice, pk=pk)
    try:
        new = services.invoice_reissue(actor=request.user, invoice=invoice)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("invoicing:invoice-detail", pk=pk)
    messages.success(request, "A new draft replaces the voided invoice.")
    return redirect("invoicing:invoice-detail", pk=new.pk)


def _invoice_form(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    title: str,
    call: Any,
    done: str,
    *,
    multipart: bool = False,
) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.select_related("organization"), pk=pk)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            call(invoice, form.cleaned_data)
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("invoicing:invoice-detail", pk=pk)
    return _form_page(request, form, f"{title} · {invoice}", multipart=multipart)


@requires(MANAGE)
def invoice_record_confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    def call(invoice: Invoice, data: dict[str, Any]) -> None:
        upload = data["email_file"]
        content = read_upload(upload, limit=settings.EMAIL_UPLOAD_MAX_BYTES, field="email_file")
        services.invoice_email_confirmation_record(
            actor=request.user,
            invoice=invoice,
            file_name=upload_name(upload),
            content=content,
            sender_confirmed=data["sender_confirmed"],
        )

    return _invoice_form(
        request,
        pk,
        EmailConfirmationForm,
        "Record a confirmation received by email",
        call,
        "Confirmation recorded.",
        multipart=True,
    )


@requires(MANAGE)
def invoice_payment(request: HttpRequest, pk: int) -> HttpResponse:
    return _invoice_form(
        request,
        pk,
        PaymentForm,
        "Record a payment",
        lambda invoice, data: services.payment_record(actor=request.user, invoice=invoice, **data),
        "Payment recorded.",
    )


@requires(MANAGE)
def invoice_credit_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _invoice_form(
        request,
        pk,
        CreditNoteForm,
        "Issue a credit note",
        lambda invoice, data: services.credit_note_issue(
            actor=request.user, invoice=invoice, **data
        ),
        "Credit note issued and sent.",
    )


@requires(MANAGE)
def invoice_void(request: HttpRequest, pk: int) -> HttpResponse:
    return _invoice_form(
        request,
        pk,
        VoidForm,
        "Void the invoice",
        lambda invoice, data: services.invoice_void(actor=request.user, invoice=invoice, **data),
        "Invoice voided; it keeps its number.",
    )


@requires(MANAGE)
def invoice_add_charge(request: HttpRequest, pk: int) -> HttpResponse:
    def call(invoice: Invoice, data: dict[str, Any]) -> None:
        services.manual_charge_add(
            actor=request.user, organization=invoice.organization, month=invoice.month, **data
        )

    return _invoice_form(
        request, pk, ManualChargeForm, "Add a line", call, "Line added to the draft."
    )


@requires(MANAGE)
@require_POST
def charge_delete(request: HttpRequest, pk: int) -> HttpResponse:
    charge = get_object_or_404(ManualCharge.objects.select_related("organization"), pk=pk)
    invoice = (
        Invoice.objects.filter(organization=charge.organization, month=charge.month)
        .exclude(state=InvoiceState.VOID)
        .first()
    )
    try:
        services.manual_charge_remove(actor=request.user, charge=charge)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Line removed.")
    if invoice is not None and Invoice.objects.filter(pk=invoice.pk).exists():
        return redirect("invoicing:invoice-detail", pk=invoice.pk)
    return redirect(f"{_billing_url()}?month={charge.month}")


@requires(VIEW)
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    invoice = get_object_or_404(Invoice, pk=pk)
    return download(invoice.pdf, f"invoice-{invoice.number}.pdf", "application/pdf")


@requires(VIEW)
def invoice_confirmation_email(request: HttpRequest, pk: int) -> HttpResponseBase:
    invoice = get_object_or_404(Invoice, pk=pk)
    return download(invoice.confirmation_email, f"confirmation-{invoice.pk}.eml", "message/rfc822")


@requires(VIEW)
def credit_note_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    note = get_object_or_404(CreditNote, pk=pk)
    return download(note.pdf, f"credit-note-{note.number}.pdf", "application/pdf")


@requires(VIEW)
def export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        content = exports.export_csv(data["layout"], data["start"], data["end"])
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        name = f"invoices-{data['layout']}-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "invoicing/export.html", {"form": form})


# The community's confirmation, by signed link (no sign-in) ----------------------------------


@login_not_required
def confirmation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.open_confirmation(token)
    except LinkRefused as refused:
        return render(
            request, "invoicing/confirmation_refused.html", {"reason": str(refused)}, status=410
        )
    invoice = link.invoice
    form = ConfirmationAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("answer") == "question":
                services.invoice_question_raise(token=token, question=form.cleaned_data["question"])
                answer = "question"
            else:
                services.invoice_delivery_confirm(token=token)
                answer = "confirmed"
        except LinkRefused as refused:
            return render(
                request, "invoicing/confirmation_refused.html", {"reason": str(refused)}, status=410
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(
                request,
                "invoicing/confirmation_thanks.html",
                {"invoice": invoice, "answer": answer},
            )
    context = {
        "invoice": invoice,
        "lines": invoice.lines.order_by("position"),
        "form": form,
        "link": link,
        "token": token,
        "has_statement": statement.has_statement(invoice),
    }
    return render(request, "invoicing/confirmation.html", context)


@login_not_required
def confirmation_statement(request: HttpRequest, token: str, extension: str) -> HttpResponse:
    """The statement the community is asked to confirm, by the same signed link."""
    try:
        link = services.open_confirmation(token)
    except LinkRefused as refused:
        return render(
            request, "invoicing/confirmation_refused.html", {"reason": str(refused)}, status=410
        )
    if not statement.has_statement(link.invoice):
        raise Http404("This invoice has no cloud costs.")
    return statement.statement_response(link.invoice, extension)


@requires(VIEW)
def invoice_statement(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The invoice's itemised cloud cost statement, PDF or CSV."""
    invoice = get_object_or_404(Invoice, pk=pk)
    if not statement.has_statement(invoice):
        raise Http404("This invoice has no cloud costs.")
    return statement.statement_response(invoice, extension)
