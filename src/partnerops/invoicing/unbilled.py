"""The cloud cost nobody billed (issue 15).

Each month, every cost attributed to a hub is either on a cloud line of that month's
live invoice for the hub, or listed here with the reason it is not: operators of
managed hubs have lost tens of thousands of dollars to costs that were paid and never
invoiced, each time without a word. Read-only; one pass over the month's hubs,
agreements, invoices and latest run.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from partnerops.contracts.models import Agreement
from partnerops.costs.engine import MonthSummary
from partnerops.costs.services import month_report
from partnerops.hubs.models import Hub
from partnerops.invoicing.models import (
    FINAL_STATES,
    BillingRun,
    Invoice,
    InvoiceLine,
    InvoiceState,
    LineKind,
)
from partnerops.invoicing.plan import agreements_in_service, parse_month

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class NotBilled:
    hub_id: int
    hub: str
    community_id: int | None
    community: str
    currency: str
    attributed: Decimal  # the hub's cloud cost for the month, as the cost report rounds it
    billed: Decimal  # on cloud lines of the month's live invoices
    reason: str
    flag: str = ""  # cost outside the hub's service or its agreement's term

    @property
    def amount(self) -> Decimal:
        return self.attributed - self.billed

    def as_json(self) -> dict[str, object]:
        return {
            "hub_id": self.hub_id,
            "hub": self.hub,
            "community_id": self.community_id,
            "community": self.community,
            "currency": self.currency,
            "attributed": f"{self.attributed:.2f}",
            "billed": f"{self.billed:.2f}",
            "not_billed": f"{self.amount:.2f}",
            "reason": self.reason,
            "flag": self.flag,
        }


@dataclass
class MonthBilling:
    month: str
    not_billed: list[NotBilled]
    unattributed: dict[str, Decimal]  # per currency: attributed to no hub (our own cost)

    def lines(self) -> list[str]:
        """The plain-text account, for the run's summary to operations."""
        out = [
            f"  {item.community}, hub {item.hub}: {item.currency} {item.amount:,.2f} of "
            f"{item.attributed:,.2f} — {item.reason}" + (f" ({item.flag})" if item.flag else "")
            for item in self.not_billed
        ]
        out += [
            f"  Attributed to no hub (our own cost): {currency} {amount:,.2f}"
            for currency, amount in sorted(self.unattributed.items())
        ]
        return out

    def totals(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for item in self.not_billed:
            totals[item.currency] += item.amount
        return dict(totals)


def _billed(month: str) -> dict[tuple[int, str], Decimal]:
    billed: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    lines = InvoiceLine.objects.filter(
        invoice__month=month, kind=LineKind.CLOUD_COSTS, hub_id__isnull=False
    ).exclude(invoice__state=InvoiceState.VOID)
    for hub_id, currency, amount in lines.values_list("hub_id", "invoice__currency", "amount"):
        billed[(hub_id, currency)] += amount
    return billed


def _flag(hub: Hub, agreement: Agreement | None, first: dt.date, last: dt.date) -> str:
    """Cost outside the hub's service or its agreement's term is flagged, never dropped."""
    began = hub.service_start_on or hub.running_since
    if began is None:
        return "the hub's service has not begun"
    if began > last:
        return f"before the hub's service began ({began:%Y-%m-%d})"
    if hub.decommissioned_on and hub.decommissioned_on < first:
        return f"after the hub was decommissioned ({hub.decommissioned_on:%Y-%m-%d})"
    if agreement is not None:
        if agreement.start_on > last:
            return f"before agreement #{agreement.pk} starts ({agreement.start_on:%Y-%m-%d})"
        if agreement.end_on < first:
            return f"after agreement #{agreement.pk} ended ({agreement.end_on:%Y-%m-%d})"
    return ""


def month_billing(
    month: str,
    *,
    report: list[MonthSummary] | None = None,
    in_service: list[Agreement] | None = None,
) -> MonthBilling:
    """Every hub cost of the month not (fully) on a live invoice line, with the reason.
    A billing run passes the cost report and agreements its plan already read. Only the
    hubs whose cost and billed amount differ are looked at further (usually none)."""
    first, last = parse_month(month)
    attributed: dict[tuple[int, str], Decimal] = {}
    unattributed: dict[str, Decimal] = {}
    for summary in month_report(month) if report is None else report:
        if summary.unattributed:
            unattributed[summary.currency] = summary.unattributed
        for item in summary.communities:
            if item.hub_id is not None and item.amount:
                attributed[(item.hub_id, summary.currency)] = item.amount
    billed = _billed(month)
    # Both ways: a hub's cost not (fully) billed, and one billed that is no longer its
    # (moved after issue, to another hub or to nobody): the difference is listed.
    pending = {
        key: attributed.get(key, ZERO)
        for key in attributed.keys() | billed.keys()
        if billed.get(key, ZERO) != attributed.get(key, ZERO)
    }
    if not pending:
        return MonthBilling(month, [], unattributed)
    hubs = {
        hub.pk: hub
        for hub in Hub.objects.filter(pk__in={key[0] for key in pending}).select_related(
            "community", "agreement__tier"
        )
    }
    communities = {hub.community_id for hub in hubs.values()}
    context = _Context.read(month, communities, first, last, in_service)
    items = []
    for (hub_id, currency), amount in sorted(pending.items()):
        hub = hubs.get(hub_id)
        if hub is None:
            continue  # deleted since: the month is attributed again without it
        on_invoice = billed.get((hub_id, currency), ZERO)
        agreements = context.agreements.get(hub.community_id, [])
        linked = next((a for a in agreements if a.pk == hub.agreement_id), None)
        agreement = linked or (agreements[-1] if agreements else None)
        items.append(
            NotBilled(
                hub_id,
                hub.name,
                hub.community_id,
                hub.community.name,
                currency,
                amount,
                on_invoice,
                _reason(hub, agreement, agreements, context, on_invoice),
                _flag(hub, hub.agreement or agreement, first, last),
            )
        )
    return MonthBilling(month, items, unattributed)


@dataclass
class _Context:
    """What the reasons need about the communities whose cost is not billed."""

    agreements: dict[int, list[Agreement]]
    invoices: dict[int, Invoice]
    voided: set[int]
    blocked: dict[int, list[str]]

    @classmethod
    def read(
        cls,
        month: str,
        communities: set[int],
        first: dt.date,
        last: dt.date,
        in_service: list[Agreement] | None,
    ) -> _Context:
        agreements: dict[int, list[Agreement]] = defaultdict(list)
        for served in agreements_in_service(first, last) if in_service is None else in_service:
            if served.engagement.organization_id in communities:
                agreements[served.engagement.organization_id].append(served)
        month_invoices = Invoice.objects.filter(month=month, organization_id__in=communities)
        invoices = {
            invoice.organization_id: invoice
            for invoice in month_invoices.exclude(state=InvoiceState.VOID).order_by("id")
        }
        voided = set(
            month_invoices.filter(state=InvoiceState.VOID).values_list("organization_id", flat=True)
        )
        run = BillingRun.objects.filter(month=month).order_by("-started_at", "-id").first()
        blocked = {
            item["organization_id"]: item["reasons"] for item in (run.blocked if run else [])
        }
        return cls(dict(agreements), invoices, voided, blocked)


def _reason(
    hub: Hub,
    agreement: Agreement | None,
    agreements: list[Agreement],
    context: _Context,
    on_invoice: Decimal,
) -> str:
    invoice = context.invoices.get(hub.community_id)
    voided = hub.community_id in context.voided
    blocked = context.blocked.get(hub.community_id)
    if not hub.we_pay_cloud_bill:
        return "the community pays this hub's cloud bill"
    if hub.agreement_id is None and not agreements:
        return "hub not linked to any agreement, and its community has none in force"
    if agreement is None:
        return "no agreement in force that month"
    if not agreement.tier.cloud_cost_pass_through:
        return (
            f"agreement #{agreement.pk} ({agreement.tier.name}) does not pass cloud costs through"
        )
    if invoice is None and voided:
        return "the month's invoice was voided and not re-issued"
    if invoice is None and blocked:
        return "the billing run blocked it: " + "; ".join(blocked)
    if invoice is None:
        return "not billed yet: no invoice for the month (run billing)"
    if invoice.state == InvoiceState.DRAFT:
        return "the draft is out of date: run billing again"
    if invoice.state in FINAL_STATES:
        return "the costs changed after the invoice was issued: adjust it on a later invoice"
    return "the costs changed after the confirmation was requested: return the invoice to draft"


def not_billed_panel(month: str) -> SafeString:
    """The month's cost page shows what of it was not billed."""
    return render_to_string(
        "invoicing/_not_billed.html", {"not_billed": month_billing(month), "month": month}
    )
