"""Cloud costs reach invoice lines by the hub's identity (issue 15): a rename moves no
money, and an issued invoice never changes when the month is attributed again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from partnerops.contracts.models import Agreement
from partnerops.costs.services import drilldown, month_report
from partnerops.hubs import services as hubs
from partnerops.hubs.models import Hub
from partnerops.invoicing.models import Invoice, LineKind
from partnerops.invoicing.run import billing_run
from partnerops.invoicing.unbilled import month_billing
from tests.invoicing.conftest import MONTH, issue

pytestmark = pytest.mark.django_db
D = Decimal


def _cloud_lines(organization: str) -> list[tuple[str, Decimal]]:
    invoice = Invoice.objects.get(organization__name=organization, month=MONTH)
    return [
        (line.description, line.amount)
        for line in invoice.lines.filter(kind=LineKind.CLOUD_COSTS).order_by("position")
    ]


def test_renaming_a_hub_after_its_costs_were_imported_keeps_its_cloud_line(
    world: dict[str, Agreement], partnerships_user: Any
) -> None:
    ocean = Hub.objects.get(name="ocean")
    hubs.hub_update(actor=partnerships_user, hub=ocean, name="ocean-research")
    run = billing_run(actor=partnerships_user, month=MONTH)
    assert run.blocked == []
    # The hub's resources are still labelled "ocean" in the export: still this hub's.
    assert _cloud_lines("Coastal Ocean") == [
        ("Cloud costs, hub ocean-research, 2026-10 (at cost)", D("123.46"))
    ]
    (summary,) = month_report(MONTH)
    by_id = {item.hub_id: (item.hub, item.amount) for item in summary.communities}
    assert by_id[ocean.pk] == ("ocean-research", D("123.46"))
    assert drilldown(MONTH, "USD", ocean.pk)[0]["amount"] == D("123.456")


def test_a_new_hub_takes_a_renamed_hubs_name_without_taking_its_money(
    world: dict[str, Agreement], partnerships_user: Any
) -> None:
    ocean = Hub.objects.get(name="ocean")
    hubs.hub_update(actor=partnerships_user, hub=ocean, name="ocean-old")
    newcomer = hubs.hub_create(
        actor=partnerships_user,
        name="ocean",
        community=ocean.community,
        cluster="shared-k8s",
        provider="gcp",
    )
    (summary,) = month_report(MONTH)
    amounts = {item.hub_id: item.amount for item in summary.communities}
    # The label "ocean" now names the new hub: a current name wins over a former one.
    assert amounts[newcomer.pk] == D("123.46") and ocean.pk not in amounts


def test_an_issued_invoice_never_changes_when_costs_move(
    world: dict[str, Agreement], partnerships_user: Any
) -> None:
    billing_run(actor=partnerships_user, month=MONTH)
    invoice = Invoice.objects.get(organization__name="Coastal Ocean", month=MONTH)
    issued = issue(invoice, partnerships_user)
    lines = list(issued.lines.values_list("description", "amount"))
    # The hub's label is corrected after issue: its costs move to nobody.
    hubs.hub_update(
        actor=partnerships_user,
        hub=Hub.objects.get(name="ocean"),
        cost_labels={"k8s-namespace": "elsewhere"},
    )
    billing_run(actor=partnerships_user, month=MONTH)
    issued.refresh_from_db()
    assert list(issued.lines.values_list("description", "amount")) == lines
    assert issued.total == D("1623.46")
    # What it billed that is no longer the hub's is listed, to adjust on a later invoice.
    (item,) = [item for item in month_billing(MONTH).not_billed if item.hub == "ocean"]
    assert (item.attributed, item.billed, item.amount) == (D("0"), D("123.46"), D("-123.46"))
    assert item.reason.startswith("the costs changed after the invoice was issued")
