"""The attribution engine on exports of every format, against hand-checked amounts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerops.core.money import largest_remainder
from partnerops.costs.engine import Group, apply_rules, attribute, summarize
from partnerops.costs.formats import ExportError
from partnerops.costs.rules import HubRule, Rules, load_usage_csv
from tests.costs import exports

D = Decimal


def _october(summaries: list) -> dict[str, Decimal]:
    october = next(s for s in summaries if s.month == "2026-10" and s.currency == "USD")
    result = {item.hub: item.amount for item in october.communities}
    result.update(unattributed=october.unattributed, total=october.total)
    return result


@pytest.mark.parametrize("name", list(exports.WRITERS))
def test_every_format_gives_the_hand_checked_amounts(name: str, tmp_path: Path) -> None:
    filename, write = exports.WRITERS[name]
    path = write(tmp_path / filename)
    (tmp_path / "usage.csv").write_text(exports.USAGE_CSV)
    result = attribute([path], exports.scenario_rules(), load_usage_csv(tmp_path / "usage.csv"))
    assert result.files[0].months == ("2026-10", "2026-11")
    assert {
        key: str(value) for key, value in _october(result.summaries()).items()
    } == exports.EXPECTED_OCTOBER
    november = next(s for s in result.summaries() if s.month == "2026-11")
    assert [(item.hub, item.amount) for item in november.communities] == [("ocean", D("4.00"))]


def test_reconciliation_per_account_and_the_separate_lines(tmp_path: Path) -> None:
    path = exports.write_gcp_json(tmp_path / "gcp.json")
    (tmp_path / "usage.csv").write_text(exports.USAGE_CSV)
    october = attribute(
        [path], exports.scenario_rules(), load_usage_csv(tmp_path / "usage.csv")
    ).summaries()[0]
    for account in october.accounts:
        assert account.total == account.attributed + account.unattributed
    by_account = {a.account: (a.total, a.attributed, a.unattributed) for a in october.accounts}
    assert by_account["solo-project"] == (D("7.78"), D("7.78"), D("0.00"))
    # 19.116 = 18.005 attributed + 1.111 unattributed: the cent goes to the larger remainder.
    assert by_account["shared-project"] == (D("19.12"), D("18.01"), D("1.11"))
    assert (october.credits, october.tax) == (D("-1.00"), D("0.50"))
    assert october.attributed + october.unattributed == october.total


def test_without_rules_everything_is_unattributed_and_totals_are_exact(tmp_path: Path) -> None:
    result = attribute([exports.write_gcp_json(tmp_path / "gcp.json")])
    october = result.summaries()[0]
    assert (october.total, october.unattributed, october.communities) == (
        D("27.39"),
        D("27.39"),
        [],
    )


def test_without_weights_a_shared_cluster_is_not_split(tmp_path: Path) -> None:
    result = attribute([exports.write_gcp_json(tmp_path / "gcp.json")], exports.scenario_rules())
    reasons = {share.reason for share in result.shares if share.hub is None}
    assert "no usage weights for cluster 'shared-k8s' in 2026-10" in reasons
    october = _october(result.summaries())
    assert october["unattributed"] == D("5.61")  # 3.000 + 0.999 + 1.111 + 0.500


def test_a_month_filter_reads_only_that_month(tmp_path: Path) -> None:
    result = attribute(
        [exports.write_gcp_json(tmp_path / "gcp.json")],
        exports.scenario_rules(),
        months={"2026-11"},
    )
    assert result.months() == ["2026-11"]


def test_the_simple_monthly_csvs(tmp_path: Path) -> None:
    rules = Rules(
        hubs=[HubRule("solo", "Solo Institute", accounts=("solo-project",), dedicated=True)]
    )
    for write, name in (
        (exports.write_gcp_report_csv, "report.csv"),
        (exports.write_cost_explorer_csv, "explorer.csv"),
    ):
        october = _october(attribute([write(tmp_path / name)], rules).summaries())
        assert october["solo"] == D("7.78") and october["total"] == D("27.39")


def test_unknown_and_damaged_files_are_refused_with_the_place(tmp_path: Path) -> None:
    unknown = tmp_path / "people.csv"
    unknown.write_text("name,email\nAna,ana@x.org\n")
    with pytest.raises(
        ExportError,
        match=r"people.csv: not a billing export PartnerOps knows. Columns found: name, email",
    ):
        attribute([unknown])
    damaged = tmp_path / "azure.csv"
    exports.write_azure_csv(damaged)
    damaged.write_text(damaged.read_text().replace(",1.111,", ",1.1x1,"))
    with pytest.raises(
        ExportError,
        match=r"azure.csv: damaged or not a valid Azure cost export.*CostInBillingCurrency",
    ):
        attribute([damaged])
    broken_json = tmp_path / "gcp.json"
    broken_json.write_text('{"billing_account_id": "x", "cost": 1,\n')
    with pytest.raises(ExportError, match=r"gcp\.json: row 1 is not JSON"):
        attribute([broken_json])
    with pytest.raises(ExportError, match="unknown file type"):
        attribute([tmp_path / "notes.pdf"])


def test_currencies_are_never_summed_together(tmp_path: Path) -> None:
    records = exports.gcp_records()
    records[1]["currency"] = "EUR"
    path = tmp_path / "mixed.json"
    path.write_text("\n".join(__import__("json").dumps(r) for r in records) + "\n")
    summaries = attribute([path]).summaries()
    assert {(s.month, s.currency) for s in summaries} == {
        ("2026-10", "USD"),
        ("2026-10", "EUR"),
        ("2026-11", "USD"),
    }
    assert next(s for s in summaries if s.currency == "EUR").total == D("5.00")


amounts = st.decimals(
    min_value=D("-50"), max_value=D("500"), places=6, allow_nan=False, allow_infinity=False
)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.sampled_from(["ocean", "prairie", "support", None, "stray"]), amounts),
        min_size=1,
        max_size=40,
    ),
    weights=st.lists(st.integers(min_value=0, max_value=10_000), min_size=3, max_size=3).filter(
        lambda w: sum(w) > 0
    ),
)
def test_attributed_plus_unattributed_is_always_the_total_to_the_cent(
    lines: list[tuple[str | None, Decimal]], weights: list[int]
) -> None:
    groups = [
        Group(
            "f",
            "2026-10",
            "USD",
            "shared-project",
            "Compute",
            "usage",
            label,
            "shared-k8s",
            amount,
            D(0),
            1,
        )
        for label, amount in lines
    ]
    usage = {
        ("2026-10", "shared-k8s"): {
            "ocean": D(weights[0]),
            "prairie": D(weights[1]),
            "staging": D(weights[2]),
        }
    }
    shares = apply_rules(groups, exports.scenario_rules(), usage)
    exact_total = sum((amount for _, amount in lines), D(0))
    assert sum((share.amount for share in shares), D(0)) == exact_total
    (summary,) = summarize(shares)
    assert summary.attributed + summary.unattributed == summary.total
    assert summary.total == exact_total.quantize(D("0.01"), rounding="ROUND_HALF_UP")
    for account in summary.accounts:
        assert account.attributed + account.unattributed == account.total


@given(st.dictionaries(st.integers(0, 20), amounts, min_size=1))
def test_largest_remainder_parts_add_up(parts: dict[int, Decimal]) -> None:
    rounded = largest_remainder(parts)
    assert sum(rounded.values()) == sum(parts.values()).quantize(
        D("0.01"), rounding="ROUND_HALF_UP"
    )
    assert all(abs(rounded[key] - parts[key]) < D("0.01") for key in parts)


def test_a_hub_label_naming_its_cluster_does_not_claim_the_cluster() -> None:
    rules = Rules(
        hubs=[
            HubRule(
                "ocean",
                "Coastal Ocean",
                cluster="c1",
                labels=(("k8s-namespace", "ocean"), ("goog-k8s-cluster-name", "c1")),
            )
        ]
    )
    assert set(rules.label_values()) == {"ocean"}


def _attributed(summaries: list) -> list[tuple[object, ...]]:
    """Everything the app bills from: per month and currency, each hub's amount, the
    unattributed rest, the total, tax, and credits with adjustments (Azure's native
    export calls the scenario's credit a refund, FOCUS a credit)."""
    return [
        (s.month, s.currency, [(c.hub, c.community, c.amount) for c in s.communities],
         s.unattributed, s.total, s.credits + s.adjustments, s.tax)
        for s in summaries
    ]  # fmt: skip


@pytest.mark.parametrize("cloud", list(exports.NATIVE_AND_FOCUS))
def test_the_same_world_as_native_and_as_focus_attributes_to_the_same_cents(
    cloud: str, tmp_path: Path
) -> None:
    usage = tmp_path / "usage.csv"
    usage.write_text(exports.USAGE_CSV)
    results = []
    for name in exports.NATIVE_AND_FOCUS[cloud]:
        filename, write = exports.WRITERS[name]
        result = attribute(
            [write(tmp_path / filename)], exports.scenario_rules(), load_usage_csv(usage)
        )
        results.append(result)
    native, focus = results
    assert focus.files[0].format == "focus"
    # An import replaces its cloud's months whichever export it comes from.
    assert focus.files[0].provider == native.files[0].provider
    assert _attributed(focus.summaries()) == _attributed(native.summaries())


def test_focus_corrections_credits_and_provider_columns(tmp_path: Path) -> None:
    path = tmp_path / "focus.csv"
    rows = exports.focus_rows("azure")
    rows.append(
        {**rows[0], "ChargeClass": "Correction", "BilledCost": "-0.250", "x_ServiceCode": "ignored"}
    )
    exports.write_focus_rows(path, rows)
    (october, _) = attribute([path], exports.scenario_rules()).summaries()
    # The restatement is an adjustment of the month it is billed in, and keeps its labels.
    assert october.adjustments == D("-0.25")
    assert october.credits == D("-1.00") and october.tax == D("0.50")
    assert october.total == exports.EXPECTED_OCTOBER_TOTAL - D("0.25")


def test_focus_effective_cost_is_shown_beside_the_billed_cost(tmp_path: Path) -> None:
    rows = exports.focus_rows("gcp")
    for row in rows:  # a committed-use discount: 80% of the billed cost, amortised
        row["EffectiveCost"] = str((D(str(row["BilledCost"])) * D("0.8")).quantize(D("0.001")))
    path = tmp_path / "focus.csv"
    exports.write_focus_rows(path, rows)
    october = next(
        s for s in attribute([path], exports.scenario_rules()).summaries() if s.month == "2026-10"
    )
    assert october.total == exports.EXPECTED_OCTOBER_TOTAL  # invoices pass the billed cost through
    assert october.effective_billed == exports.EXPECTED_OCTOBER_TOTAL
    # 0.8 x each line to the mill: 8.004 - 0.800 + 4.001 + 2.400 + 0.799 + 6.222 + 0.889 + 0.400
    assert october.effective == D("21.92")  # 21.915, half up
    # A native export has no effective cost: nothing is shown rather than a made-up one.
    native = attribute([exports.write_gcp_json(tmp_path / "gcp.json")], exports.scenario_rules())
    assert native.summaries()[0].effective is None
