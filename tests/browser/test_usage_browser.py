"""Engineering points a cluster at its Prometheus and pulls a month; the hub page shows
the usage as a chart; Operations imports a CSV for a cluster without one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from partnerops.core.roles import Role
from partnerops.usage.models import HubUsage
from tests.factories import TEST_PASSWORD, UserFactory
from tests.usage.conftest import RunningPrometheus
from tests.usage.conftest import prometheus as prometheus  # the fixture: a real server
from tests.usage.test_prometheus_pull import make_hub

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_db")]


def sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Pipeline").wait_for()


def test_set_up_a_cluster_pull_and_see_the_chart(
    live_server: Any, page: Any, prometheus: RunningPrometheus, tmp_path: Path
) -> None:
    UserFactory(username="erin", roles=[Role.ENGINEERING])
    ocean = make_hub("ocean")
    make_hub("river")
    sign_in(page, live_server.url, "erin")
    page.get_by_role("link", name="Usage").click()
    page.get_by_role("link", name="Clusters").click()
    # The hubs name a cluster nobody set up yet: one click starts its form.
    page.get_by_role("link", name="shared-k8s").click()
    page.get_by_label("Prometheus URL").fill(prometheus.url)
    page.get_by_role("button", name="Save").click()
    page.locator(".message", has_text="Cluster shared-k8s added").wait_for()
    page.get_by_label("User name").fill("yuvi")
    page.get_by_role("button", name="Exclude").click()
    page.locator(".message", has_text="yuvi no longer counts").wait_for()
    page.get_by_label("Month").fill("2026-10")
    page.get_by_role("button", name="Pull from Prometheus").click()
    # ocean: alice, bob, dave and the health check (not excluded here); river: 2.
    page.locator(
        ".message", has_text="2026-10: 6 active users on 2 hubs, 1 user names excluded"
    ).wait_for()
    assert "66.67%" in page.locator("table", has_text="GiB-hours").inner_text()
    page.get_by_role("link", name="ocean").first.click()
    usage = page.locator("#usage")
    usage.wait_for()
    assert usage.locator("figure", has_text="Monthly active users").locator("rect").count() == 1
    assert "2026-10" in usage.locator("tbody").inner_text()
    assert HubUsage.objects.get(hub=ocean, month="2026-10").active_users == 4


def test_operations_imports_usage_from_a_csv(live_server: Any, page: Any, tmp_path: Path) -> None:
    UserFactory(username="olga", roles=[Role.OPERATIONS])
    make_hub("ocean")
    sign_in(page, live_server.url, "olga")
    page.goto(f"{live_server.url}/usage/")
    page.get_by_role("link", name="Import a CSV").click()
    bad = tmp_path / "usage.csv"
    bad.write_text("month,hub,active_users\n2026-10,ocean,lots\n")
    page.get_by_label("File").set_input_files(str(bad))
    page.get_by_role("button", name="Save").click()
    page.get_by_text("usage.csv: row 2, column active_users").wait_for()
    bad.write_text(
        "month,hub,active_users,server_hours\n2026-09,ocean,8,20\n2026-10,ocean,11,31.5\n"
    )
    page.get_by_label("File").set_input_files(str(bad))
    page.get_by_role("button", name="Save").click()
    page.locator(".message", has_text="usage of 2 hub months").wait_for()
    page.get_by_role("link", name="2026-10").click()
    assert "11" in page.locator("table", has_text="Active users").inner_text()
