"""Confirmation of delivery (seed 004): signed links to the community, questions, a confirming .eml filed by Operations, back to draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partnerops.core.eml import read_received
from partnerops.core.errors import DomainError
from partnerops.core.profile import get_profile
from partnerops.core.signed_links import LinkRefused, make_token, read_token
from partnerops.invoicing.audit_actions import InvoicingAction
from partnerops.invoicing.models import (
    ConfirmationRequest,
    ConfirmationSource,
    Invoice,
)
from partnerops.invoicing.plan import parse_month
from partnerops.invoicing.services._common import S, locked_invoice, move, record_state
from partnerops.outbox.notifications import notify_once
from partnerops.outbox.services import email_queue
from partnerops.outbox.templating import render_named

PURPOSE = "invoice-confirmation"


def _withdraw_open_links(invoice: Invoice) -> None:
    """Links not yet used stop working (a newer link, another confirmation, or a redraft)."""
    ConfirmationRequest.objects.filter(invoice=invoice, used_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )


def confirmation_link(request: ConfirmationRequest) -> str:
    return reverse("invoice-confirmation", args=[make_token(purpose=PURPOSE, object_id=request.pk)])


@transaction.atomic
def invoice_confirmation_request(*, actor: Any, invoice: Invoice) -> Invoice:
    """Ask the community representative to confirm delivery, or, where a contract covers
    delivery, mark the draft confirmed without asking."""
    invoice = locked_invoice(invoice)
    before = invoice.state
    now = timezone.now()
    if not invoice.confirmation_required:
        move(invoice, S.CONFIRMED)
        invoice.confirmed_at, invoice.confirmation_source = now, ConfirmationSource.CONTRACT
        invoice.confirmed_by = "the executed contract covers delivery"
    else:
        if invoice.representative is None:
            raise DomainError(f"{invoice} has no community representative to confirm delivery.")
        move(invoice, S.AWAITING_CONFIRMATION)
        _withdraw_open_links(invoice)
        request = ConfirmationRequest.objects.create(
            invoice=invoice,
            contact=invoice.representative,
            email=invoice.representative.email,
            expires_at=now + dt.timedelta(days=settings.CONFIRMATION_LINK_DAYS),
        )
        invoice.confirmation_requested_at = now
        _queue_confirmation_email(invoice, request)
    invoice.save()
    record_state(actor, invoice, InvoicingAction.CONFIRMATION_REQUESTED, before)
    return invoice


def invoices_confirmation_request(*, actor: Any, month: str) -> list[Invoice]:
    """Every draft of the month, each in its own transaction."""
    parse_month(month)
    drafts = Invoice.objects.filter(month=month, state=S.DRAFT).order_by("id")
    return [invoice_confirmation_request(actor=actor, invoice=invoice) for invoice in drafts]


def _queue_confirmation_email(invoice: Invoice, request: ConfirmationRequest) -> None:
    profile = get_profile()
    email = render_named(
        "invoice-confirmation",
        {
            "contact_name": request.contact.name if request.contact else "",
            "our_name": profile.name,
            "fiscal_sponsor": profile.fiscal_sponsor_name,
            "partner": invoice.organization.name,
            "month": invoice.month,
            "currency": invoice.currency,
            "total": f"{invoice.total:,.2f}",
            "lines": [
                {"description": line.description, "amount": f"{line.amount:,.2f}"}
                for line in invoice.lines.all()
            ],
            "link": f"{settings.SITE_URL}{confirmation_link(request)}",
            "link_days": settings.CONFIRMATION_LINK_DAYS,
        },
    )
    email_queue(
        key=f"invoice-confirmation:{request.pk}",
        to=[request.email],
        cc=[profile.operations_email],
        from_email=profile.partnerships_email,
        reply_to=[profile.operations_email],
        engagement=invoice.engagement,
        subject=email.subject,
        body=email.body,
        html_body=email.html_body,
    )


def open_confirmation(token: str) -> ConfirmationRequest:
    """The request behind a link, or LinkRefused: tampered, expired, used or withdrawn."""
    request_id = read_token(
        token, purpose=PURPOSE, max_age=dt.timedelta(days=settings.CONFIRMATION_LINK_DAYS)
    )
    request = (
        ConfirmationRequest.objects.select_related("invoice__organization", "contact")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise LinkRefused("This link is not valid.")
    if request.used_at is not None:
        raise LinkRefused("This month has already been answered through this link. Thank you!")
    if request.revoked_at is not None or request.expires_at <= timezone.now():
        raise LinkRefused("This link has been replaced or has expired; we will send a new one.")
    return request


def _use(token: str) -> tuple[ConfirmationRequest, Invoice]:
    request = open_confirmation(token)
    locked = ConfirmationRequest.objects.select_for_update().get(pk=request.pk)
    if locked.used_at is not None or locked.revoked_at is not None:
        raise LinkRefused("This month has already been answered through this link. Thank you!")
    invoice = locked_invoice(request.invoice)
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    locked.contact = request.contact
    return locked, invoice


@transaction.atomic
def invoice_delivery_confirm(*, token: str) -> Invoice:
    request, invoice = _use(token)
    before = invoice.state
    move(invoice, S.CONFIRMED)
    invoice.confirmed_at, invoice.confirmation_source = request.used_at, ConfirmationSource.LINK
    invoice.confirmed_by = f"{request.contact.name if request.contact else ''} <{request.email}>"
    invoice.question = ""
    invoice.save()
    record_state(
        None,
        invoice,
        InvoicingAction.DELIVERY_CONFIRMED,
        before,
        f"by {invoice.confirmed_by} via signed link",
    )
    return invoice


@transaction.atomic
def invoice_question_raise(*, token: str, question: str) -> Invoice:
    """The community is not satisfied or unsure: the invoice waits, the owner is told."""
    if not question.strip():
        raise ValidationError({"question": "Write your question, so that we can answer it."})
    request, invoice = _use(token)
    before = invoice.state
    move(invoice, S.QUESTIONED)
    invoice.question = question.strip()
    invoice.save()
    record_state(None, invoice, InvoicingAction.QUESTION_RAISED, before, f"by {request.email}")
    owner = invoice.engagement.owner if invoice.engagement else None
    notify_once(
        recipient=owner,
        key=f"invoice-question:{request.pk}",
        subject=f"{invoice.organization.name} has a question about {invoice.month}",
        body=f"{request.email} wrote:\n\n{invoice.question}",
        link=reverse("invoicing:invoice-detail", args=[invoice.pk]),
    )
    return invoice


def confirming_senders(invoice: Invoice) -> dict[str, str]:
    """Who speaks for the community on delivery: its representatives and billing
    contacts (and the agreement's billing contact), address -> name."""
    organization = invoice.organization
    contacts = organization.contacts.filter(
        is_community_representative=True
    ) | organization.contacts.filter(is_billing_contact=True)
    senders = {contact.email.lower(): contact.name for contact in contacts}
    if invoice.billing_contact:
        senders[invoice.billing_contact.email.lower()] = invoice.billing_contact.name
    return senders


@transaction.atomic
def invoice_email_confirmation_record(
    *, actor: Any, invoice: Invoice, file_name: str, content: bytes, sender_confirmed: bool = False
) -> Invoice:
    """Operations files the community's confirming email (the .eml) against the invoice.
    An email from someone who is not the community's representative or billing contact
    is recorded only when Operations says so (``sender_confirmed``)."""
    message = read_received(content, max_attachments=settings.EMAIL_MAX_ATTACHMENTS)
    senders = confirming_senders(invoice)
    matches = message.sender_address in senders
    if not matches and not sender_confirmed:
        known = ", ".join(sorted(senders)) or "none on record"
        raise ValidationError(
            {
                "sender_confirmed": (
                    f"This email is from {message.sender}, who is not {invoice.organization.name}'s community "
                    f"representative or billing contact ({known}). Confirm to record it anyway."
                )
            }
        )
    invoice = locked_invoice(invoice)
    before = invoice.state
    move(invoice, S.CONFIRMED)
    invoice.confirmed_at = message.sent_at
    invoice.confirmation_source = ConfirmationSource.EMAIL
    invoice.confirmed_by = message.sender[:300]
    invoice.confirmation_email.save(
        file_name or "confirmation.eml", ContentFile(content), save=False
    )
    invoice.save()
    _withdraw_open_links(invoice)
    who = "" if matches else " (not a contact on record; confirmed by the recorder)"
    record_state(
        actor,
        invoice,
        InvoicingAction.DELIVERY_CONFIRMED,
        before,
        f"by email from {message.sender}{who}: {message.subject}",
    )
    return invoice


@transaction.atomic
def invoice_return_to_draft(*, actor: Any, invoice: Invoice) -> Invoice:
    """Back to draft (e.g. after a question or restated costs); open links stop working."""
    invoice = locked_invoice(invoice)
    before = invoice.state
    move(invoice, S.DRAFT)
    invoice.confirmed_at, invoice.confirmation_source, invoice.confirmed_by = None, "", ""
    invoice.lines_digest = ""  # the next run rebuilds the lines
    invoice.save()
    _withdraw_open_links(invoice)
    record_state(actor, invoice, InvoicingAction.RETURNED_TO_DRAFT, before)
    return invoice
