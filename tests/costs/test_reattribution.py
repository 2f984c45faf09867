"""Attribution follows the hubs table as it is now, and keys costs by the hub's identity
(issue 15): a rename moves no money, hubs created after an import get their costs, and
an issued invoice never changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from partnerops.costs.models import CostGroup, CostLine, CostMonth, UsageWeight
from partnerops.costs.services import cost_import, drilldown, month_report
from partnerops.hubs import services as hubs
from partnerops.hubs.models import Hub

pytestmark = pytest.mark.django_db
D = Decimal


def _october() -> dict[str, Decimal]:
    (summary,) = month_report("2026-10")
    return {item.hub: item.amount for item in summary.communities} | {
        "unattributed": summary.unattributed
    }


def test_hubs_created_after_the_import_get_its_costs(
    files: dict[str, Path], partnerships_user: Any, request: pytest.FixtureRequest
) -> None:
    cost_import(actor=partnerships_user, paths=[files["gcp"]], usage_path=files["usage"])
    assert _october() == {"unattributed": D("27.39")}
    request.getfixturevalue("hub_table")
    # Without the files: the stored groups and weights are attributed again.
    assert _october() == {
        "ocean": D("11.67"),
        "prairie": D("6.33"),
        "solo": D("7.78"),
        "unattributed": D("1.61"),
    }
    assert CostMonth.objects.get(month="2026-10").fingerprint
    assert set(CostLine.objects.filter(month="2026-10").values_list("rule", flat=True)) == {
        "dedicated account",
        "hub label",
        "shared cluster",
        "unattributed",
    }


def test_correcting_a_hubs_labels_attributes_the_month_again(
    hub_table: dict[str, Any], files: dict[str, Path], partnerships_user: Any
) -> None:
    cost_import(actor=partnerships_user, paths=[files["gcp"]], usage_path=files["usage"])
    before = _october()
    # The "staging" namespace turns out to be prairie's second hub namespace.
    prairie = Hub.objects.get(name="prairie")
    hubs.hub_update(actor=partnerships_user, hub=prairie, cost_labels={"k8s-namespace": "staging"})
    after = _october()
    assert after["prairie"] != before["prairie"]
    assert sum(after.values()) == sum(before.values()) == D("27.39")
    assert "label value 'prairie' matches no hub" in {
        row["reason"] for row in drilldown("2026-10", "USD", None)
    }


def test_an_import_without_usage_keeps_the_stored_weights(
    hub_table: dict[str, Any], files: dict[str, Path], partnerships_user: Any
) -> None:
    cost_import(actor=partnerships_user, paths=[files["gcp"]], usage_path=files["usage"])
    before = _october()
    result = cost_import(actor=partnerships_user, paths=[files["gcp"]])
    assert _october() == before
    # What the import reports equals what is stored.
    (reported,) = [s for s in result.attribution.summaries() if s.month == "2026-10"]
    assert {item.hub: item.amount for item in reported.communities} == {
        k: v for k, v in before.items() if k != "unattributed"
    }
    assert UsageWeight.objects.filter(month="2026-10").count() == 2


def test_importing_the_same_file_again_changes_nothing(
    hub_table: dict[str, Any], files: dict[str, Path], partnerships_user: Any
) -> None:
    cost_import(actor=partnerships_user, paths=[files["gcp"]], usage_path=files["usage"])
    groups, lines, before = CostGroup.objects.count(), CostLine.objects.count(), _october()
    cost_import(actor=partnerships_user, paths=[files["gcp"]], usage_path=files["usage"])
    assert (CostGroup.objects.count(), CostLine.objects.count(), _october()) == (
        groups,
        lines,
        before,
    )


def test_a_label_key_the_import_did_not_read_is_named_on_the_month_page(
    hub_table: dict[str, Any], files: dict[str, Path], partnerships_user: Any
) -> None:
    from django.test import Client

    from partnerops.costs.months import stale_label_keys

    cost_import(actor=partnerships_user, paths=[files["gcp"]], usage_path=files["usage"])
    assert stale_label_keys("2026-10") == []
    prairie = Hub.objects.get(name="prairie")
    hubs.hub_update(actor=partnerships_user, hub=prairie, cost_labels={"team": "prairie"})
    (note,) = stale_label_keys("2026-10")
    assert note == (
        "gcp.json was read before a hub used the label key(s) team: "
        "import it again to attribute by them."
    )
    client = Client()
    client.force_login(partnerships_user)
    assert "import it again to attribute by them" in client.get("/costs/2026-10/").content.decode()
