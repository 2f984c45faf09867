"""The cloud cost nobody billed: every hub cost of a month is on an invoice line or listed
with its reason (issue 15). Each reason has a hand-built month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from partnerops.contracts.models import Agreement, ServiceTier
from partnerops.core.roles import Role
from partnerops.crm.models import Contact
from partnerops.hubs import services as hubs
from partnerops.hubs.models import Hub
from partnerops.invoicing import services
from partnerops.invoicing.models import Invoice
from partnerops.invoicing.run import billing_run
from partnerops.invoicing.unbilled import month_billing
from tests.api.client import Api
from tests.factories import OrganizationFactory
from tests.invoicing.conftest import MONTH, add_costs, issue, make_community

pytestmark = pytest.mark.django_db
D = Decimal


def _reasons() -> dict[str, tuple[Decimal, str, str]]:
    return {
        item.hub: (item.amount, item.reason, item.flag) for item in month_billing(MONTH).not_billed
    }


def test_a_billed_month_leaves_nothing_unbilled(world: dict[str, Agreement]) -> None:
    assert _reasons()["ocean"][1] == "not billed yet: no invoice for the month (run billing)"
    run = billing_run(actor=None, month=MONTH)
    assert month_billing(MONTH).not_billed == []
    assert "Cloud cost not billed" not in run.summary


def test_the_community_pays_the_hubs_bill(world: dict[str, Agreement]) -> None:
    Hub.objects.filter(name="ocean").update(we_pay_cloud_bill=False)
    run = billing_run(actor=None, month=MONTH)
    assert _reasons() == {"ocean": (D("123.46"), "the community pays this hub's cloud bill", "")}
    assert "Cloud cost not billed this month:" in run.summary
    assert "Coastal Ocean, hub ocean: USD 123.46 of 123.46" in run.summary


def test_no_agreement_in_force_that_month_is_flagged(partnerships_user: Any) -> None:
    make_community(partnerships_user, "Late Lab", start=dt.date(2026, 11, 1), hub="late")
    Hub.objects.filter(name="late").update(service_start_on=dt.date(2026, 10, 1))
    add_costs(MONTH, {"late": "42.424"})
    billing_run(actor=None, month=MONTH)
    amount, reason, flag = _reasons()["late"]
    agreement = Agreement.objects.get(engagement__organization__name="Late Lab")
    assert (amount, reason) == (D("42.42"), "no agreement in force that month")
    assert flag == f"before agreement #{agreement.pk} starts (2026-11-01)"


def test_a_hub_linked_to_no_agreement(partnerships_user: Any) -> None:
    hubs.hub_create(actor=partnerships_user, name="stray", community=OrganizationFactory(name="Stray U"),
                    cluster="shared-k8s", provider="gcp", service_start_on=dt.date(2026, 9, 1))  # fmt: skip
    add_costs(MONTH, {"stray": "3.00"})
    billing_run(actor=None, month=MONTH)
    assert _reasons()["stray"][:2] == (
        D("3.00"),
        "hub not linked to any agreement, and its community has none in force",
    )


def test_an_agreement_without_pass_through(world: dict[str, Agreement]) -> None:
    ServiceTier.objects.filter(pk=world["ocean"].tier_id).update(cloud_cost_pass_through=False)
    billing_run(actor=None, month=MONTH)
    assert _reasons()["ocean"][1].endswith("does not pass cloud costs through")


def test_a_voided_invoice(world: dict[str, Agreement], partnerships_user: Any) -> None:
    billing_run(actor=None, month=MONTH)
    invoice = issue(Invoice.objects.get(organization__name="Coastal Ocean"), partnerships_user)
    services.invoice_void(actor=partnerships_user, invoice=invoice, reason="wrong address")
    billing_run(actor=None, month=MONTH)
    assert _reasons()["ocean"][1] == "the month's invoice was voided and not re-issued"


def test_the_run_blocked_it(world: dict[str, Agreement]) -> None:
    Contact.objects.filter(organization__name="Coastal Ocean").update(is_billing_contact=False)
    Agreement.objects.filter(pk=world["ocean"].pk).update(billing_contact=None)
    billing_run(actor=None, month=MONTH)
    assert _reasons()["ocean"][1] == "the billing run blocked it: no billing contact"


def test_costs_that_moved_after_issue_show_as_not_billed(
    world: dict[str, Agreement], partnerships_user: Any
) -> None:
    billing_run(actor=None, month=MONTH)
    issue(Invoice.objects.get(organization__name="Coastal Ocean"), partnerships_user)
    add_costs(MONTH, {"ocean": "10.00"})  # a late export adds to the month
    billing_run(actor=None, month=MONTH)
    item = next(item for item in month_billing(MONTH).not_billed if item.hub == "ocean")
    assert (item.attributed, item.billed, item.amount) == (D("133.46"), D("123.46"), D("10.00"))
    assert item.reason == (
        "the costs changed after the invoice was issued: adjust it on a later invoice"
    )


def test_the_pages_and_the_api_show_it(world: dict[str, Agreement], partnerships_user: Any) -> None:
    Hub.objects.filter(name="ocean").update(we_pay_cloud_bill=False)
    billing_run(actor=None, month=MONTH)
    client = Client()
    client.force_login(partnerships_user)
    for url in (f"/billing/?month={MONTH}", f"/costs/{MONTH}/"):
        html = client.get(url).content.decode()
        assert "Cloud cost not billed" in html and "the community pays this hub" in html, url
    body = Api(Role.OPERATIONS).call("GET", f"/billing/not-billed?month={MONTH}").json()
    assert body["totals"] == {"USD": "123.46"}
    assert body["not_billed"][0]["hub"] == "ocean"
    assert body["not_billed"][0]["reason"] == "the community pays this hub's cloud bill"
