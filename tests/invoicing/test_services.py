"""An invoice's life: confirmation, numbering, PDF, payments, credit notes, void, reminders."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from partnerops.core.errors import DomainError, TransitionNotAllowed
from partnerops.core.signed_links import LinkRefused
from partnerops.invoicing import exports, services
from partnerops.invoicing.models import ConfirmationSource, Invoice, InvoiceState, NumberSequence
from partnerops.invoicing.run import billing_run
from partnerops.outbox.models import Notification, OutboundEmail
from tests.invoicing.conftest import MONTH, issue, token_for

pytestmark = pytest.mark.django_db

EML = (
    b"From: Rep <rep@coastal.example.edu>\r\nTo: operations@sponsor.example.org\r\n"
    b"Date: Tue, 03 Nov 2026 10:00:00 +0000\r\nSubject: Re: October service\r\n\r\n"
    b"Yes, delivered as expected.\r\n"
)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_community_confirms_by_a_single_use_link(
    drafts: dict[str, Invoice], operations_user: Any
) -> None:
    invoice = services.invoice_confirmation_request(
        actor=operations_user, invoice=drafts["coastal"]
    )
    assert invoice.state == InvoiceState.AWAITING_CONFIRMATION
    email = OutboundEmail.objects.get(key__startswith="invoice-confirmation:")
    assert email.to == ["rep@coastal.example.edu"] and email.cc == [
        "operations@sponsor.example.org"
    ]
    assert "Cloud costs, hub ocean, 2026-10 (at cost): USD 123.46" in email.body
    found = re.search(r"/confirm-delivery/([^/\s]+)/", email.body)
    assert found is not None
    token = found.group(1)  # the link as the community receives it
    confirmed = services.invoice_delivery_confirm(token=token)
    assert confirmed.state == InvoiceState.CONFIRMED
    assert confirmed.confirmation_source == ConfirmationSource.LINK
    assert "rep@coastal.example.edu" in confirmed.confirmed_by
    with pytest.raises(LinkRefused, match="already been answered"):
        services.invoice_delivery_confirm(token=token)


def test_tampered_and_expired_links_are_refused(
    drafts: dict[str, Invoice], operations_user: Any
) -> None:
    invoice = services.invoice_confirmation_request(
        actor=operations_user, invoice=drafts["coastal"]
    )
    token = token_for(invoice)
    with pytest.raises(LinkRefused, match="not valid"):
        services.open_confirmation(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    with (
        time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=15)),
        pytest.raises(LinkRefused),
    ):
        services.open_confirmation(token)
    assert Invoice.objects.get(pk=invoice.pk).state == InvoiceState.AWAITING_CONFIRMATION


def test_a_question_blocks_the_invoice_and_tells_the_owner(
    drafts: dict[str, Invoice], operations_user: Any, partnerships_user: Any
) -> None:
    invoice = services.invoice_confirmation_request(
        actor=operations_user, invoice=drafts["coastal"]
    )
    with pytest.raises(ValidationError):
        services.invoice_question_raise(token=token_for(invoice), question="  ")
    questioned = services.invoice_question_raise(
        token=token_for(invoice), question="Why 123.46 in cloud?"
    )
    assert questioned.state == InvoiceState.QUESTIONED
    with pytest.raises(TransitionNotAllowed, match="question raised; it cannot become issued"):
        services.invoice_finalise(actor=operations_user, invoice=questioned)
    note = Notification.objects.get(recipient=partnerships_user)
    assert "question" in note.subject and "Why 123.46" in note.body
    # Answered by email, Operations records the community's confirmation with the .eml.
    confirmed = services.invoice_email_confirmation_record(actor=operations_user, invoice=questioned,
                                                   file_name="reply.eml", content=EML)  # fmt: skip
    assert confirmed.state == InvoiceState.CONFIRMED
    assert confirmed.confirmation_source == ConfirmationSource.EMAIL
    assert confirmed.confirmed_by == "Rep <rep@coastal.example.edu>"
    assert confirmed.confirmed_at == dt.datetime(2026, 11, 3, 10, tzinfo=dt.UTC)
    assert confirmed.confirmation_email.read() == EML


def test_an_upload_that_is_not_an_email_is_refused(
    drafts: dict[str, Invoice], operations_user: Any
) -> None:
    with pytest.raises(ValidationError, match="no From or Date header"):
        services.invoice_email_confirmation_record(actor=operations_user, invoice=drafts["coastal"],
                                           file_name="x.eml", content=b"hello")  # fmt: skip
    assert Invoice.objects.get(pk=drafts["coastal"].pk).state == InvoiceState.DRAFT


def test_contract_covered_delivery_needs_no_confirmation(
    drafts: dict[str, Invoice], operations_user: Any
) -> None:
    Invoice.objects.filter(pk=drafts["solo"].pk).update(confirmation_required=False)
    invoice = services.invoice_confirmation_request(actor=operations_user, invoice=drafts["solo"])
    assert invoice.state == InvoiceState.CONFIRMED
    assert invoice.confirmation_source == ConfirmationSource.CONTRACT
    assert not OutboundEmail.objects.filter(key__startswith="invoice-confirmation:").exists()


def test_finalising_numbers_renders_and_sends_the_pdf(
    drafts: dict[str, Invoice], operations_user: Any
) -> None:
    invoice = issue(drafts["coastal"], operations_user)
    assert (invoice.state, invoice.number, invoice.issued_on) == (
        "issued",
        "2026-0001",
        dt.date(2026, 11, 2),
    )
    assert invoice.due_on == dt.date(2026, 12, 2)
    text = pdf_text(invoice.pdf.read())
    for expected in ("Invoice 2026-0001", "Example Fiscal Sponsor", "on behalf of Example Hubs", "Coastal Ocean",
                     "Operations fee, Research", "123.46", "USD 1623.46", "2026-12-02", "Payment instructions", "cloud cost statement"):  # fmt: skip
        assert expected in text, expected
    email = OutboundEmail.objects.get(key__startswith="invoice-issued:")
    assert email.to == ["rep@coastal.example.edu"]
    # The invoice, and its cloud cost statement (the invoice has a cloud line).
    assert sorted(email.attachments.values_list("filename", flat=True)) == [
        "cloud-statement-2026-0001.csv",
        "cloud-statement-2026-0001.pdf",
        "invoice-2026-0001.pdf",
    ]


def test_numbers_are_gapless_and_a_failed_finalise_takes_none(
    drafts: dict[str, Invoice], operations_user: Any, monkeypatch: Any
) -> None:
    first = issue(drafts["coastal"], operations_user)
    from partnerops.invoicing import documents

    def broken(invoice: Invoice) -> bytes:
        raise RuntimeError("renderer crashed")

    prairie = services.invoice_delivery_confirm(
        token=token_for(
            services.invoice_confirmation_request(actor=None, invoice=drafts["prairie"])
        )
    )
    monkeypatch.setattr(documents, "invoice_pdf", broken)
    with pytest.raises(RuntimeError):
        services.invoice_finalise(actor=operations_user, invoice=prairie)
    assert Invoice.objects.get(pk=prairie.pk).state == InvoiceState.CONFIRMED
    assert Invoice.objects.get(pk=prairie.pk).number == ""
    monkeypatch.undo()
    second = services.invoice_finalise(
        actor=operations_user, invoice=prairie, issued_on=dt.date(2026, 11, 3)
    )
    third = issue(drafts["solo"], operations_user, dt.date(2027, 1, 4))
    assert [first.number, second.number, third.number] == ["2026-0001", "2026-0002", "2027-0001"]
    assert NumberSequence.objects.get(year=2026, kind="invoice").last == 2


def test_an_issued_invoice_never_changes(drafts: dict[str, Invoice], operations_user: Any) -> None:
    invoice = issue(drafts["coastal"], operations_user)
    with pytest.raises(TransitionNotAllowed):
        services.invoice_return_to_draft(actor=operations_user, invoice=invoice)
    with pytest.raises(DomainError, match="return it to draft"):
        services.manual_charge_add(actor=operations_user, organization=invoice.organization, month=MONTH,
                                   kind="adjustment", description="x", quantity=Decimal(1), unit_amount=Decimal(1))  # fmt: skip
    billing_run(actor=None, month=MONTH)
    assert Invoice.objects.get(pk=invoice.pk).lines_digest == invoice.lines_digest


def test_partial_payments_then_paid(drafts: dict[str, Invoice], operations_user: Any) -> None:
    invoice = issue(drafts["coastal"], operations_user)
    services.payment_record(
        actor=operations_user,
        invoice=invoice,
        amount=Decimal("1000.00"),
        received_on=dt.date(2026, 11, 10),
    )
    assert Invoice.objects.get(pk=invoice.pk).state == InvoiceState.ISSUED
    with pytest.raises(ValidationError, match=r"Only USD 623\.46 is left to pay"):
        services.payment_record(
            actor=operations_user,
            invoice=invoice,
            amount=Decimal("700"),
            received_on=dt.date(2026, 11, 11),
        )
    services.payment_record(
        actor=operations_user,
        invoice=invoice,
        amount=Decimal("623.46"),
        received_on=dt.date(2026, 11, 12),
    )
    paid = Invoice.objects.get(pk=invoice.pk)
    assert paid.state == InvoiceState.PAID and paid.paid_at is not None
    assert services.balance(paid) == 0


def test_credit_notes_are_numbered_and_never_exceed_the_invoice(
    drafts: dict[str, Invoice], operations_user: Any
) -> None:
    invoice = issue(drafts["coastal"], operations_user)
    note = services.credit_note_issue(
        actor=operations_user, invoice=invoice, amount=Decimal("123.46"), reason="Cloud restated"
    )
    assert note.number == "CN-2026-0001"
    assert "Credit note CN-2026-0001" in pdf_text(note.pdf.read())
    with pytest.raises(ValidationError, match=r"between 0\.01 and 1,500\.00"):
        services.credit_note_issue(
            actor=operations_user, invoice=invoice, amount=Decimal("1500.01"), reason="too much"
        )
    services.credit_note_issue(
        actor=operations_user, invoice=invoice, amount=Decimal("1500.00"), reason="Waived"
    )
    settled = Invoice.objects.get(pk=invoice.pk)
    assert settled.state == InvoiceState.PAID  # nothing left to pay


def test_void_keeps_the_number_and_reissue_makes_a_new_draft(
    drafts: dict[str, Invoice], operations_user: Any
) -> None:
    invoice = issue(drafts["coastal"], operations_user)
    with pytest.raises(ValidationError):
        services.invoice_void(actor=operations_user, invoice=invoice, reason="")
    voided = services.invoice_void(actor=operations_user, invoice=invoice, reason="Wrong price")
    assert (voided.state, voided.number) == ("void", "2026-0001")
    new = services.invoice_reissue(actor=operations_user, invoice=voided)
    assert new.state == InvoiceState.DRAFT and new.reissue_of == voided and new.number == ""
    assert new.total == voided.total
    with pytest.raises(DomainError, match="already has a live invoice"):
        services.invoice_reissue(actor=operations_user, invoice=voided)
    again = issue(new, operations_user)
    assert again.number == "2026-0002"


def test_a_paid_invoice_cannot_be_voided(drafts: dict[str, Invoice], operations_user: Any) -> None:
    invoice = issue(drafts["coastal"], operations_user)
    services.payment_record(
        actor=operations_user,
        invoice=invoice,
        amount=Decimal("1"),
        received_on=dt.date(2026, 11, 5),
    )
    with pytest.raises(DomainError, match="credit it instead"):
        services.invoice_void(actor=operations_user, invoice=invoice, reason="x")


def test_overdue_reminders_once_per_threshold_and_never_after_payment(
    drafts: dict[str, Invoice], operations_user: Any
) -> None:
    invoice = issue(drafts["coastal"], operations_user)  # due 2026-12-02
    assert services.overdue_reminders_send(dt.date(2026, 12, 8)) == []
    assert services.overdue_reminders_send(dt.date(2026, 12, 9)) == [invoice]
    assert services.overdue_reminders_send(dt.date(2026, 12, 10)) == []
    # Catching up after a long pause sends only the latest threshold passed.
    assert services.overdue_reminders_send(dt.date(2027, 2, 1)) == [invoice]
    keys = set(
        OutboundEmail.objects.filter(key__startswith="invoice-overdue:").values_list(
            "key", flat=True
        )
    )
    assert keys == {f"invoice-overdue:{invoice.pk}:7", f"invoice-overdue:{invoice.pk}:60"}
    services.payment_record(
        actor=operations_user,
        invoice=invoice,
        amount=invoice.total,
        received_on=dt.date(2026, 11, 20),
    )
    assert services.overdue_reminders_send(dt.date(2027, 6, 1)) == []


def test_tick_sends_overdue_reminders(drafts: dict[str, Invoice], operations_user: Any) -> None:
    from partnerops import tick

    invoice = issue(drafts["coastal"], operations_user)
    report = tick.run(dt.date(2026, 12, 9))
    assert report.overdue_reminders == [invoice.number]


def test_turnaround_is_recorded(drafts: dict[str, Invoice], operations_user: Any) -> None:
    from partnerops.invoicing.selectors import turnaround

    invoice = issue(drafts["coastal"], operations_user, issued_on=dt.date(2026, 11, 5))
    services.payment_record(
        actor=operations_user,
        invoice=invoice,
        amount=invoice.total,
        received_on=dt.date(2026, 11, 20),
    )
    result = turnaround(MONTH)
    assert result.month_end_to_issued == 5.0
    assert result.issued == result.paid == result.confirmed == 1
    assert result.sent_to_confirmed is not None and result.sent_to_confirmed < 1


def test_xero_and_generic_exports(drafts: dict[str, Invoice], operations_user: Any) -> None:
    invoice = issue(drafts["coastal"], operations_user)
    services.credit_note_issue(actor=operations_user, invoice=invoice, amount=Decimal("23.46"), reason="Goodwill",
                               issued_on=dt.date(2026, 11, 6))  # fmt: skip
    xero = exports.export_csv("xero", dt.date(2026, 11, 1), dt.date(2026, 11, 30)).splitlines()
    assert (
        xero[0]
        == "ContactName,InvoiceNumber,InvoiceDate,DueDate,Description,Quantity,UnitAmount,AccountCode,TaxType,Currency"
    )
    assert (
        xero[1]
        == 'Coastal Ocean,2026-0001,02/11/2026,02/12/2026,"Operations fee, Research, October 2026",1,1500.00,4224,Tax Exempt,USD'
    )
    assert xero[2].startswith(
        'Coastal Ocean,2026-0001,02/11/2026,02/12/2026,"Cloud costs, hub ocean'
    )
    assert (
        xero[3]
        == "Coastal Ocean,CN-2026-0001,06/11/2026,06/11/2026,Credit for 2026-0001: Goodwill,1,-23.46,4224,Tax Exempt,USD"
    )
    generic = exports.export_csv(
        "generic", dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    ).splitlines()
    assert generic[0].startswith("document,number,state,issued_on")
    assert len(generic) == 4
    assert exports.export_csv("xero", dt.date(2026, 12, 1), dt.date(2026, 12, 31)).count("\n") == 1


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amounts=st.lists(
        st.decimals(min_value=Decimal("-500"), max_value=Decimal("5000"), places=2),
        min_size=0,
        max_size=6,
    ),
    credit_cents=st.lists(st.integers(min_value=1, max_value=900_000), max_size=5),
)
def test_totals_equal_the_lines_and_credits_never_exceed_the_invoice(
    drafts: dict[str, Invoice],
    operations_user: Any,
    amounts: list[Decimal],
    credit_cents: list[int],
) -> None:
    from django.db import transaction

    with transaction.atomic():
        sid = transaction.savepoint()
        organization = drafts["prairie"].organization
        for amount in amounts:
            services.manual_charge_add(actor=operations_user, organization=organization, month=MONTH,
                                       kind="adjustment", description="x", quantity=Decimal("1.5"), unit_amount=amount)  # fmt: skip
        invoice = Invoice.objects.get(organization=organization, month=MONTH)
        assert invoice.total == sum((line.amount for line in invoice.lines.all()), Decimal(0))
        if invoice.total > 0:
            invoice = issue(invoice, operations_user)
            for cents in credit_cents:
                amount = Decimal(cents) / 100
                available = invoice.total - services.credited(invoice)
                if amount > available:
                    with pytest.raises(ValidationError):
                        services.credit_note_issue(
                            actor=operations_user, invoice=invoice, amount=amount, reason="r"
                        )
                else:
                    services.credit_note_issue(
                        actor=operations_user, invoice=invoice, amount=amount, reason="r"
                    )
                assert services.credited(invoice) <= invoice.total
        transaction.savepoint_rollback(sid)
