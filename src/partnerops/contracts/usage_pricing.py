"""The usage fee: monthly active users priced in bands (domain facts: the first 10 at
$10.00 each, 11-100 at $5.00, 101-1000 at $2.50, 1001-10000 at $1.25, above at $0).

Bands are graduated, as tax brackets are: each band prices only the users that fall in
it, so the fee never drops when one more person uses the hub.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from partnerops.contracts.models import Agreement, UsagePricing
from partnerops.core.money import round_cents

# The facts' bands, the seeded default (migration 0005 writes the same).
DEFAULT_BANDS: list[dict[str, Any]] = [
    {"up_to": 10, "unit_amount": "10.00"},
    {"up_to": 100, "unit_amount": "5.00"},
    {"up_to": 1000, "unit_amount": "2.50"},
    {"up_to": 10000, "unit_amount": "1.25"},
    {"up_to": None, "unit_amount": "0.00"},
]


@dataclass(frozen=True)
class Band:
    first: int  # the first user this band prices (1-based)
    last: int | None  # the last, or None for every user above
    unit_amount: Decimal


@dataclass(frozen=True)
class BandCharge:
    band: Band
    users: int
    amount: Decimal

    def describe(self, currency: str) -> str:
        last = "" if self.band.last is None else f"-{self.band.last}"
        return f"users {self.band.first}{last}: {self.users} x {currency} {self.band.unit_amount}"


@dataclass(frozen=True)
class UsageFee:
    users: int
    amount: Decimal
    charges: tuple[BandCharge, ...]

    def breakdown(self, currency: str) -> str:
        return "; ".join(charge.describe(currency) for charge in self.charges if charge.users)


def parse_bands(raw: Any) -> tuple[Band, ...]:
    """The stored bands, checked: ascending edges, the last open-ended, amounts >= 0 with
    at most two decimals. ValidationError on the bands field, naming the band."""
    if not isinstance(raw, list) or not raw:
        raise ValidationError(
            {"bands": "A list of bands, e.g. [{'up_to': 10, 'unit_amount': '10.00'}, ...]."}
        )
    bands: list[Band] = []
    first = 1
    for number, item in enumerate(raw, start=1):
        where = f"band {number}"
        if not isinstance(item, dict) or set(item) != {"up_to", "unit_amount"}:
            raise ValidationError({"bands": f"{where}: give up_to and unit_amount, nothing else."})
        last = item["up_to"]
        if last is not None and (not isinstance(last, int) or isinstance(last, bool)):
            raise ValidationError({"bands": f"{where}: up_to is a whole number of users or null."})
        if last is not None and last < first:
            raise ValidationError(
                {"bands": f"{where}: up_to {last} is not above the previous band's {first - 1}."}
            )
        if last is None and number != len(raw):
            raise ValidationError({"bands": f"{where}: only the last band is open-ended."})
        try:
            unit = Decimal(str(item["unit_amount"]))
        except InvalidOperation:
            raise ValidationError(
                {"bands": f"{where}: unit_amount {item['unit_amount']!r} is not an amount."}
            ) from None
        if not unit.is_finite() or unit < 0 or unit != unit.quantize(Decimal("0.01")):
            raise ValidationError(
                {
                    "bands": f"{where}: unit_amount is an amount of 0 or more with at most two decimals."
                }
            )
        bands.append(Band(first, last, unit.quantize(Decimal("0.01"))))
        if last is not None:
            first = last + 1
    if bands[-1].last is not None:
        raise ValidationError(
            {"bands": "The last band is open-ended (up_to null): it prices every user above."}
        )
    return tuple(bands)


def usage_fee(users: int, bands: tuple[Band, ...]) -> UsageFee:
    """The fee for ``users`` monthly active users: each band's users at its price."""
    if users < 0:
        raise ValueError("A number of users is not negative.")
    charges = []
    for band in bands:
        top = users if band.last is None else min(users, band.last)
        count = max(0, top - band.first + 1)
        charges.append(BandCharge(band, count, round_cents(band.unit_amount * count)))
    return UsageFee(users, sum((c.amount for c in charges), Decimal("0.00")), tuple(charges))


def pricing_in_effect(code: str, day: dt.date) -> UsagePricing | None:
    for pricing in UsagePricing.objects.filter(code=code, effective_from__lte=day).order_by(
        "-version"
    ):
        if pricing.applies_on(day):
            return pricing
    return None


@dataclass(frozen=True)
class UsageTerms:
    """Whether and at what price an agreement charges for usage in a month."""

    pricing: UsagePricing | None
    reason: str = ""  # why there is no price although one is wanted

    @property
    def charges(self) -> bool:
        return self.pricing is not None


def usage_terms(agreement: Agreement, first_day: dt.date) -> UsageTerms | None:
    """None when the agreement does not charge for usage; else the price for the month
    (the agreement's own, else the tier's code's version in effect on its first day)."""
    if agreement.usage_fee_waived:
        return None
    if agreement.usage_pricing_id is not None:
        return UsageTerms(agreement.usage_pricing)
    code = agreement.tier.usage_pricing_code
    if not code:
        return None
    pricing = pricing_in_effect(code, first_day)
    if pricing is None:
        return UsageTerms(
            None, f"no usage price {code!r} applies on {first_day:%Y-%m-%d} (the price book)"
        )
    return UsageTerms(pricing)
