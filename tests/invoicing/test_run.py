"""The monthly billing run: lines, proration, prerequisites, idempotency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from partnerops.contracts import services as contracts
from partnerops.contracts.models import Agreement, DeliveryBasis, Proration
from partnerops.core.models import AuditEvent
from partnerops.crm.models import Contact
from partnerops.invoicing import services
from partnerops.invoicing.models import BillingRun, Invoice, InvoiceState, LineKind
from partnerops.invoicing.plan import MonthError, fee_line, parse_month
from partnerops.invoicing.run import billing_run
from partnerops.outbox.models import OutboundEmail
from tests.invoicing.conftest import MONTH, add_costs, issue, make_community

pytestmark = pytest.mark.django_db


def lines_of(invoice: Invoice) -> list[tuple[str, str, Decimal]]:
    return [
        (line.kind, line.account_code, line.amount) for line in invoice.lines.order_by("position")
    ]


def test_a_run_drafts_each_community_with_fee_cloud_spend_and_account_codes(
    world: dict[str, Agreement], partnerships_user: Any
) -> None:
    run = billing_run(actor=partnerships_user, month=MONTH)
    assert (run.created, run.refreshed, run.unchanged, run.blocked) == (3, 0, 0, [])
    ocean = Invoice.objects.get(organization__name="Coastal Ocean", month=MONTH)
    assert ocean.state == InvoiceState.DRAFT
    assert lines_of(ocean) == [
        (LineKind.OPERATIONS_FEE, "4224", Decimal("1500.00")),
        # Pass-through at cost, rounded by the cost report's largest remainder.
        (LineKind.CLOUD_COSTS, "4222", Decimal("123.46")),
    ]
    assert ocean.total == Decimal("1623.46")
    assert ocean.confirmation_required is True
    assert ocean.billing_contact is not None and ocean.representative is not None


def test_by_day_proration_for_a_service_starting_mid_month(world: dict[str, Agreement]) -> None:
    billing_run(actor=None, month=MONTH)
    prairie = Invoice.objects.get(organization__name="Prairie College")
    fee = prairie.lines.get(kind=LineKind.OPERATIONS_FEE)
    # 1,000.00 x 15 of 31 days = 483.870..., rounded half up to the cent.
    assert fee.amount == Decimal("483.87")
    assert "15 of 31 days (2026-10-17 to 2026-10-31)" in fee.description
    assert prairie.lines.get(kind=LineKind.CLOUD_COSTS).amount == Decimal("10.00")


def test_whole_month_proration_bills_the_full_fee(partnerships_user: Any) -> None:
    agreement = make_community(partnerships_user, "Late Starter", tier="education",
                               start=dt.date(2026, 10, 30), proration=Proration.WHOLE_MONTH)  # fmt: skip
    first, last = parse_month(MONTH)
    line = fee_line(agreement, first, last)
    assert line is not None and line.amount == Decimal("1000.00")


def test_a_terminated_service_is_billed_to_its_last_day(partnerships_user: Any) -> None:
    agreement = make_community(partnerships_user, "Short Lived", tier="education")
    contracts.agreement_transition(actor=partnerships_user, agreement=agreement, state="ended",
                                   end_reason="terminated", on=dt.date(2026, 10, 10))  # fmt: skip
    billing_run(actor=None, month=MONTH)
    fee = Invoice.objects.get(organization__name="Short Lived").lines.get()
    assert fee.amount == Decimal("322.58")  # 1,000 x 10 / 31
    # And nothing for November: the service had ended.
    billing_run(actor=None, month="2026-11")
    assert not Invoice.objects.filter(organization__name="Short Lived", month="2026-11").exists()


def test_annual_agreements_are_billed_in_full_in_the_month_each_year_begins(
    partnerships_user: Any,
) -> None:
    agreement = make_community(partnerships_user, "Yearly", tier="education",
                               start=dt.date(2026, 10, 5), billing_period="annual")  # fmt: skip
    assert fee_line(agreement, *parse_month("2026-10")).amount == Decimal("12000.00")  # type: ignore[union-attr]
    assert fee_line(agreement, *parse_month("2026-11")) is None


def test_dedicated_markup_only_where_the_tier_says_so(
    world: dict[str, Agreement], partnerships_user: Any
) -> None:
    billing_run(actor=None, month=MONTH)
    solo = Invoice.objects.get(organization__name="Solo Institute")
    assert [line.kind for line in solo.lines.all()] == [
        LineKind.OPERATIONS_FEE,
        LineKind.CLOUD_COSTS,
    ]
    tier = world["solo"].tier
    tier.cloud_markup_on_dedicated = True
    tier.save()
    billing_run(actor=None, month=MONTH)
    markup = solo.lines.get(kind=LineKind.DEDICATED_MARKUP)
    assert markup.amount == Decimal("250.00")  # 50% of 500.00
    assert markup.account_code == "4224"
    solo.refresh_from_db()
    assert solo.total == Decimal("4166.67") + Decimal("500.00") + Decimal("250.00")


def test_no_cloud_line_when_we_do_not_pay_the_bill(world: dict[str, Agreement]) -> None:
    hub = world["ocean"].hubs.get()
    hub.we_pay_cloud_bill = False
    hub.save()
    billing_run(actor=None, month=MONTH)
    ocean = Invoice.objects.get(organization__name="Coastal Ocean")
    assert [line.kind for line in ocean.lines.all()] == [LineKind.OPERATIONS_FEE]


def test_blocked_communities_are_listed_with_plain_reasons(
    world: dict[str, Agreement], partnerships_user: Any
) -> None:
    # No billing contact and no representative.
    Contact.objects.filter(organization__name="Coastal Ocean").update(
        is_billing_contact=False, is_community_representative=False
    )
    Agreement.objects.filter(pk=world["ocean"].pk).update(billing_contact=None)
    # No confirmation of price.
    Agreement.objects.filter(pk=world["prairie"].pk).update(price_confirmed_on=None)
    # Contract basis without an executed contract.
    Agreement.objects.filter(pk=world["solo"].pk).update(delivery_basis=DeliveryBasis.CONTRACT)
    run = billing_run(actor=None, month=MONTH)
    reasons = {item["organization"]: item["reasons"] for item in run.blocked}
    assert reasons["Coastal Ocean"] == [
        "no community representative to confirm delivery each month",
        "no billing contact",
    ]
    assert reasons["Prairie College"] == [
        f"agreement #{world['prairie'].pk}: no confirmation of the tier at its price"
    ]
    assert "no executed contract is recorded" in reasons["Solo Institute"][0]
    assert Invoice.objects.count() == 0
    assert "Blocked (not drafted):" in run.summary and "no billing contact" in run.summary


def test_costs_not_imported_block_the_community(partnerships_user: Any) -> None:
    make_community(partnerships_user, "Costless", hub="costless")
    run = billing_run(actor=None, month=MONTH)
    assert run.blocked[0]["reasons"] == [
        "cloud costs for hub costless are not yet imported for 2026-10"
    ]
    add_costs(MONTH, {"costless": "1.00"})
    run = billing_run(actor=None, month=MONTH)
    assert run.blocked == [] and run.created == 1


def test_costs_in_another_currency_block_rather_than_mix(partnerships_user: Any) -> None:
    make_community(partnerships_user, "Euro Lab", hub="eurolab")
    add_costs(MONTH, {"eurolab": "5.00"}, currency="EUR")
    run = billing_run(actor=None, month=MONTH)
    assert run.blocked[0]["reasons"] == [
        "cloud costs for hub eurolab are in EUR, the agreement in USD"
    ]


def test_a_rerun_never_adds_invoices_and_refreshes_only_what_changed(
    world: dict[str, Agreement], django_assert_max_num_queries: Any
) -> None:
    billing_run(actor=None, month=MONTH)
    ids = set(Invoice.objects.values_list("id", flat=True))
    again = billing_run(actor=None, month=MONTH)
    assert (again.created, again.refreshed, again.unchanged) == (0, 0, 3)
    assert set(Invoice.objects.values_list("id", flat=True)) == ids
    # Restated costs for one hub: only that draft is rewritten.
    add_costs(MONTH, {"ocean": "1.00"})
    third = billing_run(actor=None, month=MONTH)
    assert (third.created, third.refreshed, third.unchanged) == (0, 1, 2)
    ocean = Invoice.objects.get(organization__name="Coastal Ocean")
    assert ocean.lines.get(kind=LineKind.CLOUD_COSTS).amount == Decimal("124.46")
    assert Invoice.objects.count() == 3


def test_the_run_query_count_does_not_grow_with_communities(
    partnerships_user: Any, django_assert_max_num_queries: Any
) -> None:
    def queries_for(count: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for n in range(count):
            make_community(partnerships_user, f"Scale {count}-{n}", hub=f"scale-{count}-{n}")
            add_costs(MONTH, {f"scale-{count}-{n}": "2.00"})
        billing_run(actor=None, month=MONTH)  # warms caches (content types, the profile)
        Invoice.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            billing_run(actor=None, month=MONTH)
        return len(captured.captured_queries)

    assert queries_for(2) == queries_for(6)


def test_a_voided_month_is_not_redrafted_by_the_run(
    world: dict[str, Agreement], operations_user: Any
) -> None:
    billing_run(actor=None, month=MONTH)
    invoice = Invoice.objects.get(organization__name="Solo Institute")
    invoice = issue(invoice, operations_user)
    services.invoice_void(actor=operations_user, invoice=invoice, reason="wrong tier")
    run = billing_run(actor=None, month=MONTH)
    assert run.created == 0
    assert {item["organization"] for item in run.blocked} == {"Solo Institute"}
    assert Invoice.objects.filter(organization__name="Solo Institute").count() == 1


def test_drafts_of_communities_no_longer_billable_are_removed(world: dict[str, Agreement]) -> None:
    billing_run(actor=None, month=MONTH)
    Agreement.objects.filter(pk=world["ocean"].pk).update(price_confirmed_on=None)
    run = billing_run(actor=None, month=MONTH)
    assert run.removed == 1
    assert not Invoice.objects.filter(organization__name="Coastal Ocean").exists()


def test_the_summary_goes_to_operations_once_with_each_communitys_lines(
    world: dict[str, Agreement], partnerships_user: Any
) -> None:
    run = billing_run(actor=partnerships_user, month=MONTH)
    summary = OutboundEmail.objects.get(key=f"billing-run:{run.pk}")
    assert summary.to == ["operations@sponsor.example.org"]
    assert summary.cc == ["partnerships@example.org"]
    assert "Coastal Ocean — USD 1,623.46" in summary.body
    assert "4222  Cloud costs, hub ocean, 2026-10 (at cost): 123.46" in summary.body
    attachment = summary.attachments.get()
    assert attachment.filename == "billing-2026-10.csv"
    assert b"Coastal Ocean,USD,4222,cloud_costs" in attachment.file.read()
    # A re-run with nothing new sends nothing more; the run and its summary are kept.
    billing_run(actor=partnerships_user, month=MONTH)
    assert OutboundEmail.objects.filter(key__startswith="billing-run:").count() == 1
    assert BillingRun.objects.filter(month=MONTH).count() == 2
    assert AuditEvent.objects.filter(action="billing_run").count() == 2
    assert mail.outbox == []  # queued, not sent inside the run


def test_manual_charges_appear_on_the_draft_and_survive_refreshes(
    world: dict[str, Agreement], operations_user: Any
) -> None:
    billing_run(actor=None, month=MONTH)
    ocean = world["ocean"].engagement.organization
    services.manual_charge_add(actor=operations_user, organization=ocean, month=MONTH,
                               kind=LineKind.SUPPORT_HOURS, description="Support hours, October",
                               quantity=Decimal("3"), unit_amount=Decimal("250.00"))  # fmt: skip
    invoice = Invoice.objects.get(organization=ocean)
    assert lines_of(invoice)[-1] == (LineKind.SUPPORT_HOURS, "4224", Decimal("750.00"))
    billing_run(actor=None, month=MONTH)
    assert invoice.lines.count() == 3
    assert Invoice.objects.get(pk=invoice.pk).total == Decimal("2373.46")


def test_a_bad_month_is_named() -> None:
    with pytest.raises(MonthError, match="'2026-13' is not a month; write it as YYYY-MM"):
        billing_run(actor=None, month="2026-13")
    assert not BillingRun.objects.exists()
