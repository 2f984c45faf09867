"""A small billing world: communities with agreements in service, hubs, imported costs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from partnerops.contracts import services as contracts
from partnerops.contracts.models import Agreement, AgreementKind, AgreementState
from partnerops.costs.models import CostGroup, CostImport, to_nanos
from partnerops.costs.months import reattribute
from partnerops.hubs import services as hubs
from tests.factories import prospect

MONTH = "2026-10"


def ensure_price_book() -> None:
    """The seeded tiers; tests on a transactional database (emptied between tests, the
    migrations' data with it) put them back."""
    import importlib

    from django.apps import apps

    for migration in ("0002_seed_price_book", "0005_usage_pricing"):
        importlib.import_module(f"partnerops.contracts.migrations.{migration}").seed(apps, None)


def make_community(
    actor: Any,
    name: str,
    *,
    tier: str = "research",
    start: dt.date = dt.date(2026, 9, 1),
    hub: str | None = None,
    hub_values: dict[str, Any] | None = None,
    **agreement_values: Any,
) -> Agreement:
    """A Partner with an email-confirmed agreement in service from ``start`` and, if named,
    a running hub whose cloud bill we pay."""
    ensure_price_book()
    engagement = prospect(actor, name)
    agreement = contracts.agreement_create(
        actor=actor, engagement=engagement, tier=contracts.current_tier(tier, start),
        kind=AgreementKind.EMAIL_CONFIRMATION, start_on=start,
        billing_contact=engagement.organization.contacts.get(), **agreement_values,
    )  # fmt: skip
    executed = min(start, dt.date(2026, 11, 1))
    contracts.agreement_transition(
        actor=actor, agreement=agreement, state=AgreementState.EXECUTED, on=executed
    )
    if start <= dt.date(2026, 11, 22):
        contracts.agreement_transition(
            actor=actor, agreement=agreement, state=AgreementState.ACTIVE, on=start
        )
    if hub:
        hubs.hub_create(actor=actor, name=hub, community=engagement.organization, agreement=agreement,
                        cluster="shared-k8s", provider="gcp", cloud_accounts=[f"{hub}-project"],
                        service_start_on=start, **(hub_values or {}))  # fmt: skip
    agreement.refresh_from_db()
    return agreement


def add_costs(month: str, amounts: dict[str, str], *, currency: str = "USD") -> None:
    """Imported cloud costs per hub for a month, labelled with the hub's name, attributed
    as an import attributes them (the costs app's own tests cover reading provider
    exports; here only what is stored matters)."""
    cost_import = CostImport.objects.create(source="gcp", file_name=f"{month}.json", checksum=month,
                                            format="gcp-json", provider="gcp", months=[month])  # fmt: skip
    for name, amount in amounts.items():
        CostGroup.objects.create(
            cost_import=cost_import, source="gcp", month=month, currency=currency,
            account=f"{name}-project", service="Compute", category="usage", hub_label=name,
            cluster_label="shared-k8s", gross_nanos=to_nanos(Decimal(amount)), lines=1,
        )  # fmt: skip
    reattribute(month)


@pytest.fixture
def operations_user(user_with_role: Callable[..., Any]) -> Any:
    from partnerops.core.roles import Role

    return user_with_role(Role.OPERATIONS, username="olga")


@pytest.fixture
def world(partnerships_user: Any) -> dict[str, Agreement]:
    """Three communities in October 2026: a full month with cloud costs, one starting on
    the 17th (by-day proration), one with a contract covering delivery."""
    ocean = make_community(partnerships_user, "Coastal Ocean", hub="ocean")
    prairie = make_community(partnerships_user, "Prairie College", tier="education",
                             start=dt.date(2026, 10, 17), hub="prairie")  # fmt: skip
    solo = make_community(partnerships_user, "Solo Institute", tier="partnership", hub="solo",
                          hub_values={"tenancy": "dedicated"})  # fmt: skip
    add_costs(MONTH, {"ocean": "123.456", "prairie": "10.004", "solo": "500.00"})
    return {"ocean": ocean, "prairie": prairie, "solo": solo}


def token_for(invoice: Any) -> str:
    from partnerops.core.signed_links import make_token
    from partnerops.invoicing.services.confirmation import PURPOSE

    request = invoice.confirmation_requests.order_by("-id").first()
    return make_token(purpose=PURPOSE, object_id=request.pk)


def issue(invoice: Any, actor: Any, issued_on: dt.date = dt.date(2026, 11, 2)) -> Any:
    """Ask, confirm by the link, and finalise: the usual way to an issued invoice."""
    from partnerops.invoicing import services

    invoice = services.invoice_confirmation_request(actor=actor, invoice=invoice)
    if invoice.state == "awaiting_confirmation":
        invoice = services.invoice_delivery_confirm(token=token_for(invoice))
    return services.invoice_finalise(actor=actor, invoice=invoice, issued_on=issued_on)


@pytest.fixture
def drafts(world: dict[str, Agreement]) -> dict[str, Any]:
    """The month's drafts after a billing run, by the community's first word."""
    from partnerops.invoicing.models import Invoice
    from partnerops.invoicing.run import billing_run

    billing_run(actor=None, month=MONTH)
    return {inv.organization.name.split()[0].lower(): inv for inv in Invoice.objects.all()}
