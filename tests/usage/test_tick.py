"""partnerops tick pulls usage: the previous month once from the 2nd, the current month
once a day; a cluster that fails is reported and tried again next time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from partnerops import tick
from partnerops.usage import services
from partnerops.usage.models import Cluster, HubUsage, UsagePull
from tests.usage.conftest import RunningPrometheus
from tests.usage.test_prometheus_pull import make_hub

pytestmark = pytest.mark.django_db


@pytest.fixture
def clusters(prometheus: RunningPrometheus) -> tuple[Cluster, Cluster]:
    make_hub("ocean")
    shared = services.cluster_create(actor=None, name="shared-k8s", prometheus_url=prometheus.url)
    down = services.cluster_create(actor=None, name="down-k8s", prometheus_url="http://127.0.0.1:9")
    return shared, down


def test_tick_pulls_the_previous_month_once_and_the_running_month_daily(
    clusters: tuple[Cluster, Cluster],
) -> None:
    shared, _ = clusters
    with time_machine.travel(dt.datetime(2026, 11, 2, 6, tzinfo=dt.UTC), tick=False):
        report = tick.run(dt.date(2026, 11, 2))
        assert report.usage_pulled == ["shared-k8s 2026-10: 5 active users"]
        # November has no memory samples yet in this Prometheus: refused, reported;
        # the cluster that is down fails for both months; nothing stops the others.
        assert len(report.usage_failed) == 3
        assert any(
            "cluster down-k8s" in message and "cannot reach" in message
            for message in report.usage_failed
        )
        assert any(
            "cluster shared-k8s" in m and "answered no series" in m for m in report.usage_failed
        )
        again = tick.run(dt.date(2026, 11, 2))
        assert again.usage_pulled == []  # October is done; November still fails, retried
        assert UsagePull.objects.filter(cluster=shared, month="2026-10").count() == 1
    # No exclusions here: alice, bob, dave, the health check and yuvi.
    assert HubUsage.objects.get(hub__name="ocean", month="2026-10").active_users == 5


def test_on_the_first_the_previous_month_waits_for_the_second(
    clusters: tuple[Cluster, Cluster],
) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 1, 6, tzinfo=dt.UTC), tick=False):
        report = tick.run(dt.date(2026, 11, 1))
    assert not [message for message in report.usage_pulled if "2026-10" in message]
    assert not UsagePull.objects.filter(month="2026-10").exists()
