"""Importing into the app: rules from the hubs table, atomic, idempotent, restatements replace."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from partnerops.costs.formats import ExportError
from partnerops.costs.models import CostImport, CostLine
from partnerops.costs.services import cost_import, month_report
from tests.costs import exports

pytestmark = pytest.mark.django_db
D = Decimal


def _october(organizations: dict[str, Any]) -> dict[str, Decimal]:
    (summary,) = month_report("2026-10")
    return {item.hub: item.amount for item in summary.communities} | {
        "unattributed": summary.unattributed
    }


def test_import_attributes_with_the_hubs_table(
    hub_table: dict[str, Any], files: dict[str, Path], partnerships_user: Any
) -> None:
    result = cost_import(actor=partnerships_user, paths=[files["gcp"]], usage_path=files["usage"])
    assert result.replaced == {"gcp": ["2026-10", "2026-11"]}
    assert _october(hub_table) == {
        "ocean": D("11.67"),
        "prairie": D("6.33"),
        "solo": D("7.78"),
        "unattributed": D("1.61"),
    }
    solo_lines = CostLine.objects.filter(community=hub_table["solo"])
    assert {line.rule for line in solo_lines} == {"dedicated account"}
    cost_import_row = CostImport.objects.get()
    assert (
        cost_import_row.checksum == result.attribution.files[0].checksum
        and cost_import_row.lines == 8
    )
    # Stored rows are aggregates, not the export's lines: no labels, one row per account x service x hub.
    assert CostLine.objects.count() < 20 and not hasattr(CostLine, "labels")


def test_importing_again_replaces_and_never_adds(
    hub_table: dict[str, Any], files: dict[str, Path], partnerships_user: Any
) -> None:
    cost_import(actor=partnerships_user, paths=[files["gcp"]], usage_path=files["usage"])
    before = _october(hub_table)
    count = CostLine.objects.count()
    cost_import(actor=partnerships_user, paths=[files["gcp"]], usage_path=files["usage"])
    assert _october(hub_table) == before and CostLine.objects.count() == count
    assert CostImport.objects.filter(superseded=False).count() == 1


def test_a_restated_month_replaces_only_that_month(
    hub_table: dict[str, Any], files: dict[str, Path], tmp_path: Path, partnerships_user: Any
) -> None:
    cost_import(actor=partnerships_user, paths=[files["gcp"]], usage_path=files["usage"])
    restated = [
        record for record in exports.gcp_records() if record["invoice"]["month"] == "202611"
    ]  # type: ignore[index]
    restated[0]["cost"] = 6.0
    path = tmp_path / "november-restated.json"
    path.write_text("\n".join(json.dumps(record) for record in restated) + "\n")
    result = cost_import(actor=partnerships_user, paths=[path])
    assert result.replaced == {"gcp": ["2026-11"]}
    (november,) = month_report("2026-11")
    assert [(item.hub, item.amount) for item in november.communities] == [("ocean", D("6.00"))]
    assert _october(hub_table)["ocean"] == D("11.67")


def test_a_failed_import_changes_nothing(
    hub_table: dict[str, Any], files: dict[str, Path], tmp_path: Path, partnerships_user: Any
) -> None:
    cost_import(actor=partnerships_user, paths=[files["gcp"]], usage_path=files["usage"])
    before = list(CostLine.objects.values_list("id", "amount_nanos"))
    broken = tmp_path / "broken.json"
    broken.write_text(files["gcp"].read_text().replace('"cost": 5.001', '"cost": "five"'))
    with pytest.raises(ExportError, match=r"broken\.json"):
        cost_import(actor=partnerships_user, paths=[files["gcp"], broken])
    assert list(CostLine.objects.values_list("id", "amount_nanos")) == before
    assert CostImport.objects.count() == 1


def test_the_command_line(hub_table: dict[str, Any], files: dict[str, Path], capsys: Any) -> None:
    call_command("costs", "import", str(files["gcp"]), "--usage", str(files["usage"]))
    out = capsys.readouterr().out
    assert "gcp: replaced 2026-10, 2026-11" in out and "11.67" in out
    call_command("costs", "report", "--month", "2026-10", "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert (
        "2026-10,USD,Coastal Ocean,ocean,11.67" in lines and "2026-10,USD,(total),,27.39" in lines
    )
    with pytest.raises(CommandError, match="No costs imported for 2026-01"):
        call_command("costs", "report", "--month", "2026-01")
    with pytest.raises(CommandError, match="not a month"):
        call_command("costs", "report", "--month", "October")


def test_the_standalone_command_reads_a_rules_file(
    files: dict[str, Path], tmp_path: Path, capsys: Any
) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        'hub_label_keys = ["k8s-namespace"]\n[[hubs]]\nname = "solo"\ncommunity = "Solo Institute"\n'
        'tenancy = "dedicated"\naccounts = ["solo-project"]\n'
    )
    call_command(
        "costs",
        "attribute",
        str(files["gcp"]),
        "--rules",
        str(rules),
        "--month",
        "2026-10",
        "--format",
        "json",
    )
    report = json.loads(capsys.readouterr().out)
    (october,) = report["months"]
    assert october["communities"] == [
        {"community": "Solo Institute", "hub": "solo", "amount": "7.78"}
    ]
    assert (october["unattributed"], october["total"]) == ("19.61", "27.39")
    bad = tmp_path / "bad.toml"
    bad.write_text('[[hubs]]\nname = "x"\ncommunity = "X"\ntenancy = "private"\n')
    with pytest.raises(
        CommandError, match=r"bad.toml: hubs\[1\] \(x\): tenancy must be 'shared' or 'dedicated'"
    ):
        call_command("costs", "attribute", str(files["gcp"]), "--rules", str(bad))


def test_a_focus_import_keeps_the_effective_cost_beside_the_billed(
    hub_table: dict[str, Any], tmp_path: Path, partnerships_user: Any
) -> None:
    rows = exports.focus_rows("gcp")
    for row in rows:
        row["EffectiveCost"] = str((D(str(row["BilledCost"])) * D("0.8")).quantize(D("0.001")))
    path = exports.write_focus_rows(tmp_path / "focus-gcp.csv", rows)
    result = cost_import(actor=partnerships_user, paths=[path], usage_path=None)
    assert result.replaced == {"gcp": ["2026-10", "2026-11"]}  # the provider named in the file
    (stored,) = month_report("2026-10")
    (read,) = [s for s in result.attribution.summaries() if s.month == "2026-10"]
    assert (
        (stored.effective, stored.effective_billed, stored.total)
        == (
            read.effective,
            read.effective_billed,
            read.total,
        )
        == (D("21.92"), D("27.39"), D("27.39"))
    )
