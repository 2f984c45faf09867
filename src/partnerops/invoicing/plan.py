"""What a month's invoices should say: read-only planning for the billing run.

For every community with an agreement in service during the month, the planner
builds the draft's lines (operations fee with the agreement's proration policy,
cloud spend passed through at cost, dedicated-cluster markup where the tier says
so, manual charges) or the plain reasons it cannot be drafted (seed 004's
prerequisites). Nothing is written here; ``run.billing_run`` stores the plan.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from partnerops.contracts.models import (
    Agreement,
    AgreementState,
    BillingPeriod,
    DeliveryBasis,
    Proration,
    TierKind,
)
from partnerops.contracts.services import add_months
from partnerops.core.money import round_cents
from partnerops.costs.engine import MonthSummary
from partnerops.costs.models import CostLine
from partnerops.costs.services import month_report
from partnerops.costs.statement import HubCosts, month_hub_costs
from partnerops.crm.models import Contact, Organization
from partnerops.hubs.models import Hub, Tenancy
from partnerops.invoicing.lines import PlannedLine, account_code, hub_in_service
from partnerops.invoicing.models import LineKind, ManualCharge, month_validator
from partnerops.invoicing.usage_lines import month_usage, usage_lines
from partnerops.usage.models import HubUsage

ZERO = Decimal("0.00")
SERVICE_STATES = (AgreementState.EXECUTED, AgreementState.ACTIVE, AgreementState.ENDED)


class MonthError(ValueError):
    pass


def parse_month(month: str) -> tuple[dt.date, dt.date]:
    """The first and last day of ``YYYY-MM``; MonthError naming the value otherwise."""
    try:
        month_validator(month)
    except Exception:
        raise MonthError(f"{month!r} is not a month; write it as YYYY-MM, e.g. 2026-10.") from None
    year, number = int(month[:4]), int(month[5:])
    return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])


@dataclass
class Draft:
    organization: Organization
    engagement_id: int | None
    currency: str
    confirmation_required: bool
    billing_contact: Contact | None
    representative: Contact | None
    lines: list[PlannedLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def digest(self) -> str:
        """A fingerprint of everything the run would write: equal means nothing to refresh."""
        content = {
            "engagement": self.engagement_id,
            "currency": self.currency,
            "confirmation_required": self.confirmation_required,
            "billing_contact": self.billing_contact.pk if self.billing_contact else None,
            "representative": self.representative.pk if self.representative else None,
            "lines": [
                [
                    line.kind,
                    line.description,
                    str(line.quantity),
                    str(line.unit_amount),
                    str(line.amount),
                    line.account_code,
                    line.agreement_id,
                    line.hub_id,
                    line.manual_charge_id,
                    line.details,
                ]
                for line in self.lines
            ],
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


@dataclass
class Blocked:
    organization: Organization
    reasons: list[str]

    def as_json(self) -> dict[str, object]:
        return {
            "organization_id": self.organization.pk,
            "organization": self.organization.name,
            "reasons": self.reasons,
        }


@dataclass
class Plan:
    month: str
    drafts: list[Draft] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)
    # What the plan read, for the not-billed report of the same run (read once).
    in_service: list[Agreement] | None = None
    cost_report: list[MonthSummary] | None = None


def service_end(agreement: Agreement) -> dt.date:
    """The last day of service: the end date, or earlier if it ended early (terminated,
    or renewed: the renewal's first day is its ``ended_on``, served by the renewal)."""
    if agreement.state == AgreementState.ENDED and agreement.ended_on:
        last = agreement.ended_on
        if agreement.end_reason == "renewed":
            last -= dt.timedelta(days=1)
        return min(agreement.end_on, last)
    return agreement.end_on


def fee_line(agreement: Agreement, first: dt.date, last: dt.date) -> PlannedLine | None:
    """The agreement's fee for the month, or None when the month owes none (an annual
    agreement outside its anniversary month)."""
    start, end = max(agreement.start_on, first), min(service_end(agreement), last)
    if end < start:
        return None
    tier = agreement.tier
    kind = {
        TierKind.MEMBERSHIP: LineKind.MEMBERSHIP_FEE,
        TierKind.SUPPORT_HOURS: LineKind.SUPPORT_HOURS,
    }.get(TierKind(tier.kind), LineKind.OPERATIONS_FEE)
    label = f"{LineKind(kind).label}, {tier.name}"
    if agreement.billing_period == BillingPeriod.ANNUAL:
        # Annual prices are invoiced in full in the month each agreement year begins.
        anniversary = agreement.start_on
        while anniversary < first:
            anniversary = add_months(anniversary, 12)
        if anniversary > last or anniversary > service_end(agreement):
            return None
        description = f"{label}, year from {anniversary:%Y-%m-%d}"
        return PlannedLine(
            kind,
            description,
            Decimal(1),
            agreement.price,
            agreement.price,
            account_code(kind),
            agreement_id=agreement.pk,
        )
    days, month_days = (end - start).days + 1, (last - first).days + 1
    if days == month_days or agreement.proration == Proration.WHOLE_MONTH:
        return PlannedLine(
            kind,
            f"{label}, {first:%B %Y}",
            Decimal(1),
            agreement.price,
            agreement.price,
            account_code(kind),
            agreement_id=agreement.pk,
        )
    amount = round_cents(agreement.price * days / month_days)
    description = f"{label}, {days} of {month_days} days ({start:%Y-%m-%d} to {end:%Y-%m-%d})"
    return PlannedLine(
        kind, description, Decimal(1), amount, amount, account_code(kind), agreement_id=agreement.pk
    )


@dataclass
class CloudSpend:
    """The month's imported costs per hub (by id: a name is a label and may change) and
    currency, rounded as the cost report rounds them; and which hubs and accounts the
    imports cover. The cost pages, the plan and the coverage check read the same lines."""

    amounts: dict[int, dict[str, Decimal]]  # hub id -> currency -> amount
    hubs_covered: set[int]
    accounts_covered: set[str]
    parts: dict[tuple[int, str], HubCosts] = field(default_factory=dict)
    report: list[MonthSummary] = field(default_factory=list)

    @classmethod
    def for_month(cls, month: str) -> CloudSpend:
        amounts: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        report = month_report(month)  # attributes the month again if the hubs changed
        for summary in report:
            for item in summary.communities:
                if item.hub_id is not None:
                    amounts[item.hub_id][summary.currency] += item.amount
        lines = CostLine.objects.filter(month=month)
        hubs = set(lines.exclude(hub=None).values_list("hub_id", flat=True).distinct())
        accounts = set(lines.values_list("account", flat=True).distinct())
        hubs_covered = {pk for pk in hubs if pk is not None}
        return cls(dict(amounts), hubs_covered, accounts, month_hub_costs(month), report)

    def imported_for(self, hub: Hub) -> bool:
        return hub.pk in self.hubs_covered or any(
            account in self.accounts_covered for account in hub.cloud_accounts or []
        )

    def currencies(self, hub: Hub) -> dict[str, Decimal]:
        return dict(self.amounts.get(hub.pk, {}))

    def statement(self, hub: Hub, currency: str, amount: Decimal) -> dict[str, Any]:
        parts = self.parts.get((hub.pk, currency))
        return parts.breakdown(amount) if parts is not None else {}


def cloud_lines(
    hubs: Iterable[Hub],
    agreements: list[Agreement],
    spend: CloudSpend,
    currency: str,
    bounds: tuple[dt.date, dt.date],
    month: str,
) -> tuple[list[PlannedLine], list[str]]:
    """Pass-through lines for the hubs whose bill we pay, and what stops them."""
    lines: list[PlannedLine] = []
    reasons: list[str] = []
    by_id = {agreement.pk: agreement for agreement in agreements}
    for hub in hubs:
        agreement = by_id.get(hub.agreement_id or 0, agreements[-1])
        if not hub.we_pay_cloud_bill or not agreement.tier.cloud_cost_pass_through:
            continue
        amounts = spend.currencies(hub)
        if hub_in_service(hub, *bounds) and not spend.imported_for(hub):
            reasons.append(f"cloud costs for hub {hub.name} are not yet imported for {month}")
            continue
        foreign = sorted(code for code, amount in amounts.items() if code != currency and amount)
        if foreign:
            reasons.append(
                f"cloud costs for hub {hub.name} are in {', '.join(foreign)}, the agreement in {currency}"
            )
            continue
        amount = amounts.get(currency, ZERO)
        if not amount:
            continue
        code = account_code(LineKind.CLOUD_COSTS)
        lines.append(
            PlannedLine(
                LineKind.CLOUD_COSTS,
                f"Cloud costs, hub {hub.name}, {month} (at cost)",
                Decimal(1),
                amount,
                amount,
                code,
                agreement.pk,
                hub.pk,
                details=spend.statement(hub, currency, amount),
            )
        )
        tier = agreement.tier
        if hub.tenancy == Tenancy.DEDICATED and tier.cloud_markup_on_dedicated and amount > 0:
            markup = round_cents(amount * tier.dedicated_cluster_markup_percent / 100)
            description = f"Dedicated-cluster markup, {tier.dedicated_cluster_markup_percent.normalize()}% of hub {hub.name}'s cloud costs"
            lines.append(
                PlannedLine(
                    LineKind.DEDICATED_MARKUP,
                    description,
                    Decimal(1),
                    markup,
                    markup,
                    account_code(LineKind.DEDICATED_MARKUP),
                    agreement.pk,
                    hub.pk,
                )
            )
    return lines, reasons


def manual_lines(charges: Iterable[ManualCharge]) -> list[PlannedLine]:
    return [
        PlannedLine(
            charge.kind,
            charge.description,
            charge.quantity,
            charge.unit_amount,
            round_cents(charge.quantity * charge.unit_amount),
            charge.account_code or account_code(charge.kind),
            manual_charge_id=charge.pk,
        )
        for charge in charges
    ]


def agreements_in_service(first: dt.date, last: dt.date) -> list[Agreement]:
    """Agreements whose service covers at least one day of the month (one query)."""
    candidates = (
        Agreement.objects.filter(state__in=SERVICE_STATES, start_on__lte=last, end_on__gte=first)
        .exclude(Q(state=AgreementState.ENDED) & Q(ended_on__lt=first))
        .select_related("tier", "engagement__organization", "billing_contact")
        .order_by("engagement__organization_id", "start_on", "id")
    )
    return [agreement for agreement in candidates if service_end(agreement) >= first]


def plan_month(month: str, *, organization_ids: set[int] | None = None) -> Plan:
    first, last = parse_month(month)
    plan = Plan(month)
    by_org: dict[int, list[Agreement]] = defaultdict(list)
    plan.in_service = agreements_in_service(first, last)
    for agreement in plan.in_service:
        org_id = agreement.engagement.organization_id
        if organization_ids is None or org_id in organization_ids:
            by_org[org_id].append(agreement)
    if not by_org:
        return plan
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for contact in Contact.objects.filter(organization_id__in=by_org).order_by("id"):
        contacts[contact.organization_id].append(contact)
    hubs: dict[int, list[Hub]] = defaultdict(list)
    for hub in Hub.objects.filter(community_id__in=by_org).order_by("name"):
        hubs[hub.community_id].append(hub)
    charges: dict[int, list[ManualCharge]] = defaultdict(list)
    for charge in ManualCharge.objects.filter(month=month, organization_id__in=by_org).order_by(
        "id"
    ):
        charges[charge.organization_id].append(charge)
    spend = CloudSpend.for_month(month)
    plan.cost_report = spend.report
    usage = month_usage(month, (hub.pk for items in hubs.values() for hub in items))
    for org_id, agreements in by_org.items():
        organization = agreements[0].engagement.organization
        result = _plan_community(
            organization,
            agreements,
            contacts[org_id],
            hubs[org_id],
            charges[org_id],
            spend,
            usage,
            (first, last),
            month,
        )
        if isinstance(result, Draft):
            plan.drafts.append(result)
        else:
            plan.blocked.append(result)
    return plan


def _plan_community(
    organization: Organization,
    agreements: list[Agreement],
    contacts: list[Contact],
    hubs: list[Hub],
    charges: list[ManualCharge],
    spend: CloudSpend,
    usage: dict[int, HubUsage],
    bounds: tuple[dt.date, dt.date],
    month: str,
) -> Draft | Blocked:
    reasons: list[str] = []
    for agreement in agreements:
        reasons += [
            f"agreement #{agreement.pk}: {why}" for why in agreement.missing_invoicing_evidence()
        ]
    currencies = sorted({agreement.currency for agreement in agreements})
    if len(currencies) > 1:
        reasons.append(
            f"agreements in service are in different currencies ({', '.join(currencies)})"
        )
    representative = next((c for c in contacts if c.is_community_representative and c.email), None)
    confirmation_required = any(
        agreement.delivery_basis == DeliveryBasis.MONTHLY_CONFIRMATION for agreement in agreements
    )
    if confirmation_required and representative is None:
        reasons.append("no community representative to confirm delivery each month")
    billing_contact = next(
        (a.billing_contact for a in reversed(agreements) if a.billing_contact), None
    ) or next((c for c in contacts if c.is_billing_contact and c.email), None)
    if billing_contact is None:
        reasons.append("no billing contact")
    currency = agreements[-1].currency
    cloud, cloud_reasons = cloud_lines(hubs, agreements, spend, currency, bounds, month)
    reasons += cloud_reasons
    fees_for_usage, usage_reasons = usage_lines(hubs, agreements, usage, currency, bounds, month)
    reasons += usage_reasons
    if reasons:
        return Blocked(organization, reasons)
    fees = [line for a in agreements if (line := fee_line(a, *bounds)) is not None]
    return Draft(
        organization=organization,
        engagement_id=agreements[-1].engagement_id,
        currency=currency,
        confirmation_required=confirmation_required,
        billing_contact=billing_contact,
        representative=representative,
        lines=fees + cloud + fees_for_usage + manual_lines(charges),
    )
