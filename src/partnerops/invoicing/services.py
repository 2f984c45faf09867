"""An invoice's life after the run: confirmation, finalisation, payment, credit notes,
void and re-issue, manual charges and overdue reminders.

    draft -> awaiting_confirmation -> confirmed -> issued -> paid
                  |  ^ (return to draft)             \\-> void (keeps its number)
                  v  |
               questioned
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partnerops.core import audit
from partnerops.core.actors import user_or_none
from partnerops.core.eml import read_received
from partnerops.core.errors import DomainError
from partnerops.core.files import stored_unless_error
from partnerops.core.profile import get_profile
from partnerops.core.signed_links import LinkRefused, make_token, read_token
from partnerops.crm.models import Organization
from partnerops.invoicing import documents, numbering
from partnerops.invoicing.models import (
    ConfirmationRequest,
    ConfirmationSource,
    CreditNote,
    Invoice,
    InvoiceLine,
    InvoiceState,
    LineKind,
    ManualCharge,
    Payment,
)
from partnerops.invoicing.plan import account_code, parse_month
from partnerops.invoicing.run import billing_run
from partnerops.invoicing.states import INVOICE_MOVES
from partnerops.outbox.notifications import notify_once
from partnerops.outbox.services import Attachment, queue_email

S = InvoiceState
PURPOSE = "invoice-confirmation"
ZERO = Decimal("0.00")


def _locked(invoice: Invoice) -> Invoice:
    """The invoice as stored, locked until the transaction ends (two clicks, one effect)."""
    return Invoice.objects.select_for_update().select_related("organization").get(pk=invoice.pk)


def _move(invoice: Invoice, state: str) -> None:
    INVOICE_MOVES.check(invoice.state, state, refused=(
        f"Invoice {invoice.number or '#' + str(invoice.pk)} is {S(invoice.state).label.lower()}; "
        f"it cannot become {S(state).label.lower()}"
    ))  # fmt: skip
    invoice.state = state


def _record(actor: Any, invoice: Invoice, action: str, before: str, message: str = "") -> None:
    audit.record(actor=actor, instance=invoice, action=action, message=message,
                 changes={"state": {"old": before, "new": invoice.state}})  # fmt: skip


# Confirmation of delivery (seed 004) ------------------------------------------------------


def _withdraw_open_links(invoice: Invoice) -> None:
    """Links not yet used stop working (a newer link, another confirmation, or a redraft)."""
    ConfirmationRequest.objects.filter(invoice=invoice, used_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )


def confirmation_link(request: ConfirmationRequest) -> str:
    return reverse("invoice-confirmation", args=[make_token(purpose=PURPOSE, object_id=request.pk)])


@transaction.atomic
def request_confirmation(*, actor: Any, invoice: Invoice) -> Invoice:
    """Ask the community representative to confirm delivery, or, where a contract covers
    delivery, mark the draft confirmed without asking."""
    invoice = _locked(invoice)
    before = invoice.state
    now = timezone.now()
    if not invoice.confirmation_required:
        _move(invoice, S.CONFIRMED)
        invoice.confirmed_at, invoice.confirmation_source = now, ConfirmationSource.CONTRACT
        invoice.confirmed_by = "the executed contract covers delivery"
    else:
        if invoice.representative is None:
            raise DomainError(f"{invoice} has no community representative to confirm delivery.")
        _move(invoice, S.AWAITING_CONFIRMATION)
        _withdraw_open_links(invoice)
        request = ConfirmationRequest.objects.create(
            invoice=invoice, contact=invoice.representative, email=invoice.representative.email,
            expires_at=now + dt.timedelta(days=settings.CONFIRMATION_LINK_DAYS),
        )  # fmt: skip
        invoice.confirmation_requested_at = now
        _queue_confirmation_email(invoice, request)
    invoice.save()
    _record(actor, invoice, "confirmation_requested", before)
    return invoice


def request_confirmations(*, actor: Any, month: str) -> list[Invoice]:
    """Every draft of the month, each in its own transaction."""
    parse_month(month)
    drafts = Invoice.objects.filter(month=month, state=S.DRAFT).order_by("id")
    return [request_confirmation(actor=actor, invoice=invoice) for invoice in drafts]


def _queue_confirmation_email(invoice: Invoice, request: ConfirmationRequest) -> None:
    profile = get_profile()
    lines = "\n".join(
        f"  {line.description}: {invoice.currency} {line.amount:,.2f}"
        for line in invoice.lines.all()
    )
    queue_email(
        key=f"invoice-confirmation:{request.pk}",
        to=[request.email],
        cc=[profile.operations_email],
        from_email=profile.partnerships_email,
        reply_to=[profile.operations_email],
        engagement=invoice.engagement,
        subject=f"Please confirm {profile.name}'s service for {invoice.month}",
        body=(
            f"Hello {request.contact.name if request.contact else ''},\n\n"
            f"Before {profile.fiscal_sponsor_name} invoices {invoice.organization.name} for {invoice.month}, "
            f"please confirm that the service was delivered as expected:\n\n{lines}\n"
            f"  Total: {invoice.currency} {invoice.total:,.2f}\n\n"
            f"Confirm, or ask a question, here (the link works once, for {settings.CONFIRMATION_LINK_DAYS} days):\n"
            f"{settings.SITE_URL}{confirmation_link(request)}\n\n{profile.name}'s Partnerships Team"
        ),
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
    invoice = _locked(request.invoice)
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    locked.contact = request.contact
    return locked, invoice


@transaction.atomic
def confirm_delivery(*, token: str) -> Invoice:
    request, invoice = _use(token)
    before = invoice.state
    _move(invoice, S.CONFIRMED)
    invoice.confirmed_at, invoice.confirmation_source = request.used_at, ConfirmationSource.LINK
    invoice.confirmed_by = f"{request.contact.name if request.contact else ''} <{request.email}>"
    invoice.question = ""
    invoice.save()
    _record(
        None, invoice, "delivery_confirmed", before, f"by {invoice.confirmed_by} via signed link"
    )
    return invoice


@transaction.atomic
def raise_question(*, token: str, question: str) -> Invoice:
    """The community is not satisfied or unsure: the invoice waits, the owner is told."""
    if not question.strip():
        raise ValidationError({"question": "Write your question, so that we can answer it."})
    request, invoice = _use(token)
    before = invoice.state
    _move(invoice, S.QUESTIONED)
    invoice.question = question.strip()
    invoice.save()
    _record(None, invoice, "question_raised", before, f"by {request.email}")
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
def record_email_confirmation(
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
        raise ValidationError({"sender_confirmed": (
            f"This email is from {message.sender}, who is not {invoice.organization.name}'s community "
            f"representative or billing contact ({known}). Confirm to record it anyway."
        )})  # fmt: skip
    invoice = _locked(invoice)
    before = invoice.state
    _move(invoice, S.CONFIRMED)
    invoice.confirmed_at = message.sent_at
    invoice.confirmation_source = ConfirmationSource.EMAIL
    invoice.confirmed_by = message.sender[:300]
    invoice.confirmation_email.save(
        file_name or "confirmation.eml", ContentFile(content), save=False
    )
    invoice.save()
    _withdraw_open_links(invoice)
    who = "" if matches else " (not a contact on record; confirmed by the recorder)"
    _record(actor, invoice, "delivery_confirmed", before,
            f"by email from {message.sender}{who}: {message.subject}")  # fmt: skip
    return invoice


@transaction.atomic
def return_to_draft(*, actor: Any, invoice: Invoice) -> Invoice:
    """Back to draft (e.g. after a question or restated costs); open links stop working."""
    invoice = _locked(invoice)
    before = invoice.state
    _move(invoice, S.DRAFT)
    invoice.confirmed_at, invoice.confirmation_source, invoice.confirmed_by = None, "", ""
    invoice.lines_digest = ""  # the next run rebuilds the lines
    invoice.save()
    _withdraw_open_links(invoice)
    _record(actor, invoice, "returned_to_draft", before)
    return invoice


# Finalisation --------------------------------------------------------------------------


def _bill_to(invoice: Invoice) -> tuple[str, str]:
    contact = invoice.billing_contact
    organization = invoice.organization
    lines = [contact.name] if contact else []
    lines.append(organization.name)
    if organization.country:
        lines.append(str(organization.country.name))  # type: ignore[attr-defined]
    return "\n".join(lines), contact.email if contact else ""


@transaction.atomic
def finalise(*, actor: Any, invoice: Invoice, issued_on: dt.date | None = None) -> Invoice:
    """Number (gapless, under a lock), render the PDF and send it to the billing contact."""
    invoice = _locked(invoice)
    before = invoice.state
    _move(invoice, S.ISSUED)
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
        _record(actor, invoice, "issued", before, f"number {invoice.number}")
        _queue_invoice_email(invoice, pdf)
    return invoice


def finalise_confirmed(
    *, actor: Any, month: str, issued_on: dt.date | None = None
) -> list[Invoice]:
    """Issue every confirmed invoice of the month, one transaction each."""
    parse_month(month)
    confirmed = Invoice.objects.filter(month=month, state=S.CONFIRMED).order_by(
        "organization__name", "id"
    )
    return [finalise(actor=actor, invoice=invoice, issued_on=issued_on) for invoice in confirmed]


def _queue_invoice_email(invoice: Invoice, pdf: bytes) -> None:
    profile = get_profile()
    queue_email(
        key=f"invoice-issued:{invoice.pk}:{invoice.number}",
        to=[invoice.bill_to_email],
        cc=[profile.operations_email],
        from_email=profile.operations_email,
        reply_to=[profile.operations_email],
        engagement=invoice.engagement,
        subject=f"Invoice {invoice.number} from {profile.fiscal_sponsor_name} for {profile.name}, {invoice.month}",
        body=(
            f"Hello,\n\nPlease find attached invoice {invoice.number} for {profile.name}'s service to "
            f"{invoice.organization.name} in {invoice.month}: {invoice.currency} {invoice.total:,.2f}, "
            f"due by {invoice.due_on:%Y-%m-%d}.\n\n{settings.INVOICE_PAYMENT_INSTRUCTIONS}\n\n"
            f"{profile.fiscal_sponsor_name}"
        ),
        attachments=[Attachment(f"invoice-{invoice.number}.pdf", pdf, "application/pdf")],
    )


# Payments, credit notes, void ------------------------------------------------------------


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
        _record(actor, invoice, "paid", before)


@transaction.atomic
def record_payment(
    *, actor: Any, invoice: Invoice, amount: Decimal, received_on: dt.date, reference: str = ""
) -> Payment:
    """A payment, possibly partial; the invoice is paid when nothing is left to pay."""
    invoice = _locked(invoice)
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
    payment = Payment.objects.create(invoice=invoice, amount=amount, received_on=received_on,
                                     reference=reference, recorded_by=user_or_none(actor))  # fmt: skip
    audit.record_create(actor=actor, instance=payment)
    _settle_if_nothing_owed(invoice, actor)
    return payment


@transaction.atomic
def issue_credit_note(
    *, actor: Any, invoice: Invoice, amount: Decimal, reason: str, issued_on: dt.date | None = None
) -> CreditNote:
    """A numbered correction; together they never exceed what the invoice still owes."""
    invoice = _locked(invoice)
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
        invoice=invoice, issuer=invoice.issuer, number=number, number_year=issued_on.year,
        number_sequence=sequence, issued_on=issued_on, reason=reason.strip(), amount=amount,
        account_code=first_line.account_code if first_line else account_code(LineKind.ADJUSTMENT),
        created_by=user_or_none(actor),
    )  # fmt: skip
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
    queue_email(
        key=f"credit-note:{note.pk}", to=[invoice.bill_to_email], cc=[profile.operations_email],
        from_email=profile.operations_email, engagement=invoice.engagement,
        subject=f"Credit note {number} for invoice {invoice.number}",
        body=f"Hello,\n\nPlease find attached credit note {number} ({invoice.currency} {amount:,.2f}) for invoice {invoice.number}: {note.reason}\n\n{profile.fiscal_sponsor_name}",
        attachments=[Attachment(f"credit-note-{number}.pdf", pdf, "application/pdf")],
    )  # fmt: skip


@transaction.atomic
def void(*, actor: Any, invoice: Invoice, reason: str) -> Invoice:
    """Cancel an issued invoice that nobody paid; it keeps its number (no gap)."""
    invoice = _locked(invoice)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the invoice is voided."})
    if invoice.payments.exists():
        raise DomainError(f"{invoice.number} has payments; credit it instead of voiding it.")
    before = invoice.state
    _move(invoice, S.VOID)
    invoice.voided_at, invoice.void_reason = timezone.now(), reason.strip()
    invoice.save()
    _record(actor, invoice, "voided", before, reason.strip())
    return invoice


@transaction.atomic
def reissue(*, actor: Any, invoice: Invoice) -> Invoice:
    """A new draft for a voided invoice's community and month, built from today's data."""
    invoice = _locked(invoice)
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


# Manual charges --------------------------------------------------------------------------


def _month_open(organization: Organization, month: str) -> None:
    invoice = (
        Invoice.objects.filter(organization=organization, month=month).exclude(state=S.VOID).first()
    )
    if invoice is not None and invoice.state != S.DRAFT:
        raise DomainError(
            f"{organization.name}'s invoice for {month} is {S(invoice.state).label.lower()}; "
            "return it to draft before changing its lines."
        )


@transaction.atomic
def add_manual_charge(
    *, actor: Any, organization: Organization, month: str, kind: str, description: str,
    quantity: Decimal, unit_amount: Decimal, account_code: str = "",
) -> ManualCharge:  # fmt: skip
    parse_month(month)
    _month_open(organization, month)
    charge = ManualCharge(organization=organization, month=month, kind=kind, description=description,
                          quantity=quantity, unit_amount=unit_amount, account_code=account_code,
                          created_by=user_or_none(actor))  # fmt: skip
    charge.full_clean()
    charge.save()
    audit.record_create(actor=actor, instance=charge)
    _refresh(actor, organization, month)
    return charge


@transaction.atomic
def remove_manual_charge(*, actor: Any, charge: ManualCharge) -> None:
    _month_open(charge.organization, charge.month)
    audit.record(actor=actor, instance=charge, action="delete")
    organization, month = charge.organization, charge.month
    charge.delete()
    _refresh(actor, organization, month)


def _refresh(actor: Any, organization: Organization, month: str) -> None:
    """Put the change on the draft now if the month has been run (else the run will)."""
    if Invoice.objects.filter(organization=organization, month=month, state=S.DRAFT).exists():
        billing_run(actor=actor, month=month, organization_ids={organization.pk}, notify=False)


# Overdue reminders (from tick) ---------------------------------------------------------------


def send_overdue_reminders(today: dt.date) -> list[Invoice]:
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
        email_row = queue_email(
            key=f"invoice-overdue:{invoice.pk}:{passed}", to=[invoice.bill_to_email],
            cc=[profile.operations_email], from_email=profile.operations_email, engagement=invoice.engagement,
            subject=f"Reminder: invoice {invoice.number} was due on {invoice.due_on:%Y-%m-%d}",
            body=(f"Hello,\n\nOur records show {invoice.currency} {balance(invoice):,.2f} still open on invoice "
                  f"{invoice.number} ({invoice.month}), due on {invoice.due_on:%Y-%m-%d}. If you have paid, thank you "
                  f"and please ignore this reminder.\n\n{settings.INVOICE_PAYMENT_INSTRUCTIONS}\n\n{profile.fiscal_sponsor_name}"),
        )  # fmt: skip
        if email_row is not None:
            reminded.append(invoice)
    return reminded
