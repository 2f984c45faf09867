"""Usage fees in the billing run: a line per hub whose agreement charges for usage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from partnerops.contracts import services as contracts
from partnerops.contracts.models import Agreement, AgreementKind, ServiceTier, UsagePricing
from partnerops.invoicing.models import Invoice, LineKind
from partnerops.invoicing.run import billing_run
from partnerops.usage import services as usage
from partnerops.usage.models import UsagePull
from tests.factories import prospect
from tests.invoicing.conftest import MONTH, add_costs, ensure_price_book, make_community

pytestmark = pytest.mark.django_db


def import_usage(rows: str, name: str = "usage.csv") -> None:
    usage.usage_import_csv(
        actor=None, content=f"month,hub,active_users\n{rows}".encode(), file_name=name
    )


@pytest.fixture
def metered(partnerships_user: Any) -> Agreement:
    """Coastal Ocean on the research tier, which now charges the seeded usage price."""
    make_community(partnerships_user, "Prairie College", tier="education", hub="prairie")
    ServiceTier.objects.filter(code="research").update(usage_pricing_code="mau")
    agreement = make_community(partnerships_user, "Coastal Ocean", hub="ocean")
    add_costs(MONTH, {"ocean": "123.456", "prairie": "10.00"})
    return agreement


def usage_line(name: str = "Coastal Ocean") -> Any:
    return Invoice.objects.get(organization__name=name, month=MONTH).lines.get(
        kind=LineKind.USAGE_FEE
    )


def test_the_run_adds_a_usage_line_with_the_band_breakdown(metered: Agreement) -> None:
    import_usage(f"{MONTH},ocean,105\n{MONTH},prairie,40\n")
    run = billing_run(actor=None, month=MONTH)
    assert run.blocked == [] and run.created == 2
    line = usage_line()
    # 10 x 10.00 + 90 x 5.00 + 5 x 2.50
    assert (line.quantity, line.amount, line.account_code) == (
        Decimal(105),
        Decimal("562.50"),
        "4223",
    )
    assert line.description == (
        "Usage fee, hub ocean, 2026-10: 105 monthly active users (users 1-10: 10 x USD 10.00; "
        "users 11-100: 90 x USD 5.00; users 101-1000: 5 x USD 2.50)"
    )
    assert line.details["usage"]["bands"][2] == {
        "first": 101, "last": 1000, "users": 5, "unit_amount": "2.50", "amount": "12.50",
    }  # fmt: skip
    invoice = line.invoice
    assert invoice.total == Decimal("1500.00") + Decimal("123.46") + Decimal("562.50")
    # The education tier charges no usage fee.
    prairie = Invoice.objects.get(organization__name="Prairie College", month=MONTH)
    assert not prairie.lines.filter(kind=LineKind.USAGE_FEE).exists()


def test_missing_usage_blocks_the_community_with_a_plain_reason(metered: Agreement) -> None:
    run = billing_run(actor=None, month=MONTH)
    blocked = {item["organization"]: item["reasons"] for item in run.blocked}
    assert blocked == {
        "Coastal Ocean": ["usage for hub ocean is not yet pulled or imported for 2026-10"]
    }
    assert Invoice.objects.filter(organization__name="Prairie College").exists()


def test_a_running_view_pulled_before_month_end_blocks(metered: Agreement) -> None:
    import_usage(f"{MONTH},ocean,105\n")
    UsagePull.objects.update(partial_month=True)
    run = billing_run(actor=None, month=MONTH)
    assert run.blocked[0]["reasons"] == [
        "usage for hub ocean was pulled before 2026-10 ended; pull the month again"
    ]


def test_usage_lines_are_idempotent_and_follow_a_new_pull(metered: Agreement) -> None:
    import_usage(f"{MONTH},ocean,105\n")
    first = billing_run(actor=None, month=MONTH)
    again = billing_run(actor=None, month=MONTH)
    assert (again.created, again.refreshed, again.unchanged) == (0, 0, first.created)
    assert (
        Invoice.objects.get(organization__name="Coastal Ocean")
        .lines.filter(kind=LineKind.USAGE_FEE)
        .count()
        == 1
    )
    import_usage(f"{MONTH},ocean,11\n", name="restated.csv")  # the month restated: replaced
    refreshed = billing_run(actor=None, month=MONTH)
    assert refreshed.refreshed == 1
    assert (usage_line().quantity, usage_line().amount) == (Decimal(11), Decimal("105.00"))


def test_an_agreement_overrides_or_waives_the_tiers_usage_price(metered: Agreement) -> None:
    import_usage(f"{MONTH},ocean,20\n")
    negotiated = contracts.usage_pricing_create(
        actor=None, code="ocean-deal", name="Ocean's negotiated usage", effective_from=dt.date(2026, 1, 1),
        bands=[{"up_to": None, "unit_amount": "1.00"}],
    )  # fmt: skip
    Agreement.objects.filter(pk=metered.pk).update(usage_pricing=negotiated)
    billing_run(actor=None, month=MONTH)
    assert usage_line().amount == Decimal("20.00")
    Agreement.objects.filter(pk=metered.pk).update(usage_fee_waived=True)
    billing_run(actor=None, month=MONTH)
    assert (
        not Invoice.objects.get(organization__name="Coastal Ocean")
        .lines.filter(kind=LineKind.USAGE_FEE)
        .exists()
    )


def test_no_usage_price_in_effect_blocks(metered: Agreement) -> None:
    import_usage(f"{MONTH},ocean,20\n")
    UsagePricing.objects.filter(code="mau").update(effective_from=dt.date(2027, 1, 1))
    run = billing_run(actor=None, month=MONTH)
    assert run.blocked[0]["reasons"] == [
        "hub ocean: no usage price 'mau' applies on 2026-10-01 (the price book)"
    ]


def test_an_override_in_another_currency_is_refused() -> None:
    ensure_price_book()
    euro = contracts.usage_pricing_create(
        actor=None, code="eur", name="Euro usage", currency="EUR", effective_from=dt.date(2026, 1, 1),
        bands=[{"up_to": None, "unit_amount": "1.00"}],
    )  # fmt: skip
    engagement = prospect(None, "Coastal Ocean")
    with pytest.raises(ValidationError, match="The usage price is in EUR, the agreement in USD"):
        contracts.agreement_create(
            actor=None, engagement=engagement, tier=contracts.current_tier("research", dt.date(2026, 9, 1)),
            kind=AgreementKind.EMAIL_CONFIRMATION, start_on=dt.date(2026, 9, 1), usage_pricing=euro,
        )  # fmt: skip
