"""Delivery capacity and the check "costs <= amount sold <= delivery capacity" (seed 000),
per month, from the team's assignments, the price book and the hubs in service.

- Engineering FTE: the FTE of assignments in engineering roles, prorated by day.
- Capacity per tier: engineering FTE x the tier's hubs per engineer (the version in
  effect on the month's first day): how many hubs of that tier the team could run.
- Sold: the hubs in service in the month by their agreement's tier, each consuming
  the tier's engineer FTE per hub; headroom = FTE available - FTE sold.
- Costs: the team's cost for the month (``team.pay``); amount sold: a twelfth of the
  yearly price of each agreement in service in the month. Per currency, never added.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from partnerops.contracts.models import BillingPeriod, ServiceTier
from partnerops.core.money import round_cents
from partnerops.hubs.models import Hub
from partnerops.invoicing.lines import hub_in_service
from partnerops.invoicing.plan import agreements_in_service
from partnerops.team.models import Assignment, PayScale
from partnerops.team.pay import covered_days, month_bounds, month_cost, team_cost

FTE = Decimal("0.001")


@dataclass(frozen=True)
class TierCapacity:
    code: str
    name: str
    hubs_per_engineer: Decimal
    engineer_fte_per_hub: Decimal
    capacity_hubs: Decimal  # hubs of this tier the engineering FTE could run
    hubs_sold: int
    fte_sold: Decimal


@dataclass
class MonthCapacity:
    month: str
    engineering_fte: Decimal
    fte_sold: Decimal
    tiers: list[TierCapacity]
    unsold_hubs: list[str]  # in service without an agreement: no tier to weigh them by
    team_cost: dict[str, Decimal] = field(default_factory=dict)
    amount_sold: dict[str, Decimal] = field(default_factory=dict)

    @property
    def headroom(self) -> Decimal:
        return self.engineering_fte - self.fte_sold

    @property
    def sold_within_capacity(self) -> bool:
        return self.fte_sold <= self.engineering_fte

    def costs_within_sold(self) -> dict[str, bool]:
        """Per currency: is the team's cost covered by what is sold?"""
        currencies = set(self.team_cost) | set(self.amount_sold)
        return {
            code: self.team_cost.get(code, Decimal(0)) <= self.amount_sold.get(code, Decimal(0))
            for code in sorted(currencies)
        }


def engineering_fte(assignments: list[Assignment], month: str) -> Decimal:
    first, last = month_bounds(month)
    month_days = (last - first).days + 1
    total = sum(
        (
            item.fte * len(covered_days(item, first, last)) / month_days
            for item in assignments
            if item.role.engineering
        ),
        Decimal(0),
    )
    return total.quantize(FTE)


def _tiers_on(day: object) -> list[ServiceTier]:
    current: dict[str, ServiceTier] = {}
    for tier in ServiceTier.objects.order_by("code", "-version"):
        if tier.applies_on(day) and tier.code not in current:  # type: ignore[arg-type]
            current[tier.code] = tier
    return list(current.values())


def month_capacity(month: str) -> MonthCapacity:
    first, last = month_bounds(month)
    assignments = list(
        Assignment.objects.filter(start_on__lte=last)
        .exclude(end_on__lt=first)
        .select_related("role", "person")
    )
    fte = engineering_fte(assignments, month)
    sold: dict[str, list[Hub]] = defaultdict(list)
    unsold = []
    fte_sold = Decimal(0)
    hubs = Hub.objects.select_related("agreement__tier").order_by("name")
    for hub in hubs:
        if not hub_in_service(hub, first, last):
            continue
        if hub.agreement is None:
            unsold.append(hub.name)
            continue
        sold[hub.agreement.tier.code].append(hub)
        fte_sold += hub.agreement.tier.engineer_fte_per_hub
    tiers = []
    for tier in _tiers_on(first):
        sold_here = sold.get(tier.code, [])
        tiers.append(
            TierCapacity(
                tier.code,
                tier.name,
                tier.hubs_per_engineer,
                tier.engineer_fte_per_hub,
                (fte * tier.hubs_per_engineer).quantize(Decimal("0.01")),
                len(sold_here),
                sum(
                    (hub.agreement.tier.engineer_fte_per_hub for hub in sold_here if hub.agreement),
                    Decimal(0),
                ),
            )
        )
    scales: dict[int, list[PayScale]] = defaultdict(list)
    for scale in PayScale.objects.filter(role_id__in={a.role_id for a in assignments}):
        scales[scale.role_id].append(scale)
    capacity = MonthCapacity(month, fte, fte_sold.quantize(FTE), tiers, unsold)
    capacity.team_cost = team_cost(month_cost(assignments, dict(scales), month))
    capacity.amount_sold = amount_sold(month)
    return capacity


def amount_sold(month: str) -> dict[str, Decimal]:
    """A twelfth of the yearly price of each agreement in service in the month."""
    first, last = month_bounds(month)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for agreement in agreements_in_service(first, last):
        yearly = agreement.price * (12 if agreement.billing_period == BillingPeriod.MONTHLY else 1)
        totals[agreement.currency] += yearly / 12
    return {code: round_cents(amount) for code, amount in totals.items()}
