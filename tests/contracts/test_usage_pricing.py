"""The usage fee in bands (domain facts), at the band edges, and the price book's
usage prices: versions, validation, which price a month is charged at."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from partnerops.contracts import services
from partnerops.contracts.models import UsagePricing
from partnerops.contracts.usage_pricing import (
    DEFAULT_BANDS,
    parse_bands,
    pricing_in_effect,
    usage_fee,
)

BANDS = parse_bands(DEFAULT_BANDS)


@pytest.mark.parametrize(
    ("users", "amount"),
    [
        (0, "0.00"),
        (1, "10.00"),
        (10, "100.00"),  # 10 x 10.00
        (11, "105.00"),  # 100.00 + 1 x 5.00
        (100, "550.00"),  # 100.00 + 90 x 5.00
        (101, "552.50"),  # 550.00 + 1 x 2.50
        (1000, "2800.00"),  # 550.00 + 900 x 2.50
        (1001, "2801.25"),  # 2,800.00 + 1 x 1.25
        (10000, "14050.00"),  # 2,800.00 + 9,000 x 1.25
        (10001, "14050.00"),  # above 10,000 users are free
        (250000, "14050.00"),
    ],
)
def test_the_fee_at_the_band_edges(users: int, amount: str) -> None:
    assert usage_fee(users, BANDS).amount == Decimal(amount)


def test_the_breakdown_names_each_band_used() -> None:
    fee = usage_fee(105, BANDS)
    assert fee.breakdown("USD") == (
        "users 1-10: 10 x USD 10.00; users 11-100: 90 x USD 5.00; users 101-1000: 5 x USD 2.50"
    )
    assert sum(charge.users for charge in fee.charges) == 105


@given(st.integers(min_value=0, max_value=50_000), st.integers(min_value=0, max_value=5_000))
def test_the_fee_never_decreases_with_more_users(users: int, more: int) -> None:
    assert usage_fee(users + more, BANDS).amount >= usage_fee(users, BANDS).amount


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=500),
            st.decimals(min_value=0, max_value=100, places=2),
        ),
        min_size=0,
        max_size=5,
    ),
    st.decimals(min_value=0, max_value=100, places=2),
    st.integers(min_value=0, max_value=5_000),
)
def test_any_valid_bands_price_every_user_once(
    widths: list[tuple[int, Decimal]], last: Decimal, users: int
) -> None:
    edge, raw = 0, []
    for width, unit in widths:
        edge += width
        raw.append({"up_to": edge, "unit_amount": str(unit)})
    raw.append({"up_to": None, "unit_amount": str(last)})
    fee = usage_fee(users, parse_bands(raw))
    assert sum(charge.users for charge in fee.charges) == users
    assert fee.amount == sum((c.band.unit_amount * c.users for c in fee.charges), Decimal(0))


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([], "A list of bands"),
        ([{"up_to": 10, "unit_amount": "1.00"}], "The last band is open-ended"),
        ([{"up_to": None, "unit_amount": "1"}, {"up_to": None, "unit_amount": "1"}], "band 1: only the last"),
        ([{"up_to": 10, "unit_amount": "1"}, {"up_to": 10, "unit_amount": "1"}, {"up_to": None, "unit_amount": "0"}],
         "band 2: up_to 10 is not above the previous band's 10"),
        ([{"up_to": None, "unit_amount": "-1"}], "band 1: unit_amount is an amount of 0 or more"),
        ([{"up_to": None, "unit_amount": "1.001"}], "at most two decimals"),
        ([{"up_to": None, "unit_amount": "ten"}], "band 1: unit_amount 'ten' is not an amount"),
        ([{"up_to": "10", "unit_amount": "1"}, {"up_to": None, "unit_amount": "0"}], "band 1: up_to is a whole number"),
        ([{"up_to": None}], "band 1: give up_to and unit_amount"),
    ],
)  # fmt: skip
def test_bad_bands_are_refused_naming_the_band(bands: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_bands(bands)


@pytest.mark.django_db
def test_the_seeded_usage_price_has_the_facts_bands() -> None:
    seeded = UsagePricing.objects.get(code="mau", version=1)
    assert seeded.bands == DEFAULT_BANDS and seeded.currency == "USD"


@pytest.mark.django_db
def test_a_new_version_applies_from_its_date_and_ends_the_previous() -> None:
    first = UsagePricing.objects.get(code="mau", version=1)
    bands = [{"up_to": 10, "unit_amount": "12.00"}, {"up_to": None, "unit_amount": "6.00"}]
    second = services.usage_pricing_reprice(
        actor=None, pricing=first, effective_from=dt.date(2027, 1, 1), bands=bands
    )
    first.refresh_from_db()
    assert first.effective_until == dt.date(2026, 12, 31)
    assert pricing_in_effect("mau", dt.date(2026, 12, 1)) == first
    assert pricing_in_effect("mau", dt.date(2027, 1, 1)) == second
    assert pricing_in_effect("mau", dt.date(2024, 12, 1)) is None
    with pytest.raises(ValidationError, match="must start after 2027-01-01"):
        services.usage_pricing_reprice(
            actor=None, pricing=second, effective_from=dt.date(2026, 6, 1), bands=bands
        )


@pytest.mark.django_db
def test_a_tier_names_a_usage_price_that_exists() -> None:
    values = dict(
        name="Metered", kind="research", monthly_fee=Decimal("100"), annual_fee=Decimal("1200"),
        engineer_fte_per_hub=Decimal("0.05"), hubs_per_engineer=Decimal("20"),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="No usage price 'nope'"):
        services.tier_create(actor=None, code="metered", effective_from=dt.date(2026, 1, 1),
                             usage_pricing_code="nope", **values)  # fmt: skip
    tier = services.tier_create(actor=None, code="metered", effective_from=dt.date(2026, 1, 1),
                                usage_pricing_code="mau", **values)  # fmt: skip
    new = services.tier_reprice(actor=None, tier=tier, effective_from=dt.date(2027, 1, 1),
                                monthly_fee=Decimal("110"), annual_fee=Decimal("1320"))  # fmt: skip
    assert new.usage_pricing_code == "mau"
