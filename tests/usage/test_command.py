"""partnerops usage pull | import | report"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from partnerops.usage import services
from partnerops.usage.models import HubUsage
from tests.usage.conftest import RunningPrometheus
from tests.usage.test_prometheus_pull import make_hub

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("usage", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_pull_prints_a_summary_and_names_unknown_namespaces(prometheus: RunningPrometheus) -> None:
    make_hub("ocean")
    make_hub("river")
    services.cluster_create(actor=None, name="shared-k8s", prometheus_url=prometheus.url)
    out, _ = run("pull", "--month", "2026-10", "--cluster", "shared-k8s")
    # No exclusions here: alice, bob, dave, the health check and yuvi; 10+2+0.5+1+3 hours.
    ocean = next(line for line in out.splitlines() if " ocean " in line)
    assert [cell.strip() for cell in ocean.split("│")[3:6]] == ["5", "0", "16.50"]
    assert "namespaces with users that are no hub: scratch" in out
    assert HubUsage.objects.filter(month="2026-10").count() == 2
    report, _ = run("report", "--month", "2026-10")
    assert "ocean" in report and "Prometheus" in report


def test_a_cluster_that_is_down_fails_the_command_naming_it() -> None:
    services.cluster_create(actor=None, name="down-k8s", prometheus_url="http://127.0.0.1:9")
    with pytest.raises(CommandError, match="1 of 1 clusters failed"):
        run("pull", "--month", "2026-10")


def test_import_reads_a_csv_and_bad_rows_are_named(tmp_path: Path) -> None:
    make_hub("ocean")
    good = tmp_path / "usage.csv"
    good.write_text("month,hub,active_users\n2026-10,ocean,7\n")
    out, _ = run("import", str(good))
    assert "usage.csv: 1 hub months for 2026-10" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("month,hub,active_users\n2026-10,ocean,seven\n")
    with pytest.raises(CommandError, match=r"bad\.csv: row 2, column active_users: 'seven'"):
        run("import", str(bad))
    with pytest.raises(CommandError, match="'2026-1' is not a month"):
        run("pull", "--month", "2026-1")
