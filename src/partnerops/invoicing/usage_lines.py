"""The usage fee of a month: one line per hub whose agreement charges for usage, its
quantity the hub's monthly active users, its amount from the usage price's bands.

A hub that should be charged but has no usage for the month (or only a running view
pulled before the month ended) blocks its community, as missing cloud costs do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from partnerops.contracts.models import Agreement
from partnerops.contracts.usage_pricing import parse_bands, usage_fee, usage_terms
from partnerops.core.money import round_cents
from partnerops.hubs.models import Hub
from partnerops.invoicing.lines import PlannedLine, account_code, hub_in_service
from partnerops.invoicing.models import LineKind
from partnerops.usage.models import HubUsage


def month_usage(month: str, hub_ids: Iterable[int]) -> dict[int, HubUsage]:
    """The stored usage of the hubs in the month, by hub id: one query by month (a
    list of thousands of hub ids would meet the database's limit on parameters)."""
    wanted = set(hub_ids)
    rows = HubUsage.objects.filter(month=month).select_related("pull")
    return {row.hub_id: row for row in rows if row.hub_id in wanted}


def usage_lines(
    hubs: Iterable[Hub],
    agreements: list[Agreement],
    usage: dict[int, HubUsage],
    currency: str,
    bounds: tuple[dt.date, dt.date],
    month: str,
) -> tuple[list[PlannedLine], list[str]]:
    """Usage lines for the hubs in service whose agreement charges for usage, and what
    stops them."""
    lines: list[PlannedLine] = []
    reasons: list[str] = []
    by_id = {agreement.pk: agreement for agreement in agreements}
    for hub in hubs:
        if not hub_in_service(hub, *bounds):
            continue
        agreement = by_id.get(hub.agreement_id or 0, agreements[-1])
        terms = usage_terms(agreement, bounds[0])
        if terms is None:
            continue
        if terms.pricing is None:
            reasons.append(f"hub {hub.name}: {terms.reason}")
            continue
        if terms.pricing.currency != currency:
            reasons.append(
                f"hub {hub.name}: the usage price is in {terms.pricing.currency}, the agreement in {currency}"
            )
            continue
        row = usage.get(hub.pk)
        if row is None:
            reasons.append(f"usage for hub {hub.name} is not yet pulled or imported for {month}")
            continue
        if row.pull.partial_month:
            reasons.append(
                f"usage for hub {hub.name} was pulled before {month} ended; pull the month again"
            )
            continue
        fee = usage_fee(row.active_users, parse_bands(terms.pricing.bands))
        if not fee.amount:
            continue
        unit = round_cents(fee.amount / fee.users)
        description = (
            f"Usage fee, hub {hub.name}, {month}: {fee.users:,} monthly active users "
            f"({fee.breakdown(currency)})"
        )[:300]
        lines.append(
            PlannedLine(
                LineKind.USAGE_FEE,
                description,
                Decimal(fee.users),
                unit,
                fee.amount,
                account_code(LineKind.USAGE_FEE),
                agreement.pk,
                hub.pk,
                details={
                    "usage": {
                        "active_users": fee.users,
                        "pricing": str(terms.pricing),
                        "bands": [
                            {
                                "first": charge.band.first,
                                "last": charge.band.last,
                                "users": charge.users,
                                "unit_amount": str(charge.band.unit_amount),
                                "amount": str(charge.amount),
                            }
                            for charge in fee.charges
                            if charge.users
                        ],
                        "pulled_at": row.pull.pulled_at.isoformat(),
                        "source": row.pull.source,
                    }
                },
            )
        )
    return lines, reasons
