"""Grant figures the measures read (issue 10): applied per year, success rate, awarded
funding per year and currency, and the pending amount weighted by probability."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from partnerops.core.money import round_cents
from partnerops.grants.models import Grant
from partnerops.grants.states import DECIDED, PENDING, WON


@dataclass
class GrantYear:
    year: int
    applied: int = 0
    decided: int = 0
    won: int = 0
    awarded: dict[str, Decimal] = field(default_factory=dict)

    @property
    def success_rate(self) -> Decimal | None:
        """Awarded / decided; None when nothing was decided (not a made-up 0%)."""
        return (
            (Decimal(self.won) / self.decided).quantize(Decimal("0.0001")) if self.decided else None
        )


def grant_years() -> list[GrantYear]:
    """Per year: applications (by submission), decisions and awards (by decision date)."""
    years: dict[int, GrantYear] = {}

    def year(number: int) -> GrantYear:
        return years.setdefault(number, GrantYear(number))

    for grant in Grant.objects.all():
        if grant.submitted_on:
            year(grant.submitted_on.year).applied += 1
        if grant.state in DECIDED and grant.decision_on:
            item = year(grant.decision_on.year)
            item.decided += 1
            if grant.state in WON:
                item.won += 1
                item.awarded[grant.currency] = item.awarded.get(grant.currency, Decimal(0)) + (
                    grant.amount_awarded or Decimal(0)
                )
    return [years[key] for key in sorted(years)]


def pending_weighted() -> dict[str, Decimal]:
    """Open opportunities: expected (else requested) amount x probability, per currency."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for grant in Grant.objects.filter(state__in=PENDING):
        amount = (
            grant.amount_expected if grant.amount_expected is not None else grant.amount_requested
        )
        totals[grant.currency] += amount * grant.probability / 100
    return {code: round_cents(value) for code, value in sorted(totals.items())}
